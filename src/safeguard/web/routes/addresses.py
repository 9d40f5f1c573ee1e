"""Address search and the address view for the control room."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.access.roles import PERSON_READERS
from safeguard.access.service import Principal
from safeguard.timeutil import now_utc
from safeguard.web.addresses import address_picture, location_by_key
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.search import search_locations
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

FIND_ADDRESS = allow("find address", PERSON_READERS)
VIEW_ADDRESS = allow("address view", PERSON_READERS, personal_data=True)


@router.get("/addresses", response_class=HTMLResponse)
def find_address(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(FIND_ADDRESS)],
    q: str = "",
) -> HTMLResponse:
    found = search_locations(session=session, text=q)
    return render(
        request, "address_search.html", {"q": q, "found": found, "searched": bool(q.strip())}
    )


@router.get("/addresses/{key}", response_class=HTMLResponse)
def address_view(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(VIEW_ADDRESS)]
) -> HTMLResponse:
    location = location_by_key(session=session, key=key)
    picture = address_picture(session=session, location=location, as_of=now_utc())
    limits = restrictions.load(session=session)
    for occupant in picture["occupants"]:
        if limits.hides(who.username, occupant.keys):
            occupant.name, occupant.dob = RESTRICTED_LABEL, None
    record_view(
        session=session,
        request=request,
        who=who,
        records=[location.key, *(k for o in picture["occupants"] for k in o.keys)],
        purpose="address check",
    )
    return render(request, "address.html", {"a": picture})
