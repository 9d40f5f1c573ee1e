"""Acknowledging a kept alert from the person view: a reason, logged as an alteration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from safeguard.access import processing_log, restrictions
from safeguard.access.processing_log import Actor, Operation
from safeguard.access.roles import SPECIALIST
from safeguard.access.service import Principal
from safeguard.pole.people import cluster_people, person_by_key
from safeguard.risk.service import acknowledge
from safeguard.timeutil import now_utc
from safeguard.web.alerts import kept_alert_of
from safeguard.web.csrf import checked_form
from safeguard.web.deps import DbSession
from safeguard.web.need_to_know import shown_message
from safeguard.web.policy import allow
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

ACKNOWLEDGE = allow("acknowledge an alert", SPECIALIST)
MIN_REASON = 10


@router.post("/people/{key}/alerts/{alert_id}/acknowledge", response_class=HTMLResponse)
def acknowledge_alert(
    request: Request,
    key: str,
    alert_id: int,
    session: DbSession,
    who: Annotated[Principal, Depends(ACKNOWLEDGE)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    person = person_by_key(session=session, key=key)
    alert = kept_alert_of(session=session, person=person, alert_id=alert_id)
    reason = str(form.get("reason", "")).strip()
    if len(reason) < MIN_REASON:
        errors = [{"text": "Enter why this alert needs no further action now", "href": "#reason"}]
        own = [p.key for p in cluster_people(session=session, person_id=person.id)] or [person.key]
        message = shown_message(
            alert.message,
            alert.subjects,
            own=own,
            restrictions=restrictions.load(session=session),
            username=who.username,
            hidden_names={},  # no picture here: a message naming a hidden person is withheld
        )
        context = {
            "key": key,
            "alert": alert,
            "message": message,
            "errors": errors,
            "reason": reason,
        }
        return render(request, "acknowledge.html", context, status=400)
    acknowledge(
        session=session, alert_id=str(alert.id), by=who.username, reason=reason, at=now_utc()
    )
    processing_log.append(
        session=session,
        operation=Operation.ALTER,
        actor=Actor(who.username, who.role.value),
        records=sorted({person.key, *alert.subjects}),
        purpose="alert acknowledged",
        justification=reason,
        detail={"path": request.url.path, "alert": alert.id, "code": alert.code},
    )
    return RedirectResponse(f"/people/{key}#kept-alerts", status_code=303)
