"""The records the figures are computed from, loaded once per report in a few bulk queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.pole.models import Action, Event, EventPerson, Flag, Location, Officer, Person
from safeguard.quality.areas import area_of
from safeguard.risk.clocks import age_on
from safeguard.risk.models import AlertRecord
from safeguard.timeutil import uk_date

CHILD_ROLES = {"child_present", "missing_person", "detained_child"}
CP_KINDS = {"sexual_offence", "physical_abuse", "cse_concern", "online_abuse", "police_protection"}


@dataclass(frozen=True)
class Participant:
    person_id: int
    key: str
    role: str
    age: int | None

    @property
    def is_child(self) -> bool:
        return self.age < 18 if self.age is not None else self.role in CHILD_ROLES


@dataclass(frozen=True)
class ActionRecord:
    key: str
    kind: str
    at: datetime
    person_id: int | None
    details: dict[str, Any]


@dataclass
class Case:
    """An event with its people and actions."""

    id: int
    key: str
    kind: str
    occurred_at: datetime
    reported_at: datetime
    closed_at: datetime | None
    area: str
    details: dict[str, Any]
    location_id: int | None
    officer: Officer | None
    people: list[Participant] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)

    def children(self, *roles: str) -> list[Participant]:
        return [p for p in self.people if p.is_child and (not roles or p.role in roles)]

    def with_role(self, *roles: str) -> list[Participant]:
        return [p for p in self.people if p.role in roles]

    def first(self, kind: str, person_id: int | None = None) -> ActionRecord | None:
        found = [
            a
            for a in self.actions
            if a.kind == kind and (person_id is None or a.person_id == person_id)
        ]
        return min(found, key=lambda a: a.at) if found else None

    def all(self, kind: str) -> list[ActionRecord]:
        return sorted((a for a in self.actions if a.kind == kind), key=lambda a: a.at)

    @property
    def is_child_protection(self) -> bool:
        if self.kind == "child_concern":
            return bool(self.details.get("significant_harm"))
        return self.kind in CP_KINDS and bool(self.children("victim", "subject"))

    @property
    def is_child_centred(self) -> bool:
        if self.is_child_protection or self.kind == "child_concern":
            return True
        return self.kind == "domestic_abuse" and (
            bool(self.with_role("child_present")) or bool(self.details.get("children_present"))
        )


def _age(dob: date | None, on: date) -> int | None:
    return age_on(dob, on) if dob is not None else None


@dataclass
class Records:
    cases: list[Case]
    flags: list[Flag]
    rso_actions: dict[int, list[ActionRecord]]  # person id -> arms/visit actions
    alerts: list[AlertRecord] = field(default_factory=list)  # kept alerts (risk sweep)

    def flags_of(self, kind: str) -> list[Flag]:
        return [f for f in self.flags if f.kind == kind]


def load_records(*, session: Session, start: datetime, end: datetime) -> Records:
    """Events that occurred from ``start`` (inclusive) to ``end`` (exclusive), with what
    belongs to them, plus sex-offender flags and their assessments and visits."""
    officers = {o.id: o for o in session.scalars(select(Officer))}
    rows = session.execute(
        select(Event, Location.postcode)
        .outerjoin(Location, Location.id == Event.location_id)
        .where(Event.occurred_at >= start, Event.occurred_at < end)
        .order_by(Event.occurred_at, Event.id)
    ).all()
    cases: dict[int, Case] = {}
    for ev, postcode in rows:
        officer = officers.get(ev.allocated_to_id) if ev.allocated_to_id else None
        cases[ev.id] = Case(
            id=ev.id,
            key=ev.key,
            kind=ev.kind,
            occurred_at=ev.occurred_at,
            reported_at=ev.reported_at or ev.occurred_at,
            closed_at=ev.closed_at,
            area=area_of(postcode=postcode, team=officer.team if officer else None),
            details=ev.details or {},
            location_id=ev.location_id,
            officer=officer,
        )
    ids = list(cases)
    for chunk in (ids[i : i + 900] for i in range(0, len(ids), 900)):
        people = session.execute(
            select(
                EventPerson.event_id,
                EventPerson.person_id,
                EventPerson.role,
                Person.source,
                Person.source_id,
                Person.dob,
            )
            .join(Person, Person.id == EventPerson.person_id)
            .where(EventPerson.event_id.in_(chunk))
        )
        for event_id, pid, role, source, sid, dob in people:
            case = cases[event_id]
            case.people.append(
                Participant(pid, f"{source}:{sid}", role, _age(dob, uk_date(case.occurred_at)))
            )
        for act in session.scalars(select(Action).where(Action.event_id.in_(chunk))):
            cases[act.event_id].actions.append(_action(act))
    flags = list(
        session.scalars(select(Flag).where(Flag.kind.in_(["registered_sex_offender", "cse_risk"])))
    )
    rso_actions: dict[int, list[ActionRecord]] = defaultdict(list)
    offender_ids = list({f.person_id for f in flags if f.kind == "registered_sex_offender"})
    for chunk in (offender_ids[i : i + 900] for i in range(0, len(offender_ids), 900)):
        for act in session.scalars(
            select(Action).where(
                Action.person_id.in_(chunk), Action.kind.in_(["arms_assessment", "rso_visit"])
            )
        ):
            if act.person_id is not None:
                rso_actions[act.person_id].append(_action(act))
    alerts = list(session.scalars(select(AlertRecord).where(AlertRecord.first_seen_at < end)))
    return Records(list(cases.values()), flags, dict(rso_actions), alerts)


def _action(act: Action) -> ActionRecord:
    return ActionRecord(act.key, act.kind, act.at, act.person_id, act.details or {})
