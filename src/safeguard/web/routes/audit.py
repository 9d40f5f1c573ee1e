"""Auditors: who has looked at a person's records and why; supervisors: break-glass openings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from safeguard.access import processing_log
from safeguard.access.roles import SUPERVISORS, Role
from safeguard.access.service import Principal
from safeguard.errors import NotFoundError
from safeguard.pole.people import cluster_people, person_by_key
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

WHO_VIEWED = allow("who viewed", {Role.AUDITOR}, personal_data=True)
BREAK_GLASS_LIST = allow("break-glass openings", SUPERVISORS, personal_data=True)


@router.get("/audit/who-viewed", response_class=HTMLResponse)
def who_viewed(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(WHO_VIEWED)],
    key: str = "",
) -> HTMLResponse:
    key = key.strip()
    keys = [key] if key else []
    if key:
        try:
            person = person_by_key(session=session, key=key)
            keys = [p.key for p in cluster_people(session=session, person_id=person.id)]
        except NotFoundError:
            pass  # an erased person can still be asked about by key
    entries = processing_log.who_viewed(session=session, keys=keys) if keys else []
    record_view(
        session=session,
        request=request,
        who=who,
        records=keys,
        purpose="audit: who viewed",
        reason="audit: verifying the lawfulness of processing (s62(4))",
    )
    return render(request, "audit_who_viewed.html", {"key": key, "keys": keys, "entries": entries})


@router.get("/audit/break-glass", response_class=HTMLResponse)
def break_glass_list(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(BREAK_GLASS_LIST)]
) -> HTMLResponse:
    entries = processing_log.break_glass_entries(session=session)
    response = render(request, "audit_break_glass.html", {"entries": entries})
    record_view(
        session=session,
        request=request,
        who=who,
        records=sorted({k for e in entries for k in e.records}),
        purpose="audit: break-glass openings",
        reason="supervision of records opened beyond a role",
    )
    return response
