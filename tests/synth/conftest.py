from __future__ import annotations

from pathlib import Path

import pytest

from safeguard.synth.generate import generate_force
from tests.synth.forcefiles import ForceFiles, read_force

SMALL = 4_000


@pytest.fixture(scope="session")
def small_force(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("force")
    generate_force(people=SMALL, seed=7, out=out)
    return out


@pytest.fixture(scope="session")
def small_files(small_force: Path) -> ForceFiles:
    return read_force(small_force)
