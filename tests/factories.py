"""Factories for exchange-format records, loaded through the real importer."""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from safeguard.ingest.errors import ImportReport
from safeguard.ingest.importer import import_files

_ids = itertools.count(1)
Rec = dict[str, Any]


def _next(prefix: str) -> str:
    return f"{prefix}{next(_ids)}"


def person(
    given: str = "Amy",
    family: str = "Test",
    dob: str | None = "2005-01-01",
    *,
    source: str = "storm",
    id: str | None = None,
    **extra: Any,
) -> Rec:
    rec: Rec = {
        "record": "person",
        "source": source,
        "id": id or _next("P"),
        "given_name": given,
        "family_name": family,
    }
    if dob:
        rec["dob"] = dob
    return rec | extra


def officer(
    name: str = "PC Test",
    team: str = "North PPU",
    *,
    source: str = "hr",
    id: str | None = None,
    **extra: Any,
) -> Rec:
    return {
        "record": "officer",
        "source": source,
        "id": id or _next("O"),
        "name": name,
        "team": team,
    } | extra


def location(
    address: str = "1 Test Street, Penrith",
    *,
    source: str = "storm",
    id: str | None = None,
    **extra: Any,
) -> Rec:
    return {
        "record": "location",
        "source": source,
        "id": id or _next("L"),
        "address": address,
    } | extra


def key(rec: Rec) -> str:
    return f"{rec['source']}:{rec['id']}"


def event(
    kind: str,
    occurred_at: str,
    people: list[tuple[Rec, str]],
    *,
    source: str = "storm",
    id: str | None = None,
    **extra: Any,
) -> Rec:
    return {
        "record": "event",
        "source": source,
        "id": id or _next("E"),
        "kind": kind,
        "occurred_at": occurred_at,
        "people": [{"person": key(p), "role": role} for p, role in people],
    } | extra


def action(
    kind: str,
    at: str,
    ev: Rec,
    *,
    who: Rec | None = None,
    source: str = "storm",
    id: str | None = None,
    **extra: Any,
) -> Rec:
    rec: Rec = {
        "record": "action",
        "source": source,
        "id": id or _next("A"),
        "kind": kind,
        "at": at,
        "event": key(ev),
    }
    if who is not None:
        rec["person"] = key(who)
    return rec | extra


def link(record: str, *, source: str = "storm", id: str | None = None, **fields: Any) -> Rec:
    """A relation, residence, uses or flag record; references given as keys."""
    return {"record": record, "source": source, "id": id or _next(record[0].upper())} | fields


def write_jsonl(path: Path, records: list[Rec]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def load(session: Session, records: list[Rec]) -> ImportReport:
    """Import records through the real importer into the test's session."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write_jsonl(Path(tmp) / "records.jsonl", records)
        report = import_files(session=session, paths=[path])
    session.flush()
    return report
