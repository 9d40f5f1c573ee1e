"""Deny by default: every route of the app, called as every role and as nobody, gets exactly
what its declared policy allows; a route without a policy fails."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from safeguard.access.models import LogEntry
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.web.app import api_routes
from safeguard.web.policy import Policy, check_every_route_has_a_policy, policy_of
from tests.web.conftest import Web, child_alert_id, csrf_of, share_case
from tests.web.forms_scenario import FormKeys, add_form_records
from tests.web.linkage_scenario import add_review_pairs

PUBLIC_PATHS = {"/health", "/sign-in", "/openapi.json", "/sign-in/oidc", "/sign-in/oidc/callback"}


QUERIES = {
    "/people": "?name=Callum",
    "/api/v1/people": "?name=Callum",
    "/audit/who-viewed": "?key=storm:P1",
}


def _path(route: APIRoute, web: Web, forms: FormKeys, shares: Shares) -> str:
    key = web.scenario.home if route.path.startswith("/addresses") else web.scenario.child
    if route.path.startswith("/cases"):
        key = web.scenario.case
    key = {"/custody/": forms.custody, "/missing/": forms.episode}.get(route.path[:9], key)
    if "/offender/" in route.path:
        key = forms.offender
    path = route.path.replace("{alert_id}", str(child_alert_id(web)))
    share = shares.to_revoke if route.path.endswith("/revoke") else shares.kept
    path = path.replace("{share_id}", str(share))
    path = path.replace("{code}", "return_interview_72h")
    return path.replace("{key}", key) + QUERIES.get(route.path, "")


@dataclass(frozen=True)
class Shares:
    kept: int
    to_revoke: int


def _shares(web: Web) -> Shares:
    """Two shares of the scenario's case with the partner users: one to open, one to revoke."""
    with unit_of_work(web.engine) as session:
        ids = [share_case(session, web.scenario.case).id for _ in range(2)]
    return Shares(kept=ids[0], to_revoke=ids[1])


def _log_length(web: Web) -> int:
    with unit_of_work(web.engine) as session:
        return session.scalar(select(func.count()).select_from(LogEntry)) or 0


def _call(client: TestClient, method: str, path: str, token: str | None) -> tuple[int, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "POST":
        csrf = csrf_of(client.get("/sign-in").text) if not token else ""
        data = {"csrf_token": csrf, "reason": "Attending a report at the address now"}
        resp = client.post(path, data=data, headers=headers)
    else:
        resp = client.request(method, path, headers=headers)
    return resp.status_code, resp.headers.get("location", "")


def _routes(app: FastAPI) -> list[APIRoute]:
    routes = api_routes(app)
    return sorted(routes, key=lambda r: r.path == "/sign-out")  # signing out ends the session


@pytest.mark.slow  # ~30 s: it renders the report PDFs for each role that may have them
def test_every_route_as_every_role_and_nobody(web: Web) -> None:
    clients = {role: web.sign_in(role) for role in Role}
    tokens = {role: web.token(role) for role in Role}
    anonymous = web.client()
    forms = add_form_records(web.engine)
    shares = _shares(web)
    add_review_pairs(web.engine)  # the linkage review queue shows (and logs) pairs
    checked = 0
    for route in _routes(web.app):
        policies = policy_of(route)
        assert len(policies) == 1, f"{route.path} has no single declared policy"
        policy = policies[0]
        if policy.public:
            assert route.path in PUBLIC_PATHS, f"{route.path} is public but should not be"
        for method in sorted(route.methods or ()):
            path = _path(route, web, forms, shares)
            for role in [None, *Role]:
                client = clients[role] if role else anonymous
                token = tokens[role] if (role and policy.api) else None
                before = _log_length(web)
                status, location = _call(client, method, path, token)
                _expect(policy, role, status, location, f"{method} {path} as {role}")
                if policy.shows_personal_data:
                    granted = role in policy.roles
                    assert _log_length(web) == before + granted, f"log: {method} {path} as {role}"
                checked += 1
    assert checked >= 15 * 15
    print(f"routes x roles checked: {checked}")


def _expect(policy: Policy, role: Role | None, status: int, location: str, what: str) -> None:
    assert status < 500, what
    if policy.public:
        assert status not in (401, 403), what
    elif role is None:
        if policy.api:
            assert status == 401, what
        else:
            assert (status, location.split("?")[0]) == (303, "/sign-in"), what
    elif role in policy.roles:
        assert status not in (401, 403) and not location.startswith("/sign-in?"), what
    else:
        assert status == 403, what


def test_a_page_session_does_not_open_the_api(web: Web) -> None:
    client = web.sign_in(Role.PPU_INVESTIGATOR)
    assert client.get(f"/api/v1/people/{web.scenario.child}").status_code == 401


def test_a_route_without_a_policy_is_refused() -> None:
    router = APIRouter()

    @router.get("/forgotten")
    def forgotten() -> dict[str, str]:
        return {}

    app = FastAPI(openapi_url=None)
    app.router.routes.extend(router.routes)
    with pytest.raises(RuntimeError, match="/forgotten"):
        check_every_route_has_a_policy(app.routes)


def test_routes_that_cannot_be_enumerated_are_refused() -> None:
    app = FastAPI(openapi_url=None)
    app.include_router(APIRouter())
    with pytest.raises(RuntimeError, match="cannot be checked"):
        check_every_route_has_a_policy(app.routes)


PARTNER_ROUTES = {"/", "/sign-out", "/api/v1/me", "/shared", "/shared/{share_id}"}


def test_partners_may_use_only_their_shared_pages(web: Web) -> None:
    """A partner sees only what is shared: a new route open to every role must be a deliberate
    addition here, not an accident of ALL_ROLES."""
    open_to_partners = {
        route.path
        for route in api_routes(web.app)
        for policy in policy_of(route)
        if not policy.public and Role.PARTNER_CSC in policy.roles
    }
    assert open_to_partners == PARTNER_ROUTES
