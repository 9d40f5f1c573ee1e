from __future__ import annotations

from pathlib import Path

from safeguard.synth.generate import generate_force
from safeguard.synth.sink import SOURCES, TRUTH_FILE

NAMES = [f"{s}.jsonl" for s in SOURCES] + [TRUTH_FILE]


def test_same_seed_gives_byte_identical_files(tmp_path: Path, small_force: Path) -> None:
    again = tmp_path / "again"
    generate_force(people=4_000, seed=7, out=again)
    for name in NAMES:
        assert (again / name).read_bytes() == (small_force / name).read_bytes(), name


def test_another_seed_gives_another_force(tmp_path: Path, small_force: Path) -> None:
    other = tmp_path / "other"
    generate_force(people=4_000, seed=8, out=other)
    assert (other / "storm.jsonl").read_bytes() != (small_force / "storm.jsonl").read_bytes()
