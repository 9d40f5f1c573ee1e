"""Benchmark: the reads behind the allocation page and the allocation queue, against the
supervision queue's read (`queues.open_cases`) measured on the same store in the same run.

    .venv/bin/python bench/casework.py --events 100000 --officers 60 --db sqlite postgresql

Builds a store of EVENTS events (bulk rows; 5% open; each with a victim, an allocation action
to one of OFFICERS officers, some allocated through `allocated_to` only), then times, in
process, each read REPEAT times: median and ratio to the baseline. Writes
bench/results/casework.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, text

from pgdb import recreate_database
from safeguard.db import make_engine, unit_of_work, upgrade
from safeguard.pole.models import Action, Event, EventPerson, Officer, Person
from safeguard.risk.policy import default_policy
from safeguard.web import allocation, allocation_queue, queues

RESULTS = Path(__file__).parent / "results" / "casework.json"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
NOW = datetime.now(UTC)
KINDS = ["child_concern", "cse_concern", "sexual_offence", "physical_abuse", "domestic_abuse"]
CHUNK = 5000


def _blank(i: int, prefix: str) -> dict[str, Any]:
    return {
        "id": i,
        "source": "bench",
        "source_id": f"{prefix}{i}",
        "payload": "{}",
        "payload_hash": "",
    }


def build(engine: Engine, events: int, officers: int, rng: random.Random) -> None:
    staff = [
        _blank(o, "O")
        | {
            "name": f"Officer {o}",
            "team": "PPU",
            "role": "ppu_investigator",
            "specialisms": ["scaidp"] if o % 3 else [],
            "probationary": o % 7 == 0,
        }
        for o in range(1, officers + 1)
    ]
    people = [
        _blank(p, "P")
        | {
            "given_name": "Amy",
            "family_name": f"Name{p}",
            "aliases": [],
            "identifiers": {},
            "dob": date(2010, 1, 1) + timedelta(days=rng.randrange(2000)),
        }
        for p in range(1, events + 1)
    ]
    rows, links, actions = [], [], []
    for e in range(1, events + 1):
        occurred = NOW - timedelta(days=rng.randrange(1, 1500))
        officer = rng.randrange(1, officers + 1)
        via_column = rng.random() < 0.2
        rows.append(
            _blank(e, "E")
            | {
                "kind": rng.choice(KINDS),
                "occurred_at": occurred,
                "reported_at": occurred,
                "details": {},
                "allocated_to_id": officer if via_column else None,
                "closed_at": None if rng.random() < 0.05 else occurred + timedelta(days=30),
            }
        )
        links.append({"event_id": e, "person_id": e, "role": "victim"})
        if not via_column and rng.random() < 0.9:  # a tenth stay unallocated
            actions.append(
                _blank(e, "A")
                | {
                    "kind": "allocation",
                    "at": occurred + timedelta(hours=2),
                    "event_id": e,
                    "details": {"officer": f"bench:O{officer}"},
                }
            )
    with engine.begin() as conn:
        for model, data in (
            (Officer, staff),
            (Person, people),
            (Event, rows),
            (EventPerson, links),
            (Action, actions),
        ):
            for i in range(0, len(data), CHUNK):
                conn.execute(insert(model), data[i : i + CHUNK])
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}


def run(engine: Engine, events: int, officers: int, repeat: int) -> dict[str, Any]:
    start = time.perf_counter()
    build(engine, events, officers, random.Random(7))
    built = round(time.perf_counter() - start, 1)
    policy = default_policy()
    with unit_of_work(engine) as session:
        serious = session.scalar(
            select(Event).where(Event.kind == "sexual_offence", Event.closed_at.is_(None)).limit(1)
        )
        assert serious is not None
        reads: dict[str, Callable[[], object]] = {
            "supervision queue read (baseline)": lambda: queues.open_cases(
                session=session, as_of=NOW, limit=50
            ),
            "allocation page: candidates with caseload and the rule": lambda: allocation.candidates(
                session=session, event=serious, as_of=NOW, policy=policy
            ),
            "allocation queue read": lambda: allocation_queue.waiting(
                session=session, as_of=NOW, username="bench", limit=50
            ),
        }
        pages = {name: timed(fn, repeat) for name, fn in reads.items()}
    base = pages["supervision queue read (baseline)"]["median_ms"]
    for page in pages.values():
        page["ratio_to_baseline"] = round(page["median_ms"] / base, 2)
    return {"db": engine.dialect.name, "build_store_s": built, "reads": pages}


def _engine(db: str, tmp: Path) -> Engine:
    if db == "sqlite":
        path = tmp / "casework-bench.db"
        path.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{path}")
    else:
        url = PG_ADMIN.rsplit("/", 1)[0] + "/safeguard_bench_casework"
        recreate_database(url)
        engine = make_engine(url)
    upgrade(engine)
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--officers", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgresql"])
    args = parser.parse_args()
    tmp = Path("/tmp")
    runs = []
    for db in args.db:
        engine = _engine(db, tmp)
        runs.append(run(engine, args.events, args.officers, args.repeat))
        engine.dispose()
        print(json.dumps(runs[-1], indent=1))
    RESULTS.write_text(
        json.dumps(
            {
                "events": args.events,
                "officers": args.officers,
                "repeat": args.repeat,
                "when": NOW.isoformat(timespec="seconds"),
                "runs": runs,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
