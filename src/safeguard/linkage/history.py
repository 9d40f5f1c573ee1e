"""The history of joins, splits and decisions, and the hook the processing log attaches to.

``record`` writes a history row in the caller's transaction and passes it to every listener
in ``LISTENERS``: the access and processing log (issue #6) registers one there to log each
join as a "combination" of personal data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from safeguard.linkage.models import LinkHistory

Listener = Callable[[Session, LinkHistory], None]
LISTENERS: list[Listener] = []


def record_many(*, session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Write history rows (dicts of LinkHistory fields) and tell the listeners."""
    now = datetime.now(UTC)
    entries = [LinkHistory(at=now, **row) for row in rows]
    session.add_all(entries)
    session.flush()
    for entry in entries:
        for listener in LISTENERS:
            listener(session, entry)


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
