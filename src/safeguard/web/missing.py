"""A missing episode, recorded as the risk rules read it (spec/exchange-format.md,
spec/alerts.md): the report, found (``details.found_at``, ``found_location``), the missing
risk assessment, the safe and well check (24 hours) and the return interview (72 hours).

A return interview not done is kept with its reason as ``return_interview_not_done``: it
does not satisfy RETURN_INTERVIEW_OVERDUE, which stays for a person to acknowledge.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.pole.models import Action
from safeguard.timeutil import parse_time
from safeguard.web.records import SOURCE, Rec, key_of, new_id, stamp
from safeguard.web.steps import (
    YES_NO,
    Errors,
    Field,
    Step,
    Subject,
    action,
    location,
    not_before,
    parse_local,
)
from safeguard.web.subjects import event_subject, flag_in_force
from safeguard.web.templating import uk_time

RISK_LEVELS = (
    ("no_apparent_risk", "No apparent risk (absent)"),
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
)
MISSING_FROM = (("home", "Home"), ("care", "Care (foster or children's home)"))
WHEN_HINT = "For example 2026-11-25T14:30"
DONE_KINDS = ("missing_risk_assessment", "safe_and_well_check", "return_interview")


def _found(subject: Subject) -> Errors:
    if "found_at" not in subject.marks:
        return [{"text": "Record that the child has been found first", "href": "#found"}]
    return []


# ---- reporting a child missing ---------------------------------------------------------------
def _report_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    since = parse_local(values["missing_since"])
    error = not_before(values, "reported_at", since, "When the child was reported missing")
    errors = [error] if error else []
    if subject.age is not None and subject.age >= 18:
        adult = "This person is not a child: use the adult process"
        errors.append({"text": adult, "href": "#missing_since"})
    return errors


def _report_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    place = location(values["address"])
    event: Rec = {
        "record": "event",
        "source": SOURCE,
        "id": new_id("MISS"),
        "kind": "missing_episode",
        "occurred_at": values["missing_since"],
        "reported_at": values["reported_at"],
        "location": key_of(place),
        "summary": values["circumstances"],
        "people": [{"person": subject.person_key, "role": "missing_person"}],
        "details": {
            "reported_missing_at": values["reported_at"],
            "missing_from": values["missing_from"],
            "recorded_by": by,
        },
    }
    return [place, event]


REPORT = Step(
    slug="new",
    title="Report a child missing",
    button="Report missing",
    purpose="missing child reported",
    fields=(
        Field(
            "missing_since",
            "When was the child last seen?",
            "time",
            WHEN_HINT,
            what="when the child was last seen",
        ),
        Field(
            "reported_at",
            "When was the child reported missing?",
            "time",
            WHEN_HINT,
            what="when the child was reported missing",
        ),
        Field("missing_from", "Missing from", "choice", options=MISSING_FROM),
        Field("address", "Address the child went missing from"),
        Field("circumstances", "Circumstances: what happened, who reported it", "textarea"),
    ),
    check=_report_check,
    build=_report_build,
)


# ---- found ------------------------------------------------------------------------------------
def _found_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    if "found_at" in subject.marks:
        return [{"text": "This child is already recorded as found", "href": "#found_at"}]
    error = not_before(values, "found_at", subject.marks.get("since"), "When the child was found")
    return [error] if error else []


def _found_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    assert subject.event is not None
    place = location(values["found_location"])
    event: Rec = json.loads(subject.event.payload)
    event["details"] = {
        **event.get("details", {}),
        "found_at": values["found_at"],
        "found_location": key_of(place),
    }
    return [place, event]


FOUND = Step(
    slug="found",
    title="Record that the child has been found",
    button="Save found",
    purpose="missing child found",
    fields=(
        Field(
            "found_at",
            "When was the child found?",
            "time",
            WHEN_HINT,
            what="when the child was found",
        ),
        Field(
            "found_location",
            "Where was the child found?",
            hint="Address or description",
            what="where the child was found",
        ),
    ),
    check=_found_check,
    build=_found_build,
)


# ---- risk assessment --------------------------------------------------------------------------
def _risk_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    # ACPO/NPCC 2015: grading a child with CSE markers as absent needs a supervisor's rationale
    if (
        "cse_risk" in subject.flags
        and values["level"] == "no_apparent_risk"
        and not values["supervisor"]
    ):
        return [
            {
                "text": "This child has a CSE risk marker: enter the supervisor who agreed "
                "no apparent risk",
                "href": "#supervisor",
            }
        ]
    return []


def _risk_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    assert subject.event is not None
    details: dict[str, object] = {"level": values["level"]}
    if values["supervisor"]:
        details["supervisor"] = values["supervisor"]
    return [
        action(
            "missing_risk_assessment",
            at=stamp(now),
            event=subject.event.key,
            person=subject.person_key,
            by=by,
            text=values["rationale"],
            details=details,
        )
    ]


RISK = Step(
    slug="risk",
    title="Record the missing risk assessment",
    button="Save risk assessment",
    purpose="missing risk assessment",
    fields=(
        Field("level", "Risk level", "choice", options=RISK_LEVELS),
        Field(
            "rationale",
            "Why this level",
            "textarea",
            "Previous episodes, CSE, self-harm, looked after, age, who told you what",
        ),
        Field(
            "supervisor",
            "Supervisor who agreed the level (if any)",
            hint="Needed to grade a child with a CSE risk marker as no apparent risk",
            required=False,
        ),
    ),
    check=_risk_check,
    build=_risk_build,
)


# ---- safe and well check ----------------------------------------------------------------------
def _after_found(values: dict[str, str], subject: Subject, name: str, what: str) -> Errors:
    errors = _found(subject)
    if not errors:
        error = not_before(values, name, subject.marks["found_at"], what)
        errors = [error] if error else []
    return errors


def _safe_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    return _after_found(values, subject, "done_at", "When the check was done")


def _safe_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    assert subject.event is not None
    return [
        action(
            "safe_and_well_check",
            at=values["done_at"],
            event=subject.event.key,
            person=subject.person_key,
            by=by,
            text=values["notes"],
            details={"officer": values["officer"]},
        )
    ]


SAFE_AND_WELL = Step(
    slug="safe-and-well",
    title="Record the safe and well check",
    button="Save safe and well check",
    purpose="safe and well check",
    fields=(
        Field(
            "done_at", "When was the check done?", "time", WHEN_HINT, what="when the check was done"
        ),
        Field("officer", "Officer who did the check"),
        Field(
            "notes",
            "What the child said and how they seemed",
            "textarea",
            "Injuries, where they were, who with, whether they are safe now",
        ),
    ),
    check=_safe_check,
    build=_safe_build,
)


# ---- return interview -------------------------------------------------------------------------
def _interview_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    if values["done"] != "yes":
        return _found(subject)
    return _after_found(values, subject, "done_at", "When the interview was done")


def _interview_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    assert subject.event is not None
    if values["done"] == "no":
        return [
            action(
                "return_interview_not_done",
                at=stamp(now),
                event=subject.event.key,
                person=subject.person_key,
                by=by,
                text=values["reason"],
            )
        ]
    return [
        action(
            "return_interview",
            at=values["done_at"],
            event=subject.event.key,
            person=subject.person_key,
            by=by,
            text=values["account"],
            details={"interviewer": values["interviewer"], "child_views": values["views"]},
        )
    ]


INTERVIEW = Step(
    slug="return-interview",
    title="Record the return interview",
    button="Save return interview",
    purpose="return interview",
    intro="An independent return interview must be offered within 72 hours of the child's "
    "return, by someone not involved in their care (DfE guidance, 2014).",
    fields=(
        Field(
            "done",
            "Has the return interview been done?",
            "choice",
            options=YES_NO,
            what="whether the return interview has been done",
        ),
        Field(
            "done_at",
            "When was it done?",
            "time",
            required_when=("done", "yes"),
            what="when the return interview was done",
        ),
        Field(
            "interviewer",
            "Who carried it out (name and organisation)?",
            required_when=("done", "yes"),
            what="who carried out the interview",
        ),
        Field(
            "account",
            "The child's account: where they went, with whom, what happened",
            "textarea",
            required_when=("done", "yes"),
        ),
        Field(
            "views",
            "The child's views and wishes, in their own words",
            "textarea",
            required_when=("done", "yes"),
        ),
        Field("reason", "If not done, why not", "textarea", required_when=("done", "no")),
    ),
    check=_interview_check,
    build=_interview_build,
)

EPISODE_STEPS = (FOUND, RISK, SAFE_AND_WELL, INTERVIEW)


def load_episode(*, session: Session, key: str, username: str, as_of: datetime) -> Subject:
    subject = event_subject(
        session=session, key=key, kind="missing_episode", role="missing_person", username=username
    )
    event = subject.event
    assert event is not None
    details = event.details if isinstance(event.details, dict) else {}
    subject.caption = f"Missing episode ({event.key}): {subject.person_name}"
    subject.marks["since"] = event.occurred_at
    subject.facts["Missing since"] = _shown(event.occurred_at)
    if isinstance(details.get("found_at"), str):
        subject.marks["found_at"] = parse_time(details["found_at"])
        subject.facts["Found"] = _shown(subject.marks["found_at"])
    else:
        subject.facts["Found"] = "Not yet"
    done = _latest_actions(session, event.id)
    for kind, (at, text) in done.items():
        subject.facts[kind.replace("_", " ").capitalize()] = f"{_shown(at)}: {text}"
    flag = flag_in_force(
        session=session, person_key=subject.person_key, kind="cse_risk", as_of=as_of
    )
    if flag is not None:
        subject.flags["cse_risk"] = flag.level or "none"
    return subject


def _latest_actions(session: Session, event_id: int) -> dict[str, tuple[datetime, str]]:
    rows = session.execute(
        select(Action.kind, Action.at, Action.text, Action.details)
        .where(Action.event_id == event_id)
        .where(Action.kind.in_((*DONE_KINDS, "return_interview_not_done")))
        .order_by(Action.at)
    )
    found: dict[str, tuple[datetime, str]] = {}
    for kind, at, text, details in rows:
        level = (details or {}).get("level")
        found[kind] = (at, level if level else (text or ""))
    return found


def _shown(when: datetime) -> str:
    return uk_time(when)
