"""The strategy discussion: who took part, what was decided (whether the threshold for s47
enquiries is met), and the actions agreed, each with an owner and a date.

Working Together (2015) expects children's social care, police and health at a strategy
discussion (domain-rules.md section 3): when one of them is not there the form asks why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from starlette.datastructures import FormData

from safeguard.pole.models import Event
from safeguard.web.form_rows import Errors, local_time, real_date, row_count, text
from safeguard.web.records import SOURCE, Rec, new_id, stamp

AGENCIES = {
    "police": "Police",
    "childrens_social_care": "Children's social care",
    "health": "Health",
    "education": "Education",
    "other": "Other",
}
EXPECTED = ("police", "childrens_social_care", "health")
ATTENDEE_ROWS, ACTION_ROWS, MOST_ROWS = 4, 3, 20


@dataclass
class Attendee:
    index: int
    name: str = ""
    agency: str = ""

    @property
    def used(self) -> bool:
        return bool(self.name or self.agency)


@dataclass
class AgreedAction:
    index: int
    action: str = ""
    owner: str = ""
    due: str = ""

    @property
    def used(self) -> bool:
        return bool(self.action or self.owner or self.due)


@dataclass
class Discussion:
    held_at: str = ""
    agencies: list[str] = field(default_factory=list)
    other_agency: str = ""
    absent_reason: str = ""
    attendees: list[Attendee] = field(default_factory=list)
    decisions: str = ""
    s47: str = ""  # "yes" or "no"
    actions: list[AgreedAction] = field(default_factory=list)

    @property
    def missing_agencies(self) -> list[str]:
        return [AGENCIES[a] for a in EXPECTED if a not in self.agencies]


def blank() -> Discussion:
    return Discussion(
        attendees=[Attendee(i) for i in range(1, ATTENDEE_ROWS + 1)],
        actions=[AgreedAction(i) for i in range(1, ACTION_ROWS + 1)],
    )


def parse(form: FormData) -> Discussion:
    """What was typed, every row kept; "add" asks for one more attendee or action row."""
    adding = text(form, "add")
    people = row_count(form, "attendee", ATTENDEE_ROWS, MOST_ROWS) + (adding == "attendee")
    agreed = row_count(form, "action", ACTION_ROWS, MOST_ROWS) + (adding == "action")
    return Discussion(
        held_at=text(form, "held_at"),
        agencies=[a for a in AGENCIES if a in form.getlist("agencies")],
        other_agency=text(form, "other_agency"),
        absent_reason=text(form, "absent_reason"),
        attendees=[
            Attendee(i, text(form, f"attendee{i}_name"), text(form, f"attendee{i}_agency"))
            for i in range(1, people + 1)
        ],
        decisions=text(form, "decisions"),
        s47=text(form, "s47"),
        actions=[
            AgreedAction(
                i,
                text(form, f"action{i}_text"),
                text(form, f"action{i}_owner"),
                text(form, f"action{i}_due"),
            )
            for i in range(1, agreed + 1)
        ],
    )


def validate(d: Discussion, *, event: Event, now: datetime) -> Errors:
    errors: Errors = []
    held = local_time(d.held_at)
    if held is None:
        errors.append(
            {
                "text": "Enter when the discussion was held, like 2026-11-25T14:30",
                "href": "#held_at",
            }
        )
    elif held > now:
        errors.append(
            {"text": "When the discussion was held must be in the past", "href": "#held_at"}
        )
    elif held < event.occurred_at:
        errors.append(
            {"text": "The discussion must be held after the case began", "href": "#held_at"}
        )
    if not d.agencies:
        errors.append({"text": "Select the agencies that took part", "href": "#agencies"})
    if "other" in d.agencies and not d.other_agency:
        errors.append({"text": "Enter the other agency", "href": "#other_agency"})
    if d.agencies and d.missing_agencies and not d.absent_reason:
        missing = ", ".join(d.missing_agencies).lower()
        errors.append({"text": f"Enter why {missing} did not take part", "href": "#absent_reason"})
    errors += _attendee_errors(d)
    if not d.decisions:
        errors.append({"text": "Enter the decisions made", "href": "#decisions"})
    if d.s47 not in ("yes", "no"):
        errors.append(
            {"text": "Select whether the threshold for section 47 enquiries is met", "href": "#s47"}
        )
    errors += _action_errors(d, held)
    return errors


def _attendee_errors(d: Discussion) -> Errors:
    used = [a for a in d.attendees if a.used]
    if not used:
        return [{"text": "Enter at least one person who took part", "href": "#attendee1_name"}]
    errors: Errors = []
    for a in used:
        if not a.name:
            errors.append(
                {
                    "text": f"Enter the name of attendee {a.index}",
                    "href": f"#attendee{a.index}_name",
                }
            )
        if a.agency not in AGENCIES:
            errors.append(
                {
                    "text": f"Select the agency of attendee {a.index}",
                    "href": f"#attendee{a.index}_agency",
                }
            )
    return errors


def _action_errors(d: Discussion, held: datetime | None) -> Errors:
    errors: Errors = []
    for a in (a for a in d.actions if a.used):
        p = f"action{a.index}"
        if not a.action:
            errors.append({"text": f"Enter what action {a.index} is", "href": f"#{p}_text"})
        if not a.owner:
            errors.append({"text": f"Enter who owns action {a.index}", "href": f"#{p}_owner"})
        due = real_date(a.due)
        if due is None:
            errors.append(
                {
                    "text": f"Enter the date action {a.index} is due, like 2026-12-01",
                    "href": f"#{p}_due",
                }
            )
        elif held is not None and due < held.date():
            errors.append(
                {
                    "text": f"Action {a.index} cannot be due before the discussion",
                    "href": f"#{p}_due",
                }
            )
    return errors


def to_records(d: Discussion, *, event: Event, now: datetime, by: str) -> list[Rec]:
    held = local_time(d.held_at)
    assert held is not None, "validate first"
    return [
        {
            "record": "action",
            "source": SOURCE,
            "id": new_id("SD"),
            "kind": "strategy_discussion",
            "at": stamp(held),  # the alert clocks run to when it was held, not when typed
            "event": event.key,
            "text": d.decisions,
            "details": {
                "agencies": d.agencies,
                "other_agency": d.other_agency or None,
                "absent_reason": d.absent_reason or None,
                "attendees": [{"name": a.name, "agency": a.agency} for a in d.attendees if a.used],
                "decisions": d.decisions,
                "s47_threshold_met": d.s47 == "yes",
                "actions": [
                    {"action": a.action, "owner": a.owner, "due": a.due}
                    for a in d.actions
                    if a.used
                ],
                "recorded_by": by,
                "recorded_at": stamp(now),
            },
        }
    ]
