"""The documented rates hold within tolerance."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from safeguard.synth.generate import YEARS, generate_force
from safeguard.synth.identity import AS_OF_DAY
from safeguard.synth.rates import RSO_PER_1000, VARIATION, VOLUME_PER_1000
from tests.synth.forcefiles import ForceFiles, read_force


def _check(files: ForceFiles, people: int, tolerance: float) -> None:
    events = Counter(e["kind"] for e in files.of("event"))
    for kind, per_1000 in VOLUME_PER_1000.items():
        measured = events[kind] / YEARS / people * 1000
        assert measured == pytest.approx(per_1000, rel=tolerance), kind
    rsos = sum(1 for f in files.of("flag") if f["kind"] == "registered_sex_offender")
    assert rsos / people * 1000 == pytest.approx(RSO_PER_1000, rel=tolerance)

    truth_people = files.people()
    assert len(truth_people) == pytest.approx(people, abs=40)
    first = [files.records[("person", p["keys"][0])] for p in truth_people]
    children = sum(1 for r in first if (AS_OF_DAY.year - int(r["dob"][:4])) < 18)
    assert 0.17 < children / len(first) < 0.25

    # Missing episodes concentrate in few children; some go missing 20 times or more.
    per_child = Counter(
        p["person"]
        for e in files.of("event")
        if e["kind"] == "missing_episode"
        for p in e["people"]
    )
    counts = sorted(per_child.values(), reverse=True)
    top = counts[: max(1, len(counts) // 10)]
    assert sum(top) / sum(counts) > 0.3
    assert counts[0] >= 20

    second_keys = [v for p in truth_people for k, v in p["variations"].items() if k != p["keys"][0]]
    applied = Counter(v for vs in second_keys for v in vs)
    for name in ("typo_family", "typo_given", "swap_names"):
        assert applied[name] / len(second_keys) == pytest.approx(VARIATION[name], rel=0.5), name


def test_rates_hold_at_30000_people(tmp_path: Path) -> None:
    generate_force(people=30_000, seed=11, out=tmp_path)
    _check(read_force(tmp_path), 30_000, tolerance=0.15)


@pytest.mark.slow
def test_rates_hold_at_100000_people(tmp_path: Path) -> None:
    generate_force(people=100_000, seed=12, out=tmp_path)
    _check(read_force(tmp_path), 100_000, tolerance=0.1)
