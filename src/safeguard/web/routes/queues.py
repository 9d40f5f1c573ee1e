"""Work queues: the PPU supervisor's open cases and the missing coordinator's children."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.access.roles import Role
from safeguard.access.service import Principal
from safeguard.timeutil import now_utc
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.queues import REVIEW_DAYS, open_cases, repeat_missing, untriaged
from safeguard.web.templating import render

SHOWN = 50  # the most urgent first; the page says how many more there are
router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

SUPERVISION = allow("supervision queue", {Role.PPU_SUPERVISOR}, personal_data=True)
MISSING = allow("repeat missing queue", {Role.CSE_COORDINATOR}, personal_data=True)
TRIAGE = allow("MASH triage queue", {Role.MASH}, personal_data=True)


@router.get("/queues/supervision", response_class=HTMLResponse)
def supervision(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(SUPERVISION)]
) -> HTMLResponse:
    shown, total = open_cases(session=session, as_of=now_utc(), limit=SHOWN)
    limits = restrictions.load(session=session)
    for case in shown:
        case.children = [
            (k, RESTRICTED_LABEL if limits.hides(who.username, [k]) else name)
            for k, name in case.children
        ]
    context = {"cases": shown, "total": total, "review_days": REVIEW_DAYS}
    response = render(request, "queue_supervision.html", context)
    record_view(  # after rendering: SQLite's write lock is held only for the log entry
        session=session,
        request=request,
        who=who,
        records=[k for c in shown for k, _ in c.children],
        purpose="supervision queue",
    )
    return response


@router.get("/queues/missing", response_class=HTMLResponse)
def missing(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(MISSING)]
) -> HTMLResponse:
    children = repeat_missing(session=session, as_of=now_utc())
    shown = children[:SHOWN]
    limits = restrictions.load(session=session)
    for child in shown:
        if limits.hides(who.username, child.keys):
            child.name = RESTRICTED_LABEL
    response = render(request, "queue_missing.html", {"children": shown, "total": len(children)})
    record_view(
        session=session,
        request=request,
        who=who,
        records=[k for c in shown for k in c.keys],
        purpose="repeat missing queue",
    )
    return response


@router.get("/queues/triage", response_class=HTMLResponse)
def triage(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(TRIAGE)]
) -> HTMLResponse:
    shown, total = untriaged(session=session, as_of=now_utc(), limit=SHOWN)
    limits = restrictions.load(session=session)
    for note in shown:
        note.children = [
            (k, RESTRICTED_LABEL if limits.hides(who.username, [k]) else name)
            for k, name in note.children
        ]
    response = render(request, "queue_triage.html", {"notes": shown, "total": total})
    record_view(
        session=session,
        request=request,
        who=who,
        records=[k for n in shown for k, _ in n.children],
        purpose="MASH triage queue",
    )
    return response
