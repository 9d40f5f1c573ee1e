"""Forms: the vulnerable child notification, and closing a case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from safeguard.access import processing_log, restrictions
from safeguard.access.processing_log import Actor, Operation
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.access.roles import Role
from safeguard.access.service import Principal
from safeguard.pole.models import Event
from safeguard.timeutil import now_utc
from safeguard.web import closure, concurrency, records, supervision, vcn
from safeguard.web.csrf import checked_form
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

NOTIFY = allow("vulnerable child notification", {Role.RESPONSE, Role.NEIGHBOURHOOD})
CLOSE = allow(
    "close a case",
    {Role.MASH, Role.PPU_INVESTIGATOR, Role.PPU_SUPERVISOR},
    personal_data=True,
)


@router.get("/notifications/new", response_class=HTMLResponse)
def notification_form(request: Request, who: Annotated[Principal, Depends(NOTIFY)]) -> HTMLResponse:
    return render(request, "vcn.html", {"note": vcn.blank(), "errors": []})


@router.post("/notifications/new", response_class=HTMLResponse)
def notify(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(NOTIFY)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    note = vcn.parse(form)
    now = now_utc()
    errors = vcn.validate(note, now=now)
    if errors:
        return render(request, "vcn.html", {"note": note, "errors": errors}, status=400)
    recs = vcn.to_records(note, now=now, recorded_by=who.username)
    keys = records.store(session=session, records=recs)
    processing_log.append(
        session=session,
        operation=Operation.COLLECT,
        actor=Actor(who.username, who.role.value),
        records=keys,
        purpose="vulnerable child notification",
        justification="safeguarding a child (Children Act 2004 s11)",
        detail={"path": request.url.path},
    )
    first_child = next(r for r in recs if r["record"] == "person")
    return RedirectResponse(f"/people/{records.key_of(first_child)}", status_code=303)


def _children(session: DbSession, event: Event, who: Principal) -> list[closure.ChildAtClosure]:
    children = closure.children_of(session=session, event=event)
    limits = restrictions.load(session=session)
    for child in children:
        if limits.hides(who.username, [child.key]):
            child.name = RESTRICTED_LABEL
    return children


def _closure_context(session: DbSession, key: str, who: Principal) -> dict[str, object]:
    event = closure.event_by_key(session=session, key=key)
    return {"event": event, "children": _children(session, event, who), "key": event.key}


@router.get("/cases/{key}/close", response_class=HTMLResponse)
def close_form(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(CLOSE)]
) -> HTMLResponse:
    context = _closure_context(session, key, who)
    children = context["children"]
    assert isinstance(children, list)
    record_view(
        session=session,
        request=request,
        who=who,
        records=[key, *(c.key for c in children)],
        purpose="case closure",
    )
    return render(
        request, "close.html", context | {"values": {}, "errors": [], "version": _version(context)}
    )


def _version(context: dict[str, object]) -> str:
    event = context["event"]
    assert isinstance(event, Event)
    return event.payload_hash


@router.post("/cases/{key}/close", response_class=HTMLResponse)
def close(
    request: Request,
    key: str,
    session: DbSession,
    who: Annotated[Principal, Depends(CLOSE)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    event = closure.event_by_key(session=session, key=key)
    conflict = None
    if concurrency.FIELD in form:  # the version the page was opened at: refuse to overwrite
        locked = concurrency.locked(session=session, model=Event, key=event.key)
        conflict = concurrency.check(
            session=session, record=locked, sent=str(form[concurrency.FIELD])
        )
    children = _children(session, event, who)
    values, errors = closure.validate(children, form)
    record_view(
        session=session,
        request=request,
        who=who,
        records=[event.key, *(c.key for c in children)],
        purpose="case closure",
    )
    if event.closed_at is not None:
        errors = [{"text": "This case is already closed", "href": "#summary"}]
    if conflict:
        errors = [conflict.error(), *errors]
    if errors:
        context = {"event": event, "children": children, "key": event.key, "conflict": conflict}
        context |= {"values": values, "errors": errors, "version": event.payload_hash}
        return render(request, "close.html", context, status=409 if conflict else 400)
    recs = closure.to_records(
        event=event, children=children, values=values, now=now_utc(), by=who.username
    )
    keys = records.store(session=session, records=recs)
    processing_log.append(
        session=session,
        operation=Operation.ALTER,
        actor=Actor(who.username, who.role.value),
        records=[*keys, *(c.key for c in children)],
        purpose="case closed",
        justification=values["summary"],
        detail={"path": request.url.path},
    )
    return RedirectResponse(f"/cases/{key}/close", status_code=303)


REVIEW = allow("supervision review", {Role.PPU_SUPERVISOR}, personal_data=True)


@router.get("/cases/{key}/review", response_class=HTMLResponse)
def review_form(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(REVIEW)]
) -> HTMLResponse:
    event = closure.event_by_key(session=session, key=key)
    children = _children(session, event, who)
    context = {"event": event, "key": event.key, "children": children, "values": {}, "errors": []}
    response = render(request, "review.html", context)
    record_view(
        session=session,
        request=request,
        who=who,
        records=[event.key, *(c.key for c in children)],
        purpose="supervision review",
    )
    return response


@router.post("/cases/{key}/review", response_class=HTMLResponse)
def review(
    request: Request,
    key: str,
    session: DbSession,
    who: Annotated[Principal, Depends(REVIEW)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    event = closure.event_by_key(session=session, key=key)
    children = _children(session, event, who)
    values = {k: str(form.get(k, "")).strip() for k in ("review", "direction")}
    errors = supervision.validate(values["review"], values["direction"])
    if event.closed_at is not None:
        errors = [{"text": "This case is closed", "href": "#review"}]
    record_view(
        session=session,
        request=request,
        who=who,
        records=[event.key, *(c.key for c in children)],
        purpose="supervision review",
    )
    if errors:
        context = {"event": event, "key": event.key, "children": children}
        return render(
            request, "review.html", context | {"values": values, "errors": errors}, status=400
        )
    recs = supervision.to_records(
        event=event,
        review=values["review"],
        direction=values["direction"],
        now=now_utc(),
        by=who.username,
    )
    keys = records.store(session=session, records=recs)
    processing_log.append(
        session=session,
        operation=Operation.COLLECT,
        actor=Actor(who.username, who.role.value),
        records=[*keys, event.key],
        purpose="supervision review recorded",
        justification="PPU: supervision of investigations",
        detail={"path": request.url.path},
    )
    return RedirectResponse("/queues/supervision", status_code=303)
