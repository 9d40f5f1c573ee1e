"""Find a person, a person's single view, and break-glass opening."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from safeguard.access import processing_log, restrictions
from safeguard.access.processing_log import Actor, Operation
from safeguard.access.restrictions import Restrictions
from safeguard.access.roles import PERSON_READERS, SPECIALIST
from safeguard.access.service import Principal
from safeguard.errors import InvalidInputError
from safeguard.pole.models import Person
from safeguard.pole.people import person_by_key
from safeguard.timeutil import now_utc
from safeguard.web.alerts import kept_alerts
from safeguard.web.csrf import checked_form
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.need_to_know import (
    hide_restricted_people,
    restricted_picture,
    sees_everything,
    shown_message,
    visible_picture,
)
from safeguard.web.policy import allow
from safeguard.web.risk_adapter import risk_picture
from safeguard.web.routes.alerts import ACKNOWLEDGE
from safeguard.web.search import PersonQuery, parse_dob, search_people_as
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

FIND_PEOPLE = allow("find people", PERSON_READERS, personal_data=True)
VIEW_PERSON = allow("person view", PERSON_READERS, personal_data=True)
BREAK_GLASS = allow("break glass", PERSON_READERS)
# How a person's records were linked (`routes.person_linkage`): for the roles whose view of a
# person is the full record; frontline roles see markers and what to do.
LINKAGE_READERS = SPECIALIST
GLASS = "glass"
TIMELINE_SHOWN = 100  # the latest entries; the page says how many there are and links to all
MIN_REASON = 10


@router.get("/people", response_class=HTMLResponse)
def find_people(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(FIND_PEOPLE)],
    name: str = "",
    dob: str = "",
    address: str = "",
    phone: str = "",
) -> HTMLResponse:
    errors: list[dict[str, str]] = []
    try:
        query = PersonQuery(name=name, dob=parse_dob(dob), address=address, phone=phone)
    except InvalidInputError as exc:
        errors.append({"text": str(exc), "href": "#dob"})
        query = PersonQuery(name=name, address=address, phone=phone)
    hits = (
        []
        if errors
        else search_people_as(session=session, username=who.username, query=query, as_of=now_utc())
    )
    record_view(
        session=session,
        request=request,
        who=who,
        records=[k for h in hits for k in h.keys],
        purpose="person search",
        detail={"query": {"name": name, "dob": dob, "address": address, "phone": phone}},
    )
    context = {
        "form": {"name": name, "dob": dob, "address": address, "phone": phone},
        "hits": hits,
        "searched": not query.empty,
        "errors": errors,
    }
    return render(request, "people_search.html", context, status=400 if errors else 200)


def glass_grant(request: Request, key: str) -> str | None:
    """The reason recorded for an unexpired break-glass opening of this person, if any."""
    grants = request.session.get(GLASS)
    if not isinstance(grants, dict):
        return None
    grant = grants.get(key)
    if not isinstance(grant, dict) or grant.get("until", 0) < time.time():
        return None
    reason = grant.get("reason")
    return reason if isinstance(reason, str) else None


def record_view_for(
    request: Request, who: Principal, keys: list[str], limits: Restrictions
) -> tuple[str, str | None]:
    """Which view of the person with these (sorted) keys this user gets: "restricted" (a
    restricted record they are not named on), "markers" (a frontline role) or "full"; and the
    reason of the break-glass opening it rests on, if any."""
    reason = glass_grant(request, keys[0])
    if limits.hides(who.username, keys) and reason is None:
        return "restricted", None
    full = sees_everything(who.role, break_glass=reason is not None)
    return ("full" if full else "markers"), reason


def _picture_for(
    request: Request, session: Session, who: Principal, person: Person
) -> tuple[dict[str, Any], dict[str, Any], Callable[[str, list[str]], str]]:
    """The picture as this user may see it, the processing-log entry it calls for, and how an
    alert message about the person reads for this user."""
    picture = risk_picture(request=request, session=session, person=person, as_of=now_utc())
    keys = picture["person"]["keys"]
    home_key = keys[0]
    limits = restrictions.load(session=session)
    view, reason = record_view_for(request, who, keys, limits)
    hidden_names: dict[str, str] = {}
    if view == "restricted":
        shown = restricted_picture(picture)
    else:
        shown = visible_picture(picture, role=who.role, break_glass=reason is not None)
        hidden_names = hide_restricted_people(shown, limits, who.username)
    linked = [lk["key"] for lk in shown.get("links", []) if lk.get("type") == "person"]
    log = {
        "records": [*keys, *linked],
        "purpose": "person view",
        "reason": reason,
        "break_glass": reason is not None,
        "detail": {"view": shown["view"], "engine": picture.get("engine", "risk")},
    }
    shown["home_key"] = home_key

    def message(text: str, subjects: list[str]) -> str:
        return shown_message(
            text,
            subjects,
            own=keys,
            restrictions=limits,
            username=who.username,
            hidden_names=hidden_names,
        )

    return shown, log, message


def latest_of_timeline(shown: dict[str, Any], whole: bool) -> int:
    """Cut the timeline to its latest TIMELINE_SHOWN entries (still oldest first) unless the
    whole is asked for; returns how many entries there are in all, which the page states."""
    timeline = shown.get("timeline") or []
    if not whole and len(timeline) > TIMELINE_SHOWN:
        shown["timeline"] = timeline[-TIMELINE_SHOWN:]
    return len(timeline)


@router.get("/people/{key}", response_class=HTMLResponse)
def person_view(
    request: Request,
    key: str,
    session: DbSession,
    who: Annotated[Principal, Depends(VIEW_PERSON)],
    timeline: str = "",
) -> HTMLResponse:
    person = person_by_key(session=session, key=key)
    shown, log, message = _picture_for(request, session, who, person)
    context = {
        "p": shown,
        "key": key,
        "timeline_total": latest_of_timeline(shown, timeline == "all"),
        "kept": []
        if shown["view"] == "restricted"
        else [
            (alert, message(alert.message, alert.subjects))
            for alert in kept_alerts(session=session, person=person)
        ],
        "can_acknowledge": who.role in ACKNOWLEDGE.roles,
        "explains_linkage": who.role in LINKAGE_READERS and shown["view"] == "full",
    }
    response = render(request, "person.html", context)
    # Logged after rendering, so the log's lock is held only until the commit; the response is
    # still sent only once the entry is committed.
    record_view(session=session, request=request, who=who, **log)
    return response


@router.get("/people/{key}/break-glass", response_class=HTMLResponse)
def break_glass_page(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(BREAK_GLASS)]
) -> HTMLResponse:
    person = person_by_key(session=session, key=key)
    return render(request, "break_glass.html", {"key": person.key, "errors": [], "reason": ""})


@router.post("/people/{key}/break-glass", response_class=HTMLResponse)
def break_glass(
    request: Request,
    key: str,
    session: DbSession,
    who: Annotated[Principal, Depends(BREAK_GLASS)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    person = person_by_key(session=session, key=key)
    reason = str(form.get("reason", "")).strip()
    if len(reason) < MIN_REASON:
        errors = [{"text": "Enter why you need to see the full record", "href": "#reason"}]
        context = {"key": person.key, "errors": errors, "reason": reason}
        return render(request, "break_glass.html", context, status=400)
    picture = risk_picture(request=request, session=session, person=person, as_of=now_utc())
    home_key = picture["person"]["keys"][0]
    processing_log.append(
        session=session,
        operation=Operation.CONSULT,
        actor=Actor(who.username, who.role.value),
        records=picture["person"]["keys"],
        purpose="break glass: full record opened beyond role",
        justification=reason,
        break_glass=True,
        detail={"path": request.url.path, "method": "POST"},
    )
    minutes = request.app.state.settings.break_glass_minutes
    stored = request.session.get(GLASS)
    now = time.time()
    grants = {
        k: g
        for k, g in (stored.items() if isinstance(stored, dict) else ())
        if isinstance(g, dict) and g.get("until", 0) > now  # expired grants are dropped
    }
    grants[home_key] = {"until": now + minutes * 60, "reason": reason}
    request.session[GLASS] = grants
    return RedirectResponse(f"/people/{key}", status_code=303)
