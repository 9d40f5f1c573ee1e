"""Each join made by linkage is a "combination" in the processing log (DPA 2018 s62)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access.models import LogEntry
from safeguard.access.processing_log import verify
from safeguard.linkage.service import run_link
from tests import factories as f


def test_a_join_is_logged_as_a_combination(session: Session) -> None:
    smith = f.person("Lauren", "Smith", "2003-04-05", source="storm", sex="F")
    smyth = f.person("Lauren", "Smyth", "2003-04-05", source="ppu", sex="F")
    other = f.person("Harry", "Bell", "1970-01-01", source="ppu", sex="M")
    f.load(session, [smith, smyth, other])
    run_link(session=session)
    entries = session.scalars(select(LogEntry).where(LogEntry.operation == "combine")).all()
    combined = [e for e in entries if f.key(smith) in e.records]
    assert combined, "the join of Smith and Smyth was not logged"
    assert set(combined[0].records) >= {f.key(smith), f.key(smyth)}
    assert combined[0].justification
    assert not any(f.key(other) in e.records for e in entries)
    checked, problems = verify(session=session)
    assert problems == [] and checked >= 1
