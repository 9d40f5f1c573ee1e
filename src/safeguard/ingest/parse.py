"""Reading the lines of an exchange-format file and validating each one on its own.

A line is parsed once: orjson where it can (the standard library's parser gives the message
for a line that is not JSON, and takes what orjson refuses but JSON allows, such as very
large integers), then the Pydantic model of its record type.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from pydantic import ValidationError

from safeguard.ingest.rows import canonical, digest
from safeguard.ingest.schemas import RECORD_SCHEMAS, EventIn, Record
from safeguard.timeutil import parse_time

Progress = Callable[[str, int], None]


class Parsed(NamedTuple):
    rtype: str
    record: Record
    payload: str
    digest: str


@dataclass(frozen=True)
class Rejection:
    problems: list[tuple[str, str]]  # (field, reason)
    key: tuple[str, str] | None = field(default=None)  # (record type, key) if the line has one


def record_lines(path: Path, progress: Progress | None = None) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of each line that holds a record: not blank, not a # comment."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if progress:
                progress("reading", len(raw))
            line = raw.strip()
            if line[:1] == b"{":
                yield number, line
                continue
            text = as_text(raw)  # blank and comment lines as str.strip sees them
            if text and not text.startswith("#"):
                yield number, line


def as_text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace").strip()


def line_texts(path: Path, numbers: set[int]) -> dict[int, str]:
    """The text of the given lines of a file."""
    out = {}
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if number in numbers:
                out[number] = as_text(raw)
    return out


def _load(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(as_text(raw))


def parse_line(raw: bytes) -> Parsed | Rejection:
    """Validate one line fully, with every problem it has."""
    try:
        obj = _load(raw)
    except json.JSONDecodeError as exc:
        return Rejection([("", f"not valid JSON: {exc.msg} (column {exc.colno})")])
    if not isinstance(obj, dict):
        return Rejection([("", "not a JSON object")])
    rtype = obj.get("record")
    schema = RECORD_SCHEMAS.get(rtype) if isinstance(rtype, str) else None
    if schema is None or not isinstance(rtype, str):
        reason = "missing" if rtype is None else f"unknown record type {rtype!r}"
        return Rejection([("record", reason)])
    try:
        record = schema.model_validate(obj)
    except ValidationError as exc:
        return Rejection(_problems(exc), _key(rtype, obj))
    if _closed_before(record):
        return Rejection([("closed_at", "closed before the event occurred")], _key(rtype, obj))
    text = canonical(obj, raw)
    return Parsed(rtype, record, text, digest(text))


def _key(rtype: str, obj: dict[str, Any]) -> tuple[str, str] | None:
    if isinstance(obj.get("source"), str) and isinstance(obj.get("id"), str):
        return (rtype, f"{obj['source']}:{obj['id']}")
    return None


def _closed_before(record: Record) -> bool:
    if not isinstance(record, EventIn) or not record.closed_at:
        return False
    return parse_time(record.closed_at) < parse_time(record.occurred_at)


def _problems(exc: ValidationError) -> list[tuple[str, str]]:
    problems = []
    for err in exc.errors():
        reason = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            reason = "required field is missing"
        problems.append((".".join(str(p) for p in err["loc"]), reason))
    return problems
