"""Finding what a step form is about: an event of a kind with its child, or a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.errors import NotFoundError
from safeguard.pole.models import EventPerson, Flag, Person
from safeguard.pole.people import cluster_person_ids, person_by_key
from safeguard.web.closure import event_by_key
from safeguard.web.picture import age_at
from safeguard.web.steps import Subject


def _name(session: Session, person: Person, username: str) -> str:
    if restrictions.load(session=session).hides(username, [person.key]):
        return RESTRICTED_LABEL
    return person.full_name or person.key


def event_subject(*, session: Session, key: str, kind: str, role: str, username: str) -> Subject:
    """The event ``key`` of ``kind`` and the (first) person in it with ``role``."""
    event = event_by_key(session=session, key=key)
    if event.kind != kind:
        raise NotFoundError(f"{key} is not a {kind.replace('_', ' ')} record")
    person = session.scalar(
        select(Person)
        .join(EventPerson, EventPerson.person_id == Person.id)
        .where(EventPerson.event_id == event.id, EventPerson.role == role)
        .order_by(Person.id)
        .limit(1)
    )
    if person is None:
        raise NotFoundError(f"{key} names no {role.replace('_', ' ')}")
    return Subject(
        key=event.key,
        person_key=person.key,
        person_name=_name(session, person, username),
        age=age_at(person.dob, event.occurred_at),
        event=event,
    )


def person_subject(*, session: Session, key: str, username: str, as_of: datetime) -> Subject:
    person = person_by_key(session=session, key=key)
    return Subject(
        key=person.key,
        person_key=person.key,
        person_name=_name(session, person, username),
        age=age_at(person.dob, as_of),
    )


def flag_in_force(*, session: Session, person_key: str, kind: str, as_of: datetime) -> Flag | None:
    """The latest flag of ``kind`` in force on any key of the person (through their cluster)."""
    person = person_by_key(session=session, key=person_key)
    ids = cluster_person_ids(session=session, person_id=person.id)
    flags = session.scalars(
        select(Flag)
        .where(Flag.person_id.in_(ids), Flag.kind == kind, Flag.since <= as_of)
        .order_by(Flag.since.desc())
    )
    return next((f for f in flags if f.until is None or f.until > as_of), None)
