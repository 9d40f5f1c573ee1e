"""Work queues: the PPU supervisor's open cases and the missing coordinator's children."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.access.roles import Role
from safeguard.access.service import Principal
from safeguard.errors import InvalidInputError, NotFoundError
from safeguard.timeutil import now_utc
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.queues import REVIEW_DAYS, open_cases, repeat_missing, untriaged
from safeguard.web.templating import render

SHOWN = 50  # a page of the queue, the most urgent first; the page says how many there are
router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

SUPERVISION = allow("supervision queue", {Role.PPU_SUPERVISOR}, personal_data=True)
MISSING = allow("repeat missing queue", {Role.CSE_COORDINATOR}, personal_data=True)
TRIAGE = allow("MASH triage queue", {Role.MASH}, personal_data=True)


def page_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise InvalidInputError(f"page must be a whole number from 1 (was {text!r})")
    return int(text)


@router.get("/queues/supervision", response_class=HTMLResponse)
def supervision(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(SUPERVISION)],
    page: str = "1",
) -> HTMLResponse:
    number = page_number(page)
    shown, total = open_cases(
        session=session, as_of=now_utc(), limit=SHOWN, offset=(number - 1) * SHOWN
    )
    pages = max(1, -(-total // SHOWN))
    if number > pages:
        raise NotFoundError(f"there is no page {number} of open cases: there are {pages}")
    limits = restrictions.load(session=session)
    for case in shown:
        case.children = [
            (k, RESTRICTED_LABEL if limits.hides(who.username, [k]) else name)
            for k, name in case.children
        ]
    context = {
        "cases": shown,
        "total": total,
        "review_days": REVIEW_DAYS,
        "page": number,
        "pages": pages,
        "first": (number - 1) * SHOWN + 1,
    }
    response = render(request, "queue_supervision.html", context)
    record_view(  # after rendering: SQLite's write lock is held only for the log entry
        session=session,
        request=request,
        who=who,
        records=[k for c in shown for k, _ in c.children],
        purpose="supervision queue",
        detail={"page": number},
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
