"""Export the store in the exchange format: each record exactly as it arrived (its payload)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.pole.models import RECORD_MODELS

EXPORT_ORDER = (
    "officer",
    "person",
    "location",
    "object",
    "relation",
    "residence",
    "uses",
    "flag",
    "event",
    "action",
)


def export_records(*, session: Session) -> Iterator[str]:
    """Every stored record as JSON text, referenced records before those that refer to them."""
    for rtype in EXPORT_ORDER:
        model: Any = RECORD_MODELS[rtype]
        for (payload,) in session.execute(
            select(model.payload).order_by(model.id).execution_options(yield_per=5000)
        ):
            yield payload


def write_export(*, session: Session, out: TextIO) -> int:
    count = 0
    for payload in export_records(session=session):
        out.write(payload + "\n")
        count += 1
    return count
