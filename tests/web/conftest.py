"""A running app on each database, with users of every role and a small scenario."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from safeguard.access import service, sharing
from safeguard.access.models import PartnerShare
from safeguard.access.processing_log import Actor
from safeguard.access.roles import Role
from safeguard.access.sharing import LawfulBasis, ShareRequest
from safeguard.db import unit_of_work
from safeguard.pole.people import person_by_key
from safeguard.risk import service as risk
from safeguard.timeutil import now_utc
from safeguard.web.alerts import kept_alerts
from safeguard.web.app import create_app
from safeguard.web.settings import WebSettings
from tests.web.scenario import (
    PARTNER_ORG,
    PASSWORD,
    Scenario,
    add_users,
    load_scenario,
    username,
)

SECRET = "test-secret-" + "x" * 40
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "page has no CSRF token"
    return found.group(1)


@dataclass
class Web:
    app: FastAPI
    engine: Engine
    scenario: Scenario

    def client(self) -> TestClient:
        return TestClient(self.app, follow_redirects=False)

    def sign_in(self, role: Role) -> TestClient:
        client = self.client()
        token = csrf_of(client.get("/sign-in").text)
        resp = client.post(
            "/sign-in",
            data={"username": username(role), "password": PASSWORD, "csrf_token": token},
        )
        assert resp.status_code == 303, resp.text
        return client

    def token(self, role: Role) -> str:
        with unit_of_work(self.engine) as session:
            text, _ = service.create_token(session=session, username=username(role), name="test")
        return text


def make_settings(db_url: str, **extra: object) -> WebSettings:
    return WebSettings(db=db_url, environment="test", secret_key=SECRET, **extra)  # type: ignore[arg-type]


@pytest.fixture
def web(db_url: str) -> Iterator[Web]:
    app = create_app(make_settings(db_url))
    engine: Engine = app.state.engine
    add_users(engine)
    scenario = load_scenario(engine)
    yield Web(app=app, engine=engine, scenario=scenario)
    engine.dispose()


def sweep_alerts(web: Web) -> dict[str, int]:
    """Sweep and keep the scenario's alerts; fingerprint -> kept id, as ``risk.service.kept``."""
    with unit_of_work(web.engine) as session:
        risk.sweep(session=session, as_of=now_utc(), policy=web.app.state.policy)
        return {a["fingerprint"]: a["id"] for a in risk.kept(session=session)}


def share_case(session: Session, case: str, **changes: object) -> PartnerShare:
    """The case shared by the MASH user with the partner users' organisation."""
    req = ShareRequest(
        event_key=case,
        action_keys=[],
        organisation=PARTNER_ORG,
        recipient=None,
        lawful_basis=LawfulBasis.CA2004_S11.value,
        purpose="Referral for a strategy discussion about the child",
        expires_on=None,
    )
    req = dataclasses.replace(req, **changes)  # type: ignore[arg-type]
    actor = Actor(username(Role.MASH), Role.MASH.value)
    return sharing.share(session=session, req=req, actor=actor, now=now_utc(), expires_at=None)


def child_alert_id(web: Web) -> int:
    """A kept alert about the scenario's child (sweeping first if none is kept yet)."""
    with unit_of_work(web.engine) as session:
        person = person_by_key(session=session, key=web.scenario.child)
        found = kept_alerts(session=session, person=person)
    if not found:
        sweep_alerts(web)
        return child_alert_id(web)
    return found[0].id
