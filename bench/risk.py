"""Alert sweep and `assess` latency on a synthetic store, SQLite and PostgreSQL.

    .venv/bin/python bench/risk.py --scale 0.02 [--people 1000] [--db sqlite,postgresql]
        [--tmp DIR] [--pg-name DATABASE] [--reuse]

``--scale 1`` is one force: 1,000,000 people and about 10,000,000 events and actions (4 events
and 6 actions per person, over six years). Rows go straight into the tables with Core
``executemany`` on SQLite and COPY on PostgreSQL (this measures the rules, not the importer).
Measured:
- a full sweep (`compute_alerts`, every rule over the whole store) as of 18 July 2016;
- `assess` (the risk picture: two-step neighbourhood, rules, timeline) for random people,
  p50 and p95, against a baseline in the same run: raw indexed SQL on the driver's cursor
  reading the same rows the picture needs: the same two-step neighbourhood (event
  co-participants, relations, co-residents, co-users, through clusters, the events naming their
  homes) and every event, event link, action, flag, relation, residence, use and person row of
  everyone in it (`baseline`). The two run person by person, interleaved; the CPU time of the
  sweep and of `assess` (this process only) is reported beside the times.
  One person in 50 is a second key of another person (`ensure_clusters`).
Writes bench/results/risk.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Engine, create_engine, event, insert, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from safeguard.db import make_engine, upgrade  # noqa: E402
from safeguard.pole.models import (  # noqa: E402
    NAMES_PLACE,
    PLACE_KEYS_PG,
    Action,
    Event,
    EventPerson,
    Flag,
    Location,
    Officer,
    Person,
    PersonCluster,
    Relation,
    Residence,
)
from safeguard.risk.engine import compute_alerts  # noqa: E402
from safeguard.risk.picture import assess  # noqa: E402
from safeguard.risk.policy import default_policy  # noqa: E402
from safeguard.risk.reads import Reader  # noqa: E402
from safeguard.timeutil import parse_as_of  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
AS_OF = "2016-07-18T09:00"
START = datetime(2010, 7, 18, tzinfo=UTC)
SPAN = (datetime(2016, 7, 18, tzinfo=UTC) - START).total_seconds()
KINDS = [
    "domestic_abuse",
    "missing_episode",
    "child_concern",
    "cse_concern",
    "sexual_offence",
    "physical_abuse",
    "custody",
    "other",
    "other",
    "domestic_abuse",
]
ACTIONS = [
    "child_views",
    "child_demeanour",
    "outcome",
    "child_informed",
    "referral_to_csc",
    "strategy_discussion",
    "return_interview",
    "safe_and_well_check",
    "arrest",
    "appropriate_adult",
    "supervision_review",
    "protective_plan",
]
ROLES = {
    "domestic_abuse": ["victim", "suspect", "child_present"],
    "missing_episode": ["missing_person"],
    "child_concern": ["subject", "parent_or_carer"],
    "cse_concern": ["victim", "suspect"],
    "sexual_offence": ["victim", "suspect"],
    "physical_abuse": ["victim", "suspect"],
    "custody": ["detained_child"],
    "other": ["witness", "witness"],
}
BATCH = 20_000


def _base(i: int, prefix: str) -> dict[str, Any]:
    return {"source": "bench", "source_id": f"{prefix}{i}", "payload": "{}", "payload_hash": "x"}


def _flush(conn: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        _copy(conn, model, rows)
    else:
        conn.execute(insert(model), rows)
    rows.clear()


def _copy(conn: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    """The rows by COPY, faster than inserts for building a large store on PostgreSQL;
    JSON columns as SQLAlchemy's JSON type would write them."""
    table = model.__table__
    names = list(rows[0])
    as_json = [isinstance(table.c[n].type, JSON) for n in names]
    columns = ", ".join(f'"{n}"' for n in names)
    cursor = conn.connection.driver_connection.cursor()
    with cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(v) if j else v for j, v in zip(as_json, row.values(), strict=True)]
            )


def generate(engine: Engine, people: int, seed: int = 11) -> dict[str, int]:  # noqa: C901
    """People (a quarter children), homes, relations, flags, 4 events and 6 actions each."""
    rng = random.Random(seed)
    counts = dict.fromkeys(
        ["person", "location", "residence", "relation", "flag", "event", "event_person", "action"],
        0,
    )
    with engine.begin() as conn:
        conn.execute(
            insert(Officer),
            [
                _base(1, "O")
                | {
                    "name": "DC One",
                    "team": "PPU",
                    "specialisms": ["scaidp"],
                    "probationary": False,
                }
            ],
        )
        rows: list[dict[str, Any]] = []
        for i in range(1, people + 1):
            child = rng.random() < 0.25
            year = rng.randint(1999, 2015) if child else rng.randint(1940, 1997)
            rows.append(
                _base(i, "P")
                | {
                    "given_name": f"G{i % 977}",
                    "family_name": f"F{i % 4013}",
                    "dob": date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    "sex": rng.choice("FM"),
                    "aliases": [],
                    "identifiers": {},
                }
            )
            if len(rows) >= BATCH:
                _flush(conn, Person, rows)
        _flush(conn, Person, rows)
        counts["person"] = people
        homes = (people + 2) // 3
        for i in range(1, homes + 1):
            kind = "children_home" if i % 200 == 0 else "home"
            rows.append(_base(i, "L") | {"address": f"{i} Bench Street", "kind": kind})
            if len(rows) >= BATCH:
                _flush(conn, Location, rows)
        _flush(conn, Location, rows)
        counts["location"] = homes
        for i in range(1, people + 1):
            rows.append(_base(i, "R") | {"person_id": i, "location_id": (i - 1) // 3 + 1})
            if len(rows) >= BATCH:
                _flush(conn, Residence, rows)
        _flush(conn, Residence, rows)
        counts["residence"] = people
        for i in range(1, people // 2 + 1):
            a = rng.randint(1, people)
            b = min(people, a + 1)
            rows.append(
                _base(i, "REL")
                | {
                    "a_id": a,
                    "b_id": b,
                    "kind": rng.choice(["parent_of", "partner", "sibling", "associate"]),
                }
            )
            if len(rows) >= BATCH:
                _flush(conn, Relation, rows)
        _flush(conn, Relation, rows)
        counts["relation"] = people // 2
        flag_kinds = [
            "registered_sex_offender",
            "cse_risk",
            "self_harm",
            "looked_after_child",
            "substance_misuse",
            "mental_health",
        ]
        for i in range(1, people // 20 + 1):
            rows.append(
                _base(i, "FL")
                | {
                    "person_id": rng.randint(1, people),
                    "kind": rng.choice(flag_kinds),
                    "since": START,
                    "level": rng.choice([None, "low", "medium", "high"]),
                }
            )
            if len(rows) >= BATCH:
                _flush(conn, Flag, rows)
        _flush(conn, Flag, rows)
        counts["flag"] = people // 20
        links: list[dict[str, Any]] = []
        acts: list[dict[str, Any]] = []
        action_id = 0
        for i in range(1, 4 * people + 1):
            kind = rng.choice(KINDS)
            at = START + timedelta(seconds=rng.random() * SPAN)
            details: dict[str, Any] = {}
            if kind == "missing_episode":
                details = {
                    "found_at": (at + timedelta(hours=5)).isoformat(),
                    "missing_from": "home",
                }
                if rng.random() < 0.05:  # found at someone's home
                    details["found_location"] = f"bench:L{rng.randint(1, homes)}"
            if kind == "domestic_abuse":
                details = {"dash_yes": rng.randint(0, 20), "children_present": True}
            rows.append(
                _base(i, "E")
                | {
                    "kind": kind,
                    "occurred_at": at,
                    "details": details,
                    "risk_level": rng.choice(["low", "medium", "standard", "high"]),
                    "closed_at": at + timedelta(days=10) if rng.random() < 0.7 else None,
                    "allocated_to_id": 1 if rng.random() < 0.3 else None,
                }
            )
            household = rng.randint(1, max(1, people - 3))
            chosen: dict[tuple[int, str], None] = {}  # ordered and distinct
            for offset, role in enumerate(ROLES[kind]):
                chosen[(household + offset, role)] = None
            links += [{"event_id": i, "person_id": p, "role": r} for p, r in chosen]
            counts["event_person"] += len(chosen)
            for _ in range(rng.choice([1, 1, 2])):
                action_id += 1
                who = household if rng.random() < 0.8 else None
                acts.append(
                    _base(action_id, "A")
                    | {
                        "kind": rng.choice(ACTIONS),
                        "event_id": i,
                        "at": at + timedelta(hours=rng.randint(1, 400)),
                        "person_id": who,
                        "details": {},
                    }
                )
            if len(rows) >= BATCH:
                _flush(conn, Event, rows)
                _flush(conn, EventPerson, links)
                _flush(conn, Action, acts)
        _flush(conn, Event, rows)
        _flush(conn, EventPerson, links)
        _flush(conn, Action, acts)
        # top up to 6 actions per person in total
        while action_id < 6 * people:
            action_id += 1
            acts.append(
                _base(action_id, "A")
                | {
                    "kind": rng.choice(ACTIONS),
                    "event_id": rng.randint(1, 4 * people),
                    "at": START + timedelta(seconds=rng.random() * SPAN),
                    "person_id": rng.randint(1, people),
                    "details": {},
                }
            )
            if len(acts) >= BATCH:
                _flush(conn, Event, rows)
                _flush(conn, EventPerson, links)
                _flush(conn, Action, acts)
        _flush(conn, Event, rows)
        _flush(conn, EventPerson, links)
        _flush(conn, Action, acts)
        counts["event"] = 4 * people
        counts["action"] = action_id
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return counts


def ensure_clusters(engine: Engine, people: int, seed: int = 12) -> int:
    """One person in 50 is a second key of another (random) person, as linkage would join
    them: `assess` reads everyone through clusters. Idempotent: kept if already there."""
    with engine.begin() as conn:
        have = int(conn.execute(text("select count(*) from person_cluster")).scalar_one())
        if have:
            return have
        rng = random.Random(seed)
        pairs: dict[int, int] = {}
        for a in range(50, people + 1, 50):
            b = rng.randint(1, people)
            if a != b and a not in pairs and b not in pairs:
                pairs[a] = pairs[b] = min(a, b)
        rows = [{"person_id": p, "cluster_id": c} for p, c in pairs.items()]
        for i in range(0, len(rows), BATCH):
            conn.execute(insert(PersonCluster), rows[i : i + BATCH])
    return len(rows)


def _existing(engine: Engine, people: int) -> dict[str, int] | None:
    """The row counts of a store generated earlier for the same scale, else None."""
    tables = [
        "person",
        "location",
        "residence",
        "relation",
        "flag",
        "event",
        "event_person",
        "action",
    ]
    with engine.connect() as conn:
        counts = {
            t: int(conn.execute(text(f"select count(*) from {t}")).scalar_one()) for t in tables
        }
    return counts if counts["person"] == people else None


NEIGHBOURS = (
    "select ep2.person_id from event_person ep1 join event_person ep2"
    " on ep2.event_id = ep1.event_id where ep1.person_id in ({ids})"
    " union select b_id from relation where a_id in ({ids})"
    " union select a_id from relation where b_id in ({ids})"
    " union select r2.person_id from residence r1 join residence r2"
    " on r2.location_id = r1.location_id where r1.person_id in ({ids})"
    " union select u2.person_id from uses u1 join uses u2"
    " on u2.object_id = u1.object_id where u1.person_id in ({ids})"
)
CLUSTERS = (
    "select pc2.person_id from person_cluster pc1 join person_cluster pc2"
    " on pc2.cluster_id = pc1.cluster_id where pc1.person_id in ({ids})"
)
HOMES = (
    "select l.source || ':' || l.source_id from residence r join location l"
    " on l.id = r.location_id where r.person_id in ({ids})"
)
# the look-back's events naming one of some homes: on PostgreSQL by the index of the keys
# events name, on SQLite among the events naming a place (as `assess` reads them)
NAMING = {
    "postgresql": "select id, details, occurred_at from event"
    f" where ({NAMES_PLACE['postgresql']}) and ({PLACE_KEYS_PG}) ?| %s::text[]",
    "sqlite": "select id, details from event where occurred_at > ? and occurred_at <= ?"
    f" and ({NAMES_PLACE['sqlite']}) and ({{keys}})",
}
SCOPE_ROWS = [
    "select * from event where id in (select event_id from event_person"
    " where person_id in ({ids}))",
    "select ep2.* from event_person ep1 join event_person ep2 on ep2.event_id = ep1.event_id"
    " where ep1.person_id in ({ids})",
    "select a.* from event_person ep join action a on a.event_id = ep.event_id"
    " where ep.person_id in ({ids})",
    "select * from flag where person_id in ({ids})",
    "select * from relation where a_id in ({ids}) or b_id in ({ids})",
    "select * from residence where person_id in ({ids})",
    "select * from uses where person_id in ({ids})",
    "select * from person where id in ({ids})",
]


def baseline(cursor: Any, mark: str, key: str) -> int:
    """Raw indexed SQL on the driver's cursor, no ORM and no rules: the same two-step
    neighbourhood as `assess` (event co-participants, relations, co-residents, co-users, each
    read through its cluster, and at each step the look-back's events naming the homes of the
    people reached), then every row of every person in it. Returns rows read."""

    def run(sql: str, ids: set[int]) -> list[Any]:
        marks = ",".join([mark] * len(ids))
        params = sorted(ids) * sql.count("{ids}")
        cursor.execute(sql.format(ids=marks), params)
        return list(cursor.fetchall())

    since, until = (parse_as_of(AS_OF) - timedelta(days=365)), parse_as_of(AS_OF)
    lo: datetime | str = since
    hi: datetime | str = until
    if mark == "?":  # as the SQLite store keeps times
        lo, hi = (t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") for t in (since, until))

    def naming(people: set[int]) -> None:
        keys = [r[0] for r in run(HOMES, people)]
        if not keys:
            return
        if mark == "?":
            holds = " or ".join(["instr(details, ?) > 0"] * len(keys))
            cursor.execute(NAMING["sqlite"].format(keys=holds), [lo, hi, *(f'"{k}"' for k in keys)])
            cursor.fetchall()
        else:  # the window tested here, as a generic plan would not use the index with it
            cursor.execute(NAMING["postgresql"], [keys])
            _ = [r for r in cursor.fetchall() if lo < r[2] <= hi]

    source, ident = key.split(":", 1)
    cursor.execute(
        f"select id from person where source = {mark} and source_id = {mark}", [source, ident]
    )
    (pid,) = cursor.fetchone()
    scope = {pid} | {r[0] for r in run(CLUSTERS, {pid})}
    frontier = set(scope)
    for _ in range(2):
        found = {r[0] for r in run(NEIGHBOURS, frontier)} - scope
        naming(frontier)
        new = (found | {r[0] for r in run(CLUSTERS, found)}) - scope if found else set()
        scope |= new
        frontier = new
        if not frontier:
            break
    return sum(len(run(sql, scope)) for sql in SCOPE_ROWS)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(engine: Engine, people: int, samples: int) -> dict[str, Any]:
    policy = default_policy()
    as_of = parse_as_of(AS_OF)
    with Session(engine) as session:
        t0, c0 = time.perf_counter(), time.process_time()
        alerts = compute_alerts(session=session, as_of=as_of, policy=policy)
        sweep, sweep_cpu = time.perf_counter() - t0, time.process_time() - c0
    by_code: dict[str, int] = {}
    for a in alerts:
        by_code[a.code] = by_code.get(a.code, 0) + 1
    rng = random.Random(5)
    chosen = [rng.randint(1, people) for _ in range(samples)]
    ours, base, rows = [], [], []
    statements = [0]
    trips = [0]

    def count(*_: Any) -> None:
        statements[0] += 1
        trips[0] += 1

    # statements through SQLAlchemy, and those of the neighbourhood on the driver's cursor
    # (several reads sent together in one round trip on PostgreSQL)
    many_of = Reader.many

    def counted(self: Reader, calls: Any) -> list[list[Any]]:
        statements[0] += len(calls)
        trips[0] += 1 if self.dialect == "postgresql" else len(calls)
        return many_of(self, calls)

    raw = engine.raw_connection()
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    cursor = raw.cursor()
    cpu = 0.0
    event.listen(engine, "before_cursor_execute", count)
    Reader.many = counted  # type: ignore[method-assign]
    try:
        with Session(engine) as session:
            # one person at a time, the baseline first for every other one, so that both see
            # the same load on a shared machine and neither always finds the other's pages
            for n, pid in enumerate(chosen):
                for step in ("baseline", "assess") if n % 2 else ("assess", "baseline"):
                    t0, c0 = time.perf_counter(), time.process_time()
                    if step == "assess":
                        assess(session=session, key=f"bench:P{pid}", as_of=as_of, policy=policy)
                        ours.append(time.perf_counter() - t0)
                        cpu += time.process_time() - c0
                    else:
                        rows.append(baseline(cursor, mark, f"bench:P{pid}"))
                        base.append(time.perf_counter() - t0)
    finally:
        Reader.many = many_of  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", count)
        raw.rollback()
        raw.close()
    return {
        "sweep_seconds": round(sweep, 2),
        "sweep_cpu_seconds": round(sweep_cpu, 2),
        "alerts": len(alerts),
        "alerts_by_code": dict(sorted(by_code.items())),
        "assess_ms": {
            "p50": round(_pct(ours, 0.5) * 1000, 2),
            "p95": round(_pct(ours, 0.95) * 1000, 2),
        },
        "baseline_ms": {
            "p50": round(_pct(base, 0.5) * 1000, 2),
            "p95": round(_pct(base, 0.95) * 1000, 2),
        },
        "p95_ratio_to_baseline": round(_pct(ours, 0.95) / max(_pct(base, 0.95), 1e-9), 2),
        "p50_ratio_to_baseline": round(_pct(ours, 0.5) / max(_pct(base, 0.5), 1e-9), 2),
        "assess_statements_mean": round(statements[0] / len(chosen), 1),
        "assess_round_trips_mean": round(trips[0] / len(chosen), 1),
        "assess_cpu_ms_mean": round(cpu / len(chosen) * 1000, 2),
        "baseline_rows_mean": round(sum(rows) / len(rows), 1),
        "samples": samples,
    }


def _engine(kind: str, tmp: Path, reuse: bool, pg_name: str) -> Engine:
    if kind == "sqlite":
        path = tmp / "risk_bench.db"
        if not reuse:
            path.unlink(missing_ok=True)
        return make_engine(f"sqlite:///{path}")
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("select 1 from pg_database where datname = :name"), {"name": pg_name}
        ).first()
        if not reuse or not exists:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{pg_name}"'))
    admin.dispose()
    return make_engine(PG_ADMIN.rsplit("/", 1)[0] + "/" + pg_name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.01, help="1.0 = 1,000,000 people")
    parser.add_argument("--people", type=int, default=1000, help="assess samples")
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--tmp", default="/tmp")
    parser.add_argument(
        "--pg-name",
        default="safeguard_bench_risk",
        help="The PostgreSQL database to build or reuse (dropped and made again without --reuse).",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="Keep a store of the same size from an earlier run."
    )
    args = parser.parse_args()
    people = max(10, int(1_000_000 * args.scale))
    results: dict[str, Any] = {"as_of": AS_OF, "runs": {}, "command": " ".join(sys.argv)}
    for kind in args.db.split(","):
        engine = _engine(kind, Path(args.tmp), args.reuse, args.pg_name)
        upgrade(engine)
        t0 = time.perf_counter()
        counts = _existing(engine, people) if args.reuse else None
        counts = counts or generate(engine, people)
        counts["person_cluster"] = ensure_clusters(engine, people)
        load = time.perf_counter() - t0
        print(f"{kind}: generated {counts} in {load:.1f}s", flush=True)
        run = measure(engine, people, min(args.people, people))
        run |= {
            "scale": args.scale,
            "people": people,
            "cpus": os.cpu_count(),
            "rows": counts,
            "events_and_actions": counts["event"] + counts["action"],
            "generate_seconds": round(load, 1),
        }
        results["runs"][kind] = run
        print(kind, json.dumps({k: v for k, v in run.items() if k != "alerts_by_code"}), flush=True)
        engine.dispose()
    out = ROOT / "bench" / "results" / "risk.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    # runs of other scales or databases from earlier invocations are kept beside this one
    kept = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    runs = kept.get("runs", {}) if isinstance(kept.get("runs"), dict) else {}
    runs = {k: v for k, v in runs.items() if "@" in k}
    runs.update({f"{kind}@{args.scale}": run for kind, run in results["runs"].items()})
    results["runs"] = dict(sorted(runs.items()))
    results["load_average_at_end"] = os.getloadavg()
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
