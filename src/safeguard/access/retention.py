"""Retention under the Management of Police Information (domain-rules.md section 7).

Each person (all their linked keys) falls in a review group: 1, public protection (a
registered sex offender or MAPPA flag): retained until aged 100, reviewed every 10 years;
2, suspected of a sexual, violent or child-abuse offence: reviewed after 10 clear years;
3, everyone else: reviewed after 6 clear years. A clear period runs from the last contact (any
event or action concerning the person), or from the last review decision if later. The years
are force policy: settings, not constants. Erasure is a reasoned act, logged as ERASE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from safeguard.access import processing_log
from safeguard.access.models import RetentionReview
from safeguard.access.processing_log import Actor, Operation
from safeguard.errors import InvalidInputError
from safeguard.pole.models import Action, Event, EventPerson, Flag, Person
from safeguard.pole.people import cluster_people, clusters_of, person_by_key
from safeguard.timeutil import now_utc

PUBLIC_PROTECTION_FLAGS = ("registered_sex_offender", "mappa")
SERIOUS_EVENTS = (
    "sexual_offence",
    "physical_abuse",
    "cse_concern",
    "online_abuse",
    "domestic_abuse",
)


@dataclass(frozen=True)
class RetentionPolicy:
    group1_review_years: int = 10
    group1_retain_until_age: int = 100
    group2_clear_years: int = 10
    group3_clear_years: int = 6


@dataclass(frozen=True)
class RetentionItem:
    key: str
    keys: list[str]
    group: int
    last_contact: datetime | None
    next_review: date
    retain_until: date | None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _latest(values: list[datetime | None]) -> datetime | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def assess(*, session: Session, policy: RetentionPolicy | None = None) -> list[RetentionItem]:
    """Every person's review group and next review date."""
    policy = policy or RetentionPolicy()
    people = list(session.execute(select(Person.id, Person.source, Person.source_id, Person.dob)))
    clusters = clusters_of(session=session, person_ids=[p.id for p in people])
    contact: dict[int, datetime | None] = {}
    event_times = (
        select(EventPerson.person_id, func.max(Event.occurred_at))
        .join(Event, Event.id == EventPerson.event_id)
        .group_by(EventPerson.person_id)
    )
    action_times = (
        select(Action.person_id, func.max(Action.at))
        .where(Action.person_id.is_not(None))
        .group_by(Action.person_id)
    )
    for pid, at in [*session.execute(event_times), *session.execute(action_times)]:
        cluster = clusters.get(pid, pid)
        contact[cluster] = _latest([contact.get(cluster), at])
    group1 = {
        clusters.get(p, p)
        for p in session.scalars(
            select(Flag.person_id).where(Flag.kind.in_(PUBLIC_PROTECTION_FLAGS))
        )
    }
    group2 = {
        clusters.get(p, p)
        for p in session.scalars(
            select(EventPerson.person_id)
            .join(Event, Event.id == EventPerson.event_id)
            .where(EventPerson.role == "suspect", Event.kind.in_(SERIOUS_EVENTS))
        )
    }
    reviewed: dict[str, datetime] = {}
    for key, at in session.execute(select(RetentionReview.person_key, RetentionReview.at)):
        reviewed[key] = max(at, reviewed.get(key, at))
    members: dict[int, list[tuple[str, date | None]]] = {}
    for p in people:
        members.setdefault(clusters[p.id], []).append((f"{p.source}:{p.source_id}", p.dob))
    items = []
    for cluster, keys in members.items():
        key = min(keys)[0]
        group = 1 if cluster in group1 else 2 if cluster in group2 else 3
        last = _latest([contact.get(cluster), reviewed.get(key)])
        start = (last or now_utc()).date()
        dob = next((d for _, d in keys if d), None)
        if group == 1:
            next_review = _add_years(start, policy.group1_review_years)
            until = _add_years(dob, policy.group1_retain_until_age) if dob else None
        else:
            years = policy.group2_clear_years if group == 2 else policy.group3_clear_years
            next_review, until = _add_years(start, years), None
        items.append(
            RetentionItem(
                key, sorted(k for k, _ in keys), group, contact.get(cluster), next_review, until
            )
        )
    return sorted(items, key=lambda i: (i.next_review, i.key))


def due(
    *, session: Session, as_of: date, policy: RetentionPolicy | None = None
) -> list[RetentionItem]:
    return [i for i in assess(session=session, policy=policy) if i.next_review <= as_of]


def review(
    *, session: Session, key: str, decision: str, reason: str, actor: Actor
) -> RetentionReview:
    """Record a review decision. `erase` deletes every record of the person and logs ERASE."""
    if decision not in ("retain", "erase"):
        raise InvalidInputError("a review decision is 'retain' or 'erase'")
    if len(reason.strip()) < 10:
        raise InvalidInputError("a review decision needs its rationale")
    person = person_by_key(session=session, key=key)
    people = cluster_people(session=session, person_id=person.id)
    keys = sorted(p.key for p in people)
    item = next(i for i in assess(session=session) if keys[0] in i.keys)
    row = RetentionReview(
        person_key=item.key,
        keys=keys,
        group=item.group,
        decision=decision,
        reason=reason.strip(),
        by=actor.name,
        at=now_utc(),
    )
    session.add(row)
    if decision == "erase":
        session.execute(delete(Person).where(Person.id.in_([p.id for p in people])))
        processing_log.append(
            session=session,
            operation=Operation.ERASE,
            actor=actor,
            records=keys,
            purpose="MoPI review: erased",
            justification=reason,
        )
    else:
        processing_log.append(
            session=session,
            operation=Operation.ALTER,
            actor=actor,
            records=keys,
            purpose="MoPI review: retained",
            justification=reason,
        )
    session.flush()
    return row
