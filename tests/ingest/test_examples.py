"""Every shared example file imports unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeguard.ingest.importer import import_files
from safeguard.pole.models import Event, Person
from tests.conftest import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.jsonl"))


def test_there_are_examples() -> None:
    assert EXAMPLE_FILES, f"no examples found in {EXAMPLES}"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_imports(session: Session, path: Path) -> None:
    report = import_files(session=session, paths=[path])
    assert report.errors == []
    lines = [
        ln for ln in path.read_text().splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    ]
    assert sum(report.stored.values()) == len(lines)
    assert session.scalar(select(func.count()).select_from(Person)) >= 1
    assert session.scalar(select(func.count()).select_from(Event)) >= 1
