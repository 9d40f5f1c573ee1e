"""Storing what a form records: as exchange-format records through the importer, the one way
records enter the store (validated, with history kept when a record is updated)."""

from __future__ import annotations

import json
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from safeguard.errors import InvalidInputError
from safeguard.ingest.errors import ImportRejectedError
from safeguard.ingest.importer import import_files
from safeguard.timeutil import UK

SOURCE = "safeguard"
Rec = dict[str, Any]


def stamp(now: datetime) -> str:
    """When a form recorded something, as the exchange format stores it: UK local time, to the
    microsecond, so that two records made in the same second keep the order they were made in
    (a regraded risk assessment is the latest one)."""
    return now.astimezone(UK).isoformat()


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def key_of(rec: Rec) -> str:
    return f"{rec['source']}:{rec['id']}"


def store(*, session: Session, records: list[Rec]) -> list[str]:
    """Import the records in the caller's transaction; returns their keys."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        try:
            import_files(session=session, paths=[path])
        except ImportRejectedError as exc:
            reasons = "; ".join(str(e) for e in exc.report.errors[:5])
            raise InvalidInputError(f"the record could not be stored: {reasons}") from None
    session.flush()
    return [key_of(r) for r in records]
