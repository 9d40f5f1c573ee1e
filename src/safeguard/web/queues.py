"""Work queues read from the store: the PPU supervisor's open cases with days since the last
supervision review, and the missing coordinator's repeat-missing children.

These are lists for people to act on, not alerts: the risk engine owns the alert rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Row,
    Select,
    TextClause,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from safeguard.ingest.importer import keys_match
from safeguard.pole.models import Action, Event, EventPerson, Officer, Person
from safeguard.pole.people import clusters_of
from safeguard.timeutil import parse_time

# Mirrored in the triggers of migration 0011, which keep each case's queue clock.
CHILD_PROTECTION_KINDS = (
    "sexual_offence",
    "physical_abuse",
    "cse_concern",
    "online_abuse",
    "police_protection",
    "child_concern",
)
CHILD_ROLES = ("victim", "subject", "missing_person", "child_present", "detained_child")
REVIEW_DAYS = 28
RETURN_INTERVIEW_HOURS = 72


@dataclass
class OpenCase:
    event_key: str
    kind: str
    reported_at: datetime
    officer: str | None
    last_review: datetime | None
    days_since_review: int
    children: list[tuple[str, str]] = field(default_factory=list)  # (key, name)

    @property
    def drifting(self) -> bool:
        return self.days_since_review >= REVIEW_DAYS


def _officer_names(session: Session, keys_or_ids: set[Any]) -> dict[Any, str]:
    """Names for officer ids and "source:id" keys, in two queries; an unknown key names itself."""
    ids = {k for k in keys_or_ids if isinstance(k, int)}
    found: dict[Any, str] = {}
    if ids:
        for off_id, name in session.execute(
            select(Officer.id, Officer.name).where(Officer.id.in_(ids))
        ):
            found[off_id] = name
    keys = {k for k in keys_or_ids if isinstance(k, str)}
    pairs = [(k.partition(":")[0], k.partition(":")[2]) for k in keys]
    if pairs:
        rows = session.execute(
            select(Officer.source, Officer.source_id, Officer.name).where(
                keys_match(Officer, pairs)
            )
        )
        found.update({f"{source}:{ident}": name for source, ident, name in rows})
    found.update({k: k for k in keys if k not in found})
    return found


def _children(session: Session, event_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    rows = session.execute(
        select(
            EventPerson.event_id,
            Person.source,
            Person.source_id,
            Person.given_name,
            Person.family_name,
        )
        .join(Person, Person.id == EventPerson.person_id)
        .where(EventPerson.event_id.in_(event_ids), EventPerson.role.in_(CHILD_ROLES))
        .order_by(Person.id)
    )
    result: dict[int, list[tuple[str, str]]] = {}
    for event_id, source, ident, given, family in rows:
        name = " ".join(n for n in (given, family) if n)
        result.setdefault(event_id, []).append((f"{source}:{ident}", name))
    return result


QUEUE_COLUMNS = (
    "id",
    "source",
    "source_id",
    "kind",
    "occurred_at",
    "reported_at",
    "allocated_to_id",
    "reviewed_at",
    "queue_clock",
)


def _on_queue_index(dialect: str) -> tuple[FromClause | TextClause, dict[str, ColumnElement[Any]]]:
    """The event table read through the queue index, and its columns.

    SQLite's planner prefers a skip-scan of (kind, closed_at) and then sorts every open case,
    statistics or none; INDEXED BY keeps it on the queue's own index (the partial index holds
    exactly the open cases with a clock, in queue order)."""
    table = Event.__table__
    if dialect != "sqlite":
        return table, dict(table.c)
    columns: dict[str, ColumnElement[Any]] = {
        c.name: literal_column(c.name, c.type) for c in table.c
    }
    return text("event INDEXED BY ix_event_queue"), columns


def _still_open(as_of: datetime, dialect: str, *what: Any) -> Select[Any]:
    source, c = _on_queue_index(dialect)
    picked = [c[name] for name in QUEUE_COLUMNS] if not what else list(what)
    return (
        select(*picked)
        .select_from(source)
        .where(c["queue_clock"].is_not(None), c["closed_at"].is_(None))
        .where(c["occurred_at"] <= as_of)
    )


def _closed_later(as_of: datetime, *what: Any) -> Select[Any]:
    """A case closed after `as_of` was still open then: few, found by (kind, closed_at)."""
    picked = [Event.__table__.c[name] for name in QUEUE_COLUMNS] if not what else list(what)
    return (
        select(*picked)
        .select_from(Event)
        .where(Event.queue_clock.is_not(None), Event.occurred_at <= as_of)
        .where(Event.kind.in_(CHILD_PROTECTION_KINDS), Event.closed_at > as_of)
    )


def _queue_page(
    session: Session, as_of: datetime, limit: int | None, offset: int
) -> list[Row[Any]]:
    """Open allocated child-protection cases in queue order: each case's clock is stored (see
    `Event.queue_clock`), so only the page's rows are read, in order, from the queue index.
    Cases closed after `as_of` (none, when it is now) are merged in here, not in SQL: with
    them in a UNION, PostgreSQL sorted every open case instead of reading the index in order."""
    dialect = session.get_bind().dialect.name
    order = ("queue_clock", "source", "source_id")
    open_now, later_q = (
        q.order_by(*(q.selected_columns[name] for name in order))
        for q in (_still_open(as_of, dialect), _closed_later(as_of))
    )
    if limit is not None:  # neither branch can give more than the rows up to the page's end
        later_q = later_q.limit(offset + limit)
    later = session.execute(later_q).all()
    if not later:
        if limit is not None:
            open_now = open_now.limit(limit)
        return list(session.execute(open_now.offset(offset) if offset else open_now).all())
    if limit is not None:
        open_now = open_now.limit(offset + limit)
    merged = sorted([*session.execute(open_now).all(), *later], key=_queue_order)
    return merged[offset : None if limit is None else offset + limit]


def _queue_order(row: Row[Any]) -> tuple[datetime, str, str]:
    return (_aware(row.queue_clock), row.source, row.source_id)


def _queue_total(session: Session, as_of: datetime, dialect: str) -> int:
    """How many cases are on the queue: counted in the queue index."""
    counts = (_still_open(as_of, dialect, func.count()), _closed_later(as_of, func.count()))
    return sum(session.scalar(q) or 0 for q in counts)


def open_cases(
    *, session: Session, as_of: datetime, limit: int | None = None, offset: int = 0
) -> tuple[list[OpenCase], int]:
    """Open allocated child-protection events, longest without a supervision review first:
    `limit` of them from `offset`, and how many there are in all.

    The clock is the latest supervision review, else the latest allocation, else when the case
    was reported: stored on the event by the database whenever an action is written (so it
    counts every recorded review and allocation, also any dated after `as_of`)."""
    session.flush()  # the clocks are kept by triggers: pending actions first
    rows = _queue_page(session, as_of, limit, offset)
    total = _queue_total(session, as_of, session.get_bind().dialect.name)
    officers = _allocated_officers(session, [r.id for r in rows], as_of)
    children = _children(session, [r.id for r in rows])
    cases = [
        OpenCase(
            event_key=f"{r.source}:{r.source_id}",
            kind=r.kind,
            reported_at=_aware(r.reported_at or r.occurred_at),
            officer=officers.get(r.id, r.allocated_to_id),
            last_review=_aware(r.reviewed_at) if r.reviewed_at is not None else None,
            days_since_review=(as_of - _aware(r.queue_clock)) // timedelta(days=1),
            children=children.get(r.id, []),
        )
        for r in rows
    ]
    names = _officer_names(session, {c.officer for c in cases if c.officer is not None})
    for case in cases:
        case.officer = names.get(case.officer, str(case.officer))
    return cases, total


def _aware(value: datetime | str) -> datetime:
    """coalesce() of zone-aware columns comes back naive (UTC) from SQLite."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _allocated_officers(session: Session, event_ids: list[int], as_of: datetime) -> dict[int, Any]:
    """The officer of each event's latest allocation action."""
    found: dict[int, tuple[datetime, Any]] = {}
    if not event_ids:
        return {}
    for event_id, at, details in session.execute(
        select(Action.event_id, Action.at, Action.details).where(
            Action.kind == "allocation", Action.event_id.in_(event_ids), Action.at <= as_of
        )
    ):
        if event_id not in found or at >= found[event_id][0]:
            found[event_id] = (at, (details or {}).get("officer"))
    return {event_id: officer for event_id, (_, officer) in found.items()}


@dataclass
class MissingChild:
    key: str
    name: str
    keys: list[str]
    episodes_90d: int
    episodes_12m: int
    last_missing: datetime
    interviews_overdue: int


def repeat_missing(*, session: Session, as_of: datetime, minimum: int = 3) -> list[MissingChild]:
    """Children with `minimum` or more missing episodes in the 12 months before as_of (whole
    people, through clusters), most episodes in 90 days first, with overdue return interviews."""
    year_ago = as_of - timedelta(days=365)
    rows = session.execute(
        select(EventPerson.person_id, Event)
        .join(Event, Event.id == EventPerson.event_id)
        .where(Event.kind == "missing_episode", EventPerson.role == "missing_person")
        .where(Event.occurred_at > year_ago, Event.occurred_at <= as_of)
    ).all()
    clusters = clusters_of(session=session, person_ids=[pid for pid, _ in rows])
    episodes: dict[int, dict[int, Event]] = {}
    members: dict[int, set[int]] = {}
    for pid, ev in rows:
        episodes.setdefault(clusters[pid], {})[ev.id] = ev
        members.setdefault(clusters[pid], set()).add(pid)
    result: list[MissingChild] = []
    for cluster, evs in episodes.items():
        if len(evs) < minimum:
            continue
        people = list(session.scalars(select(Person).where(Person.id.in_(members[cluster]))))
        interviewed = set(
            session.scalars(
                select(Action.event_id).where(
                    Action.kind == "return_interview",
                    Action.event_id.in_(list(evs)),
                    Action.person_id.in_(members[cluster]),
                    Action.at <= as_of,
                )
            )
        )
        overdue = sum(1 for ev in evs.values() if _interview_overdue(ev, interviewed, as_of))
        home = min(people, key=lambda p: p.id)
        result.append(
            MissingChild(
                key=home.key,
                name=next((p.full_name for p in people if p.full_name), home.key),
                keys=sorted(p.key for p in people),
                episodes_90d=sum(
                    1 for e in evs.values() if e.occurred_at > as_of - timedelta(days=90)
                ),
                episodes_12m=len(evs),
                last_missing=max(e.occurred_at for e in evs.values()),
                interviews_overdue=overdue,
            )
        )
    return sorted(result, key=lambda c: (-c.episodes_90d, -c.episodes_12m, c.name))


def _interview_overdue(ev: Event, interviewed: set[int], as_of: datetime) -> bool:
    """Found more than 72 hours ago with no return interview recorded for this child."""
    text = ev.details.get("found_at") if isinstance(ev.details, dict) else None
    if ev.id in interviewed or not isinstance(text, str):
        return False
    return parse_time(text) + timedelta(hours=RETURN_INTERVIEW_HOURS) < as_of


@dataclass
class Notification:
    event_key: str
    reported_at: datetime
    hours_waiting: int
    summary: str | None
    children: list[tuple[str, str]] = field(default_factory=list)


TRIAGED_BY = ("referral_to_csc", "strategy_discussion", "closure")


def untriaged(
    *, session: Session, as_of: datetime, limit: int = 50
) -> tuple[list[Notification], int]:
    """Open child concern notifications with no referral, strategy discussion or closure yet,
    oldest first: MASH triage."""
    done = select(Action.event_id).where(Action.kind.in_(TRIAGED_BY), Action.at <= as_of)
    made = func.coalesce(Event.reported_at, Event.occurred_at)
    waiting = (
        select(Event.id, Event.source, Event.source_id, Event.summary, made.label("made"))
        .where(Event.kind == "child_concern", Event.occurred_at <= as_of)
        .where(or_(Event.closed_at.is_(None), Event.closed_at > as_of))
        .where(Event.id.not_in(done))
    )
    total = session.scalar(select(func.count()).select_from(waiting.subquery())) or 0
    rows = session.execute(waiting.order_by(made.asc(), Event.id).limit(limit)).all()
    children = _children(session, [r.id for r in rows])
    return [
        Notification(
            event_key=f"{r.source}:{r.source_id}",
            reported_at=_aware(r.made),
            hours_waiting=int((as_of - _aware(r.made)).total_seconds() // 3600),
            summary=r.summary,
            children=children.get(r.id, []),
        )
        for r in rows
    ], total
