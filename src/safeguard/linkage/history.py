"""The history of joins, splits and decisions. Each is also a "combination" of personal data
in the processing log (Data Protection Act 2018 s62), written in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from safeguard.access.processing_log import Actor, Operation, append
from safeguard.linkage.models import LinkHistory

SYSTEM_ACTOR = "safeguard link"  # service.SYSTEM; not imported, service imports this module
JUSTIFICATION = "identity resolution: recognising one person across the force's systems"


def record_many(*, session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write history rows (dicts of LinkHistory fields) and tell the listeners."""
    now = datetime.now(UTC)
    entries = [LinkHistory(at=now, **row) for row in rows]
    session.add_all(entries)
    session.flush()
    for entry in entries:
        append(
            session=session,
            operation=Operation.COMBINE,
            actor=Actor(
                name=entry.actor, role="system" if entry.actor == SYSTEM_ACTOR else "reviewer"
            ),
            records=list(entry.keys),
            purpose=f"linkage: {entry.action}",
            justification=entry.reason or JUSTIFICATION,
            detail={"history_id": entry.id},
        )


def record(
    *,
    session: Session,
    action: str,
    keys: list[str],
    actor: str,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    row = {"action": action, "keys": keys, "actor": actor, "reason": reason, "detail": detail or {}}
    record_many(session=session, rows=[row])
