"""Train the stored model on synthetic keys and write it as package data.

    python -m safeguard.linkage.train [--people 12000] [--out PATH]

The stored model is what links a store too small for EM; it is trained here by EM on
generated keys (never on a benchmark's truth) and shipped in the package.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from safeguard.linkage.comparisons import DIALECTS
from safeguard.linkage.features import feature_table
from safeguard.linkage.model import STORED_MODEL, make_linker, trained_model
from safeguard.linkage.synthetic import generate


def train(n_people: int, out: Path) -> None:
    from splink import DuckDBAPI

    table = feature_table(generate(n_people, seed=2016).people)
    con = duckdb.connect()
    con.register("features_arrow", table)
    con.execute("create table features as select * from features_arrow")
    trained = make_linker(
        "features",
        dialect=DIALECTS["duckdb"],
        db_api=DuckDBAPI(connection=con),
        n_keys=table.num_rows,
        stored=None,
    )
    trained_model(trained, table.num_rows).save(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=12000)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(STORED_MODEL))
    args = parser.parse_args()
    train(args.people, args.out)


if __name__ == "__main__":
    main()
