"""Benchmark: the person single view and the supervisor's queue under concurrent signed-in users.

    python bench/web.py --scale 100000 --users 20 --requests 400 --db sqlite postgresql \
        --store-dir /work/stores --workers 2

Builds a synthetic store of SCALE people (bulk rows, not the importer, to keep set-up short;
with --store-dir it is built once and reused), serves the real app with `safeguard serve
--workers N` in its own processes, signs in USERS supervisors and drives them concurrently in
two ways: `saturated`, each user asking again the moment an answer comes (the server's
throughput limit), and `paced`, each user pausing a random think time between pages (mean
--think-ms). Reports p50/p95 per page and the ratio to /health, the baseline measured in the
same run and the same way; and, single-threaded in this process, one user's person view over
HTTP and `assess` alone for the same people, to show what share of a view is the risk engine.
Results: bench/results/web.json.

With --risk-store URL... it measures instead on stores made by bench/risk.py's generator (at
--scale 1 there: 1,000,000 people, about 10,000,000 events and actions), which it first readies
idempotently: schema upgraded (migration 0011 fills in the queue's stored clocks: minutes at
1,000,000 people), bench users added, PostgreSQL's event table vacuumed and analysed. The thin
stores' PostgreSQL databases are named --pg-name + _SCALE.

    python bench/web.py --risk-store sqlite:////work/stores/risk1m/risk_bench.db \
        postgresql://postgres@127.0.0.1:5432/safeguard_bench_risk --users 20 --requests 400 \
        --workers 2 --think-ms 1000 --out bench/results/web_1m_risk_store.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, func, insert, select, text

from pgdb import recreate_database
from safeguard.access import service
from safeguard.access.models import User
from safeguard.access.passwords import hash_password
from safeguard.db import make_engine, unit_of_work, upgrade
from safeguard.pole.models import Action, Event, EventPerson, Flag, Person
from safeguard.risk.picture import assess
from safeguard.risk.policy import load_policy

RESULTS = Path(__file__).parent / "results" / "web.json"
PASSWORD = "bench password 1"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CHUNK = 5000
NOW = datetime.now(UTC)
SECRET = "bench-secret-" + "b" * 40
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
    add_bench_users(engine)


def add_bench_users(engine: Engine) -> None:
    """The supervisors the load signs in as; those already there are kept (idempotent)."""
    with unit_of_work(engine) as session:
        hashed = hash_password(PASSWORD)
        have = set(session.scalars(select(User.username).where(User.username.like("sup%"))))
        for n in range(40):
            if f"sup{n}" in have:
                continue
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _serve(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """`safeguard serve` in its own processes, as it runs in production."""
    port = _free_port()
    env = os.environ | {"SAFEGUARD_ENVIRONMENT": "test", "SAFEGUARD_SECRET_KEY": SECRET}
    cmd = [str(Path(sys.executable).parent / "safeguard"), "--db", url, "serve"]
    cmd += ["--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.5)


def _signed_in(base: str, n: int) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    page = client.get("/sign-in").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    resp = client.post(
        "/sign-in", data={"username": f"sup{n}", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 303, resp.text
    return client


def _drive(clients: list[httpx.Client], paths: list[str], think_ms: float) -> list[float]:
    """Each client (a user) asks for its share of the paths in turn; with think_ms, it pauses
    a random time (exponential, that mean) before each, as a person reading pages does."""

    def user(i: int) -> list[float]:
        rng = random.Random(i)
        times = []
        for path in paths[i :: len(clients)]:
            if think_ms:
                time.sleep(rng.expovariate(1000 / think_ms))
            start = time.perf_counter()
            resp = clients[i].get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert resp.status_code == 200, (path, resp.status_code)
        return times

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return [t for times in pool.map(user, range(len(clients))) for t in times]


def _stats(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
        "n": len(ordered),
    }


def _with_ratios(pages: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    base = pages["health (baseline)"]
    for stats in pages.values():
        stats["p50_ratio_to_health"] = round(stats["p50_ms"] / (base["p50_ms"] or 1.0), 1)
        stats["p95_ratio_to_health"] = round(stats["p95_ms"] / (base["p95_ms"] or 1.0), 1)
    return pages


def _one_user(url: str, base: str, people: list[str]) -> dict[str, Any]:
    """One user alone, over HTTP; and assess alone, in this process, for the same people."""
    client = _signed_in(base, 39)
    http = _drive([client], people, 0)
    client.close()
    engine = make_engine(url)
    policy = load_policy(None)
    alone = []
    for path in people:
        with unit_of_work(engine) as session:
            start = time.perf_counter()
            assess(session=session, key=path.rsplit("/", 1)[1], as_of=NOW, policy=policy)
            alone.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    view, engine_only = _stats(http), _stats(alone)
    return {
        "person view, one user": view,
        "assess alone": engine_only,
        "assess share of a view (p50)": round(engine_only["p50_ms"] / view["p50_ms"], 2),
    }


def _store(
    db: str, scale: int, store_dir: Path | None, workdir: Path, pg_name: str
) -> tuple[str, float]:
    """The database URL, and the seconds spent building the store (0 when reused)."""
    marker = store_dir / f"web_{scale}_{db}.built" if store_dir else None
    if db == "sqlite":
        path = (store_dir or workdir) / f"safeguard_bench_web_{scale}.db"
        url = f"sqlite:///{path}"
        if marker and marker.exists() and path.exists():
            return url, 0.0
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        name = f"{pg_name}_{scale}"
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        if marker and marker.exists():
            return url, 0.0
        recreate_database(url)
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    build_store(engine, scale)
    if db == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    built = time.perf_counter() - started
    if marker:
        marker.write_text(f"{built:.0f} s\n", encoding="utf-8")
    return url, built


def prepare_risk_store(url: str) -> dict[str, Any]:
    """Ready a store made by bench/risk.py's generator for this benchmark, idempotently: the
    schema brought up to date (migration 0011 fills in the supervisor's queue clocks), the
    bench users added if missing, and PostgreSQL's statistics and visibility map refreshed.
    Returns what the store holds."""
    engine = make_engine(url)
    started = time.perf_counter()
    upgrade(engine)
    add_bench_users(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE event"))
    with engine.connect() as conn:
        people = conn.scalar(
            select(func.count()).select_from(Person).where(Person.source == "bench")
        )
        counts = {
            "people": people or 0,
            "events": conn.scalar(select(func.count()).select_from(Event)) or 0,
            "actions": conn.scalar(select(func.count()).select_from(Action)) or 0,
            "queue_cases": conn.scalar(
                select(func.count())
                .select_from(Event)
                .where(Event.queue_clock.is_not(None), Event.closed_at.is_(None))
            )
            or 0,
        }
    engine.dispose()
    return counts | {"prepare_s": round(time.perf_counter() - started, 1)}


def run(
    db: str,
    url: str,
    *,
    people_keys: list[str],
    users: int,
    workers: int,
    think_ms: float,
    queue: bool = True,
) -> dict[str, Any]:
    proc, base = _serve(url, workers)
    try:
        clients = [_signed_in(base, n) for n in range(users)]
        people = [f"/people/{key}" for key in people_keys]
        requests = len(people)
        _drive(clients, ["/health"] * users + people[:users] + ["/queues/supervision"] * users, 0)
        modes: dict[str, Any] = {}
        for mode, think in (("saturated", 0.0), ("paced", think_ms)):
            pages = {
                "health (baseline)": _stats(_drive(clients, ["/health"] * requests, think)),
                "person view": _stats(_drive(clients, people, think)),
            }
            if queue:
                paths = ["/queues/supervision"] * max(users, requests // 10)
                pages["supervisor queue"] = _stats(_drive(clients, paths, think))
            modes[mode] = _with_ratios(pages)
        for c in clients:
            c.close()
        alone = _one_user(url, base, people[: max(20, requests // 4)])
    finally:
        proc.terminate()
        proc.wait(120)
    return {"db": db, "modes": modes, "one user": alone}


def _keys(prefix: str, people: int, requests: int) -> list[str]:
    rng = random.Random(11)
    return [f"{prefix}{rng.randrange(1, people + 1)}" for _ in range(requests)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100_000, help="people in the store")
    parser.add_argument("--users", type=int, default=20, help="concurrent signed-in users")
    parser.add_argument("--requests", type=int, default=400, help="person views per mode")
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--risk-store",
        nargs="+",
        metavar="URL",
        help="measure on stores made by bench/risk.py (instead of building thin ones)",
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp"))
    parser.add_argument("--store-dir", type=Path, help="build each store once here, reuse it")
    parser.add_argument(
        "--pg-name", default="safeguard_bench_web", help="PostgreSQL database name (+ _SCALE)"
    )
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--think-ms", type=float, default=2000, help="paced mean think time")
    parser.add_argument("--no-queue", action="store_true", help="person view only")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    stores: list[tuple[str, str, dict[str, Any]]] = []
    if args.risk_store:
        for url in args.risk_store:
            db = "sqlite" if url.startswith("sqlite") else "postgresql"
            stores.append((db, url, {"store": "bench/risk.py"} | prepare_risk_store(url)))
    else:
        for db in args.db:
            url, built = _store(db, args.scale, args.store_dir, args.workdir, args.pg_name)
            store = {"store": "thin", "people": args.scale, "events": args.scale // 2}
            stores.append((db, url, store | {"build_store_s": round(built, 1)}))
    runs = []
    for db, url, store in stores:
        prefix = "bench:P" if store["store"] == "bench/risk.py" else "storm:P"
        outcome = run(
            db,
            url,
            people_keys=_keys(prefix, store["people"], args.requests),
            users=args.users,
            workers=args.workers,
            think_ms=args.think_ms,
            queue=not args.no_queue,
        )
        outcome["store"] = store
        print(json.dumps(outcome, indent=2), flush=True)
        runs.append(outcome)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "concurrent_users": args.users,
        "server_workers": args.workers,
        "paced_think_ms_mean": args.think_ms,
        "goal": "p95 under 150 ms at 1,000,000 people",
        "command": "python " + " ".join(sys.argv),
        "load_average_at_end": [round(x, 1) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": runs,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
