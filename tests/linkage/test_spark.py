"""Spark gives the same clusters as DuckDB.

Skipped where pyspark or Java is missing, except in CI (``CI`` set), where scripts/test.sh
installs the extra and a skip would hide a broken Spark path."""

from __future__ import annotations

import os
import shutil

import pytest

from safeguard.linkage.features import feature_table
from safeguard.linkage.pipeline import link_table
from safeguard.linkage.synthetic import generate

if os.environ.get("CI"):
    import pyspark  # noqa: F401  (in CI a missing extra is a failure, not a skip)

    assert shutil.which("java"), "CI needs a Java runtime for the Spark test"
else:
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
