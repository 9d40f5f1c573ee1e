"""Candidate pairs per blocking rule: which rules make the comparisons.

    python bench/blocking.py [--keys 100000 1000000] [--febrl]

For generated synthetic keys (safeguard.linkage.synthetic, as bench/linkage.py makes them)
and, with --febrl, FEBRL4's records, counts the pairs each rule of
``comparisons.BLOCKING_RULES`` puts together on its own, and the pairs it adds to the rules
before it (Splink scores each pair once, for the first rule that holds). A rule whose pairs
grow with the square of the keys rather than with the keys is a force-wide block.
Writes bench/results/blocking.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from safeguard.db import make_engine, unit_of_work, upgrade
from safeguard.ingest.importer import import_files
from safeguard.linkage.comparisons import BLOCKING_RULES
from safeguard.linkage.features import extract_people, feature_table
from safeguard.linkage.synthetic import generate

ROOT = Path(__file__).resolve().parents[1]
SHARED = next(p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.exists())
RESULTS = ROOT / "bench" / "results" / "blocking.json"


def febrl_table() -> pa.Table:
    """FEBRL4 through the normal importer and extract, as `link` sees it."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/febrl.db")
        upgrade(engine)
        with unit_of_work(engine) as session:
            import_files(session=session, paths=[SHARED / "data/febrl4.jsonl"])
            table = feature_table(extract_people(session=session))
        engine.dispose()
    return table


def count(table: pa.Table) -> list[dict[str, Any]]:
    con = duckdb.connect()
    con.register("features", table)
    rows = []
    before: list[str] = []
    for rule in BLOCKING_RULES:
        start = time.perf_counter()
        own = con.execute(
            f"select count(*) from features l join features r on ({rule})"
            " and l.unique_id < r.unique_id"
        ).fetchone()
        earlier = " or ".join(f"coalesce(({b}), false)" for b in before) or "false"
        added = con.execute(
            f"select count(*) from features l join features r on ({rule})"
            f" and l.unique_id < r.unique_id where not ({earlier})"
        ).fetchone()
        before.append(rule)
        rows.append(
            {
                "rule": rule,
                "pairs": own[0] if own else 0,
                "added": added[0] if added else 0,
                "seconds": round(time.perf_counter() - start, 2),
            }
        )
        print(f"{rows[-1]['pairs']:>12,} {rows[-1]['added']:>12,}  {rule}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, nargs="*", default=[100_000])
    parser.add_argument("--febrl", action="store_true")
    args = parser.parse_args()
    result: dict[str, Any] = {}
    if args.febrl:
        print("FEBRL4")
        result["febrl4"] = count(febrl_table())
    for n in args.keys:
        print(f"{n:,} synthetic keys")
        result[f"synthetic_{n}"] = count(feature_table(generate(int(n / 1.75), seed=11).people))
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
