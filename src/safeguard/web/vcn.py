"""The vulnerable child notification: for each child, demeanour and views (or why the views
could not be obtained) are required, because the inspection found them missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from starlette.datastructures import FormData

from safeguard.timeutil import UK
from safeguard.web.records import SOURCE, Rec, key_of, new_id, stamp

CHILD_SLOTS = 3


@dataclass
class ChildEntry:
    index: int
    given_name: str = ""
    family_name: str = ""
    dob: str = ""
    demeanour: str = ""
    views: str = ""
    views_reason: str = ""

    @property
    def used(self) -> bool:
        fields = (self.given_name, self.family_name, self.dob, self.demeanour, self.views)
        return any(f.strip() for f in (*fields, self.views_reason))


@dataclass
class Notification:
    occurred: str = ""
    address: str = ""
    summary: str = ""
    children: list[ChildEntry] = field(default_factory=list)


def blank() -> Notification:
    return Notification(children=[ChildEntry(i) for i in range(1, CHILD_SLOTS + 1)])


def parse(form: FormData) -> Notification:
    def get(name: str) -> str:
        return str(form.get(name, "")).strip()

    note = Notification(occurred=get("occurred"), address=get("address"), summary=get("summary"))
    for i in range(1, CHILD_SLOTS + 1):
        note.children.append(
            ChildEntry(
                index=i,
                given_name=get(f"child{i}_given"),
                family_name=get(f"child{i}_family"),
                dob=get(f"child{i}_dob"),
                demeanour=get(f"child{i}_demeanour"),
                views=get(f"child{i}_views"),
                views_reason=get(f"child{i}_views_reason"),
            )
        )
    return note


def _when(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UK)


def validate(note: Notification, *, now: datetime) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    when = _when(note.occurred)
    if when is None:
        errors.append(
            {"text": "Enter when it happened, like 2026-11-25T14:30", "href": "#occurred"}
        )
    elif when > now:
        errors.append({"text": "When it happened must be in the past", "href": "#occurred"})
    if not note.summary:
        errors.append({"text": "Enter what happened and why you are concerned", "href": "#summary"})
    used = [c for c in note.children if c.used]
    if not used:
        errors.append({"text": "Enter the details of at least one child", "href": "#child1_given"})
    for c in used:
        errors.extend(_child_errors(c, when))
    return errors


def _child_errors(c: ChildEntry, when: datetime | None) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    p = f"child{c.index}"
    if not (c.given_name or c.family_name):
        errors.append({"text": f"Enter child {c.index}'s name", "href": f"#{p}_given"})
    if c.dob:
        try:
            born = date.fromisoformat(c.dob)
            if when is not None and born > when.date():
                errors.append(
                    {
                        "text": f"Child {c.index}'s date of birth must be before the event",
                        "href": f"#{p}_dob",
                    }
                )
        except ValueError:
            errors.append(
                {
                    "text": f"Child {c.index}'s date of birth must be a real date, like 2015-03-21",
                    "href": f"#{p}_dob",
                }
            )
    if not c.demeanour:
        errors.append({"text": f"Describe child {c.index}'s demeanour", "href": f"#{p}_demeanour"})
    if not c.views and not c.views_reason:
        errors.append(
            {
                "text": f"Enter child {c.index}'s views, or why they could not be obtained",
                "href": f"#{p}_views",
            }
        )
    return errors


def to_records(note: Notification, *, now: datetime, recorded_by: str) -> list[Rec]:
    """The notification as exchange-format records: people, place, event, per-child actions."""
    at = stamp(now)
    records: list[Rec] = []
    event_id = new_id("VCN")
    event: Rec = {
        "record": "event",
        "source": SOURCE,
        "id": event_id,
        "kind": "child_concern",
        "occurred_at": note.occurred,
        "reported_at": at,
        "summary": note.summary,
        "people": [],
        "details": {"recorded_by": recorded_by},
    }
    if note.address:
        place: Rec = {
            "record": "location",
            "source": SOURCE,
            "id": new_id("L"),
            "address": note.address,
        }
        records.append(place)
        event["location"] = key_of(place)
    actions: list[Rec] = []
    for c in (c for c in note.children if c.used):
        person: Rec = {"record": "person", "source": SOURCE, "id": new_id("P")}
        for name, value in (
            ("given_name", c.given_name),
            ("family_name", c.family_name),
            ("dob", c.dob),
        ):
            if value:
                person[name] = value
        records.append(person)
        event["people"].append({"person": key_of(person), "role": "subject"})
        actions.append(_action("child_demeanour", at, event_id, person, c.demeanour, recorded_by))
        if c.views:
            actions.append(_action("child_views", at, event_id, person, c.views, recorded_by))
        else:
            actions.append(
                _action(
                    "child_views_not_obtained", at, event_id, person, c.views_reason, recorded_by
                )
            )
    return [*records, event, *actions]


def _action(kind: str, at: str, event_id: str, person: Rec, text: str, by: str) -> Rec:
    return {
        "record": "action",
        "source": SOURCE,
        "id": new_id("A"),
        "kind": kind,
        "at": at,
        "event": f"{SOURCE}:{event_id}",
        "person": key_of(person),
        "text": text,
        "details": {"recorded_by": by},
    }
