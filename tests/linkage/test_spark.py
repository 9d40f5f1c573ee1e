"""Spark gives the same clusters as DuckDB (skipped where pyspark is not installed)."""

from __future__ import annotations

import shutil

import pytest

from safeguard.linkage.features import feature_table
from safeguard.linkage.pipeline import link_table
from safeguard.linkage.synthetic import generate

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("no Java runtime for Spark", allow_module_level=True)


@pytest.mark.slow
def test_spark_and_duckdb_agree() -> None:
    table = feature_table(generate(60, seed=3).people)
    duck = link_table(table)
    spark = link_table(table, engine="spark")
    assert len(set(duck.clusters.values())) > 10  # people with several keys were found
    assert spark.clusters == duck.clusters
    weights = {(e.a, e.b): e.weight for e in duck.edges}
    assert {(e.a, e.b): e.weight for e in spark.edges}.keys() == weights.keys()
    for e in spark.edges:
        assert abs(e.weight - weights[(e.a, e.b)]) < 0.01
