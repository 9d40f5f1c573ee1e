"""Who is asking: a signed-cookie session for pages, a bearer token for the API."""

from __future__ import annotations

import time

from fastapi import Request
from sqlalchemy.orm import Session

from safeguard.access import service
from safeguard.access.service import Principal
from safeguard.errors import SafeguardError

SESSION_USER = "uid"
SESSION_STARTED = "started"
SESSION_SEEN = "seen"


class NotSignedInError(SafeguardError):
    def __init__(self, *, api: bool) -> None:
        super().__init__("sign in to continue")
        self.api = api


def resolve_principal(*, request: Request, session: Session, api: bool) -> Principal | None:
    if api:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        return service.principal_for_token(session=session, token=token.strip())
    user_id = request.session.get(SESSION_USER)
    started = request.session.get(SESSION_STARTED, 0)
    if not isinstance(user_id, int) or not isinstance(started, int | float):
        return None
    max_age = request.app.state.settings.max_session_hours * 3600
    if time.time() - started > max_age:
        request.session.clear()
        return None
    principal = service.principal_for_session(session=session, user_id=user_id)
    if principal is not None:
        # Touching the session re-signs the cookie with the time now: the cookie's signed age
        # (checked against idle_minutes) then measures idleness, not time since sign-in.
        request.session[SESSION_SEEN] = int(time.time())
    return principal


def start_session(request: Request, principal: Principal) -> None:
    """A fresh session on sign-in (no fixation): new contents, new CSRF token."""
    request.session.clear()
    request.session[SESSION_USER] = principal.user_id
    request.session[SESSION_STARTED] = int(time.time())
