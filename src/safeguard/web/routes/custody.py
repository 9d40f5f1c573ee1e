"""Children in custody, for custody officers: the custody record and its steps (appropriate
adult, healthcare practitioner, bail, local authority accommodation, bail review, detention
certificate, release), and the queue of children held now with what is outstanding."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.access.roles import Role
from safeguard.access.service import Principal
from safeguard.pole.people import person_by_key
from safeguard.timeutil import now_utc
from safeguard.web import custody
from safeguard.web.custody_queue import children_in_custody, outstanding_for
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.step_routes import add_steps
from safeguard.web.steps import Subject
from safeguard.web.subjects import person_subject
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

CUSTODY = allow("children in custody", {Role.CUSTODY}, personal_data=True)
JUSTIFICATION = "custody officer: care of a detained child (PACE 1984)"


def _person(session: Session, key: str, who: Principal) -> Subject:
    subject = person_subject(session=session, key=key, username=who.username, as_of=now_utc())
    subject.caption = subject.person_name
    return subject


def _record(session: Session, key: str, who: Principal) -> Subject:
    return custody.load_record(session=session, key=key, username=who.username)


add_steps(
    router,
    path="/people/{key}/custody/{slug}",
    steps=[custody.NEW],
    policy=CUSTODY,
    load=_person,
    done=lambda subject, keys: f"/custody/{keys[-1]}",
    justification=JUSTIFICATION,
)
add_steps(
    router,
    path="/custody/{key}/{slug}",
    steps=custody.RECORD_STEPS,
    policy=CUSTODY,
    load=_record,
    done=lambda subject, keys: f"/custody/{subject.key}",
    justification=JUSTIFICATION,
)


@router.get("/custody/{key}", response_class=HTMLResponse)
def record(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(CUSTODY)]
) -> HTMLResponse:
    now = now_utc()
    subject = _record(session, key, who)
    person = person_by_key(session=session, key=subject.person_key)
    found = outstanding_for(
        session=session, person_ids={person.id}, as_of=now, policy=request.app.state.policy
    )
    outstanding = [o for (event_key, _), items in found.items() if event_key == key for o in items]
    held_until = subject.marks.get("released", now)
    context = {
        "subject": subject,
        "outstanding": outstanding,
        "hours": int((held_until - subject.marks["detained"]).total_seconds() // 3600),
        "steps": custody.RECORD_STEPS,
        "errors": [],
    }
    response = render(request, "custody_record.html", context)
    record_view(
        session=session, request=request, who=who, records=subject.viewed, purpose="custody record"
    )
    return response


@router.get("/queues/custody", response_class=HTMLResponse)
def queue(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(CUSTODY)]
) -> HTMLResponse:
    held = children_in_custody(session=session, as_of=now_utc(), policy=request.app.state.policy)
    limits = restrictions.load(session=session)
    for child in held:
        if limits.hides(who.username, [child.child_key]):
            child.name = RESTRICTED_LABEL
    response = render(request, "queue_custody.html", {"held": held})
    record_view(
        session=session,
        request=request,
        who=who,
        records=[k for c in held for k in (c.event_key, c.child_key)],
        purpose="custody queue",
    )
    return response
