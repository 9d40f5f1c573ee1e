"""Benchmark: the person single view and the supervisor's queue under concurrent signed-in users.

    python bench/web.py --scale 100000 --users 20 --requests 400 --db sqlite postgresql

Builds a synthetic store of SCALE people (bulk rows, not the importer, to keep set-up short),
serves the real app with uvicorn in a thread, signs in USERS supervisors and drives them
concurrently. Reports p50/p95 per page and the ratio to /health measured in the same run.
Results: bench/results/web.json.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import Engine, create_engine, insert, text

from safeguard.access import service
from safeguard.access.passwords import hash_password
from safeguard.db import unit_of_work
from safeguard.pole.models import Action, Event, EventPerson, Flag, Person
from safeguard.web.app import create_app
from safeguard.web.settings import WebSettings

RESULTS = Path(__file__).parent / "results" / "web.json"
PASSWORD = "bench password 1"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CHUNK = 5000
NOW = datetime.now(UTC)
KINDS = ["child_concern", "missing_episode", "domestic_abuse", "cse_concern", "sexual_offence"]


def _rows(scale: int, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    people = [
        {
            "id": i,
            "source": "storm",
            "source_id": f"P{i}",
            "payload": "{}",
            "payload_hash": "",
            "given_name": rng.choice(["Amy", "Ben", "Cara", "Dan", "Ella", "Finn", "Gina"]),
            "family_name": f"Name{i % 5000}",
            "dob": date(1970, 1, 1) + timedelta(days=rng.randrange(18000)),
            "aliases": [],
            "identifiers": {},
        }
        for i in range(1, scale + 1)
    ]
    events, links, actions, flags = [], [], [], []
    for e in range(1, scale // 2 + 1):
        occurred = NOW - timedelta(days=rng.randrange(1, 2000))
        events.append(
            {
                "id": e,
                "source": "storm",
                "source_id": f"E{e}",
                "payload": "{}",
                "payload_hash": "",
                "kind": rng.choice(KINDS),
                "occurred_at": occurred,
                "reported_at": occurred,
                "summary": "Synthetic event",
                "details": {},
                "closed_at": None if rng.random() < 0.05 else occurred + timedelta(days=30),
            }
        )
        a, b = rng.randrange(1, scale + 1), rng.randrange(1, scale + 1)
        links.append({"event_id": e, "person_id": a, "role": "victim"})
        if b != a:
            links.append({"event_id": e, "person_id": b, "role": "suspect"})
        actions.append(
            {
                "id": e,
                "source": "storm",
                "source_id": f"A{e}",
                "payload": "{}",
                "payload_hash": "",
                "kind": "allocation",
                "at": occurred + timedelta(hours=2),
                "event_id": e,
                "person_id": None,
                "details": {"officer": "hr:O1"},
                "text": None,
            }
        )
    for f in range(1, scale // 10 + 1):
        flags.append(
            {
                "id": f,
                "source": "storm",
                "source_id": f"F{f}",
                "payload": "{}",
                "payload_hash": "",
                "person_id": rng.randrange(1, scale + 1),
                "kind": "cse_risk",
                "since": NOW - timedelta(days=400),
                "until": None,
                "level": "medium",
            }
        )
    return {"people": people, "events": events, "links": links, "actions": actions, "flags": flags}


def build_store(engine: Engine, scale: int) -> None:
    rows = _rows(scale, random.Random(7))
    tables = [
        (Person, "people"),
        (Event, "events"),
        (EventPerson, "links"),
        (Action, "actions"),
        (Flag, "flags"),
    ]
    with engine.begin() as conn:
        for model, name in tables:
            data = rows[name]
            for i in range(0, len(data), CHUNK):
                conn.execute(insert(model), data[i : i + CHUNK])
    with unit_of_work(engine) as session:
        hashed = hash_password(PASSWORD)
        for n in range(40):
            user = service.add_user(
                session=session,
                username=f"sup{n}",
                display_name=f"Sup {n}",
                role="ppu_supervisor",
                team="PPU",
                area="north",
                password=None,
            )
            user.password_hash = hashed


def _serve(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def _signed_in(base: str, n: int) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/sign-in").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    resp = client.post(
        "/sign-in", data={"username": f"sup{n}", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 303, resp.text
    return client


def _drive(clients: list[httpx.Client], paths: list[str]) -> list[float]:
    def one(job: tuple[int, str]) -> float:
        i, path = job
        start = time.perf_counter()
        resp = clients[i % len(clients)].get(path)
        elapsed = time.perf_counter() - start
        assert resp.status_code == 200, (path, resp.status_code)
        return elapsed * 1000

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(one, enumerate(paths)))


def _stats(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 1),
        "max_ms": round(ordered[-1], 1),
        "n": len(ordered),
    }


def run(
    db: str, url: str, scale: int, users: int, requests: int, *, queue: bool = True
) -> dict[str, Any]:
    engine = create_engine(url)
    app = create_app(WebSettings(db=url, environment="test", secret_key="b" * 40))
    started = time.perf_counter()
    build_store(app.state.engine, scale)
    build_s = time.perf_counter() - started
    server, thread, base = _serve(app)
    try:
        clients = [_signed_in(base, n) for n in range(users)]
        rng = random.Random(11)
        people = [f"/people/storm:P{rng.randrange(1, scale + 1)}" for _ in range(requests)]
        _drive(clients, ["/health"] * users + people[:users])  # warm up
        result = {
            "health (baseline)": _stats(_drive(clients, ["/health"] * requests)),
            "person view": _stats(_drive(clients, people)),
        }
        if queue:
            queue_paths = ["/queues/supervision"] * max(users, requests // 10)
            result["supervisor queue"] = _stats(_drive(clients, queue_paths))
        for c in clients:
            c.close()
    finally:
        server.should_exit = True
        thread.join(30)
        app.state.engine.dispose()
        engine.dispose()
    base_p50 = result["health (baseline)"]["p50_ms"] or 1.0
    for stats in result.values():
        stats["p50_ratio_to_health"] = round(stats["p50_ms"] / base_p50, 1)
    return {"db": db, "build_store_s": round(build_s, 1), "pages": result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100_000, help="people in the store")
    parser.add_argument("--users", type=int, default=20, help="concurrent signed-in users")
    parser.add_argument("--requests", type=int, default=400, help="person views per database")
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp"))
    parser.add_argument("--no-queue", action="store_true", help="person view only")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    runs = []
    for db in args.db:
        if db == "sqlite":
            path = args.workdir / "safeguard_bench_web.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        else:
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text('DROP DATABASE IF EXISTS "safeguard_bench_web" WITH (FORCE)'))
                conn.execute(text('CREATE DATABASE "safeguard_bench_web"'))
            admin.dispose()
            url = PG_ADMIN.rsplit("/", 1)[0] + "/safeguard_bench_web"
        outcome = run(db, url, args.scale, args.users, args.requests, queue=not args.no_queue)
        print(json.dumps(outcome, indent=2))
        runs.append(outcome)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "scale_people": args.scale,
        "events": args.scale // 2,
        "concurrent_users": args.users,
        "goal": "p95 under 150 ms at 1,000,000 people",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": runs,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
