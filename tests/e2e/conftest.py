"""Browser tests: the app served by uvicorn in a thread against a SQLite file, driven by
Debian's chromium through Playwright, with axe-core checking every page."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from safeguard.web.app import create_app
from tests.web.conftest import make_settings
from tests.web.forms_scenario import add_form_records
from tests.web.linkage_scenario import add_linked_people, add_review_pairs
from tests.web.scenario import Scenario, add_users, load_referral, load_scenario

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists() and os.environ.get("CI") != "true":
    collect_ignore_glob = ["test_*.py"]  # no browser on this machine: skip, never fail


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": ARGS}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Scenario]]:
    db = tmp_path_factory.mktemp("e2e") / "e2e.db"
    app = create_app(make_settings(f"sqlite:///{db}"))
    add_users(app.state.engine)
    scenario = load_scenario(app.state.engine)
    add_form_records(app.state.engine)
    load_referral(app.state.engine)
    add_review_pairs(app.state.engine)  # pairs for the linkage review (run after the rest)
    add_linked_people(app.state.engine)  # one person's keys, to explain and split
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", scenario
    server.should_exit = True
    thread.join(10)
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run scripts/setup.sh (npm install)")
    return AXE.read_text(encoding="utf-8")
