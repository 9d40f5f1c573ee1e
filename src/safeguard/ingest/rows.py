"""From a validated exchange-format record to the column values of its table.

References are not resolved here: a reference column is given as the key it names, and the
store resolves keys to primary keys with one join per table (``merge.py``).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any

import orjson

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
from safeguard.timeutil import parse_time, uk_date

# record type -> (record field, column, record type referred to), in the order they are checked
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "officer": [],
    "person": [],
    "location": [],
    "object": [],
    "relation": [("a", "a_id", "person"), ("b", "b_id", "person")],
    "residence": [("person", "person_id", "person"), ("location", "location_id", "location")],
    "uses": [("person", "person_id", "person"), ("object", "object_id", "object")],
    "flag": [("person", "person_id", "person"), ("by", "by_officer_id", "officer")],
    "event": [
        ("location", "location_id", "location"),
        ("allocated_to", "allocated_to_id", "officer"),
    ],
    "action": [
        ("event", "event_id", "event"),
        ("by", "by_officer_id", "officer"),
        ("person", "person_id", "person"),
    ],
}


# a number with a fraction or exponent: where it follows ':', ',' or '[' (a false match inside a
# string only costs speed); orjson writes some exponents differently from json (1e-7, 1e-07)
_FLOAT = re.compile(rb"[:,\[]\s*-?\d+[.eE]")


def canonical(payload: dict[str, Any], line: bytes) -> str:
    """The record as stored: keys sorted, no spaces, as ``json.dumps`` writes it.

    ``line`` is the JSON text ``payload`` was read from."""
    if not _FLOAT.search(line):
        try:
            return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode()
        except orjson.JSONEncodeError:  # integers beyond 64 bits, lone surrogates
            pass
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def to_row(rec: Record, payload: str, payload_hash: str) -> dict[str, Any]:
    """Column values for ``rec`` other than its references (see ``FOREIGN_KEYS``)."""
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
        }
    elif isinstance(rec, LocationIn):
        row |= {"address": rec.address, "postcode": rec.postcode, "kind": rec.kind}
    elif isinstance(rec, ObjectIn):
        row |= {"kind": rec.kind, "value": rec.value}
    elif isinstance(rec, RelationIn):
        row |= {
            "kind": rec.kind,
            "since": parse_opt_time(rec.since),
            "until": parse_opt_time(rec.until),
        }
    elif isinstance(rec, ResidenceIn | UsesIn):
        row |= {"since": parse_opt_time(rec.since), "until": parse_opt_time(rec.until)}
    elif isinstance(rec, FlagIn):
        row |= {
            "kind": rec.kind,
            "since": parse_time(rec.since),
            "until": parse_opt_time(rec.until),
            "level": rec.level,
            "reason": rec.reason,
        }
    elif isinstance(rec, EventIn):
        row |= {
            "kind": rec.kind,
            "occurred_at": parse_time(rec.occurred_at),
            "reported_at": parse_opt_time(rec.reported_at),
            "summary": rec.summary,
            "details": dict(rec.details),
            "closed_at": parse_opt_time(rec.closed_at),
            "risk_level": rec.risk_level,
        }
    elif isinstance(rec, ActionIn):
        row |= {
            "kind": rec.kind,
            "at": parse_time(rec.at),
            "details": dict(rec.details),
            "text": rec.text,
        }
    return row


def reference_keys(rtype: str, rec: Record) -> list[tuple[str, str] | tuple[None, None]]:
    """(source, id) of each reference column of ``rtype``, or (None, None) where not given."""
    out: list[tuple[str, str] | tuple[None, None]] = []
    for field, _, _ in FOREIGN_KEYS[rtype]:
        key = getattr(rec, field)
        if key:
            source, _, ident = key.partition(":")
            out.append((source, ident))
        else:
            out.append((None, None))
    return out


def event_people(rec: EventIn) -> list[tuple[int, str, str, str, date, bool]]:
    """(position, person source, person id, role, UK day of the event, repeated) per person."""
    day = uk_date(parse_time(rec.occurred_at))
    seen: set[tuple[str, str]] = set()
    out = []
    for i, part in enumerate(rec.people):
        source, _, ident = part.person.partition(":")
        pair = (part.person, part.role)
        out.append((i, source, ident, part.role, day, pair in seen))
        seen.add(pair)
    return out
