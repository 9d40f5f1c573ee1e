"""Jinja with the GOV.UK Frontend macros (govuk-frontend-jinja), autoescaped."""

from __future__ import annotations

from datetime import datetime
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
from safeguard.access.sharing import PARTNER_ROLES, SHARERS
from safeguard.timeutil import UK
from safeguard.web.csrf import csrf_token
from safeguard.web.figures import MI_ROLES

TEMPLATES = Path(__file__).parent / "templates"


# Each role's work queue.
LINKAGE_REVIEW = {"href": "/linkage/review", "text": "Linkage review"}
QUEUES: dict[Role, list[dict[str, str]]] = {
    Role.MASH: [{"href": "/queues/triage", "text": "New notifications"}, LINKAGE_REVIEW],
    Role.PPU_SUPERVISOR: [{"href": "/queues/supervision", "text": "Open cases"}, LINKAGE_REVIEW],
    Role.CSE_COORDINATOR: [{"href": "/queues/missing", "text": "Repeat missing"}],
    Role.CUSTODY: [{"href": "/queues/custody", "text": "Children in custody"}],
    Role.OFFENDER_MANAGER: [{"href": "/queues/offenders", "text": "Visits and ARMS due"}],
}


def _sharing_nav(role: Role) -> list[dict[str, str]]:
    if role in SHARERS:
        return [{"href": "/sharing", "text": "Shared with partners"}]
    if role in PARTNER_ROLES:
        return [{"href": "/shared", "text": "Shared with you"}]
    return []


def _nav(role: Role | None) -> list[dict[str, str]]:
    if role is None:
        return []
    items = [{"href": "/", "text": "Home"}]
    if role in PERSON_READERS:
        items += [{"href": "/people", "text": "Find a person"}]
        items += [{"href": "/addresses", "text": "Check an address"}]
    if role in (Role.RESPONSE, Role.NEIGHBOURHOOD):
        items += [{"href": "/notifications/new", "text": "Notify a concern"}]
    items += QUEUES.get(role, [])
    if role in SUPERVISORS:
        items += [{"href": "/audit/break-glass", "text": "Break-glass openings"}]
    if role is Role.AUDITOR:
        items += [{"href": "/audit/who-viewed", "text": "Who viewed"}]
    if role in MI_ROLES:
        items += [{"href": "/figures", "text": "Figures"}]
        items += [{"href": "/reports/commissioner", "text": "Commissioner's report"}]
        items += [{"href": "/reports/area", "text": "Area report"}]
    items += _sharing_nav(role)
    if role is Role.ADMINISTRATOR:
        items += [{"href": "/admin/users", "text": "Users"}]
    return items


ACRONYMS = {"cse", "csc", "marac", "rso", "arms", "hcp", "icpc", "s47", "la", "dash", "mash", "ppu"}


def _as_uk(value: str | datetime | None) -> datetime | None:
    if not value:
        return None
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        return None
    return when.astimezone(UK)


def uk_time(value: str | datetime | None) -> str:
    """A stored (UTC) time as UK local time, e.g. '1 September 2026, 20:00'."""
    when = _as_uk(value)
    return f"{when.day} {when:%B %Y, %H:%M}" if when else ""


def uk_date(value: str | datetime | None) -> str:
    when = _as_uk(value)
    return f"{when.day} {when:%B %Y}" if when else ""


def label(value: str | None) -> str:
    """A code such as 'cse_concern' as words: 'CSE concern'."""
    words = [w.upper() if w in ACRONYMS else w for w in (value or "").split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def figure_value(value: float | None, kind: str) -> str:
    """A figure's value as shown: a share as a percentage, a mean to one place, a count."""
    if value is None:
        return "–"
    if kind == "share":
        return f"{value * 100:.0f}%"
    return f"{value:.1f}" if kind == "mean" else f"{value:.0f}"


def build_templates(*, reload: bool = True) -> Jinja2Templates:
    """`reload`: look for changed template files on every render (for development; elsewhere
    each render would stat every template and macro file it uses)."""
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
        auto_reload=reload,
    )
    env.globals["FRONTLINE"] = FRONTLINE
    env.globals["SHARERS"] = SHARERS
    env.filters["uk_time"] = uk_time
    env.filters["uk_date"] = uk_date
    env.filters["label"] = label
    env.filters["figure"] = figure_value
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
