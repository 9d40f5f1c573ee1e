"""Small record-one-thing forms ("steps") for the missing, custody and offender pages.

A step declares its fields; one template shows any step with the GOV.UK components, one
validator checks the declared fields (required, a real time not in the future, one of the
choices) and the step adds its own cross-field checks. What a step stores are exchange-format
records, imported like every other record (history kept).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from safeguard.pole.models import Event
from safeguard.timeutil import UK
from safeguard.web.records import SOURCE, Rec, new_id

Kind = Literal["text", "textarea", "time", "choice"]
Errors = list[dict[str, str]]
YES_NO = (("yes", "Yes"), ("no", "No"))


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind = "text"
    hint: str = ""
    what: str = ""  # the field in an error message ("Enter {what}"): the label by default
    required: bool = True
    options: tuple[tuple[str, str], ...] = ()
    # required only when another field has this value, e.g. ("done", "no")
    required_when: tuple[str, str] | None = None

    def needed(self, values: Mapping[str, str]) -> bool:
        if self.required_when is not None:
            other, wanted = self.required_when
            return values.get(other) == wanted
        return self.required


@dataclass
class Subject:
    """What a step is about: a child (or offender) and, for most steps, one of their events."""

    key: str  # the key in the page's address: an event's, or a person's
    person_key: str
    person_name: str
    age: int | None
    event: Event | None = None
    caption: str = ""
    facts: dict[str, str] = field(default_factory=dict)  # shown above the form
    marks: dict[str, datetime] = field(default_factory=dict)  # times the checks compare with
    flags: dict[str, str] = field(default_factory=dict)  # kind -> level of flags in force

    @property
    def viewed(self) -> list[str]:
        return [self.key] if self.key == self.person_key else [self.key, self.person_key]


Check = Callable[[dict[str, str], Subject, datetime], Errors]
Build = Callable[[dict[str, str], Subject, datetime, str], list[Rec]]


def _no_checks(values: dict[str, str], subject: Subject, now: datetime) -> Errors:
    return []


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    button: str
    fields: tuple[Field, ...]
    build: Build
    check: Check = _no_checks
    intro: str = ""
    purpose: str = ""

    def values(self, form: Mapping[str, object]) -> dict[str, str]:
        return {f.name: str(form.get(f.name, "")).strip() for f in self.fields}

    def validate(self, values: dict[str, str], subject: Subject, now: datetime) -> Errors:
        errors = [e for f in self.fields if (e := field_error(f, values, now))]
        return errors + self.check(values, subject, now)


def field_error(f: Field, values: Mapping[str, str], now: datetime) -> dict[str, str] | None:
    value = values.get(f.name, "")
    href = f"#{f.name}"
    if not value:
        if not f.needed(values):
            return None
        verb = "Select" if f.kind == "choice" else "Enter"
        return {"text": f"{verb} {f.what or lower_first(f.label)}", "href": href}
    if f.kind == "choice" and value not in {code for code, _ in f.options}:
        return {"text": f"Select {f.what or lower_first(f.label)}", "href": href}
    if f.kind == "time":
        when = parse_local(value)
        if when is None:
            text = f"{f.label} must be a date and time, like 2026-11-25T14:30"
            return {"text": text, "href": href}
        if when > now:
            return {"text": f"{f.label} must not be in the future", "href": href}
    return None


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def parse_local(text: str) -> datetime | None:
    """A time typed in a form: ISO 8601, UK local time unless it says otherwise."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UK)


def action(
    kind: str,
    *,
    at: str,
    event: str,
    person: str | None,
    by: str,
    text: str | None = None,
    details: dict[str, object] | None = None,
) -> Rec:
    rec: Rec = {
        "record": "action",
        "source": SOURCE,
        "id": new_id("A"),
        "kind": kind,
        "at": at,
        "event": event,
        "details": {**(details or {}), "recorded_by": by},
    }
    if person:
        rec["person"] = person
    if text:
        rec["text"] = text
    return rec


def location(address: str) -> Rec:
    return {"record": "location", "source": SOURCE, "id": new_id("L"), "address": address}


def not_before(
    values: dict[str, str], name: str, start: datetime | None, what: str
) -> dict[str, str] | None:
    """An error when the time typed in ``name`` is before ``start``."""
    when = parse_local(values.get(name, ""))
    if when is not None and start is not None and when < start:
        local = start.astimezone(UK)
        return {
            "text": f"{what} must not be before {local.day} {local:%B %Y, %H:%M}",
            "href": f"#{name}",
        }
    return None
