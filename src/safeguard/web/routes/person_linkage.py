"""How a person's records were linked, and "these are different people" for a wrong join (the
web equivalent of `safeguard link explain` and `safeguard link split`)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL, Restrictions
from safeguard.access.service import Principal
from safeguard.errors import PermissionDeniedError
from safeguard.linkage import service
from safeguard.linkage.explain import explain
from safeguard.pole.people import cluster_people, person_by_key
from safeguard.timeutil import now_utc
from safeguard.web import linkage_review, person_linkage
from safeguard.web.csrf import checked_form
from safeguard.web.deps import DbSession
from safeguard.web.form_rows import Errors, text
from safeguard.web.linkage_review import Decision
from safeguard.web.logging_ import record_view
from safeguard.web.person_linkage import Link, Linkage
from safeguard.web.policy import allow
from safeguard.web.routes.linkage import REVIEWERS
from safeguard.web.routes.people import LINKAGE_READERS, record_view_for
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

VIEW = allow("how a person's records were linked", LINKAGE_READERS, personal_data=True)
SPLIT = allow("split a person's linked records", REVIEWERS, personal_data=True)
SPLIT_DONE = "linkage_split"  # the session's confirmation of the last split, shown once
PATH = "/people/{key}/linkage"


def _path(key: str) -> str:
    return PATH.replace("{key}", quote(key, safe=":"))


def _seen(
    request: Request, session: Session, who: Principal, key: str
) -> tuple[Linkage, str | None, Restrictions]:
    """The key's cluster explained as this user may see it, the break-glass reason the view
    rests on (if any) and the restrictions; refused unless the person page would show this user
    the full record."""
    found = explain(session=session, key=key)
    limits = restrictions.load(session=session)
    view, reason = record_view_for(request, who, found.cluster, limits)
    if view == "restricted":
        raise PermissionDeniedError(
            "this record is restricted to named people: how its records were linked is shown "
            "only to them, or after you open the record from the person page and record why"
        )
    if view != "full":
        raise PermissionDeniedError("how records were linked is shown with the full record")
    opened = set(found.cluster) if reason is not None else set()
    seen_as = Restrictions({k: v for k, v in limits.allowed_by_key.items() if k not in opened})
    shown = person_linkage.linkage(
        session=session, found=found, as_of=now_utc(), limits=seen_as, username=who.username
    )
    return shown, reason, limits


def _page(
    request: Request,
    session: Session,
    who: Principal,
    *,
    key: str,
    errors: Errors | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    shown, reason, limits = _seen(request, session, who, key)
    splits = who.role in SPLIT.roles
    context: dict[str, Any] = {
        "key": key,
        "linkage": shown,
        "can_split": {
            link.pair.ref: splits
            and not limits.hides(who.username, [link.pair.a.key, link.pair.b.key])
            for link in shown.links
        },
        "reviews": who.role in REVIEWERS,
        "errors": errors or [],
        "posted": posted or {},
        "split": request.session.pop(SPLIT_DONE, None),
        "restricted": RESTRICTED_LABEL,
    }
    response = render(request, "person_linkage.html", context, status=status)
    record_view(  # after rendering: SQLite's write lock is held only for the log entry
        session=session,
        request=request,
        who=who,
        records=shown.shown_keys,
        purpose="how a person's records were linked",
        reason=reason,
        break_glass=reason is not None,
        detail={"key": key},
    )
    return response


@router.get(PATH, response_class=HTMLResponse)
def person_linkage_page(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(VIEW)]
) -> HTMLResponse:
    return _page(request, session, who, key=key)


def _the_link(shown: Linkage, a: str, b: str) -> Link | None:
    return next((lk for lk in shown.links if {lk.pair.a.key, lk.pair.b.key} == {a, b}), None)


@router.post(PATH, response_class=HTMLResponse)
def split(
    request: Request,
    key: str,
    session: DbSession,
    who: Annotated[Principal, Depends(SPLIT)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    decision = Decision(
        a=text(form, "a"), b=text(form, "b"), same=False, reason=text(form, "reason"), checked=False
    )
    shown, _, limits = _seen(request, session, who, key)
    link = _the_link(shown, decision.a, decision.b)
    if link is None:
        gone = {"text": "These records are not linked now: someone may have split them"}
        return _page(request, session, who, key=key, errors=[gone | {"href": "#links"}], status=409)
    if limits.hides(who.username, [decision.a, decision.b]):
        raise PermissionDeniedError("you may not split a restricted person's records")
    errors = linkage_review.validate(decision, link.pair)
    if errors:
        posted = {k: text(form, k) for k in ("a", "b", "reason")}
        return _page(request, session, who, key=key, errors=errors, posted=posted, status=400)
    summary = service.decide(
        session=session,
        a=link.pair.item.a,
        b=link.pair.item.b,
        same=False,
        actor=who.username,
        reason=decision.reason,
    )
    person = person_by_key(session=session, key=key)
    now_with = {p.key for p in cluster_people(session=session, person_id=person.id)}
    apart = [k for k in (link.pair.item.a, link.pair.item.b) if k not in now_with]
    request.session[SPLIT_DONE] = {
        "text": linkage_review.outcome(decision, summary),
        "apart": apart[0] if apart else None,
    }
    return RedirectResponse(_path(key), status_code=303)
