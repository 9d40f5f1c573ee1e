"""CSRF protection: a per-session token in every form, checked on every form post."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from starlette.datastructures import FormData

from safeguard.errors import PermissionDeniedError

FIELD = "csrf_token"
_KEY = "csrf"


class CsrfError(PermissionDeniedError):
    """A form post without the session's CSRF token."""


def csrf_token(request: Request) -> str:
    token = request.session.get(_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[_KEY] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's (a dependency)."""
    form = await request.form()
    sent = form.get(FIELD)
    expected = request.session.get(_KEY)
    if not isinstance(sent, str) or not isinstance(expected, str):
        raise CsrfError("this form has expired: go back, reload the page and try again")
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfError("this form has expired: go back, reload the page and try again")
    return form
