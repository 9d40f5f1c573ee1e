"""A person's picture read straight from the store (through clusters): who they are, flags in
force, links and the timeline of every event and action from every linked key.

This is the minimal picture shown when the risk engine is not installed; it carries no alerts,
because alerts come only from the risk engine's rules.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from safeguard.pole.models import (
    Action,
    Event,
    EventPerson,
    Flag,
    Location,
    Person,
    PoleObject,
    Relation,
    Residence,
    Uses,
)
from safeguard.pole.people import cluster_people, clusters_of

Json = dict[str, Any]


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def age_at(dob: date | None, when: datetime) -> int | None:
    if dob is None:
        return None
    day = when.date()
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def person_summary(people: list[Person], as_of: datetime) -> Json:
    named = next((p for p in people if p.full_name), people[0])
    dob = next((p.dob for p in people if p.dob), None)
    return {
        "keys": sorted(p.key for p in people),
        "name": named.full_name,
        "dob": _iso(dob),
        "age": age_at(dob, as_of),
        "sex": next((p.sex for p in people if p.sex), None),
    }


def flags_in_force(session: Session, ids: list[int], as_of: datetime) -> list[Json]:
    rows = session.scalars(
        select(Flag)
        .where(Flag.person_id.in_(ids), Flag.since <= as_of)
        .where(or_(Flag.until.is_(None), Flag.until > as_of))
        .order_by(Flag.since)
    )
    return [
        {
            "kind": f.kind,
            "level": f.level,
            "since": _iso(f.since),
            "until": _iso(f.until),
            "reason": f.reason,
            "key": f.key,
        }
        for f in rows
    ]


def timeline(session: Session, ids: list[int], as_of: datetime) -> list[Json]:
    """Every event concerning the person and every action on those events, oldest first."""
    roles: dict[int, set[str]] = {}
    for event_id, role in session.execute(
        select(EventPerson.event_id, EventPerson.role).where(EventPerson.person_id.in_(ids))
    ):
        roles.setdefault(event_id, set()).add(role)
    event_ids = set(roles) | set(
        session.scalars(select(Action.event_id).where(Action.person_id.in_(ids)))
    )
    events = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(event_ids)))}
    items: list[tuple[datetime, int, Json]] = []
    for ev in events.values():
        made = ev.reported_at or ev.occurred_at
        if made > as_of:
            continue
        items.append((ev.occurred_at, 0, _event_item(ev, sorted(roles.get(ev.id, ())))))
    for act in session.scalars(
        select(Action).where(Action.event_id.in_(event_ids), Action.at <= as_of)
    ):
        ev = events[act.event_id]
        if act.person_id is not None and act.person_id not in ids:
            continue  # another person's per-child action
        items.append((act.at, 1, _action_item(act, ev)))
    items.sort(key=lambda t: (t[0], t[1], t[2]["key"]))
    return [item for _, _, item in items]


def _event_item(ev: Event, roles: list[str]) -> Json:
    return {
        "type": "event",
        "key": ev.key,
        "source": ev.source,
        "kind": ev.kind,
        "at": _iso(ev.occurred_at),
        "reported_at": _iso(ev.reported_at),
        "closed_at": _iso(ev.closed_at),
        "roles": roles,
        "risk_level": ev.risk_level,
        "summary": ev.summary,
        "details": ev.details,
    }


def _action_item(act: Action, ev: Event) -> Json:
    return {
        "type": "action",
        "key": act.key,
        "source": act.source,
        "kind": act.kind,
        "at": _iso(act.at),
        "event": ev.key,
        "text": act.text,
        "details": act.details,
    }


def links(session: Session, ids: list[int], as_of: datetime) -> list[Json]:
    """People, places and phones linked to the person, with how."""
    found: list[Json] = []
    for rel in session.scalars(
        select(Relation).where(or_(Relation.a_id.in_(ids), Relation.b_id.in_(ids)))
    ):
        if rel.since and rel.since > as_of:
            continue
        other_id = rel.b_id if rel.a_id in ids else rel.a_id
        other = session.get(Person, other_id)
        if other is None or other_id in ids:
            continue
        how = rel.kind if rel.a_id in ids else f"{rel.kind} (of this person)"
        found.append(_link("person", other.key, other.full_name, how, rel.since, rel.until))
    for res, loc in session.execute(
        select(Residence, Location)
        .join(Location, Location.id == Residence.location_id)
        .where(Residence.person_id.in_(ids))
    ):
        if res.since and res.since > as_of:
            continue
        found.append(_link("place", loc.key, loc.address, "resident", res.since, res.until))
    for use, obj in session.execute(
        select(Uses, PoleObject)
        .join(PoleObject, PoleObject.id == Uses.object_id)
        .where(Uses.person_id.in_(ids))
    ):
        if use.since and use.since > as_of:
            continue
        found.append(_link(obj.kind, obj.key, obj.value, "uses", use.since, use.until))
    return found


def _link(
    kind: str, key: str, label: str, how: str, since: datetime | None, until: datetime | None
) -> Json:
    return {
        "type": kind,
        "key": key,
        "label": label,
        "how": how,
        "since": _iso(since),
        "until": _iso(until),
    }


def minimal_picture(*, session: Session, person: Person, as_of: datetime) -> Json:
    people = cluster_people(session=session, person_id=person.id)
    ids = [p.id for p in people]
    return {
        "person": person_summary(people, as_of),
        "flags": flags_in_force(session, ids, as_of),
        "suggested_flags": [],
        "missing": None,
        "cse": None,
        "links": links(session, ids, as_of),
        "alerts": [],
        "timeline": timeline(session, ids, as_of),
        "engine": "store",
    }


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
