"""The same model on Splink's Spark backend (``safeguard link --engine spark``).

Optional: needs the ``spark`` extra (pyspark) and a Java runtime. The feature table and the
deterministic pass stay in DuckDB; Spark scores the pairs. Set SPARK_LOCAL_IP=127.0.0.1 on a
machine without a resolvable host name.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import duckdb
import pyarrow as pa

from safeguard.errors import InvalidInputError
from safeguard.linkage.comparisons import DIALECTS
from safeguard.linkage.features import SCHEMA
from safeguard.linkage.model import StoredModel, TrainedLinker, make_linker


def _session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise InvalidInputError(
            "the spark engine needs pyspark: pip install 'safeguard[spark]'"
        ) from err
    from splink.backends.spark import similarity_jar_location

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = (
        SparkSession.builder.master("local[*]")
        .appName("safeguard-link")
        # Splink's jar: jaro_winkler and damerau_levenshtein as Spark SQL functions
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    # Splink checkpoints intermediate tables to cut Spark's query plans short.
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="safeguard-spark-"))
    return spark


def spark_linker(
    con: duckdb.DuckDBPyConnection, *, n_keys: int, stored: StoredModel
) -> TrainedLinker:
    from splink import SparkAPI

    spark = _session()
    relation = con.sql("select * from features")
    rows = [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    frame = spark.createDataFrame(rows, schema=_spark_schema())
    return make_linker(
        frame,
        dialect=DIALECTS["spark"],
        db_api=SparkAPI(spark_session=spark),  # type: ignore[no-untyped-call]
        n_keys=n_keys,
        stored=stored,
    )


def _spark_schema() -> Any:
    """The feature table's schema (``features.SCHEMA``) in Spark's types."""
    from pyspark.sql import types as t

    def spark_type(arrow: pa.DataType) -> Any:
        if pa.types.is_int64(arrow):
            return t.LongType()
        if pa.types.is_string(arrow):
            return t.StringType()
        if pa.types.is_list(arrow):
            return t.ArrayType(spark_type(arrow.value_type))
        raise TypeError(f"no Spark type for the feature column type {arrow}")

    return t.StructType([t.StructField(f.name, spark_type(f.type)) for f in SCHEMA])
