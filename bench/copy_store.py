"""Copy a benchmark store built on SQLite into a PostgreSQL database with COPY.

    .venv/bin/python bench/copy_store.py --source sqlite:////work/stores/risk1m/risk_bench.db \
        --target postgresql+psycopg://postgres@127.0.0.1:5432/safeguard_bench_risk

Building a 1,000,000-person store row by row takes far longer on PostgreSQL than on SQLite; the
benchmarks measure reads, not loading, so the PostgreSQL store is made from the SQLite one. The
target database is created afresh, its schema made by the migrations (rows they seed are
replaced by the source's), every table copied in
dependency order (values read through the models' types, so times stay time-zone aware and JSON
stays JSON), identity sequences moved past the copied ids, then VACUUM ANALYZE.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from psycopg.types.json import Jsonb
from sqlalchemy import Engine, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import safeguard.models  # noqa: E402, F401  (every table on the metadata)
from pgdb import recreate_database  # noqa: E402
from safeguard.db import Base, make_engine, upgrade  # noqa: E402

BATCH = 50_000


def _fresh(target: str) -> Engine:
    recreate_database(target)
    engine = make_engine(target)
    upgrade(engine)
    return engine


def _value(value: Any) -> Any:
    return Jsonb(value) if isinstance(value, dict | list) else value


def copy_store(source: Engine, target: Engine) -> dict[str, int]:
    counts: dict[str, int] = {}
    raw = target.raw_connection()
    try:
        cursor = raw.cursor()
        for table in reversed(Base.metadata.sorted_tables):  # rows the migrations seeded
            cursor.execute(f"DELETE FROM {table.name}")
        for table in Base.metadata.sorted_tables:
            names = [f'"{c.name}"' for c in table.columns]
            statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
            copied = 0
            with source.connect() as src, cursor.copy(statement) as copy:
                result = src.execution_options(yield_per=BATCH).execute(select(table))
                for row in result:
                    copy.write_row([_value(v) for v in row])
                    copied += 1
            counts[table.name] = copied
            print(f"{table.name}: {copied:,}", flush=True)
            for column in table.primary_key.columns:
                cursor.execute("select pg_get_serial_sequence(%s, %s)", (table.name, column.name))
                sequence = cursor.fetchone()
                if sequence and sequence[0]:
                    cursor.execute(
                        f'select setval(%s, greatest(coalesce(max("{column.name}"), 0), 1))'
                        f" from {table.name}",
                        (sequence[0],),
                    )
        raw.commit()
    finally:
        raw.close()
    with target.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", required=True, help="sqlite:///path of the built store")
    parser.add_argument("--target", required=True, help="PostgreSQL URL; the database is replaced")
    args = parser.parse_args()
    started = time.perf_counter()
    counts = copy_store(make_engine(args.source), _fresh(args.target))
    print(f"copied {sum(counts.values()):,} rows in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
