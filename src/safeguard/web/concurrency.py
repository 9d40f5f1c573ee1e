"""Two people editing the same record cannot overwrite each other's work.

A form that edits a stored record carries the record's version (its ``payload_hash``) in a
hidden field. On submit, the record is read again under a row lock (PostgreSQL; on SQLite the
request already holds the write lock): if its version changed since the form was opened,
nothing is saved and the form is shown again with both versions, what the other person saved
(who, when, their values) and what this user typed, so that they can merge and resubmit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access.models import LogEntry, LogRecordKey, User
from safeguard.access.processing_log import Operation
from safeguard.errors import NotFoundError
from safeguard.pole.models import SourceKeyed
from safeguard.web.records import Rec

FIELD = "version"
CHANGES = (Operation.COLLECT.value, Operation.ALTER.value)


@dataclass(frozen=True)
class Conflict:
    """The record as another person saved it after this user opened the form."""

    key: str
    by: str  # who saved it, as shown
    at: datetime | None
    theirs: Rec  # their version of the record, as stored
    version: str  # its version, carried by the form shown again

    def error(self, href: str = "#conflict") -> dict[str, str]:
        return {
            "text": f"{self.by} changed this while you were editing it. Nothing you typed has "
            "been saved: compare the two versions, then save again",
            "href": href,
        }


def locked(*, session: Session, model: type[Any], key: str, lock: bool = True) -> Any:
    """The stored record ``key`` of ``model``, locked until the transaction ends (``lock``)."""
    source, _, ident = key.partition(":")
    statement = select(model).where(model.source == source, model.source_id == ident)
    statement = statement.execution_options(populate_existing=True)  # not a stale copy
    found = session.scalar(statement.with_for_update() if lock else statement)
    if found is None:
        raise NotFoundError(f"no record with key {key!r}")
    return found


def check(*, session: Session, record: SourceKeyed, sent: str) -> Conflict | None:
    """None when ``record`` is still at the version the form was opened with (``sent``)."""
    if sent == record.payload_hash:
        return None
    by, at = last_change(session=session, key=record.key)
    return Conflict(
        key=record.key,
        by=by,
        at=at,
        theirs=json.loads(record.payload),
        version=record.payload_hash,
    )


def last_change(*, session: Session, key: str) -> tuple[str, datetime | None]:
    """Who last collected or altered ``key``, and when, from the processing log."""
    entry = session.scalar(
        select(LogEntry)
        .join(LogRecordKey, LogRecordKey.seq == LogEntry.seq)
        .where(LogRecordKey.record_key == key, LogEntry.operation.in_(CHANGES))
        .order_by(LogEntry.seq.desc())
        .limit(1)
    )
    if entry is None:
        return "Another system (an import)", None
    name = session.scalar(select(User.display_name).where(User.username == entry.actor))
    return f"{name or entry.actor} ({entry.actor_role.replace('_', ' ')})", entry.at
