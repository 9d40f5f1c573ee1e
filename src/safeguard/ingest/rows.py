"""From a validated exchange-format record to the column values of its table.

References are not resolved here: a reference column is given as the key it names, and the
store resolves keys to primary keys with one join per table (``merge.py``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import date
from operator import attrgetter
from typing import Any

import orjson
from sqlalchemy import Column, Date

from safeguard.db import UTCDateTime
from safeguard.ingest.schemas import EventIn, Record
from safeguard.timeutil import parse_time, uk_day, utc_wall_time

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


# a digit followed by a fraction or exponent: every number that is not an integer has one (a
# false match inside a string only costs speed); orjson writes some exponents differently from
# json (1e-7, 1e-07)
_FLOAT = re.compile(rb"\d[.eE]")


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


# store column -> record attribute, where they differ
ATTRIBUTE = {"source_id": "id"}
Convert = Callable[[Any], Any]
Processor = Callable[["Column[Any]"], Convert | None]


def sqlite_time(value: str) -> str:
    """What SQLAlchemy's SQLite bind processor writes for ``parse_time(value)`` in a
    UTCDateTime column (its default storage format), made straight from the text."""
    return utc_wall_time(value).isoformat(" ", "microseconds")


def sqlite_date(value: str) -> str:
    """What SQLAlchemy's SQLite bind processor writes for ``date.fromisoformat(value)``."""
    return date.fromisoformat(value).isoformat()


def _converter(column: Column[Any], processor: Processor, dialect: str) -> Convert | None:
    """From the record's value of a column (times and dates as text) to the driver's."""
    if dialect == "sqlite" and isinstance(column.type, UTCDateTime | Date):
        text = sqlite_time if isinstance(column.type, UTCDateTime) else sqlite_date
        return lambda value: text(value) if value else None
    process = processor(column)
    parse: Convert | None = None
    if isinstance(column.type, UTCDateTime):
        parse = parse_time
    elif isinstance(column.type, Date):
        parse = date.fromisoformat
    if parse is None:
        return process
    if process is None:
        return lambda value: parse(value) if value else None
    return lambda value: process(parse(value)) if value else None


class RowMaker:
    """The staged row of a record (``staging.py``): payload first, then the other columns
    with values as the driver takes them, then the (source, id) of each reference."""

    def __init__(
        self, rtype: str, columns: list[Column[Any]], processor: Processor, dialect: str
    ) -> None:
        rest = [c for c in columns if c.name not in ("payload", "payload_hash")]
        attributes = [ATTRIBUTE.get(c.name, c.name) for c in rest]
        attributes += [field for field, _, _ in FOREIGN_KEYS[rtype]]
        self._get = attrgetter(*attributes)
        self._width = len(rest)
        self._converters = [
            (i + 3, convert)
            for i, c in enumerate(rest)
            if (convert := _converter(c, processor, dialect)) is not None
        ]

    def __call__(self, seq: int, record: Record, payload: str, payload_hash: str) -> list[Any]:
        values = self._get(record)
        row = [seq, payload, payload_hash, *values[: self._width]]
        for i, convert in self._converters:
            row[i] = convert(row[i])
        for key in values[self._width :]:
            if key:
                source, _, ident = key.partition(":")
                row += (source, ident)
            else:
                row += (None, None)
        return row


def event_people(rec: EventIn) -> list[tuple[int, str, str, str, date, bool]]:
    """(position, person source, person id, role, UK day of the event, repeated) per person."""
    day = uk_day(rec.occurred_at)
    seen: set[tuple[str, str]] = set()
    out = []
    for i, part in enumerate(rec.people):
        source, _, ident = part.person.partition(":")
        pair = (part.person, part.role)
        out.append((i, source, ident, part.role, day, pair in seen))
        seen.add(pair)
    return out
