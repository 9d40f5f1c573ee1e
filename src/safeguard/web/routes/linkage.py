"""The linkage review queue: pairs of person keys that may be one person, decided by a person
(the web equivalent of `safeguard link review|confirm|split`)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.access.roles import Role
from safeguard.access.service import Principal
from safeguard.errors import NotFoundError, PermissionDeniedError
from safeguard.linkage import service
from safeguard.timeutil import now_utc
from safeguard.web import linkage_review
from safeguard.web.csrf import checked_form
from safeguard.web.deps import DbSession
from safeguard.web.form_rows import Errors, text
from safeguard.web.linkage_review import GREY, Decision
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.routes.queues import SHOWN, page_number
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

REVIEWERS = {Role.MASH, Role.PPU_SUPERVISOR}
REVIEW = allow("linkage review queue", REVIEWERS, personal_data=True)
DECIDE = allow("decide a linkage pair", REVIEWERS, personal_data=True)
DECIDED = "linkage_decided"  # the session's confirmation of the last decision, shown once
PATH = "/linkage/review"


def waiting(*, session: Session) -> int:
    """How many pairs wait for a person (for the home page)."""
    return sum(service.review_counts(session=session).values())


def _filters(counts: dict[str | None, int], why: str) -> list[dict[str, Any]]:
    """The select's options: everything, the grey zone, and each rule that stopped a pair."""
    options = [{"value": "", "text": f"Everything waiting ({sum(counts.values())})"}]
    for reason, count in sorted(counts.items(), key=lambda rc: (rc[0] is not None, rc[0] or "")):
        value = GREY if reason is None else reason
        options.append({"value": value, "text": f"{linkage_review.why(reason).label} ({count})"})
    return [o | {"selected": o["value"] == why} for o in options]


def _total(counts: dict[str | None, int], why: str) -> int:
    """How many pairs the filter shows."""
    if why == GREY:
        return counts.get(None, 0)
    return counts.get(why, 0) if why else sum(counts.values())


def _pages(total: int) -> int:
    return max(1, -(-total // SHOWN))


def _where(page: int, why: str) -> str:
    query = {k: v for k, v in (("why", why), ("page", str(page))) if v and v != "1"}
    return PATH + (f"?{urlencode(query)}" if query else "")


def _queue(
    request: Request,
    session: Session,
    who: Principal,
    *,
    number: int,
    why: str,
    errors: Errors | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    counts = service.review_counts(session=session)
    total = _total(counts, why)
    pages = _pages(total)
    if number > pages:
        raise NotFoundError(f"there is no page {number} of the linkage review: there are {pages}")
    items = service.review_queue(
        session=session,
        grey_zone=why == GREY,
        reason=why if why and why != GREY else None,
        limit=SHOWN,
        offset=(number - 1) * SHOWN,
    )
    limits = restrictions.load(session=session)
    shown = linkage_review.pairs(
        session=session, items=items, as_of=now_utc(), limits=limits, username=who.username
    )
    context = {
        "pairs": shown,
        "total": total,
        "page": number,
        "pages": pages,
        "first": (number - 1) * SHOWN + 1,
        "why": why,
        "filters": _filters(counts, why),
        "errors": errors or [],
        "posted": posted or {},
        "decided": request.session.pop(DECIDED, None),
        "restricted": RESTRICTED_LABEL,
    }
    response = render(request, "linkage_review.html", context, status=status)
    record_view(  # after rendering: SQLite's write lock is held only for the log entry
        session=session,
        request=request,
        who=who,
        records=[k for p in shown for k in (p.a.key, p.b.key)],
        purpose="linkage review queue",
        detail={"page": number, "why": why or "all"},
    )
    return response


@router.get(PATH, response_class=HTMLResponse)
def review(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(REVIEW)],
    page: str = "1",
    why: str = "",
) -> HTMLResponse:
    return _queue(request, session, who, number=page_number(page), why=why)


def _decision(form: FormData) -> Decision:
    said = text(form, "decision")
    return Decision(
        a=text(form, "a"),
        b=text(form, "b"),
        same={"same": True, "different": False}.get(said),
        reason=text(form, "reason"),
        checked=text(form, "checked") == "yes",
    )


@router.post(PATH, response_class=HTMLResponse)
def decide(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(DECIDE)],
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    decision = _decision(form)
    why, page = text(form, "why"), text(form, "page") or "1"
    number = int(page) if page.isdigit() and int(page) >= 1 else 1
    item = service.waiting_pair(session=session, a=decision.a, b=decision.b)
    if item is None:
        gone = {"text": "This pair is not waiting for a decision: someone may have decided it"}
        return _queue(
            request, session, who, number=1, why=why, errors=[gone | {"href": "#pairs"}], status=409
        )
    limits = restrictions.load(session=session)
    if limits.hides(who.username, [item.a, item.b]):
        raise PermissionDeniedError("you may not decide on a restricted person's records")
    [pair] = linkage_review.pairs(
        session=session, items=[item], as_of=now_utc(), limits=limits, username=who.username
    )
    errors = linkage_review.validate(decision, pair)
    if errors or decision.same is None:
        posted = {k: text(form, k) for k in ("a", "b", "decision", "reason", "checked")}
        return _queue(
            request, session, who, number=number, why=why, errors=errors, posted=posted, status=400
        )
    summary = service.decide(
        session=session,
        a=item.a,
        b=item.b,
        same=decision.same,
        actor=who.username,
        reason=decision.reason,
    )
    request.session[DECIDED] = linkage_review.outcome(decision, summary)
    left = _total(service.review_counts(session=session), why)
    return RedirectResponse(_where(min(number, _pages(left)), why), status_code=303)
