"""Pydantic models of the exchange format, one per record type (spec/exchange-format.md).

Kinds and roles are checked for shape, not against a closed list: the format may be extended
with new kind values. Dates, times, sexes and references are checked strictly.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    model_validator,
)

from safeguard.linkage.names import name_sound
from safeguard.timeutil import check_time, parse_time


def _check_date(value: str) -> str:
    if len(value) != 10:
        raise ValueError("expected a date as YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date (YYYY-MM-DD)") from None
    return value


def _check_time(value: str) -> str:
    try:
        check_time(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a valid ISO 8601 time") from None
    return value


def _check_key(value: str) -> str:
    source, sep, ident = value.partition(":")
    if not sep or not source or not ident:
        raise ValueError(f"{value!r} is not a record key of the form source:id")
    return value


DateStr = Annotated[StrictStr, AfterValidator(_check_date)]
TimeStr = Annotated[StrictStr, AfterValidator(_check_time)]
Key = Annotated[StrictStr, AfterValidator(_check_key)]
Kind = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Text = Annotated[StrictStr, Field(min_length=1)]


class Record(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    record: StrictStr
    source: Annotated[StrictStr, Field(pattern=r"^[^:\s]+$", max_length=64)]
    id: Annotated[StrictStr, Field(min_length=1, max_length=200)]

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"


class OfficerIn(Record):
    record: Literal["officer"]
    name: Text
    team: Text
    role: Kind | None = None
    specialisms: list[Kind] = Field(default_factory=list)
    probationary: StrictBool = False


class PersonIn(Record):
    record: Literal["person"]
    family_name: StrictStr | None = None
    given_name: StrictStr | None = None
    dob: DateStr | None = None
    sex: Literal["F", "M", "X", "U"] | None = None
    aliases: list[StrictStr] = Field(default_factory=list)
    identifiers: dict[str, StrictStr] = Field(default_factory=dict)
    notes: StrictStr | None = None

    @model_validator(mode="after")
    def _has_a_name(self) -> PersonIn:
        if not (self.family_name or self.given_name):
            raise ValueError("at least one of family_name or given_name is required")
        return self

    # stored beside the names (person.family_sound, given_sound) for search by sound
    @property
    def family_sound(self) -> str | None:
        return name_sound(self.family_name)

    @property
    def given_sound(self) -> str | None:
        return name_sound(self.given_name)


class LocationIn(Record):
    record: Literal["location"]
    address: Text
    postcode: StrictStr | None = None
    kind: Kind | None = None


class ObjectIn(Record):
    record: Literal["object"]
    kind: Kind
    value: Text


class Period(Record):
    since: TimeStr | None = None
    until: TimeStr | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.since and self.until and parse_time(self.until) < parse_time(self.since):
            raise ValueError("until is before since")
        return self


class RelationIn(Period):
    record: Literal["relation"]
    a: Key
    b: Key
    kind: Kind


class ResidenceIn(Period):
    record: Literal["residence"]
    person: Key
    location: Key


class UsesIn(Period):
    record: Literal["uses"]
    person: Key
    object: Key


class FlagIn(Period):
    record: Literal["flag"]
    person: Key
    kind: Kind
    since: TimeStr
    level: StrictStr | None = None
    by: Key | None = None
    reason: StrictStr | None = None


class EventPersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    person: Key
    role: Kind


class EventIn(Record):
    record: Literal["event"]
    kind: Kind
    occurred_at: TimeStr
    reported_at: TimeStr | None = None
    location: Key | None = None
    summary: StrictStr | None = None
    people: list[EventPersonIn] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)
    allocated_to: Key | None = None
    closed_at: TimeStr | None = None
    risk_level: StrictStr | None = None

    @model_validator(mode="after")
    def _times(self) -> EventIn:
        for name in ("reported_missing_at", "found_at"):
            value = self.details.get(name)
            if value is not None:
                if not isinstance(value, str):
                    raise ValueError(f"details.{name} must be a time string")
                _check_time(value)
        for name in ("dash_yes",):
            value = self.details.get(name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValueError(f"details.{name} must be an integer")
        return self


class ActionIn(Record):
    record: Literal["action"]
    kind: Kind
    at: TimeStr
    event: Key
    by: Key | None = None
    person: Key | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    text: StrictStr | None = None

    @model_validator(mode="after")
    def _details(self) -> ActionIn:
        value = self.details.get("yes_count")
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValueError("details.yes_count must be an integer")
        return self


RECORD_SCHEMAS: dict[str, type[Record]] = {
    "officer": OfficerIn,
    "person": PersonIn,
    "location": LocationIn,
    "object": ObjectIn,
    "relation": RelationIn,
    "residence": ResidenceIn,
    "uses": UsesIn,
    "flag": FlagIn,
    "event": EventIn,
    "action": ActionIn,
}

# Records are written in three levels so that every reference points at something stored.
LEVEL = {
    "officer": 0,
    "person": 0,
    "location": 0,
    "object": 0,
    "relation": 1,
    "residence": 1,
    "uses": 1,
    "flag": 1,
    "event": 1,
    "action": 2,
}

# Locations named inside details (spec: missing episodes, enquiry_at_location) and officers.
DETAIL_LOCATION_FIELDS = ("found_location", "taken_to", "seen_at", "location")
DETAIL_OFFICER_FIELDS = ("officer",)
DETAIL_REFERENCES = [(n, "location") for n in DETAIL_LOCATION_FIELDS] + [
    (n, "officer") for n in DETAIL_OFFICER_FIELDS
]


def detail_references(rec: Record) -> list[tuple[str, str, str]]:
    """(field, record type, key) of each reference made inside an event's or action's details."""
    if not isinstance(rec, EventIn | ActionIn) or not rec.details:
        return []
    refs: list[tuple[str, str, str]] = []
    for name, kind in DETAIL_REFERENCES:
        value = rec.details.get(name)
        if isinstance(value, str) and ":" in value:
            refs.append((f"details.{name}", kind, value))
    return refs
