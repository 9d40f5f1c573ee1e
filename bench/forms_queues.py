"""Benchmark: the custody queue and the offender manager's queue on a synthetic store.

    python bench/forms_queues.py --scale 100000 --repeat 5 --db sqlite postgresql

Builds a store of SCALE people (bulk rows, not the importer): events of several kinds, a few
dozen children in custody now among thousands of closed custody records, and registered sex
offenders (one in a thousand people, as in England and Wales) with management records, visits
and ARMS assessments. Times each queue's function (the page's work without HTTP) against the
existing repeat-missing queue measured in the same run. Results:
bench/results/forms_queues.json.
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

from sqlalchemy import Engine, insert

from pgdb import recreate_database
from safeguard.db import make_engine, unit_of_work, upgrade
from safeguard.pole.models import Action, Event, EventPerson, Flag, Person
from safeguard.risk.policy import default_policy
from safeguard.web.custody_queue import children_in_custody
from safeguard.web.offender_queue import offenders_due
from safeguard.web.queues import repeat_missing

RESULTS = Path(__file__).parent / "results" / "forms_queues.json"
PG_DB = "bench_forms_queues"
CHUNK = 5000
NOW = datetime.now(UTC)
KINDS = ["child_concern", "missing_episode", "domestic_abuse", "cse_concern", "custody"]


def _row(source_id: str) -> dict[str, Any]:
    return {"source": "bench", "source_id": source_id, "payload": "{}", "payload_hash": ""}


def _rows(scale: int, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    people = [
        _row(f"P{i}")
        | {
            "id": i,
            "given_name": "Amy",
            "family_name": f"Name{i}",
            "dob": date(1970, 1, 1) + timedelta(days=rng.randrange(18000)),
            "aliases": [],
            "identifiers": {},
        }
        for i in range(1, scale + 1)
    ]
    events: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    flags: list[dict[str, Any]] = []

    def event(kind: str, occurred: datetime, pid: int, role: str, closed: bool) -> int:
        e = len(events) + 1
        events.append(
            _row(f"E{e}")
            | {
                "id": e,
                "kind": kind,
                "occurred_at": occurred,
                "reported_at": occurred,
                "details": {"charged": True, "intoxicated": rng.random() < 0.3},
                "closed_at": occurred + timedelta(hours=20) if closed else None,
            }
        )
        links.append({"event_id": e, "person_id": pid, "role": role})
        return e

    def act(kind: str, at: datetime, e: int, pid: int, details: dict[str, Any]) -> None:
        a = len(actions) + 1
        actions.append(
            _row(f"A{a}")
            | {"id": a, "kind": kind, "at": at, "event_id": e, "person_id": pid, "details": details}
        )

    for _ in range(scale // 2):
        kind = rng.choice(KINDS)
        role = {"custody": "detained_child", "missing_episode": "missing_person"}.get(
            kind, "victim"
        )
        occurred = NOW - timedelta(days=rng.randrange(2, 2000))
        event(kind, occurred, rng.randrange(1, scale + 1), role, closed=True)
    for _ in range(40):  # held now
        held = NOW - timedelta(hours=rng.randrange(1, 40))
        e = event("custody", held, rng.randrange(1, scale + 1), "detained_child", closed=False)
        if rng.random() < 0.5:
            act("appropriate_adult", held + timedelta(hours=1), e, links[-1]["person_id"], {})
        if rng.random() < 0.3:
            act(
                "bail_decision",
                held + timedelta(hours=2),
                e,
                links[-1]["person_id"],
                {"denied": True},
            )
    for n in range(scale // 1000):
        pid = rng.randrange(1, scale + 1)
        since = NOW - timedelta(days=rng.randrange(30, 3000))
        flags.append(
            _row(f"F{n}")
            | {
                "id": n + 1,
                "person_id": pid,
                "kind": "registered_sex_offender",
                "since": since,
                "until": None,
                "level": rng.choice(["high", "medium", "low", None]),
            }
        )
        e = event("rso_management", since, pid, "subject", closed=False)
        for _ in range(rng.randrange(0, 6)):
            at = NOW - timedelta(days=rng.randrange(1, 500))
            act(rng.choice(["rso_visit", "arms_assessment"]), at, e, pid, {})
    return {"people": people, "events": events, "links": links, "actions": actions, "flags": flags}


def build_store(engine: Engine, scale: int) -> None:
    rows = _rows(scale, random.Random(7))
    tables = [(Person, "people"), (Event, "events"), (EventPerson, "links")]
    tables += [(Action, "actions"), (Flag, "flags")]
    with engine.begin() as conn:
        for model, name in tables:
            data = rows[name]
            for i in range(0, len(data), CHUNK):
                conn.execute(insert(model), data[i : i + CHUNK])


def _time(engine: Engine, work: Callable[..., Any], repeat: int) -> tuple[dict[str, float], int]:
    times, size = [], 0
    for _ in range(repeat):
        with unit_of_work(engine) as session:
            start = time.perf_counter()
            found = work(session=session, as_of=datetime.now(UTC))
            times.append((time.perf_counter() - start) * 1000)
        size = len(found[0] if isinstance(found, tuple) else found)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1)}, size


def run(db: str, url: str, scale: int, repeat: int) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    build_store(engine, scale)
    build_s = round(time.perf_counter() - started, 1)
    policy = default_policy()
    baseline, _ = _time(engine, repeat_missing, repeat)
    result: dict[str, Any] = {"db": db, "build_store_s": build_s, "baseline": baseline}
    queues = {
        "custody queue": lambda **kw: children_in_custody(policy=policy, **kw),
        "offender queue": lambda **kw: offenders_due(policy=policy, **kw),
    }
    for name, work in queues.items():
        stats, size = _time(engine, work, repeat)
        stats["ratio_to_baseline"] = round(stats["median_ms"] / baseline["median_ms"], 2)
        result[name] = stats | {"rows": size}
    engine.dispose()
    return result


def _url(db: str, scale: int) -> str:
    if db == "sqlite":
        path = Path("/tmp") / f"bench_forms_queues_{scale}.db"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"
    recreate_database(url)
    return url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", nargs="+", default=["sqlite"])
    args = parser.parse_args()
    runs = [run(db, _url(db, args.scale), args.scale, args.repeat) for db in args.db]
    report = {
        "scale_people": args.scale,
        "baseline": "repeat-missing queue (web/queues.py), same store, same run",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": runs,
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
