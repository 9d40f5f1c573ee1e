"""One linkage run over a feature table: deterministic pass, Splink, clusters.

Works on a pyarrow table so that the store's extract and a benchmark's generated keys take
the same path.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from safeguard.linkage.clusters import PRIORITY, Edge, Known, build_clusters, slips_marked
from safeguard.linkage.model import score
from safeguard.linkage.rules import floor_edges, identifier_edges

# Match weights (log2 Bayes factor with the prior): at or above UPPER a pair is linked;
# between LOWER and UPPER it waits for a person to decide.
UPPER_WEIGHT = 6.0
LOWER_WEIGHT = -2.0
# Bounded memory at national scale: DuckDB spills to disk beyond this rather than grow,
# into the system's temporary directory (by default it would be ".tmp" wherever we run).
DUCKDB_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "memory_limit": "3GB",
    "temp_directory": str(Path(tempfile.gettempdir()) / "safeguard-duckdb"),
    "preserve_insertion_order": False,
}


@dataclass
class Outcome:
    edges: list[Edge]
    clusters: dict[int, int]
    refused: list[tuple[Edge, str]]
    timings: dict[str, float] = field(default_factory=dict)


def merge_edges(edges: Iterable[Edge]) -> list[Edge]:
    """One edge per pair: the strongest method, the model's weight, all the evidence."""
    by_pair: dict[tuple[int, int], Edge] = {}
    for edge in edges:
        seen = by_pair.get((edge.a, edge.b))
        if seen is None:
            by_pair[(edge.a, edge.b)] = edge
            continue
        best = edge if PRIORITY[edge.method] < PRIORITY[seen.method] else seen
        weight = seen.weight if seen.method == "model" else edge.weight
        evidence = {**seen.evidence, **edge.evidence, **best.evidence}
        by_pair[(edge.a, edge.b)] = Edge(edge.a, edge.b, weight, best.method, evidence)
    return list(by_pair.values())


def linking(edge: Edge, upper: float) -> bool:
    return edge.method != "model" or edge.weight >= upper


def known_facts(table: pa.Table) -> dict[int, Known]:
    ids = table.column("unique_id").to_pylist()
    sexes = table.column("sex").to_pylist()
    dobs = table.column("dob").to_pylist()
    return {
        i: Known(s, date.fromisoformat(d) if d else None)
        for i, s, d in zip(ids, sexes, dobs, strict=True)
    }


def given_names(table: pa.Table) -> tuple[dict[int, str | None], Counter[str]]:
    """Each key's normalised given name, and how many keys carry each name."""
    ids = table.column("unique_id").to_pylist()
    names: list[str | None] = table.column("given").to_pylist()
    return dict(zip(ids, names, strict=True)), Counter(n for n in names if n)


def link_table(
    table: pa.Table,
    *,
    engine: str = "duckdb",
    upper: float = UPPER_WEIGHT,
    lower: float = LOWER_WEIGHT,
    confirmed: Iterable[tuple[int, int]] = (),
    rejected: Iterable[tuple[int, int]] = (),
    hard_rules: bool = True,
) -> Outcome:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    con = duckdb.connect(config=DUCKDB_CONFIG)
    con.register("features_arrow", table)
    con.execute("create table features as select * from features_arrow")
    con.unregister("features_arrow")
    deterministic = identifier_edges(con) + floor_edges(con)
    timings["deterministic_s"] = time.perf_counter() - start
    start = time.perf_counter()
    model = (
        score(con, n_keys=table.num_rows, min_weight=lower, engine=engine)
        if (table.num_rows > 1)
        else []
    )
    timings["model_s"] = time.perf_counter() - start
    con.close()
    start = time.perf_counter()
    given, counts = given_names(table)
    edges = slips_marked(merge_edges([*deterministic, *model]), given=given, counts=counts)
    human = [Edge(min(a, b), max(a, b), 0.0, "confirmed", {}) for a, b in confirmed]
    clusters, refused = build_clusters(
        edges=[*human, *(e for e in edges if linking(e, upper))],
        known=known_facts(table),
        rejected=rejected,
        hard_rules=hard_rules,
    )
    timings["cluster_s"] = time.perf_counter() - start
    return Outcome(edges, clusters, refused, timings)
