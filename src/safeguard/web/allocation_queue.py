"""The PPU supervisor's queue of open child-protection cases that nobody is allocated to,
oldest first (the supervision queue lists the allocated ones)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.pole.models import Event, EventPerson, Person
from safeguard.web.allocation import allocations
from safeguard.web.queues import CHILD_PROTECTION_KINDS, CHILD_ROLES

BATCH = 500


@dataclass
class WaitingCase:
    event_key: str
    kind: str
    reported_at: datetime
    summary: str | None
    children: list[tuple[str, str]] = field(default_factory=list)  # (key, name)


def waiting(*, session: Session, as_of: datetime, username: str, limit: int) -> list[WaitingCase]:
    made = func.coalesce(Event.reported_at, Event.occurred_at)
    candidates = (
        select(Event.id, Event.source, Event.source_id, Event.kind, Event.summary, made)
        .where(Event.kind.in_(CHILD_PROTECTION_KINDS), Event.occurred_at <= as_of)
        .where(or_(Event.closed_at.is_(None), Event.closed_at > as_of))
        .order_by(made, Event.id)
    )
    found: list[tuple[int, WaitingCase]] = []
    offset = 0
    while len(found) < limit:
        rows = session.execute(candidates.offset(offset).limit(BATCH)).all()
        if not rows:
            break
        offset += BATCH
        allocated = allocations(session=session, as_of=as_of, event_ids=[r[0] for r in rows])
        for event_id, source, ident, kind, summary, at in rows:
            if event_id not in allocated and len(found) < limit:
                when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
                when = when if when.tzinfo else when.replace(tzinfo=UTC)  # SQLite's coalesce
                found.append((event_id, WaitingCase(f"{source}:{ident}", kind, when, summary)))
    _name_children(session, found, username)
    return [case for _, case in found]


def _name_children(session: Session, found: list[tuple[int, WaitingCase]], username: str) -> None:
    by_id = dict(found)
    if not by_id:
        return
    limits = restrictions.load(session=session)
    rows = session.execute(
        select(EventPerson.event_id, Person)
        .join(Person, Person.id == EventPerson.person_id)
        .where(EventPerson.event_id.in_(list(by_id)), EventPerson.role.in_(CHILD_ROLES))
        .order_by(Person.id)
    )
    for event_id, person in rows:
        name = RESTRICTED_LABEL if limits.hides(username, [person.key]) else person.full_name
        by_id[event_id].children.append((person.key, name))
