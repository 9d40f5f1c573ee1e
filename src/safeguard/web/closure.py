"""Closing a case: refused until, for every child in it, the outcome, the child's views (or
demeanour if under 4) and whether the child was told are recorded, or a reason why not."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from safeguard.errors import InvalidInputError, NotFoundError
from safeguard.pole.models import Action, Event, EventPerson, Person
from safeguard.pole.people import clusters_of
from safeguard.web.picture import age_at
from safeguard.web.records import SOURCE, Rec, new_id, stamp

CHILD_ROLES = ("victim", "subject", "child_present", "missing_person", "detained_child")
NO_DOB_CHILD_ROLES = ("child_present", "missing_person", "detained_child")
VOICE_AGE = 4


@dataclass
class ChildAtClosure:
    index: int
    key: str
    name: str
    age: int | None
    recorded: set[str] = field(default_factory=set)

    @property
    def speaks(self) -> bool:
        return self.age is None or self.age >= VOICE_AGE

    @property
    def needs(self) -> list[str]:
        """What is still to be recorded for this child, in the form's order."""
        wanted = ["outcome"]
        wanted += ["child_views", "child_informed"] if self.speaks else ["child_demeanour"]
        return [w for w in wanted if w not in self.recorded]


def event_by_key(*, session: Session, key: str) -> Event:
    source, sep, ident = key.partition(":")
    ev = session.scalar(select(Event).where(Event.source == source, Event.source_id == ident))
    if not sep or ev is None:
        raise NotFoundError(f"no case with key {key!r}")
    return ev


def children_of(*, session: Session, event: Event) -> list[ChildAtClosure]:
    rows = session.execute(
        select(EventPerson.role, Person)
        .join(Person, Person.id == EventPerson.person_id)
        .where(EventPerson.event_id == event.id, EventPerson.role.in_(CHILD_ROLES))
        .order_by(Person.id)
    ).all()
    people = {p.id: (role, p) for role, p in rows}
    clusters = clusters_of(session=session, person_ids=list(people))
    acted = session.execute(
        select(Action.person_id, Action.kind).where(
            Action.event_id == event.id, Action.person_id.is_not(None)
        )
    ).all()
    of = clusters_of(session=session, person_ids=[pid for pid, _ in acted if pid is not None])
    done: dict[int, set[str]] = {}
    for pid, kind in acted:
        if pid is not None:  # a reason recorded instead of the thing itself also counts
            base = kind.removesuffix("_not_recorded").removesuffix("_not_obtained")
            done.setdefault(of[pid], set()).add(base)
    children: list[ChildAtClosure] = []
    for role, person in people.values():
        age = age_at(person.dob, event.occurred_at)
        is_child = (age is not None and age < 18) or (age is None and role in NO_DOB_CHILD_ROLES)
        if is_child:
            children.append(
                ChildAtClosure(
                    index=len(children) + 1,
                    key=person.key,
                    name=person.full_name,
                    age=age,
                    recorded=done.get(clusters[person.id], set()),
                )
            )
    return children


FIELDS = {
    "outcome": "outcome for the child",
    "child_views": "the child's views",
    "child_informed": "how the child was told of the decision",
    "child_demeanour": "the child's demeanour",
}


def validate(
    children: list[ChildAtClosure], form: FormData
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The values typed (kept on error) and the errors: each need needs a text or a reason."""
    values = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    errors: list[dict[str, str]] = []
    for child in children:
        for need in child.needs:
            name = f"c{child.index}_{need}"
            if not values.get(name) and not values.get(f"{name}_reason"):
                errors.append(
                    {
                        "text": f"Enter {FIELDS[need]} ({child.name}), or why it was not recorded",
                        "href": f"#{name}",
                    }
                )
    if not values.get("summary"):
        errors.append({"text": "Enter why the case can be closed", "href": "#summary"})
    return values, errors


def to_records(
    *, event: Event, children: list[ChildAtClosure], values: dict[str, str], now: datetime, by: str
) -> list[Rec]:
    at = stamp(now)
    event_key = f"{event.source}:{event.source_id}"
    actions: list[Rec] = []
    for child in children:
        for need in child.needs:
            name = f"c{child.index}_{need}"
            text = values.get(name)
            kind = need if text else f"{need}_not_recorded"
            actions.append(
                _action(kind, at, event_key, child.key, text or values[f"{name}_reason"], by)
            )
    actions.append(_action("closure", at, event_key, None, values["summary"], by))
    closed: Rec = json.loads(event.payload)
    if closed.get("closed_at"):
        raise InvalidInputError("this case is already closed")
    closed["closed_at"] = at
    return [closed, *actions]


def _action(kind: str, at: str, event: str, person: str | None, text: str, by: str) -> Rec:
    rec: Rec = {
        "record": "action",
        "source": SOURCE,
        "id": new_id("A"),
        "kind": kind,
        "at": at,
        "event": event,
        "text": text,
        "details": {"recorded_by": by},
    }
    if person:
        rec["person"] = person
    return rec
