"""Train the stored model on the synthetic force and write it as package data.

    python -m safeguard.linkage.train [--people 20000] [--out PATH]

The stored model is what links a store too small for EM. It is trained here by EM on the
synthetic force (``safeguard synth``: households, twins, moves, name changes, the force's
sources), imported through the normal importer into a scratch database, never on a
benchmark's truth; and shipped in the package.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

from safeguard.db import make_engine, unit_of_work, upgrade
from safeguard.ingest.importer import import_files
from safeguard.linkage.comparisons import DIALECTS
from safeguard.linkage.features import extract_people, feature_table
from safeguard.linkage.model import STORED_MODEL, StoredModel, make_linker, trained_model
from safeguard.synth.generate import generate_force

SEED = 2016


def force_features(people: int, *, seed: int = SEED) -> pa.Table:
    """The synthetic force's person keys as linkage sees them after an import."""
    with tempfile.TemporaryDirectory() as tmp:
        summary = generate_force(people=people, seed=seed, out=Path(tmp) / "force")
        engine = make_engine(f"sqlite:///{tmp}/force.db")
        upgrade(engine)
        with unit_of_work(engine) as session:
            import_files(session=session, paths=summary.files)
        with unit_of_work(engine) as session:
            table = feature_table(extract_people(session=session))
        engine.dispose()
    return table


def train(table: pa.Table, *, fallback: StoredModel | None) -> StoredModel:
    """EM on the table; a comparison EM cannot train plausibly (the force's blocks are full
    of relatives: households, twins) keeps the fallback's m values."""
    from splink import DuckDBAPI

    con = duckdb.connect()
    con.register("features_arrow", table)
    con.execute("create table features as select * from features_arrow")
    trained = make_linker(
        "features",
        dialect=DIALECTS["duckdb"],
        db_api=DuckDBAPI(connection=con),
        n_keys=table.num_rows,
        stored=fallback,
    )
    model = trained_model(trained, table.num_rows)
    con.close()
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name(STORED_MODEL))
    args = parser.parse_args()
    train(force_features(args.people), fallback=StoredModel.load()).save(args.out)


if __name__ == "__main__":
    main()
