"""Single sign-on (OpenID Connect) as another way in; 404 unless SAFEGUARD_OIDC_ENABLED.

The sign-in's state, nonce and PKCE verifier are kept in their own short-lived signed cookie,
SameSite=Lax: the provider's redirect back is a cross-site navigation, on which the session
cookie (SameSite=Strict) is not sent. For the same reason the callback answers with a page that
moves on to the target itself, so that the first request carrying the new session is same-site.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from pydantic import ValidationError

from safeguard.access import service
from safeguard.access.oidc import OidcClient, OidcError, OidcSettings, Pending, user_for_claims
from safeguard.errors import NotFoundError
from safeguard.web.auth import start_session
from safeguard.web.deps import DbSession
from safeguard.web.policy import public
from safeguard.web.routes.signin import safe_next
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)

SSO_START = public("single sign-on")
SSO_RETURN = public("single sign-on return")
COOKIE = "safeguard_oidc"
COOKIE_PATH = "/sign-in/oidc"
PENDING_SECONDS = 600


def _settings(request: Request) -> OidcSettings:
    oidc: OidcSettings = request.app.state.settings.oidc
    if not oidc.enabled:
        raise NotFoundError("single sign-on is not set up")
    return oidc


def _client(request: Request) -> OidcClient:
    client = getattr(request.app.state, "oidc_client", None)
    if not isinstance(client, OidcClient):
        client = OidcClient(_settings(request))
        request.app.state.oidc_client = client
    return client


def _signer(request: Request) -> URLSafeTimedSerializer:
    secret = request.app.state.settings.secret_key.get_secret_value()
    return URLSafeTimedSerializer(secret, salt="safeguard-oidc-pending")


@router.get("/sign-in/oidc", dependencies=[Depends(SSO_START)])
def start(request: Request, next: str | None = None) -> Response:
    _settings(request)
    url, pending = _client(request).begin(next_path=safe_next(next))
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        COOKIE,
        _signer(request).dumps(pending.model_dump()),
        max_age=PENDING_SECONDS,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.https,
    )
    return response


def _pending(request: Request) -> Pending:
    raw = request.cookies.get(COOKIE)
    if not raw:
        raise OidcError("this sign-in has expired or was started elsewhere: start again")
    try:
        return Pending.model_validate(_signer(request).loads(raw, max_age=PENDING_SECONDS))
    except (BadSignature, ValidationError):
        raise OidcError("this sign-in has expired or was started elsewhere: start again") from None


@router.get(
    "/sign-in/oidc/callback", response_class=HTMLResponse, dependencies=[Depends(SSO_RETURN)]
)
def callback(request: Request, session: DbSession) -> Response:
    settings = _settings(request)
    pending = _pending(request)
    params = dict(request.query_params.items())
    try:
        claims = _client(request).finish(pending=pending, params=params)
        user = user_for_claims(session=session, settings=settings, claims=claims)
        who = service.principal_for_session(session=session, user_id=user.id)
        if who is None:
            raise OidcError("this Safeguard user is disabled")
    except OidcError as exc:
        log.warning("single sign-on refused: %s", exc)
        response = render(
            request,
            "error.html",
            {"title": "You could not be signed in", "message": str(exc)},
            status=403,
        )
        response.delete_cookie(COOKIE, path=COOKIE_PATH)
        return response
    start_session(request, who)
    request.state.principal = who
    response = render(request, "signed_in.html", {"next": pending.next})
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response
