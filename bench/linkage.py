"""Linkage accuracy and speed.

    python bench/linkage.py [--scale 1000000] [--skip-febrl] [--spark 10000] [--force 100000]

FEBRL4: imports ../shared/data/febrl4.jsonl through the normal importer into a fresh SQLite
database, runs `link`, and scores against febrl4.truth.json, pairwise: ``model``, the pairs
the model itself links (deterministic rules and match weights over the upper threshold),
before the hard rules; ``policy``, the pairs the stored clusters imply, after the hard rules
(e.g. dates of birth more than five years apart wait for a person); and the review queue.
Synthetic force (--force N): safeguard.synth's force of N people, imported and linked,
scored against its truth file, overall and by kind of variation.
Scale: generated synthetic keys (safeguard.linkage.synthetic) linked by the same pipeline,
with precision and recall overall and by kind of variation, time and peak memory.
Writes bench/results/linkage.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.db import make_engine, unit_of_work, upgrade
from safeguard.ingest.importer import import_files
from safeguard.linkage import service
from safeguard.linkage.clusters import Edge
from safeguard.linkage.features import extract_people, feature_table
from safeguard.linkage.models import LinkPair
from safeguard.linkage.pipeline import UPPER_WEIGHT, link_table, linking
from safeguard.linkage.synthetic import generate

ROOT = Path(__file__).resolve().parents[1]
SHARED = next(p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.exists())
RESULTS = ROOT / "bench" / "results" / "linkage.json"


def pairs_of(clusters: list[list[Any]]) -> set[tuple[Any, Any]]:
    return {(a, b) for keys in clusters for a, b in itertools.combinations(sorted(keys), 2)}


def scores(found: set[tuple[Any, Any]], true: set[tuple[Any, Any]]) -> dict[str, float]:
    hit = len(found & true)
    precision = hit / len(found) if found else 1.0
    recall = hit / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "pairs_found": len(found),
        "true_pairs": len(true),
        "false_positives": len(found - true),
        "false_negatives": len(true - found),
    }


def model_pairs(session: Session) -> tuple[dict[tuple[str, str], str], dict[str, int]]:
    """The pairs the model itself calls the same person (a deterministic rule, or a match
    weight at or above the upper threshold), before the hard rules, each with the method
    that linked it; and the stored pairs counted by status."""
    keys = {p.id: p.key for p in extract_people(session=session)}
    found: dict[tuple[str, str], str] = {}
    statuses: dict[str, int] = {}
    for pair in session.scalars(select(LinkPair)):
        edge = Edge(pair.person_a_id, pair.person_b_id, pair.match_weight or 0.0, pair.method)
        statuses[pair.status] = statuses.get(pair.status, 0) + 1
        if linking(edge, UPPER_WEIGHT):
            a, b = keys[edge.a], keys[edge.b]
            found[(min(a, b), max(a, b))] = edge.method
    return found, statuses


def false_by_method(
    found: dict[tuple[str, str], str], true: set[tuple[str, str]]
) -> dict[str, int]:
    """The false pairs by the method that linked them: the deterministic rules ("exact",
    "floor": the spec's linkage floor) or the model."""
    counts: dict[str, int] = {}
    for pair, method in found.items():
        if pair not in true:
            counts[method] = counts.get(method, 0) + 1
    return dict(sorted(counts.items()))


def febrl() -> dict[str, Any]:
    truth: set[tuple[Any, Any]] = {
        tuple(sorted(p)) for p in json.loads((SHARED / "data/febrl4.truth.json").read_text())
    }
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/febrl.db")
        upgrade(engine)
        start = time.perf_counter()
        with unit_of_work(engine) as session:
            import_files(session=session, paths=[SHARED / "data/febrl4.jsonl"])
        imported = time.perf_counter() - start
        start = time.perf_counter()
        with unit_of_work(engine) as session:
            summary = service.run_link(session=session)
        linked = time.perf_counter() - start
        with unit_of_work(engine) as session:
            clusters = service.clusters_as_keys(session=session)
            queue = service.review_queue(session=session)
            model_found, statuses = model_pairs(session)
        engine.dispose()
    policy = scores(pairs_of(clusters), truth)
    model = scores(set(model_found), truth) | {
        "false_pairs_by_method": false_by_method(model_found, truth)
    }
    queued = {(min(i.a, i.b), max(i.a, i.b)) for i in queue}
    grey = {(min(i.a, i.b), max(i.a, i.b)) for i in queue if i.reason is None}
    # A perfect reviewer confirming the true pairs of the queue (clusters closed transitively
    # by later runs; counted here pairwise).
    reviewed = scores(pairs_of(clusters) | (queued & truth), truth)
    print("FEBRL4 model", model, "\npolicy", policy, "\nafter review", reviewed)
    return {
        "model": model,
        "policy": policy,
        "review_queue": {
            "pairs": len(queue),
            "true_pairs": len(queued & truth),
            "grey_zone": len(grey),
            "grey_zone_true_pairs": len(grey & truth),
            "stopped_by_hard_rule": len(queued - grey),
            "stopped_by_hard_rule_true_pairs": len((queued - grey) & truth),
            "by_reason": _by_reason(queue, truth),
        },
        "stored_pairs_by_status": statuses,
        "after_perfect_review": reviewed,
        "import_s": round(imported, 2),
        "link_s": round(linked, 2),
        "import_plus_link_s": round(imported + linked, 2),
        "stages_s": {k: round(v, 2) for k, v in summary.timings.items()},
    }


def _by_reason(queue: list[Any], truth: set[tuple[Any, ...]]) -> dict[str, dict[str, int]]:
    """The review queue by why each pair waits (None: the grey zone between thresholds)."""
    result: dict[str, dict[str, int]] = {}
    for item in queue:
        counts = result.setdefault(item.reason or "grey zone", {"pairs": 0, "true_pairs": 0})
        counts["pairs"] += 1
        counts["true_pairs"] += tuple(sorted((item.a, item.b))) in truth
    return result


def scale(n_keys: int) -> dict[str, Any]:
    start = time.perf_counter()
    generated = generate(int(n_keys / 1.75), seed=11)
    generate_s = time.perf_counter() - start
    start = time.perf_counter()
    table = feature_table(generated.people)
    features_s = time.perf_counter() - start
    start = time.perf_counter()
    outcome = link_table(table)
    link_s = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    by_cluster: dict[int, list[int]] = {}
    for pid, cluster in outcome.clusters.items():
        by_cluster.setdefault(cluster, []).append(pid)
    found = pairs_of(list(by_cluster.values()))
    by_entity: dict[int, list[int]] = {}
    for pid, entity in generated.truth.items():
        by_entity.setdefault(entity, []).append(pid)
    true = pairs_of(list(by_entity.values()))
    overall = scores(found, true)
    model = scores({(e.a, e.b) for e in outcome.edges if linking(e, UPPER_WEIGHT)}, true)
    refused = {(e.a, e.b) for e, _ in outcome.refused}
    grey = [e for e in outcome.edges if not linking(e, UPPER_WEIGHT) and (e.a, e.b) not in refused]
    first = {ids[0]: ids for ids in by_entity.values()}
    by_kind: dict[str, dict[str, int]] = {}
    for pid, kinds in generated.variation.items():
        entity_ids = by_entity[generated.truth[pid]]
        base = min(entity_ids)
        for kind in kinds.split(", "):
            counts = by_kind.setdefault(kind, {"pairs": 0, "found": 0})
            counts["pairs"] += 1
            counts["found"] += (base, pid) in found
    del first
    recall_by_kind = {
        k: {"pairs": v["pairs"], "recall": round(v["found"] / v["pairs"], 4)}
        for k, v in sorted(by_kind.items())
    }
    print("scale", n_keys, overall, f"{link_s:.1f}s", f"{peak_mb:.0f} MB")
    return {
        "keys": len(generated.people),
        **overall,
        "model": model,
        "review_queue": {"grey_zone": len(grey), "stopped_by_hard_rule": len(refused)},
        "recall_by_variation": recall_by_kind,
        "generate_s": round(generate_s, 2),
        "features_s": round(features_s, 2),
        "link_s": round(link_s, 2),
        "stages_s": {k: round(v, 2) for k, v in outcome.timings.items()},
        "peak_rss_mb": round(peak_mb),
    }


def synthetic_force(people: int) -> dict[str, Any]:
    """The synthetic force (safeguard.synth) generated, imported and linked; scored against
    its truth file, overall and by kind of variation of each further key."""
    from safeguard.synth.generate import generate_force, read_truth
    from safeguard.synth.sink import TRUTH_FILE

    with tempfile.TemporaryDirectory() as tmp:
        summary = generate_force(people=people, seed=1, out=Path(tmp) / "force")
        truth = [t for t in read_truth(Path(tmp) / "force" / TRUTH_FILE) if t["truth"] == "person"]
        engine = make_engine(f"sqlite:///{tmp}/force.db")
        upgrade(engine)
        start = time.perf_counter()
        with unit_of_work(engine) as session:
            import_files(session=session, paths=summary.files)
        imported = time.perf_counter() - start
        start = time.perf_counter()
        with unit_of_work(engine) as session:
            run = service.run_link(session=session)
        linked = time.perf_counter() - start
        with unit_of_work(engine) as session:
            policy_found = pairs_of(service.clusters_as_keys(session=session))
            model_found, statuses = model_pairs(session)
            queue = service.review_queue(session=session)
        queued = {(min(i.a, i.b), max(i.a, i.b)) for i in queue}
        engine.dispose()
    true = pairs_of([t["keys"] for t in truth])
    by_kind: dict[str, dict[str, int]] = {}
    for t in truth:
        first, *further = t["keys"]
        for key in further:
            pair = (min(first, key), max(first, key))
            for kind in t["variations"].get(key) or ["none"]:
                counts = by_kind.setdefault(
                    kind, {"pairs": 0, "model": 0, "policy": 0, "review": 0}
                )
                counts["pairs"] += 1
                counts["model"] += pair in model_found
                counts["policy"] += pair in policy_found
                counts["review"] += pair in queued
    model = scores(set(model_found), true) | {
        "false_pairs_by_method": false_by_method(model_found, true)
    }
    policy = scores(policy_found, true)
    print("synthetic force", people, "model", model, "\npolicy", policy)
    return {
        "people": people,
        "keys": run.keys,
        "model": model,
        "policy": policy,
        "stored_pairs_by_status": statuses,
        "review_queue": {"pairs": len(queue), "true_pairs": len(queued & true)},
        "recall_by_variation": {
            kind: {
                "pairs": c["pairs"],
                "model": round(c["model"] / c["pairs"], 4),
                "policy": round(c["policy"] / c["pairs"], 4),
                "in_review_queue": round(c["review"] / c["pairs"], 4),
            }
            for kind, c in sorted(by_kind.items())
        },
        "import_s": round(imported, 2),
        "link_s": round(linked, 2),
    }


def _cluster_pairs(clusters: dict[int, int]) -> set[tuple[Any, Any]]:
    members: dict[int, list[int]] = {}
    for pid, cluster in clusters.items():
        members.setdefault(cluster, []).append(pid)
    return pairs_of(list(members.values()))


def spark(n_keys: int) -> dict[str, Any]:
    """The same keys linked on DuckDB and on local Spark: time, and whether clusters agree."""
    table = feature_table(generate(int(n_keys / 1.75), seed=5).people)
    start = time.perf_counter()
    duck = link_table(table)
    duck_s = time.perf_counter() - start
    start = time.perf_counter()
    on_spark = link_table(table, engine="spark")
    spark_s = time.perf_counter() - start
    print("spark", n_keys, f"duckdb {duck_s:.1f}s spark {spark_s:.1f}s")
    duck_pairs, spark_pairs = _cluster_pairs(duck.clusters), _cluster_pairs(on_spark.clusters)
    return {
        "keys": table.num_rows,
        "same_clusters": on_spark.clusters == duck.clusters,
        # EM and random sampling differ between backends, so on data large enough for EM
        # the two train slightly different models: how far their links agree.
        "linked_pairs_duckdb": len(duck_pairs),
        "linked_pairs_spark": len(spark_pairs),
        "linked_pairs_in_both": len(duck_pairs & spark_pairs),
        "duckdb_link_s": round(duck_s, 2),
        "spark_link_s": round(spark_s, 2),
        "spark_stages_s": {k: round(v, 2) for k, v in on_spark.timings.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100_000, help="synthetic keys to link")
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--spark", type=int, default=0, help="keys to link on Spark too")
    parser.add_argument("--force", type=int, default=0, help="synthetic force's people")
    args = parser.parse_args()
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if not args.skip_febrl:
        results["febrl4"] = febrl()
    if args.scale:
        results.setdefault("synthetic", {})[str(args.scale)] = scale(args.scale)
    if args.force:
        results.setdefault("synthetic_force", {})[str(args.force)] = synthetic_force(args.force)
    if args.spark:
        results.setdefault("spark", {})[str(args.spark)] = spark(args.spark)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
