"""Small reads for lists of people (search results, address checks): ages and the kinds of
warning marker in force, through clusters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from safeguard.pole.models import (
    Flag,
)
from safeguard.pole.people import clusters_of
from safeguard.risk.clocks import age_on

Json = dict[str, Any]


def age_at(dob: date | None, when: datetime) -> int | None:
    if dob is None:
        return None
    return age_on(dob, when.date())


def marker_counts(session: Session, person_ids: list[int], as_of: datetime) -> dict[int, list[str]]:
    """cluster id -> kinds of flags in force, for lists of people (search, address)."""
    clusters = clusters_of(session=session, person_ids=person_ids)
    result: dict[int, list[str]] = {c: [] for c in clusters.values()}
    rows = session.execute(
        select(Flag.person_id, Flag.kind)
        .where(Flag.person_id.in_(person_ids), Flag.since <= as_of)
        .where(or_(Flag.until.is_(None), Flag.until > as_of))
    )
    for pid, kind in rows:
        kinds = result[clusters[pid]]
        if kind not in kinds:
            kinds.append(kind)
    return result
