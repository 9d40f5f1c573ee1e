"""Offender management: an RSO visit and an ARMS assessment, recorded as actions
(``rso_visit``, ``arms_assessment``) naming the offender on their ``rso_management`` event
(one is opened when the offender has none), which RSO_REVIEW_OVERDUE reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.errors import NotFoundError
from safeguard.pole.models import Event, EventPerson
from safeguard.pole.people import cluster_person_ids, person_by_key
from safeguard.web.records import SOURCE, Rec, new_id, stamp
from safeguard.web.steps import YES_NO, Field, Step, Subject, action
from safeguard.web.subjects import flag_in_force, person_subject
from safeguard.web.templating import uk_date

VISIT_KINDS = (
    ("home_unannounced", "Home visit, unannounced"),
    ("home_announced", "Home visit, announced"),
    ("office", "Office appointment"),
)
WHEN_HINT = "For example 2026-11-25T14:30"


def _event_and_opening(subject: Subject, now: datetime, by: str) -> tuple[str, list[Rec]]:
    """The offender's rso_management event, opened now if they have none."""
    if subject.event is not None:
        return subject.event.key, []
    event: Rec = {
        "record": "event",
        "source": SOURCE,
        "id": new_id("RSO"),
        "kind": "rso_management",
        "occurred_at": stamp(now),
        "reported_at": stamp(now),
        "people": [{"person": subject.person_key, "role": "subject"}],
        "details": {"recorded_by": by},
    }
    return f"{SOURCE}:{event['id']}", [event]


def _visit_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    event_key, opened = _event_and_opening(subject, now, by)
    details: dict[str, object] = {
        "visit": values["visit"],
        "officer": values["officer"],
        "children_contact": values["children"] == "yes",
    }
    if values["children_detail"]:
        details["children_detail"] = values["children_detail"]
    visit = action(
        "rso_visit",
        at=values["visited_at"],
        event=event_key,
        person=subject.person_key,
        by=by,
        text=values["notes"],
        details=details,
    )
    return [*opened, visit]


VISIT = Step(
    slug="visit",
    title="Record a visit",
    button="Save visit",
    purpose="registered sex offender visit",
    fields=(
        Field("visited_at", "When was the visit?", "time", WHEN_HINT, what="when the visit was"),
        Field("visit", "Kind of visit", "choice", options=VISIT_KINDS),
        Field("officer", "Offender manager who visited"),
        Field(
            "children",
            "Were children present, or any sign of contact with children?",
            "choice",
            options=YES_NO,
            what="whether children were present or there was contact with children",
        ),
        Field(
            "children_detail",
            "The children and the contact",
            "textarea",
            "Names, ages, how they are connected: this may need a referral",
            required_when=("children", "yes"),
        ),
        Field("notes", "What was seen and discussed", "textarea"),
    ),
    build=_visit_build,
)


def _arms_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    event_key, opened = _event_and_opening(subject, now, by)
    assessment = action(
        "arms_assessment",
        at=values["assessed_at"],
        event=event_key,
        person=subject.person_key,
        by=by,
        text=values["plan"],
        details={
            "assessor": values["assessor"],
            "priorities": values["priorities"],
            "protective_factors": values["protective"],
        },
    )
    return [*opened, assessment]


ARMS = Step(
    slug="arms",
    title="Record an ARMS assessment",
    button="Save ARMS assessment",
    purpose="ARMS assessment",
    intro="Active Risk Management System: dynamic risk factors for sexual reoffending and "
    "protective factors, and the risk management plan that follows.",
    fields=(
        Field(
            "assessed_at",
            "When was the assessment completed?",
            "time",
            WHEN_HINT,
            what="when the assessment was completed",
        ),
        Field("assessor", "Assessor"),
        Field("priorities", "Risk priorities", "textarea", "The risk factors found present"),
        Field("protective", "Protective factors", "textarea"),
        Field("plan", "Risk management plan", "textarea"),
    ),
    build=_arms_build,
)

OFFENDER_STEPS = (VISIT, ARMS)


def load_offender(*, session: Session, key: str, username: str, as_of: datetime) -> Subject:
    """The offender ``key`` with their latest rso_management event; only while flagged."""
    subject = person_subject(session=session, key=key, username=username, as_of=as_of)
    flag = flag_in_force(
        session=session, person_key=key, kind="registered_sex_offender", as_of=as_of
    )
    if flag is None:
        raise NotFoundError(f"{key} has no registered sex offender marker in force")
    subject.flags["registered_sex_offender"] = flag.level or "none"
    person = person_by_key(session=session, key=key)
    ids = cluster_person_ids(session=session, person_id=person.id)
    subject.event = session.scalar(
        select(Event)
        .join(EventPerson, EventPerson.event_id == Event.id)
        .where(Event.kind == "rso_management", EventPerson.person_id.in_(ids))
        .order_by(Event.occurred_at.desc(), Event.id.desc())
        .limit(1)
    )
    subject.caption = f"Registered sex offender: {subject.person_name}"
    subject.facts["Marker"] = f"level {flag.level or 'none'}, since {uk_date(flag.since)}"
    if subject.event is not None:
        subject.facts["Management record"] = subject.event.key
    return subject
