"""Single sign-on against a real OpenID Connect provider on a localhost port: the whole
authorization code flow through the app, and every way a sign-in must be refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from safeguard.access import service
from safeguard.access.oidc import OidcSettings
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.web.app import create_app
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Behaviour, Provider, serve
from tests.web.conftest import make_settings
from tests.web.scenario import add_users, username

BASE = "http://localhost"
CALLBACK = f"{BASE}/sign-in/oidc/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with serve(CALLBACK) as running:
        yield running


@dataclass
class Sso:
    app_engine: Engine
    client: TestClient
    provider: Provider

    def begin(self) -> dict[str, str]:
        """Start a sign-in at the app; the provider's answer as callback query parameters."""
        start = self.client.get("/sign-in/oidc?next=/people")
        assert start.status_code == 303
        location = start.headers["location"]
        assert location.startswith(self.provider.issuer + "/authorize?")
        asked = parse_qs(urlsplit(location).query)
        assert asked["code_challenge_method"] == ["S256"] and asked["nonce"] and asked["state"]
        answer = httpx.get(location, follow_redirects=False)
        assert answer.status_code == 302, answer.text
        back = answer.headers["location"]
        assert back.startswith(CALLBACK)
        return {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}

    def finish(self, params: dict[str, str]) -> httpx.Response:
        return self.client.get(f"/sign-in/oidc/callback?{urlencode(params)}")

    def signed_in(self) -> bool:
        return self.client.get("/").status_code == 200


@pytest.fixture
def sso(db_url: str, provider: Provider) -> Iterator[Sso]:
    oidc = OidcSettings(
        enabled=True,
        provider_name="the force's sign-in",
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,  # type: ignore[arg-type]
        redirect_url=CALLBACK,
    )
    app = create_app(make_settings(db_url, oidc=oidc))
    add_users(app.state.engine)
    provider.behaviour = Behaviour(claims={"sub": "idp-1", "preferred_username": "User.MASH"})
    yield Sso(app.state.engine, TestClient(app, base_url=BASE, follow_redirects=False), provider)
    app.state.engine.dispose()


def test_a_known_user_signs_in_through_the_provider(sso: Sso) -> None:
    assert "Sign in with the force" in sso.client.get("/sign-in").text
    done = sso.finish(sso.begin())
    assert done.status_code == 200, done.text
    assert 'http-equiv="refresh" content="0; url=/people"' in done.text
    assert "Test mash" in done.text
    assert "safeguard_oidc" not in sso.client.cookies  # the pending sign-in is spent
    home = sso.client.get("/")
    assert home.status_code == 200 and "mash" in home.text


def test_a_tampered_state_is_refused(sso: Sso) -> None:
    params = sso.begin()
    refused = sso.finish(params | {"state": params["state"][:-2] + "xx"})
    assert refused.status_code == 403 and "state does not match" in refused.text
    assert not sso.signed_in()


def test_a_callback_without_a_pending_sign_in_is_refused(sso: Sso) -> None:
    params = sso.begin()
    sso.client.cookies.clear()
    refused = sso.finish(params)
    assert refused.status_code == 403 and "start again" in refused.text


def test_a_code_issued_to_another_sign_in_fails_pkce(sso: Sso, provider: Provider) -> None:
    other = TestClient(sso.client.app, base_url=BASE, follow_redirects=False)
    stolen = Sso(sso.app_engine, other, provider).begin()  # another browser's code
    mine = sso.begin()
    refused = sso.finish({"code": stolen["code"], "state": mine["state"]})
    assert refused.status_code == 403 and "code was not accepted" in refused.text
    assert not sso.signed_in()


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        ({"nonce": "a-nonce-from-another-sign-in"}, "nonce"),
        ({"audience": ["another-application"]}, "aud"),
        ({"lifetime": -600}, "expired"),
        ({"foreign_key": True}, "bad_signature"),
        ({"claims": {"sub": "idp-9", "preferred_username": "nobody"}}, "no Safeguard user"),
        ({"claims": {"sub": "idp-9"}}, "sent no"),
    ],
)
def test_a_token_that_fails_a_check_is_refused(
    sso: Sso, behaviour: dict[str, object], message: str
) -> None:
    for name, value in behaviour.items():
        setattr(sso.provider.behaviour, name, value)
    refused = sso.finish(sso.begin())
    assert refused.status_code == 403, refused.text
    assert message in refused.text
    assert not sso.signed_in()


def test_a_disabled_user_is_refused(sso: Sso) -> None:
    with unit_of_work(sso.app_engine) as session:
        service.disable_user(session=session, username=username(Role.MASH))
    refused = sso.finish(sso.begin())
    assert refused.status_code == 403 and "disabled" in refused.text
    assert not sso.signed_in()


def test_the_provider_refusing_is_shown(sso: Sso) -> None:
    params = sso.begin()
    refused = sso.finish({"error": "access_denied", "state": params["state"]})
    assert refused.status_code == 403 and "access_denied" in refused.text


def test_single_sign_on_is_off_by_default(db_url: str) -> None:
    app = create_app(make_settings(db_url))
    client = TestClient(app, follow_redirects=False)
    assert client.get("/sign-in/oidc").status_code == 404
    assert client.get("/sign-in/oidc/callback?code=x&state=y").status_code == 404
    assert "/sign-in/oidc" not in client.get("/sign-in").text
    app.state.engine.dispose()
