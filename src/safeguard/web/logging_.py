"""Writing the processing-log entry for whatever a response shows (DPA 2018 s62)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from safeguard.access import processing_log
from safeguard.access.processing_log import Actor, Operation
from safeguard.access.roles import DUTY
from safeguard.access.service import Principal
from safeguard.web.deps import begin_writing


def record_view(
    *,
    session: Session,
    request: Request,
    who: Principal,
    records: list[str],
    purpose: str,
    reason: str | None = None,
    break_glass: bool = False,
    detail: dict[str, Any] | None = None,
) -> None:
    """A CONSULT entry for a page, or a DISCLOSE entry when a system reads through the API.

    The entry is written in the request's transaction. On SQLite a read takes the write lock
    only now, after its reads (which ran outside any transaction), so reads do not queue."""
    if not records:
        return
    begin_writing(session)
    _append(session, request, who, records, purpose, reason, break_glass, detail)


def _append(
    session: Session,
    request: Request,
    who: Principal,
    records: list[str],
    purpose: str,
    reason: str | None,
    break_glass: bool,
    detail: dict[str, Any] | None,
) -> None:
    via_token = who.via == "token"
    processing_log.append(
        session=session,
        operation=Operation.DISCLOSE if via_token else Operation.CONSULT,
        actor=Actor(who.username, who.role.value),
        records=records,
        purpose=purpose,
        justification=reason or DUTY.get(who.role, f"{who.role.value}: ordinary duty"),
        recipients=[who.username] if via_token else None,
        break_glass=break_glass,
        detail={"path": request.url.path, "method": request.method} | (detail or {}),
    )
