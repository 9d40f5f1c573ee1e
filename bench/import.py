"""Import throughput against raw executemany of the same rows, on SQLite and PostgreSQL.

    .venv/bin/python bench/import.py [--lines 1000000] [--label after]

``--label`` names the run in the results file, which keeps every label's latest run per size:
the importer of an earlier commit is measured beside the current one by running the bench
with that commit's ``src`` first on PYTHONPATH (``safeguard import`` runs in a subprocess that
inherits it), e.g. ``git worktree add /tmp/before <commit>`` then
``PYTHONPATH=/tmp/before/src .venv/bin/python bench/import.py --label before``.

Generates an exchange-format file (people, locations, residences, events and actions in
realistic proportions), imports it with `safeguard import` in a subprocess (lines/s and peak
memory), then inserts the same rows into the same tables of a fresh database with the driver's
raw `executemany` (the baseline). Writes bench/results/import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pgdb import recreate_database  # noqa: E402
from safeguard.db import Base, make_engine, upgrade  # noqa: E402

TABLES = [
    "officer",
    "person",
    "location",
    "pole_object",
    "relation",
    "residence",
    "uses",
    "flag",
    "event",
    "event_person",
    "action",
    "record_history",
]


def generate(path: Path, lines: int, seed: int = 7) -> dict[str, int]:
    """People 30%, locations 10%, residences 10%, events 20%, actions 30%."""
    rng = random.Random(seed)
    unit = lines // 10
    counts = {"person": 3 * unit, "location": unit, "residence": unit, "event": 2 * unit}
    counts["action"] = lines - sum(counts.values())
    given = ["Amy", "Ben", "Chloe", "Dan", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack"]
    family = ["Armstrong", "Bell", "Graham", "Irving", "Nixon", "Robson", "Dixon", "Carr"]
    with path.open("w") as fh:
        for i in range(counts["person"]):
            dob = f"{rng.randint(1950, 2015)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            fh.write(
                json.dumps(
                    {
                        "record": "person",
                        "source": "storm",
                        "id": f"P{i}",
                        "given_name": rng.choice(given),
                        "family_name": rng.choice(family),
                        "dob": dob,
                        "sex": rng.choice("FM"),
                    }
                )
                + "\n"
            )
        for i in range(counts["location"]):
            fh.write(
                json.dumps(
                    {
                        "record": "location",
                        "source": "storm",
                        "id": f"L{i}",
                        "address": f"{i} Bench Street, Carlisle",
                        "postcode": "CA1 1AA",
                        "kind": "home",
                    }
                )
                + "\n"
            )
        for i in range(counts["residence"]):
            fh.write(
                json.dumps(
                    {
                        "record": "residence",
                        "source": "storm",
                        "id": f"R{i}",
                        "person": f"storm:P{rng.randrange(counts['person'])}",
                        "location": f"storm:L{rng.randrange(counts['location'])}",
                        "since": "2014-01-01",
                    }
                )
                + "\n"
            )
        for i in range(counts["event"]):
            a, b = rng.randrange(counts["person"]), rng.randrange(counts["person"])
            people = [{"person": f"storm:P{a}", "role": "victim"}]
            if b != a:
                people.append({"person": f"storm:P{b}", "role": "suspect"})
            fh.write(
                json.dumps(
                    {
                        "record": "event",
                        "source": "storm",
                        "id": f"E{i}",
                        "kind": rng.choice(["domestic_abuse", "missing_episode", "other"]),
                        "occurred_at": f"2016-{rng.randint(1, 12):02d}-"
                        f"{rng.randint(1, 28):02d}T21:00",
                        "location": f"storm:L{rng.randrange(counts['location'])}",
                        "people": people,
                        "details": {"dash_yes": rng.randint(0, 20)},
                    }
                )
                + "\n"
            )
        for i in range(counts["action"]):
            fh.write(
                json.dumps(
                    {
                        "record": "action",
                        "source": "ppu",
                        "id": f"A{i}",
                        "kind": rng.choice(["outcome", "child_views", "arrest"]),
                        "at": "2016-12-01T10:00",
                        "event": f"storm:E{rng.randrange(counts['event'])}",
                    }
                )
                + "\n"
            )
    return counts


def fresh_url(kind: str, name: str, tmp: Path) -> str:
    # named after the checkout, as the test suite's are, so that checkouts do not collide
    name = f"{name}_{re.sub(r'[^a-z0-9]+', '_', ROOT.name.lower())}"
    if kind == "sqlite":
        return f"sqlite:///{tmp / (name + '.db')}"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    recreate_database(url)
    return url


def run_import(url: str, path: Path) -> tuple[float, float, float]:
    """Seconds, peak RSS (MiB) and CPU seconds of `safeguard import` in its own process."""
    engine = make_engine(url)
    upgrade(engine)  # schema creation is not part of the import being measured
    engine.dispose()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/safeguard"), "--db", url, "import", str(path)],
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"import failed with status {status}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def fetch_rows(url: str) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    engine = make_engine(url)
    out = {}
    with engine.connect() as conn:
        for table in TABLES:
            result = conn.exec_driver_sql(f'SELECT * FROM "{table}"')
            out[table] = (list(result.keys()), [tuple(r) for r in result])
    engine.dispose()
    return out


def run_baseline(
    url: str, rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]]
) -> tuple[float, float]:
    """Seconds and CPU seconds (of this process) of the driver's raw executemany of the same
    rows into the same (migrated) tables."""
    engine = make_engine(url)
    upgrade(engine)
    raw = engine.raw_connection()
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    start, cpu = time.perf_counter(), time.process_time()
    cur = raw.cursor()
    for table in TABLES:
        cols, data = rows[table]
        if not data:
            continue
        if engine.dialect.name == "postgresql":
            data = [
                tuple(json.dumps(v) if isinstance(v, dict | list) else v for v in r) for r in data
            ]
        sql = f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join([mark] * len(cols))})'
        cur.executemany(sql, data)
    raw.commit()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    raw.close()
    engine.dispose()
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--label", default="current")
    args = parser.parse_args()
    assert Base.metadata.tables
    results: dict[str, Any] = {
        "lines": args.lines,
        "importer_src": os.environ.get("PYTHONPATH") or "src",
        "cpus": os.cpu_count(),
        "databases": {},
    }
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        path = tmp / "bench.jsonl"
        results["mix"] = generate(path, args.lines)
        small = tmp / "small.jsonl"
        generate(small, max(args.lines // 10, 1000))
        for kind in args.databases.split(","):
            url = fresh_url(kind, "bench_import", tmp)
            # both imports before this process holds the fetched rows: a child's peak RSS
            # counts what it shares with this process when it starts
            _, small_peak, _ = run_import(fresh_url(kind, "bench_import_small", tmp), small)
            seconds, peak, cpu = run_import(url, path)
            rows = fetch_rows(url)
            base, base_cpu = run_baseline(fresh_url(kind, "bench_import_raw", tmp), rows)
            del rows
            entry = {
                "load_average_1min": round(os.getloadavg()[0], 1),
                "import_seconds": round(seconds, 2),
                "import_lines_per_s": round(args.lines / seconds),
                "baseline_seconds": round(base, 2),
                "baseline_lines_per_s": round(args.lines / base),
                "ratio_import_to_baseline": round(seconds / base, 2),
                # the machine is shared: CPU seconds of the client process (on SQLite, all
                # the work) are steadier than elapsed time when it is loaded
                "import_cpu_seconds": round(cpu, 2),
                "baseline_cpu_seconds": round(base_cpu, 2),
                "peak_rss_mib": round(peak),
                "peak_rss_mib_at_one_tenth": round(small_peak),
            }
            results["databases"][kind] = entry
            print(kind, json.dumps(entry))
    out = ROOT / "bench/results/import.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    stored = json.loads(out.read_text()) if out.exists() else {}
    runs = stored.get("runs", {})
    runs[f"{args.label}@{args.lines}"] = results
    out.write_text(json.dumps({"runs": runs}, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
