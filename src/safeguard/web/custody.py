"""A child's custody record, stored as the custody rules of spec/alerts.md read it: the
``custody`` event (``details.charged``, ``intoxicated``, ``offence``; the child as
``detained_child``) and one action per step, named for the child. Release closes the event.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.pole.models import Action
from safeguard.web.records import SOURCE, Rec, new_id
from safeguard.web.steps import (
    YES_NO,
    Errors,
    Field,
    Step,
    Subject,
    action,
    not_before,
)
from safeguard.web.subjects import event_subject
from safeguard.web.templating import uk_time

# PACE Code C 1.7: in order of preference; never the child's solicitor, a suspect, victim or
# witness (domain-rules.md section 5)
APPROPRIATE_ADULTS = (
    ("parent_or_guardian", "Parent or guardian"),
    ("local_authority", "Local authority (the child is in care)"),
    ("social_worker", "Social worker"),
    ("other_adult", "Another responsible adult aged 18 or over, not police"),
)
# PACE s38(6): transfer impracticable, or (aged 12 or over) no secure accommodation and other
# accommodation would not protect the public from serious harm
CERTIFICATE_GROUNDS = (
    ("impracticable", "Transfer to local authority accommodation is impracticable"),
    (
        "no_secure_12plus",
        "No secure accommodation, and other accommodation would not protect the public "
        "(aged 12 or over)",
    ),
)
SECURE_MIN_AGE = 12
REVIEW_OUTCOMES = (("bail_granted", "Bail granted"), ("remains_in_custody", "Remains in custody"))
WHEN_HINT = "For example 2026-11-25T14:30"


def _event_key(subject: Subject) -> str:
    assert subject.event is not None
    return subject.event.key


def _not_before_detention(values: dict[str, str], subject: Subject, name: str) -> Errors:
    error = not_before(values, name, subject.marks.get("detained"), "This time")
    return [error] if error else []


def _open(subject: Subject) -> Errors:
    if "released" in subject.marks:
        closed = "This child has been released: the record is closed"
        return [{"text": closed, "href": "#main-content"}]
    return []


# ---- the record --------------------------------------------------------------------------------
def _new_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    event: Rec = {
        "record": "event",
        "source": SOURCE,
        "id": new_id("CUS"),
        "kind": "custody",
        "occurred_at": values["detained_at"],
        "reported_at": values["detained_at"],
        "people": [{"person": subject.person_key, "role": "detained_child"}],
        "details": {
            "offence": values["offence"],
            "charged": values["charged"] == "yes",
            "intoxicated": values["intoxicated"] == "yes",
            "recorded_by": by,
        },
    }
    if values["notes"]:
        event["summary"] = values["notes"]
    return [event]


NEW = Step(
    slug="new",
    title="Record a child in custody",
    button="Save custody record",
    purpose="child in custody recorded",
    fields=(
        Field(
            "detained_at",
            "When was detention authorised?",
            "time",
            WHEN_HINT,
            what="when detention was authorised",
        ),
        Field("offence", "Offence"),
        Field(
            "charged",
            "Has the child been charged?",
            "choice",
            options=YES_NO,
            what="whether the child has been charged",
        ),
        Field(
            "intoxicated",
            "Is the child intoxicated?",
            "choice",
            options=YES_NO,
            what="whether the child is intoxicated",
        ),
        Field("notes", "Notes (optional)", "textarea", required=False),
    ),
    build=_new_build,
)


# ---- steps on the record ---------------------------------------------------------------------
def _aa_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    return [
        action(
            "appropriate_adult",
            at=values["arrived_at"],
            event=_event_key(subject),
            person=subject.person_key,
            by=by,
            text=values["name"],
            details={"name": values["name"], "relationship": values["relationship"]},
        )
    ]


def _aa_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    return _open(subject) or _not_before_detention(values, subject, "arrived_at")


APPROPRIATE_ADULT = Step(
    slug="appropriate-adult",
    title="Record the appropriate adult",
    button="Save appropriate adult",
    purpose="appropriate adult",
    intro="Not the child's solicitor, and not a suspect, victim or witness (PACE Code C 1.7).",
    fields=(
        Field("name", "Name of the appropriate adult"),
        Field("relationship", "Who they are", "choice", options=APPROPRIATE_ADULTS),
        Field(
            "arrived_at",
            "When did they arrive?",
            "time",
            WHEN_HINT,
            what="when the appropriate adult arrived",
        ),
    ),
    check=_aa_check,
    build=_aa_build,
)


def _hcp_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    return _open(subject) or _not_before_detention(values, subject, "contacted_at")


def _hcp_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    return [
        action(
            "hcp_contact",
            at=values["contacted_at"],
            event=_event_key(subject),
            person=subject.person_key,
            by=by,
            text=values["outcome"],
            details={"practitioner": values["practitioner"]},
        )
    ]


HEALTHCARE = Step(
    slug="healthcare",
    title="Record healthcare practitioner contact",
    button="Save healthcare contact",
    purpose="healthcare practitioner contact",
    fields=(
        Field("practitioner", "Healthcare practitioner contacted"),
        Field(
            "contacted_at",
            "When were they contacted?",
            "time",
            WHEN_HINT,
            what="when the healthcare practitioner was contacted",
        ),
        Field("outcome", "Why, and what they advised", "textarea"),
    ),
    check=_hcp_check,
    build=_hcp_build,
)


def _bail_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    return _open(subject) or _not_before_detention(values, subject, "decided_at")


def _bail_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    assert subject.event is not None
    records: list[Rec] = []
    event: Rec = json.loads(subject.event.payload)
    charged = values["charged"] == "yes"
    if event.get("details", {}).get("charged") is not charged:
        event["details"] = {**event.get("details", {}), "charged": charged}
        records.append(event)
    details: dict[str, object] = {"denied": values["denied"] == "yes"}
    if values["reason"]:
        details["reason"] = values["reason"]
    records.append(
        action(
            "bail_decision",
            at=values["decided_at"],
            event=_event_key(subject),
            person=subject.person_key,
            by=by,
            text=values["reason"] or None,
            details=details,
        )
    )
    return records


BAIL = Step(
    slug="bail",
    title="Record the bail decision",
    button="Save bail decision",
    purpose="bail decision",
    fields=(
        Field(
            "charged",
            "Has the child been charged?",
            "choice",
            options=YES_NO,
            what="whether the child has been charged",
        ),
        Field(
            "denied", "Was bail refused?", "choice", options=YES_NO, what="whether bail was refused"
        ),
        Field(
            "reason",
            "Why was bail refused?",
            "textarea",
            required_when=("denied", "yes"),
            what="why bail was refused",
        ),
        Field(
            "decided_at",
            "When was the decision made?",
            "time",
            WHEN_HINT,
            what="when the bail decision was made",
        ),
    ),
    check=_bail_check,
    build=_bail_build,
)


def _la_request_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    return _open(subject) or _not_before_detention(values, subject, "requested_at")


def _la_request_build(
    values: dict[str, str], subject: Subject, now: datetime, by: str
) -> list[Rec]:
    return [
        action(
            "la_accommodation_request",
            at=values["requested_at"],
            event=_event_key(subject),
            person=subject.person_key,
            by=by,
            text=values["authority"],
            details={"authority": values["authority"], "secure": values["secure"] == "yes"},
        )
    ]


LA_REQUEST = Step(
    slug="la-request",
    title="Record the request for local authority accommodation",
    button="Save request",
    purpose="local authority accommodation request",
    intro="A charged child refused bail must be moved to local authority accommodation unless "
    "a certificate says why not (PACE s38(6)).",
    fields=(
        Field("authority", "Local authority and the person contacted"),
        Field(
            "secure",
            "Was secure accommodation asked for?",
            "choice",
            options=YES_NO,
            what="whether secure accommodation was asked for",
        ),
        Field(
            "requested_at",
            "When was the request made?",
            "time",
            WHEN_HINT,
            what="when the request was made",
        ),
    ),
    check=_la_request_check,
    build=_la_request_build,
)


def _la_response_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    return _open(subject) or _not_before_detention(values, subject, "responded_at")


def _la_response_build(
    values: dict[str, str], subject: Subject, now: datetime, by: str
) -> list[Rec]:
    return [
        action(
            "la_accommodation_response",
            at=values["responded_at"],
            event=_event_key(subject),
            person=subject.person_key,
            by=by,
            text=values["detail"],
            details={"provided": values["provided"] == "yes"},
        )
    ]


LA_RESPONSE = Step(
    slug="la-response",
    title="Record the local authority's response",
    button="Save response",
    purpose="local authority accommodation response",
    fields=(
        Field(
            "provided",
            "Did the local authority provide accommodation?",
            "choice",
            options=YES_NO,
            what="whether the local authority provided accommodation",
        ),
        Field("detail", "What the local authority said", "textarea"),
        Field(
            "responded_at",
            "When did they respond?",
            "time",
            WHEN_HINT,
            what="when the local authority responded",
        ),
    ),
    check=_la_response_check,
    build=_la_response_build,
)


def _review_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    errors = _open(subject) or _not_before_detention(values, subject, "reviewed_at")
    refused = subject.marks.get("la_refused")
    # CUSTODY_BAIL_NOT_REVIEWED counts only a review at or after the refusal
    error = not_before(values, "reviewed_at", refused, "The review after the refusal")
    return errors + ([error] if error and not errors else [])


def _review_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    return [
        action(
            "bail_review",
            at=values["reviewed_at"],
            event=_event_key(subject),
            person=subject.person_key,
            by=by,
            text=values["reason"],
            details={"outcome": values["outcome"]},
        )
    ]


BAIL_REVIEW = Step(
    slug="bail-review",
    title="Record the bail review",
    button="Save bail review",
    purpose="bail review",
    fields=(
        Field("outcome", "Outcome of the review", "choice", options=REVIEW_OUTCOMES),
        Field("reason", "Reasons", "textarea"),
        Field(
            "reviewed_at",
            "When was bail reviewed?",
            "time",
            WHEN_HINT,
            what="when bail was reviewed",
        ),
    ),
    check=_review_check,
    build=_review_build,
)


def _certificate_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    errors = _open(subject) or _not_before_detention(values, subject, "certified_at")
    if (
        values["ground"] == "no_secure_12plus"
        and subject.age is not None
        and subject.age < SECURE_MIN_AGE
    ):
        errors.append(
            {
                "text": f"The child is {subject.age}: the secure accommodation ground applies "
                "only from age 12",
                "href": "#ground",
            }
        )
    return errors


def _certificate_build(
    values: dict[str, str], subject: Subject, now: datetime, by: str
) -> list[Rec]:
    return [
        action(
            "detention_certificate",
            at=values["certified_at"],
            event=_event_key(subject),
            person=subject.person_key,
            by=by,
            text=values["reasons"],
            details={"ground": values["ground"]},
        )
    ]


CERTIFICATE = Step(
    slug="certificate",
    title="Record the detention certificate",
    button="Save certificate",
    purpose="detention certificate",
    intro="The offence, the child's behaviour or a lack of secure beds does not by itself make "
    "a transfer impracticable (PACE Code C Note 16D). The certificate goes to the court.",
    fields=(
        Field("ground", "Ground", "choice", options=CERTIFICATE_GROUNDS),
        Field("reasons", "Reasons", "textarea"),
        Field(
            "certified_at",
            "When was it certified?",
            "time",
            WHEN_HINT,
            what="when the certificate was made",
        ),
    ),
    check=_certificate_check,
    build=_certificate_build,
)


def _release_check(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    return _open(subject) or _not_before_detention(values, subject, "released_at")


def _release_build(values: dict[str, str], subject: Subject, now: datetime, by: str) -> list[Rec]:
    assert subject.event is not None
    event: Rec = json.loads(subject.event.payload)
    event["closed_at"] = values["released_at"]
    return [
        event,
        action(
            "custody_release",
            at=values["released_at"],
            event=_event_key(subject),
            person=subject.person_key,
            by=by,
            text=values["to"],
        ),
    ]


RELEASE = Step(
    slug="release",
    title="Record the child's release or transfer",
    button="Save release",
    purpose="child released from custody",
    fields=(
        Field(
            "released_at",
            "When did the child leave custody?",
            "time",
            WHEN_HINT,
            what="when the child left custody",
        ),
        Field("to", "Released or transferred to whom, and where", "textarea"),
    ),
    check=_release_check,
    build=_release_build,
)

RECORD_STEPS = (
    APPROPRIATE_ADULT,
    HEALTHCARE,
    BAIL,
    LA_REQUEST,
    LA_RESPONSE,
    BAIL_REVIEW,
    CERTIFICATE,
    RELEASE,
)
ACTION_KINDS = {
    "appropriate_adult": "Appropriate adult",
    "hcp_contact": "Healthcare practitioner",
    "bail_decision": "Bail decision",
    "la_accommodation_request": "Local authority accommodation requested",
    "la_accommodation_response": "Local authority response",
    "bail_review": "Bail review",
    "detention_certificate": "Detention certificate",
    "custody_release": "Released",
}


def load_record(*, session: Session, key: str, username: str) -> Subject:
    subject = event_subject(
        session=session, key=key, kind="custody", role="detained_child", username=username
    )
    event = subject.event
    assert event is not None
    details = event.details if isinstance(event.details, dict) else {}
    subject.caption = f"Custody record ({event.key}): {subject.person_name}"
    subject.marks["detained"] = event.occurred_at
    subject.facts["Detained"] = uk_time(event.occurred_at)
    subject.facts["Offence"] = str(details.get("offence") or "Not recorded")
    subject.facts["Charged"] = "Yes" if details.get("charged") is True else "No"
    subject.facts["Intoxicated"] = "Yes" if details.get("intoxicated") is True else "No"
    if event.closed_at is not None:
        subject.marks["released"] = event.closed_at
    rows = session.execute(
        select(Action.kind, Action.at, Action.text, Action.details)
        .where(Action.event_id == event.id, Action.kind.in_(ACTION_KINDS))
        .order_by(Action.at)
    )
    for kind, at, text, found in rows:
        found = found or {}
        shown = _shown(kind, found, text)
        subject.facts[ACTION_KINDS[kind]] = f"{uk_time(at)}: {shown}"
        if kind == "la_accommodation_response" and found.get("provided") is False:
            subject.marks["la_refused"] = at
    return subject


def _shown(kind: str, details: dict[str, object], text: str | None) -> str:
    if kind == "bail_decision":
        return ("refused: " + (text or "")) if details.get("denied") is True else "bail granted"
    if kind == "la_accommodation_response":
        return ("provided: " if details.get("provided") is True else "not provided: ") + (
            text or ""
        )
    return text or ""
