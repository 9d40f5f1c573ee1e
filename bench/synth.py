"""Synthetic force generation: time and peak memory, at two sizes, against a raw-write baseline.

    .venv/bin/python bench/synth.py [--scale 1000000] [--small 100000]

Each size runs `safeguard synth` in a fresh subprocess (peak resident memory is that process's
own). Flat memory shows as the same peak at both sizes. The baseline is the same number of
lines written with json.dumps of one fixed record, in the same run: the ratio says how much of
the time is generation rather than writing. Writes bench/results/synth.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "synth.json"

CHILD = """
import json, resource, sys, time
from pathlib import Path
from safeguard.synth.generate import generate_force
started = time.perf_counter()
summary = generate_force(people=int(sys.argv[1]), seed=1, out=Path(sys.argv[2]))
seconds = time.perf_counter() - started
lines = sum(summary.records.values())
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"people": summary.people, "lines": lines, "seconds": seconds,
                  "peak_rss_mb": peak_mb, "events": sum(summary.events.values()),
                  "persons": summary.by_record()["person"]}))
"""

BASELINE = """
import json, resource, sys, time
rec = {"record": "action", "source": "storm", "id": "A1", "kind": "return_interview",
       "at": "2016-05-03T15:00", "event": "storm:E1", "person": "storm:P1"}
started = time.perf_counter()
with open(sys.argv[2], "w") as fh:
    for i in range(int(sys.argv[1])):
        rec["id"] = f"A{i}"
        fh.write(json.dumps(rec) + "\\n")
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def run(code: str, *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", code, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def measure(people: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        result = run(CHILD, str(people), tmp)
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        base = run(BASELINE, str(result["lines"]), str(Path(tmp) / "baseline.jsonl"))
    result["megabytes_written"] = round(size / 1e6, 1)
    result["baseline_seconds"] = round(base["seconds"], 2)
    result["ratio_to_raw_write"] = round(result["seconds"] / base["seconds"], 2)
    result["seconds"] = round(result["seconds"], 1)
    result["peak_rss_mb"] = round(result["peak_rss_mb"], 1)
    result["people_per_second"] = round(result["people"] / result["seconds"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    args = parser.parse_args()
    started = time.time()
    runs = [measure(args.small), measure(args.scale)]
    report = {
        "benchmark": "synth",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "runs": runs,
        "memory_ratio_large_to_small": round(runs[1]["peak_rss_mb"] / runs[0]["peak_rss_mb"], 2),
        "wall_seconds": round(time.time() - started, 1),
        "note": "each size in its own process; baseline = same line count of json.dumps writes",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
