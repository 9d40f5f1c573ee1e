"""The generated files go through the real importer with no line rejected."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeguard.ingest.importer import import_files
from safeguard.pole.models import Event, Person
from safeguard.synth.generate import generate_force


def test_generated_force_imports_with_zero_rejections(session: Session, tmp_path: Path) -> None:
    summary = generate_force(people=800, seed=3, out=tmp_path)
    report = import_files(session=session, paths=summary.files)
    assert report.errors == []
    assert report.stored["person"] == summary.by_record()["person"]
    assert report.stored["action"] == summary.by_record()["action"]
    assert session.scalar(select(func.count()).select_from(Event)) == sum(summary.events.values())
    assert session.scalar(select(func.count()).select_from(Person)) == summary.by_record()["person"]
