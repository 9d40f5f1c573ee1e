"""The JSON API under /api/v1: bearer tokens only (no cookies, so no CSRF surface)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from safeguard.access import restrictions
from safeguard.access.roles import ALL_ROLES, PERSON_READERS
from safeguard.access.service import Principal
from safeguard.pole.people import person_by_key
from safeguard.timeutil import now_utc
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.need_to_know import hide_restricted_people, restricted_picture, visible_picture
from safeguard.web.policy import allow
from safeguard.web.risk_adapter import risk_picture
from safeguard.web.search import PersonQuery, parse_dob, search_people_as

router = APIRouter(prefix="/api/v1", tags=["api"])

ME = allow("api me", ALL_ROLES, api=True)
API_FIND = allow("api find people", PERSON_READERS, api=True, personal_data=True)
API_PERSON = allow("api person", PERSON_READERS, api=True, personal_data=True)


class Me(BaseModel):
    username: str
    display_name: str
    role: str
    team: str
    area: str


class PersonHitOut(BaseModel):
    key: str
    keys: list[str]
    names: list[str]
    dob: date | None
    markers: list[str]


@router.get("/me")
def me(who: Annotated[Principal, Depends(ME)]) -> Me:
    return Me(
        username=who.username,
        display_name=who.display_name,
        role=who.role.value,
        team=who.team,
        area=who.area,
    )


@router.get("/people")
def find_people(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(API_FIND)],
    name: str = "",
    dob: str = "",
    address: str = "",
    phone: str = "",
) -> list[PersonHitOut]:
    query = PersonQuery(name=name, dob=parse_dob(dob), address=address, phone=phone)
    hits = search_people_as(session=session, username=who.username, query=query, as_of=now_utc())
    record_view(
        session=session,
        request=request,
        who=who,
        records=[k for h in hits for k in h.keys],
        purpose="person search (API)",
        detail={"query": {"name": name, "dob": dob, "address": address, "phone": phone}},
    )
    return [
        PersonHitOut(key=h.key, keys=h.keys, names=h.names, dob=h.dob, markers=h.markers)
        for h in hits
    ]


@router.get("/people/{key}")
def person(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(API_PERSON)]
) -> dict[str, Any]:
    """The person's risk picture as the token's role may see it."""
    found = person_by_key(session=session, key=key)
    picture = risk_picture(request=request, session=session, person=found, as_of=now_utc())
    limits = restrictions.load(session=session)
    if limits.hides(who.username, picture["person"]["keys"]):
        shown = restricted_picture(picture)
    else:
        shown = visible_picture(picture, role=who.role, break_glass=False)
        hide_restricted_people(shown, limits, who.username)
    linked = [lk["key"] for lk in shown.get("links", []) if lk.get("type") == "person"]
    record_view(
        session=session,
        request=request,
        who=who,
        records=[*picture["person"]["keys"], *linked],
        purpose="person view (API)",
        detail={"view": shown["view"]},
    )
    return shown
