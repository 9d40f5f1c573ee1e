"""Administrators: the list of users."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from safeguard.access import service
from safeguard.access.roles import Role
from safeguard.access.service import Principal
from safeguard.web.deps import DbSession
from safeguard.web.policy import allow
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

USERS = allow("users", {Role.ADMINISTRATOR})


@router.get("/admin/users", response_class=HTMLResponse)
def users(
    request: Request, session: DbSession, who: Annotated[Principal, Depends(USERS)]
) -> HTMLResponse:
    return render(request, "admin_users.html", {"users": service.list_users(session=session)})
