"""Offender management, for offender managers (MOSOVO): record a visit or an ARMS
assessment, and the queue of registered sex offenders with either due or overdue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.access.roles import Role
from safeguard.access.service import Principal
from safeguard.timeutil import now_utc
from safeguard.web import offenders
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.offender_queue import DUE_WITHIN, offenders_due
from safeguard.web.policy import allow
from safeguard.web.step_routes import add_steps
from safeguard.web.steps import Subject
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

OFFENDERS = allow("offender management", {Role.OFFENDER_MANAGER}, personal_data=True)
SHOWN = 100


def _offender(session: Session, key: str, who: Principal) -> Subject:
    return offenders.load_offender(session=session, key=key, username=who.username, as_of=now_utc())


add_steps(
    router,
    path="/people/{key}/offender/{slug}",
    steps=offenders.OFFENDER_STEPS,
    policy=OFFENDERS,
    load=_offender,
    done=lambda subject, keys: "/queues/offenders",
    justification="management of registered sex offenders (Sexual Offences Act 2003; MAPPA)",
)


@router.get("/queues/offenders", response_class=HTMLResponse)
def queue(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(OFFENDERS)]
) -> HTMLResponse:
    due, managed = offenders_due(session=session, as_of=now_utc(), policy=request.app.state.policy)
    shown = due[:SHOWN]
    limits = restrictions.load(session=session)
    for offender in shown:
        if limits.hides(who.username, [offender.key]):
            offender.name = RESTRICTED_LABEL
    context = {
        "offenders": shown,
        "total": len(due),
        "managed": managed,
        "days": DUE_WITHIN.days,
    }
    response = render(request, "queue_offenders.html", context)
    record_view(
        session=session,
        request=request,
        who=who,
        records=[o.key for o in shown],
        purpose="offender management queue",
    )
    return response
