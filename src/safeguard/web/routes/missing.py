"""Missing episodes, for the CSE and missing coordinator: report a child missing, then on the
episode record found, the risk assessment, the safe and well check and the return interview."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from safeguard.access.roles import Role
from safeguard.access.service import Principal
from safeguard.timeutil import now_utc
from safeguard.web import missing
from safeguard.web.deps import DbSession
from safeguard.web.event_alerts import alerts_on
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.step_routes import add_steps
from safeguard.web.steps import Subject
from safeguard.web.subjects import person_subject
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

MISSING = allow("missing episodes", {Role.CSE_COORDINATOR}, personal_data=True)
JUSTIFICATION = "CSE and missing coordination: safeguarding a missing child"
CODES = (
    "SAFE_AND_WELL_MISSING",
    "RETURN_INTERVIEW_OVERDUE",
    "MISSING_RISK_UNDERSTATED",
    "LOCATION_NOT_ENQUIRED",
)


def _person(session: Session, key: str, who: Principal) -> Subject:
    subject = person_subject(session=session, key=key, username=who.username, as_of=now_utc())
    subject.caption = subject.person_name
    return subject


def _episode(session: Session, key: str, who: Principal) -> Subject:
    return missing.load_episode(session=session, key=key, username=who.username, as_of=now_utc())


add_steps(
    router,
    path="/people/{key}/missing/{slug}",
    steps=[missing.REPORT],
    policy=MISSING,
    load=_person,
    done=lambda subject, keys: f"/missing/{keys[-1]}",
    justification=JUSTIFICATION,
)
add_steps(
    router,
    path="/missing/{key}/{slug}",
    steps=missing.EPISODE_STEPS,
    policy=MISSING,
    load=_episode,
    done=lambda subject, keys: f"/missing/{subject.key}",
    justification=JUSTIFICATION,
)


@router.get("/missing/{key}", response_class=HTMLResponse)
def episode(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(MISSING)]
) -> HTMLResponse:
    now = now_utc()
    subject = _episode(session, key, who)
    policy = request.app.state.policy
    alerts = alerts_on(
        session=session,
        person_key=subject.person_key,
        event_key=subject.key,
        codes=CODES,
        as_of=now,
        policy=policy,
    )
    found = subject.marks.get("found_at")
    due = {}
    if found is not None:
        due = {
            "safe_and_well_check": found + timedelta(hours=policy.missing.safe_and_well_hours),
            "return_interview": found + timedelta(hours=policy.missing.return_interview_hours),
        }
    context = {
        "subject": subject,
        "alerts": alerts,
        "due": due,
        "steps": missing.EPISODE_STEPS,
        "errors": [],
    }
    response = render(request, "missing_episode.html", context)
    record_view(
        session=session, request=request, who=who, records=subject.viewed, purpose="missing episode"
    )
    return response
