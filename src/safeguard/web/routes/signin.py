"""Health, sign-in and sign-out, the home page, the OpenAPI description."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from safeguard.access import service
from safeguard.access.roles import ALL_ROLES, PERSON_READERS
from safeguard.access.service import Principal
from safeguard.web.auth import start_session
from safeguard.web.csrf import checked_form
from safeguard.web.deps import DbSession
from safeguard.web.policy import allow, public
from safeguard.web.routes import linkage
from safeguard.web.templating import render

router = APIRouter()

HEALTH = public("health")
SIGN_IN = public("sign-in")
OPENAPI = public("openapi")
SIGNED_IN = allow("signed-in", ALL_ROLES)


@router.get("/health", dependencies=[Depends(HEALTH)])
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/openapi.json", include_in_schema=False, dependencies=[Depends(OPENAPI)])
def openapi(request: Request) -> JSONResponse:
    schema: dict[str, Any] = copy.deepcopy(request.app.openapi())
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes["bearer"] = {"type": "http", "scheme": "bearer", "description": "An API token"}
    for path, operations in schema.get("paths", {}).items():
        if path.startswith("/api/"):
            for operation in operations.values():
                operation["security"] = [{"bearer": []}]
    return JSONResponse(schema)


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another site (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get(
    "/sign-in",
    response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(SIGN_IN)],
)
def sign_in_page(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "sign_in.html", {"next": safe_next(next), "errors": []})


@router.post(
    "/sign-in",
    response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(SIGN_IN)],
)
def sign_in(
    request: Request,
    session: DbSession,
    form: Annotated[FormData, Depends(checked_form)],
) -> Response:
    settings = request.app.state.settings
    username = str(form.get("username", "")).strip().lower()
    password = str(form.get("password", ""))
    target = safe_next(str(form.get("next", "/")))
    errors: list[dict[str, str]] = []
    if not username:
        errors.append({"text": "Enter your user name", "href": "#username"})
    if not password:
        errors.append({"text": "Enter your password", "href": "#password"})
    status = 400
    if not errors:
        throttle = service.Throttle(
            max_failures=settings.signin_max_failures,
            window=timedelta(minutes=settings.signin_window_minutes),
        )
        client = request.client.host if request.client else "unknown"
        try:
            who = service.authenticate(
                session=session,
                username=username,
                password=password,
                client=client,
                throttle=throttle,
            )
        except service.ThrottledError:
            who, status = None, 429
            errors.append(
                {
                    "text": "Too many failed attempts to sign in. Wait "
                    f"{settings.signin_window_minutes} minutes and try again",
                    "href": "#username",
                }
            )
        if who is not None:
            start_session(request, who)
            return RedirectResponse(target, status_code=303)
        if status != 429:
            errors.append({"text": "Enter a correct user name and password", "href": "#username"})
    context = {"next": target, "errors": errors, "username": username}
    return render(request, "sign_in.html", context, status=status)


@router.post("/sign-out", include_in_schema=False, dependencies=[Depends(SIGNED_IN)])
def sign_out(
    request: Request, form: Annotated[FormData, Depends(checked_form)]
) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/sign-in", status_code=303)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(SIGNED_IN)]
) -> HTMLResponse:
    reviews = linkage.waiting(session=session) if who.role in linkage.REVIEW.roles else None
    context = {"reads_people": who.role in PERSON_READERS, "linkage_waiting": reviews}
    return render(request, "home.html", context)
