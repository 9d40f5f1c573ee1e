"""Helpers for the form tests: post a form as a role, local times, the engine's alerts."""

from __future__ import annotations

from datetime import datetime, timedelta

from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.risk.engine import compute_alerts
from safeguard.timeutil import UK, now_utc
from tests.web.conftest import Web, csrf_of


def post(web: Web, role: Role, path: str, data: dict[str, str]) -> tuple[int, str, str]:
    client = web.sign_in(role)
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    resp = client.post(path, data={"csrf_token": csrf_of(page.text), **data})
    return resp.status_code, resp.text, resp.headers.get("location", "")


def local(hours_ago: float) -> str:
    """A UK local time as a form takes it (datetime-local), ``hours_ago`` before now."""
    when = datetime.now(UK) - timedelta(hours=hours_ago)
    return when.strftime("%Y-%m-%dT%H:%M")


def alerts(web: Web, *, event: str | None = None, subject: str | None = None) -> dict[str, str]:
    """code -> status of the alerts the risk engine raises now on ``event`` / about ``subject``."""
    with unit_of_work(web.engine) as session:
        found = compute_alerts(session=session, as_of=now_utc(), policy=web.app.state.policy)
    return {
        a.code: a.status
        for a in found
        if (event is None or event in a.events) and (subject is None or subject in a.subjects)
    }


def unescaped(html: str) -> str:
    return html.replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&")
