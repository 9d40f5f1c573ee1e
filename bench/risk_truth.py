"""Precision and recall of every alert code against the synthetic force's truth file.

    .venv/bin/python bench/risk_truth.py --people 100000 --seed 1 [--work /tmp/risk_truth]

Generates the force (`safeguard synth`), imports it (`safeguard import`), links it
(`safeguard link`), computes the alerts as of the truth's as-of time and compares them with
the truth's patterns; then does the same with the clusters taken from the truth (perfect
linkage: a copy of the store whose `person_cluster` is rewritten from the truth's people), so
that linkage errors and rule errors show apart. Writes bench/results/risk_truth.json.

Matching (docs/synthetic-force.md, "Measuring"): an alert matches a pattern of its code when
its subjects, read as true people, include every person of the pattern, and, where both list
events, they share an event (`CSE_NETWORK` is matched on subjects only: the engine lists no
events for it). An alert matching a positive pattern is a true positive; any other alert is
a false positive (a hit on a near miss counted apart too). Recall is the share of positive
patterns matched by at least one alert.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from safeguard.db import make_engine, unit_of_work  # noqa: E402
from safeguard.pole.models import Person, PersonCluster  # noqa: E402
from safeguard.risk.alert import Alert  # noqa: E402
from safeguard.risk.engine import compute_alerts  # noqa: E402
from safeguard.risk.policy import default_policy  # noqa: E402
from safeguard.timeutil import parse_as_of  # noqa: E402

SAFEGUARD = str(ROOT / ".venv" / "bin" / "safeguard")
SUBJECTS_ONLY = {"CSE_NETWORK"}


@dataclass
class Pattern:
    code: str
    expect: bool
    status: str | None
    subjects: list[str]
    people: set[str]
    events: set[str]
    note: str
    hits: list[int] = field(default_factory=list)


@dataclass
class Truth:
    meta: dict[str, Any]
    person_of: dict[str, str]  # source key -> true person id
    keys_of: dict[str, list[str]]
    patterns: list[Pattern]


def read_truth(path: Path) -> Truth:
    meta: dict[str, Any] = {}
    person_of: dict[str, str] = {}
    keys_of: dict[str, list[str]] = {}
    patterns: list[Pattern] = []
    with path.open() as lines:
        for line in lines:
            row = json.loads(line)
            if row["truth"] == "meta":
                meta = row
            elif row["truth"] == "person":
                keys_of[row["id"]] = row["keys"]
                for key in row["keys"]:
                    person_of[key] = row["id"]
            elif row["truth"] == "alert":
                patterns.append(
                    Pattern(
                        row["code"],
                        row["expect"],
                        row["status"],
                        row["subjects"],
                        set(row["people"]),
                        set(row["events"]),
                        row.get("note", ""),
                    )
                )
    return Truth(meta, person_of, keys_of, patterns)


def run(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([SAFEGUARD, *args], check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 1)


def perfect_clusters(db_url: str, truth: Truth) -> None:
    """Rewrite `person_cluster` from the truth: each true person's keys, named by the
    smallest person id among them."""
    engine = make_engine(db_url)
    with unit_of_work(engine) as session:
        ids = {
            f"{s}:{i}": pid
            for pid, s, i in session.execute(select(Person.id, Person.source, Person.source_id))
        }
        rows = []
        for keys in truth.keys_of.values():
            members = sorted(ids[k] for k in keys if k in ids)
            if len(members) > 1:
                rows += [{"person_id": p, "cluster_id": members[0]} for p in members]
        session.execute(delete(PersonCluster))
        session.execute(insert(PersonCluster), rows)
    engine.dispose()


def _matches(alert: Alert, people: set[str], pattern: Pattern) -> bool:
    if alert.code != pattern.code or not pattern.people <= people:
        return False
    if pattern.code in SUBJECTS_ONLY or not pattern.events or not alert.events:
        return True
    return bool(pattern.events & set(alert.events))


def score(alerts: list[Alert], truth: Truth) -> dict[str, Any]:
    by_code: dict[str, list[Pattern]] = defaultdict(list)
    for p in truth.patterns:
        p.hits = []
        by_code[p.code].append(p)
    false_pos: list[dict[str, Any]] = []
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    near: Counter[str] = Counter()
    status_wrong: Counter[str] = Counter()
    wrong_status: list[dict[str, Any]] = []
    for n, alert in enumerate(alerts):
        people = {truth.person_of.get(k, k) for k in alert.subjects}
        hit = [p for p in by_code[alert.code] if _matches(alert, people, p)]
        for p in hit:
            p.hits.append(n)
        if any(p.expect for p in hit):
            tp[alert.code] += 1
            if not any(p.expect and p.status == alert.status for p in hit):
                status_wrong[alert.code] += 1
                wrong_status.append(
                    {
                        "code": alert.code,
                        "events": alert.events,
                        "alert": alert.status,
                        "truth": [p.status for p in hit if p.expect],
                    }
                )
        else:
            fp[alert.code] += 1
            if hit:
                near[alert.code] += 1
            false_pos.append(
                {
                    "code": alert.code,
                    "subjects": alert.subjects,
                    "events": alert.events,
                    "message": alert.message,
                    "near_miss": [p.note for p in hit],
                }
            )
    codes: dict[str, Any] = {}
    missed: list[dict[str, Any]] = []
    for code in sorted(set(by_code) | set(tp) | set(fp)):
        positives = [p for p in by_code[code] if p.expect]
        found = sum(1 for p in positives if p.hits)
        missed += [
            {"code": code, "subjects": p.subjects, "events": sorted(p.events), "note": p.note}
            for p in positives
            if not p.hits
        ]
        raised = tp[code] + fp[code]
        codes[code] = {
            "positives": len(positives),
            "near_misses": len(by_code[code]) - len(positives),
            "alerts": raised,
            "true_positive_alerts": tp[code],
            "false_positive_alerts": fp[code],
            "near_misses_fired": near[code],
            "status_mismatches": status_wrong[code],
            "precision": round(tp[code] / raised, 4) if raised else None,
            "recall": round(found / len(positives), 4) if positives else None,
        }
    return {
        "codes": codes,
        "false_positives": false_pos[:50],
        "missed": missed[:50],
        "status_mismatches": wrong_status[:50],
    }


def evaluate(db_url: str, truth: Truth) -> tuple[dict[str, Any], float]:
    engine = make_engine(db_url)
    started = time.perf_counter()
    with unit_of_work(engine) as session:
        alerts = compute_alerts(
            session=session, as_of=parse_as_of(truth.meta["as_of"]), policy=default_policy()
        )
    engine.dispose()
    return score(alerts, truth), round(time.perf_counter() - started, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", default="/tmp/risk_truth")
    parser.add_argument("--reuse", action="store_true", help="keep an earlier force and store")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "risk_truth.json"))
    args = parser.parse_args()
    work = Path(args.work)
    force, linked = work / "force", work / "linked.db"
    perfect = work / "perfect.db"
    timings: dict[str, float] = {}
    if not (args.reuse and linked.exists()):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        timings["synth"] = run(
            "synth", "--people", str(args.people), "--seed", str(args.seed), "--out", str(force)
        )
        meta = json.loads((force / "truth.jsonl").open().readline())
        files = [str(force / name) for name in meta["files"]]
        timings["import"] = run("--db", f"sqlite:///{linked}", "import", *files)
        timings["link"] = run("--db", f"sqlite:///{linked}", "link")
    truth = read_truth(force / "truth.jsonl")
    perfect.unlink(missing_ok=True)
    with sqlite3.connect(linked) as src, sqlite3.connect(perfect) as dst:
        src.backup(dst)
    perfect_clusters(f"sqlite:///{perfect}", truth)
    linked_scores, timings["alerts_linked"] = evaluate(f"sqlite:///{linked}", truth)
    perfect_scores, timings["alerts_perfect"] = evaluate(f"sqlite:///{perfect}", truth)
    table = {
        code: {
            "linked": [
                linked_scores["codes"].get(code, {}).get(k) for k in ("precision", "recall")
            ],
            "perfect": [perfect_scores["codes"][code][k] for k in ("precision", "recall")],
        }
        for code in sorted(perfect_scores["codes"])
    }
    result = {
        "people": args.people,
        "seed": args.seed,
        "as_of": truth.meta["as_of"],
        "database": "sqlite",
        "patterns": len(truth.patterns),
        "matching": "alert subjects (as true people) include the pattern's people; events "
        "overlap where both list them (CSE_NETWORK on subjects only)",
        "precision_recall": table,
        "seconds": timings,
        "linked": linked_scores,
        "perfect_linkage": perfect_scores,
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    for code, row in table.items():
        print(f"{code:30} linked {row['linked']}  perfect {row['perfect']}")
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
