"""From a validated exchange-format record to the column values of its table."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from safeguard.ingest.schemas import (
    ActionIn,
    EventIn,
    FlagIn,
    LocationIn,
    ObjectIn,
    OfficerIn,
    PersonIn,
    Record,
    RelationIn,
    ResidenceIn,
    UsesIn,
    parse_date,
    parse_opt_time,
)
from safeguard.linkage.names import name_sound
from safeguard.timeutil import parse_time

# ids[(record type, key)] -> primary key of a stored record
IdMap = dict[tuple[str, str], int]


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _opt(ids: IdMap, kind: str, key: str | None) -> int | None:
    return ids[(kind, key)] if key else None


def to_row(rec: Record, payload: str, payload_hash: str, ids: IdMap) -> dict[str, Any]:
    """Column values for ``rec``; references are looked up in ``ids``."""
    row: dict[str, Any] = {
        "source": rec.source,
        "source_id": rec.id,
        "payload": payload,
        "payload_hash": payload_hash,
    }
    if isinstance(rec, OfficerIn):
        row |= {
            "name": rec.name,
            "team": rec.team,
            "role": rec.role,
            "specialisms": list(rec.specialisms),
            "probationary": rec.probationary,
        }
    elif isinstance(rec, PersonIn):
        row |= {
            "family_name": rec.family_name,
            "given_name": rec.given_name,
            "dob": parse_date(rec.dob),
            "sex": rec.sex,
            "aliases": list(rec.aliases),
            "identifiers": dict(rec.identifiers),
            "notes": rec.notes,
            "family_sound": name_sound(rec.family_name),
            "given_sound": name_sound(rec.given_name),
        }
    elif isinstance(rec, LocationIn):
        row |= {"address": rec.address, "postcode": rec.postcode, "kind": rec.kind}
    elif isinstance(rec, ObjectIn):
        row |= {"kind": rec.kind, "value": rec.value}
    elif isinstance(rec, RelationIn):
        row |= {
            "a_id": ids[("person", rec.a)],
            "b_id": ids[("person", rec.b)],
            "kind": rec.kind,
            "since": parse_opt_time(rec.since),
            "until": parse_opt_time(rec.until),
        }
    elif isinstance(rec, ResidenceIn):
        row |= {
            "person_id": ids[("person", rec.person)],
            "location_id": ids[("location", rec.location)],
            "since": parse_opt_time(rec.since),
            "until": parse_opt_time(rec.until),
        }
    elif isinstance(rec, UsesIn):
        row |= {
            "person_id": ids[("person", rec.person)],
            "object_id": ids[("object", rec.object)],
            "since": parse_opt_time(rec.since),
            "until": parse_opt_time(rec.until),
        }
    elif isinstance(rec, FlagIn):
        row |= {
            "person_id": ids[("person", rec.person)],
            "kind": rec.kind,
            "since": parse_time(rec.since),
            "until": parse_opt_time(rec.until),
            "level": rec.level,
            "by_officer_id": _opt(ids, "officer", rec.by),
            "reason": rec.reason,
        }
    elif isinstance(rec, EventIn):
        row |= {
            "kind": rec.kind,
            "occurred_at": parse_time(rec.occurred_at),
            "reported_at": parse_opt_time(rec.reported_at),
            "location_id": _opt(ids, "location", rec.location),
            "summary": rec.summary,
            "details": dict(rec.details),
            "allocated_to_id": _opt(ids, "officer", rec.allocated_to),
            "closed_at": parse_opt_time(rec.closed_at),
            "risk_level": rec.risk_level,
        }
    elif isinstance(rec, ActionIn):
        row |= {
            "kind": rec.kind,
            "at": parse_time(rec.at),
            "event_id": ids[("event", rec.event)],
            "by_officer_id": _opt(ids, "officer", rec.by),
            "person_id": _opt(ids, "person", rec.person),
            "details": dict(rec.details),
            "text": rec.text,
        }
    return row
