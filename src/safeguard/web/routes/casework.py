"""Case work: the case file, strategy discussions, protective plans, allocation by skill and
caseload, and the queue of cases waiting for allocation."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from safeguard.access import processing_log
from safeguard.access.processing_log import Actor, Operation
from safeguard.access.roles import Role
from safeguard.access.service import Principal
from safeguard.pole.models import Action, Event
from safeguard.timeutil import now_utc
from safeguard.web import allocation, case_file, concurrency, protective_plan, records, strategy
from safeguard.web.allocation_queue import waiting
from safeguard.web.csrf import checked_form
from safeguard.web.deps import DbSession
from safeguard.web.form_rows import text
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

CASE_WORKERS = {Role.MASH, Role.PPU_INVESTIGATOR, Role.PPU_SUPERVISOR}
CASE = allow("case file", CASE_WORKERS, personal_data=True)
STRATEGY = allow("strategy discussion", CASE_WORKERS, personal_data=True)
PLAN = allow("protective plan", {Role.PPU_INVESTIGATOR, Role.PPU_SUPERVISOR}, personal_data=True)
ALLOCATE = allow("allocate a case", {Role.PPU_SUPERVISOR}, personal_data=True)
WAITING = allow("allocation queue", {Role.PPU_SUPERVISOR}, personal_data=True)
CLOSED = {"text": "This case is closed", "href": "#main-content"}
SHOWN = 50


def _load(session: DbSession, key: str, who: Principal) -> case_file.CaseFile:
    return case_file.load(session=session, key=key, username=who.username, as_of=now_utc())


def _viewed(
    session: DbSession, request: Request, who: Principal, case: case_file.CaseFile, why: str
) -> None:
    record_view(session=session, request=request, who=who, records=case.records, purpose=why)


def _saved(
    session: DbSession,
    request: Request,
    who: Principal,
    operation: Operation,
    keys: list[str],
    purpose: str,
    justification: str,
) -> None:
    processing_log.append(
        session=session,
        operation=operation,
        actor=Actor(who.username, who.role.value),
        records=keys,
        purpose=purpose,
        justification=justification,
        detail={"path": request.url.path},
    )


# ---- the case file ----------------------------------------------------------------------


@router.get("/cases/{key}", response_class=HTMLResponse)
def case_page(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(CASE)]
) -> HTMLResponse:
    case = _load(session, key, who)
    context = {"case": case, "can_plan": who.role in PLAN.roles, "agencies": strategy.AGENCIES}
    response = render(request, "case.html", context | {"can_allocate": who.role in ALLOCATE.roles})
    _viewed(session, request, who, case, "case file")
    return response


# ---- strategy discussion ----------------------------------------------------------------


def _strategy_page(
    request: Request,
    case: case_file.CaseFile,
    d: strategy.Discussion,
    errors: list[Any],
    status: int,
) -> HTMLResponse:
    context = {"case": case, "d": d, "agencies": strategy.AGENCIES, "errors": errors}
    return render(request, "strategy.html", context, status=status)


@router.get("/cases/{key}/strategy-discussion", response_class=HTMLResponse)
def strategy_form(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(STRATEGY)]
) -> HTMLResponse:
    case = _load(session, key, who)
    response = _strategy_page(request, case, strategy.blank(), [], 200)
    _viewed(session, request, who, case, "strategy discussion")
    return response


@router.post("/cases/{key}/strategy-discussion", response_class=HTMLResponse)
def record_strategy(
    request: Request,
    key: str,
    session: DbSession,
    who: Annotated[Principal, Depends(STRATEGY)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    case = _load(session, key, who)
    d = strategy.parse(form)
    now = now_utc()
    if text(form, "add"):
        errors: list[dict[str, str]] = []
    else:
        errors = (
            [CLOSED] if case.event.closed_at else strategy.validate(d, event=case.event, now=now)
        )
    if errors or text(form, "add"):
        response = _strategy_page(request, case, d, errors, 400 if errors else 200)
        _viewed(session, request, who, case, "strategy discussion")
        return response
    keys = records.store(
        session=session, records=strategy.to_records(d, event=case.event, now=now, by=who.username)
    )
    _saved(
        session,
        request,
        who,
        Operation.COLLECT,
        [*keys, *case.records],
        "strategy discussion recorded",
        "safeguarding a child: strategy discussion (Working Together 2015)",
    )
    return RedirectResponse(f"/cases/{case.key}#strategy-discussions", status_code=303)


# ---- protective plan --------------------------------------------------------------------


def _plan_page(
    request: Request,
    case: case_file.CaseFile,
    plan: protective_plan.Plan,
    *,
    plan_key: str,
    version: str,
    errors: list[dict[str, str]],
    status: int = 200,
    conflict: concurrency.Conflict | None = None,
) -> HTMLResponse:
    theirs = protective_plan.from_record(conflict.theirs) if conflict else None
    context = {
        "case": case,
        "plan": plan,
        "plan_key": plan_key,
        "version": version,
        "errors": errors,
        "conflict": conflict,
        "theirs": theirs,
    }
    return render(request, "plan.html", context, status=status)


@router.get("/cases/{key}/protective-plan", response_class=HTMLResponse)
def plan_form(
    request: Request,
    key: str,
    session: DbSession,
    who: Annotated[Principal, Depends(PLAN)],
    plan: str = "",
    child: str = "",
) -> HTMLResponse:
    case = _load(session, key, who)
    if plan:
        stored = concurrency.locked(
            session=session, model=Action, key=case.plan(plan).key, lock=False
        )
        shown, version = (
            protective_plan.from_record(json.loads(stored.payload)),
            stored.payload_hash,
        )
    else:
        only = case.child_keys[0] if len(case.child_keys) == 1 else ""
        shown, version = protective_plan.blank(child if child in case.child_keys else only), ""
    response = _plan_page(request, case, shown, plan_key=plan, version=version, errors=[])
    _viewed(session, request, who, case, "protective plan")
    return response


@router.post("/cases/{key}/protective-plan", response_class=HTMLResponse)
def save_plan(
    request: Request,
    key: str,
    session: DbSession,
    who: Annotated[Principal, Depends(PLAN)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    case = _load(session, key, who)
    plan, plan_key, now = protective_plan.parse(form), text(form, "plan"), now_utc()
    stored, conflict = None, None
    if plan_key:
        stored = concurrency.locked(session=session, model=Action, key=case.plan(plan_key).key)
        plan.child = case.plan(plan_key).person or ""  # a revision stays with its child
        conflict = concurrency.check(
            session=session, record=stored, sent=text(form, concurrency.FIELD)
        )
    errors = (
        []
        if text(form, "add")
        else protective_plan.validate(
            plan,
            children=case.child_keys,
            now=now,
            planned=frozenset() if plan_key else frozenset(p.person or "" for p in case.plans),
        )
    )
    if case.event.closed_at:
        errors = [CLOSED]
    if conflict:
        errors = [conflict.error(), *errors]
    if errors or text(form, "add"):
        status = 409 if conflict else 400 if errors else 200
        version = conflict.version if conflict else text(form, concurrency.FIELD)
        response = _plan_page(
            request,
            case,
            plan,
            plan_key=plan_key,
            version=version,
            errors=errors,
            status=status,
            conflict=conflict,
        )
        _viewed(session, request, who, case, "protective plan")
        return response
    existing = json.loads(stored.payload) if stored is not None else None
    recs = protective_plan.to_records(
        plan, event=case.event, now=now, by=who.username, existing=existing
    )
    keys = records.store(session=session, records=recs)
    _saved(
        session,
        request,
        who,
        Operation.ALTER if stored is not None else Operation.COLLECT,
        [*keys, *case.records],
        "protective plan revised" if stored is not None else "protective plan recorded",
        "safeguarding a child: protective plan",
    )
    return RedirectResponse(f"/cases/{case.key}#protective-plans", status_code=303)


# ---- allocation -------------------------------------------------------------------------


def _allocate_page(
    request: Request,
    case: case_file.CaseFile,
    choices: list[allocation.Candidate],
    values: dict[str, str],
    *,
    version: str,
    errors: list[dict[str, str]],
    status: int = 200,
    conflict: concurrency.Conflict | None = None,
) -> HTMLResponse:
    context = {
        "case": case,
        "candidates": choices,
        "serious": any(c.concern for c in choices),
        "specialism": allocation.specialism_name(request.app.state.policy),
        "values": values,
        "version": version,
        "errors": errors,
        "conflict": conflict,
    }
    return render(request, "allocate.html", context, status=status)


@router.get("/cases/{key}/allocate", response_class=HTMLResponse)
def allocate_form(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(ALLOCATE)]
) -> HTMLResponse:
    case = _load(session, key, who)
    choices = allocation.candidates(
        session=session, event=case.event, as_of=now_utc(), policy=request.app.state.policy
    )
    response = _allocate_page(
        request, case, choices, {}, version=case.event.payload_hash, errors=[]
    )
    _viewed(session, request, who, case, "allocation")
    return response


@router.post("/cases/{key}/allocate", response_class=HTMLResponse)
def allocate(
    request: Request,
    key: str,
    session: DbSession,
    who: Annotated[Principal, Depends(ALLOCATE)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    locked: Event = concurrency.locked(session=session, model=Event, key=key)
    case = _load(session, locked.key, who)
    now = now_utc()
    choices = allocation.candidates(
        session=session, event=case.event, as_of=now, policy=request.app.state.policy
    )
    values = {k: text(form, k) for k in ("officer", "confirm", "reason")}
    chosen = next((c for c in choices if c.key == values["officer"]), None)
    conflict = concurrency.check(session=session, record=locked, sent=text(form, concurrency.FIELD))
    errors = allocation.validate(
        chosen=chosen,
        confirmed=values["confirm"] == "yes",
        reason=values["reason"],
        current=case.officer.key if case.officer else None,
    )
    if case.event.closed_at:
        errors = [CLOSED]
    if conflict:
        errors = [conflict.error(), *errors]
    if errors or chosen is None:
        version = conflict.version if conflict else text(form, concurrency.FIELD)
        response = _allocate_page(
            request,
            case,
            choices,
            values,
            version=version,
            errors=errors,
            status=409 if conflict else 400,
            conflict=conflict,
        )
        _viewed(session, request, who, case, "allocation")
        return response
    recs = allocation.to_records(
        event=case.event, officer=chosen, reason=values["reason"], now=now, by=who.username
    )
    keys = records.store(session=session, records=recs)
    _saved(
        session,
        request,
        who,
        Operation.ALTER,
        [*keys, *case.records],
        "case allocated",
        values["reason"] or "PPU: allocation of investigations",
    )
    return RedirectResponse(f"/cases/{case.key}", status_code=303)


@router.get("/queues/allocation", response_class=HTMLResponse)
def allocation_queue(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(WAITING)]
) -> HTMLResponse:
    shown = waiting(session=session, as_of=now_utc(), username=who.username, limit=SHOWN)
    response = render(request, "queue_allocation.html", {"cases": shown, "shown": SHOWN})
    record_view(
        session=session,
        request=request,
        who=who,
        records=[k for c in shown for k in (c.event_key, *(key for key, _ in c.children))],
        purpose="allocation queue",
    )
    return response
