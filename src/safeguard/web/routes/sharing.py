"""Sharing with partners: the police share a case or its referral; partner users (children's
social care) see only what is shared with them, and every look is logged."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from safeguard.access import sharing
from safeguard.access.models import PartnerShare
from safeguard.access.processing_log import Actor
from safeguard.access.service import Principal
from safeguard.access.sharing import LAWFUL_BASIS_TEXT, PARTNER_ROLES, SHARERS, ShareRequest
from safeguard.errors import InvalidInputError
from safeguard.pole.models import Event
from safeguard.timeutil import UK, now_utc
from safeguard.web.csrf import checked_form
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

SHARE = allow("share with a partner", SHARERS, personal_data=True)
SHARES = allow("partner shares", SHARERS, personal_data=True)
REVOKE = allow("revoke a partner share", SHARERS)
SHARED_WITH_ME = allow("shared with me", PARTNER_ROLES, personal_data=True)
SHARED_RECORD = allow("a shared record", PARTNER_ROLES, personal_data=True)


def _actor(who: Principal) -> Actor:
    return Actor(who.username, who.role.value)


def _form_context(session: Session, event: Event) -> dict[str, Any]:
    return {
        "event": event,
        "key": event.key,
        "actions": sharing.shareable_actions(session=session, event=event),
        "organisations": sharing.partner_organisations(session=session),
        "bases": [(b.value, text) for b, text in LAWFUL_BASIS_TEXT.items()],
    }


def _expiry(form: FormData) -> tuple[date | None, str | None]:
    parts = [str(form.get(f"expires_on-{p}", "")).strip() for p in ("day", "month", "year")]
    if not any(parts):
        return None, None
    try:
        day, month, year = (int(p) for p in parts)
        return date(year, month, day), None
    except ValueError:
        return None, "Enter a real expiry date, for example 31 3 2027, or leave it blank"


def _request_of(key: str, form: FormData) -> tuple[ShareRequest, list[dict[str, str]]]:
    chosen = [str(v) for v in form.getlist("share")]
    errors: list[dict[str, str]] = []
    if not chosen:
        errors.append({"text": "Choose what to share", "href": "#share"})
    elif "case" in chosen and len(chosen) > 1:
        errors.append({"text": "Choose the whole case or some actions, not both", "href": "#share"})
    expires_on, expiry_error = _expiry(form)
    if expiry_error:
        errors.append({"text": expiry_error, "href": "#expires_on-day"})
    req = ShareRequest(
        event_key=key,
        action_keys=[c for c in chosen if c != "case"],
        organisation=str(form.get("organisation", "")),
        recipient=str(form.get("recipient", "")) or None,
        lawful_basis=str(form.get("lawful_basis", "")),
        purpose=str(form.get("purpose", "")),
        expires_on=expires_on,
    )
    return req, errors


def _render_form(
    request: Request,
    session: Session,
    who: Principal,
    event: Event,
    *,
    values: Mapping[str, object],
    errors: list[dict[str, str]],
) -> HTMLResponse:
    """The share form, blank or with what was typed and its errors; a consultation of the case."""
    context = _form_context(session, event) | {"values": values, "errors": errors}
    response = render(request, "share_form.html", context, status=400 if errors else 200)
    record_view(
        session=session,
        request=request,
        who=who,
        records=[event.key],
        purpose="sharing: choosing what to share",
    )
    return response


@router.get("/cases/{key}/share", response_class=HTMLResponse)
def share_form(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(SHARE)]
) -> HTMLResponse:
    event = sharing.event_by_key(session=session, key=key)
    return _render_form(request, session, who, event, values={}, errors=[])


@router.post("/cases/{key}/share", response_class=HTMLResponse)
def share(
    request: Request,
    key: str,
    session: DbSession,
    who: Annotated[Principal, Depends(SHARE)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    event = sharing.event_by_key(session=session, key=key)
    now = now_utc()
    req, errors = _request_of(event.key, form)
    errors += [
        {"text": text, "href": f"#{field}"}
        for field, text in sharing.check(session=session, req=req, now=now)
    ]
    if not errors:
        expires_at = None
        if req.expires_on is not None:  # to the end of that day in the UK
            end = datetime.combine(req.expires_on + timedelta(days=1), time(), tzinfo=UK)
            expires_at = end.astimezone(now.tzinfo)
        try:
            sharing.share(
                session=session, req=req, actor=_actor(who), now=now, expires_at=expires_at
            )
            return RedirectResponse("/sharing", status_code=303)
        except InvalidInputError as exc:
            errors.append({"text": str(exc), "href": "#share"})
    values = {
        "share": [str(v) for v in form.getlist("share")],
        **{k: str(form.get(k, "")) for k in ("organisation", "recipient", "lawful_basis")},
        "purpose": req.purpose,
    }
    values |= {
        f"expires_on-{p}": str(form.get(f"expires_on-{p}", "")) for p in ("day", "month", "year")
    }
    return _render_form(request, session, who, event, values=values, errors=errors)


@router.get("/sharing", response_class=HTMLResponse)
def shares(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(SHARES)]
) -> HTMLResponse:
    now = now_utc()
    views = [
        sharing.shared_view(session=session, share=s) for s in sharing.list_shares(session=session)
    ]
    context = {"views": views, "now": now, "is_open": sharing.is_open, "basis": sharing.basis_text}
    response = render(request, "shares.html", context)
    record_view(
        session=session,
        request=request,
        who=who,
        records=[v.event_key for v in views],
        purpose="partner shares",
    )
    return response


@router.post("/sharing/{share_id}/revoke", response_class=HTMLResponse)
def revoke(
    request: Request,
    share_id: int,
    session: DbSession,
    who: Annotated[Principal, Depends(REVOKE)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    reason = str(form.get("reason", ""))
    sharing.revoke(
        session=session, share_id=share_id, reason=reason, actor=_actor(who), now=now_utc()
    )
    return RedirectResponse("/sharing", status_code=303)


def _justification(share: PartnerShare) -> str:
    basis = sharing.basis_text(share.lawful_basis)
    return f"shared by {share.shared_by} under {basis}: {share.purpose}"


@router.get("/shared", response_class=HTMLResponse)
def shared_with_me(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(SHARED_WITH_ME)]
) -> HTMLResponse:
    rows = sharing.shares_for(
        session=session, username=who.username, organisation=who.team, now=now_utc()
    )
    views = [sharing.shared_view(session=session, share=s) for s in rows]
    response = render(request, "shared_list.html", {"views": views, "basis": sharing.basis_text})
    record_view(  # one entry; each share is the justification for its own records
        session=session,
        request=request,
        who=who,
        records=[k for v in views for k in (v.event_key, *(p.key for p in v.people if p.key))],
        purpose="shared with me",
        reason="; ".join(_justification(v.share) for v in views),
        detail={"shares": [v.share.id for v in views]},
    )
    return response


@router.get("/shared/{share_id}", response_class=HTMLResponse)
def shared_record(
    request: Request,
    share_id: int,
    session: DbSession,
    who: Annotated[Principal, Depends(SHARED_RECORD)],
) -> HTMLResponse:
    row = sharing.share_for(
        session=session,
        share_id=share_id,
        username=who.username,
        organisation=who.team,
        now=now_utc(),
    )
    view = sharing.shared_view(session=session, share=row)
    response = render(request, "shared_record.html", {"v": view, "basis": sharing.basis_text})
    record_view(
        session=session,
        request=request,
        who=who,
        records=view.record_keys,
        purpose="shared record",
        reason=_justification(row),
        detail={"share": row.id},
    )
    return response
