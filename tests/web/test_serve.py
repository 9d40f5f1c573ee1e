"""`safeguard serve` starts the app: /health answers 200."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_answers_health_on_the_given_port(tmp_path: Path) -> None:
    port = _free_port()
    env = os.environ | {"SAFEGUARD_ENVIRONMENT": "development"}
    cmd = [
        str(Path(sys.executable).parent / "safeguard"),
        "--db",
        f"sqlite:///{tmp_path / 's.db'}",
        "serve",
        "--port",
        str(port),
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                resp = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)
        assert resp.status_code == 200 and resp.json() == {"status": "ok"}
        assert "server" not in resp.headers
    finally:
        proc.terminate()
        proc.wait(10)
