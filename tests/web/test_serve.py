"""`safeguard serve` starts the app: /health answers 200."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from safeguard.access import service
from safeguard.db import make_engine, unit_of_work, upgrade
from tests.web.conftest import csrf_of
from tests.web.scenario import PASSWORD


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(db: str, port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = os.environ | {"SAFEGUARD_ENVIRONMENT": "development"}
    env.pop("SAFEGUARD_SECRET_KEY", None)
    cmd = [str(Path(sys.executable).parent / "safeguard"), "--db", db, "serve"]
    cmd += ["--port", str(port), *extra]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _health(proc: subprocess.Popen[bytes], port: int) -> httpx.Response:
    deadline = time.monotonic() + 180
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
        except httpx.TransportError:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)


def test_serve_answers_health_on_the_given_port(tmp_path: Path) -> None:
    port = _free_port()
    proc = _start(f"sqlite:///{tmp_path / 's.db'}", port)
    try:
        resp = _health(proc, port)
        assert resp.status_code == 200 and resp.json() == {"status": "ok"}
        assert "server" not in resp.headers
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_session_signed_by_one_worker_is_good_in_every_other(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    engine = make_engine(db)
    upgrade(engine)
    with unit_of_work(engine) as session:
        service.add_user(
            session=session,
            username="sup",
            display_name="A Supervisor",
            role="ppu_supervisor",
            team="North PPU",
            area="north",
            password=PASSWORD,
        )
    engine.dispose()
    port = _free_port()
    proc = _start(db, port, "--workers", "2")
    try:
        assert _health(proc, port).status_code == 200
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            token = csrf_of(client.get("/sign-in").text)
            signed = client.post(
                "/sign-in", data={"username": "sup", "password": PASSWORD, "csrf_token": token}
            )
            assert signed.status_code == 303
            # fresh connections, so the requests spread over both workers
            pages = [
                httpx.get(f"http://127.0.0.1:{port}/queues/supervision", cookies=client.cookies)
                for _ in range(12)
            ]
        assert [p.status_code for p in pages] == [200] * 12
        assert all("Open child protection cases" in p.text for p in pages)
    finally:
        proc.terminate()
        proc.wait(60)
