"""Jinja with the GOV.UK Frontend macros (govuk-frontend-jinja), autoescaped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
)

from safeguard.access.roles import FRONTLINE, PERSON_READERS, SUPERVISORS, Role
from safeguard.web.csrf import csrf_token

TEMPLATES = Path(__file__).parent / "templates"


def _nav(role: Role | None) -> list[dict[str, str]]:
    if role is None:
        return []
    items = [{"href": "/", "text": "Home"}]
    if role in PERSON_READERS:
        items += [{"href": "/people", "text": "Find a person"}]
        items += [{"href": "/addresses", "text": "Check an address"}]
    if role in SUPERVISORS:
        items += [{"href": "/audit/break-glass", "text": "Break-glass openings"}]
    if role is Role.AUDITOR:
        items += [{"href": "/audit/who-viewed", "text": "Who viewed"}]
    if role is Role.ADMINISTRATOR:
        items += [{"href": "/admin/users", "text": "Users"}]
    return items


def build_templates() -> Jinja2Templates:
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(TEMPLATES),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=True,
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["FRONTLINE"] = FRONTLINE
    return Jinja2Templates(env=env)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    principal = getattr(request.state, "principal", None)
    role = principal.role if principal else None
    full = {
        "principal": principal,
        "csrf_token": csrf_token(request),
        "nav": [item | {"active": item["href"] == request.url.path} for item in _nav(role)],
        "current_path": request.url.path,
    } | (context or {})
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, full, status_code=status)
