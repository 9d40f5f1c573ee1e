"""Routes for step forms: a GET showing the form and a POST recording it, for each step.

Each step gets its own two routes (not one route with the step in the path), so the policy
check and the route x role matrix see every form. Showing a form is a consultation of the
records it is about (CONSULT); recording it is a collection (COLLECT), in the same request's
transaction as the records it stores.
"""

# No ``from __future__ import annotations`` here: the route functions are made inside
# ``_add`` and their ``Depends(policy)`` must be evaluated where ``policy`` is in scope.
from collections.abc import Callable, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from safeguard.access import processing_log
from safeguard.access.processing_log import Actor, Operation
from safeguard.access.service import Principal
from safeguard.timeutil import now_utc
from safeguard.web import records
from safeguard.web.csrf import checked_form
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.policy import Policy
from safeguard.web.steps import Errors, Step, Subject
from safeguard.web.templating import render

Load = Callable[[Session, str, Principal], Subject]
Done = Callable[[Subject, list[str]], str]


def add_steps(
    router: APIRouter,
    *,
    path: str,
    steps: Sequence[Step],
    policy: Policy,
    load: Load,
    done: Done,
    justification: str,
) -> None:
    """Add ``path`` (with ``{slug}`` standing for each step's slug) for each of ``steps``."""
    for step in steps:
        _add(router, path.replace("{slug}", step.slug), step, policy, load, done, justification)


def _add(
    router: APIRouter,
    path: str,
    step: Step,
    policy: Policy,
    load: Load,
    done: Done,
    justification: str,
) -> None:
    def show(
        request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(policy)]
    ) -> HTMLResponse:
        subject = load(session, key, who)
        response = _page(request, step, subject, {}, [])
        record_view(
            session=session, request=request, who=who, records=subject.viewed, purpose=step.purpose
        )
        return response

    def submit(
        request: Request,
        key: str,
        session: DbSession,
        who: Annotated[Principal, Depends(policy)],
        form: Annotated[FormData, Depends(checked_form)],
    ) -> Response:
        subject = load(session, key, who)
        now = now_utc()
        values = step.values(form)
        errors = step.validate(values, subject, now)
        record_view(
            session=session, request=request, who=who, records=subject.viewed, purpose=step.purpose
        )
        if errors:
            return _page(request, step, subject, values, errors, status=400)
        built = step.build(values, subject, now, who.username)
        keys = records.store(session=session, records=built)
        processing_log.append(
            session=session,
            operation=Operation.COLLECT,
            actor=Actor(who.username, who.role.value),
            records=[*keys, *subject.viewed],
            purpose=step.purpose,
            justification=justification,
            detail={"path": request.url.path},
        )
        return RedirectResponse(done(subject, keys), status_code=303)

    name = path.strip("/").replace("/", "_").replace("{key}", "key")
    router.add_api_route(path, show, methods=["GET"], response_class=HTMLResponse, name=name)
    router.add_api_route(path, submit, methods=["POST"], response_class=HTMLResponse, name=name)


def _page(
    request: Request,
    step: Step,
    subject: Subject,
    values: dict[str, str],
    errors: Errors,
    *,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "step": step,
        "subject": subject,
        "values": values,
        "errors": errors,
        "action": request.url.path,
    }
    return render(request, "step_form.html", context, status=status)
