"""Sign-in, sessions, CSRF, throttling, security headers and settings that fail fast."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from safeguard.access import service
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.web.app import create_app
from safeguard.web.settings import WebSettings
from tests.web.conftest import Web, csrf_of, make_settings
from tests.web.scenario import PASSWORD, username


def test_health_is_open_and_anonymous_requests_are_turned_away(web: Web) -> None:
    client = web.client()
    assert client.get("/health").status_code == 200
    resp = client.get(f"/people/{web.scenario.child}")
    assert resp.status_code == 303
    assert resp.headers["location"] == "/sign-in?next=%2Fpeople%2Fstorm%3AP1"
    api = client.get(f"/api/v1/people/{web.scenario.child}")
    assert api.status_code == 401 and api.headers["www-authenticate"] == "Bearer"


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(web: Web) -> None:
    for target, expected in (("/people", "/people"), ("//evil.example", "/"), ("https://x.y", "/")):
        client = web.client()
        token = csrf_of(client.get("/sign-in").text)
        resp = client.post(
            "/sign-in",
            data={
                "username": username(Role.MASH),
                "password": PASSWORD,
                "csrf_token": token,
                "next": target,
            },
        )
        assert (resp.status_code, resp.headers["location"]) == (303, expected)


def test_the_session_cookie_is_httponly_and_samesite_strict(web: Web) -> None:
    client = web.client()
    cookie = client.get("/sign-in").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie  # plain http in development and tests


def test_under_https_the_cookie_is_secure_and_hsts_is_sent(db_url: str) -> None:
    app = create_app(make_settings(db_url, https=True))
    client = TestClient(app, base_url="https://testserver")
    resp = client.get("/sign-in")
    assert "secure" in resp.headers["set-cookie"].lower()
    assert resp.headers["strict-transport-security"].startswith("max-age=31536000")
    app.state.engine.dispose()


def test_security_headers_on_pages_and_api(web: Web) -> None:
    for path in ("/sign-in", "/health", "/api/v1/me"):
        headers = web.client().get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in headers


def test_pages_carry_no_inline_script(web: Web) -> None:
    client = web.sign_in(Role.PPU_INVESTIGATOR)
    html = client.get(f"/people/{web.scenario.child}").text
    for chunk in html.split("<script")[1:]:
        assert chunk.lstrip().startswith(("src=", 'type="module" src=')), chunk[:80]


@pytest.mark.parametrize("token", [None, "forged"])
def test_forms_without_the_session_csrf_token_are_refused(web: Web, token: str | None) -> None:
    client = web.client()
    client.get("/sign-in")
    data = {"username": username(Role.MASH), "password": PASSWORD}
    if token:
        data["csrf_token"] = token
    resp = client.post("/sign-in", data=data)
    assert resp.status_code == 403
    signed_in = web.sign_in(Role.RESPONSE)
    resp = signed_in.post(
        f"/people/{web.scenario.child}/break-glass",
        data={"reason": "Attending now at the address", **({"csrf_token": token} if token else {})},
    )
    assert resp.status_code == 403


def test_a_token_from_another_session_is_refused(web: Web) -> None:
    other = csrf_of(web.client().get("/sign-in").text)
    client = web.sign_in(Role.RESPONSE)
    resp = client.post("/sign-out", data={"csrf_token": other})
    assert resp.status_code == 403


def test_failed_sign_ins_are_throttled(web: Web) -> None:
    client = web.client()
    token = csrf_of(client.get("/sign-in").text)
    for _ in range(5):
        resp = client.post(
            "/sign-in",
            data={
                "username": username(Role.MASH),
                "password": "wrong password!",
                "csrf_token": token,
            },
        )
        assert resp.status_code == 400
        assert "Enter a correct user name and password" in resp.text
    resp = client.post(
        "/sign-in",
        data={"username": username(Role.MASH), "password": PASSWORD, "csrf_token": token},
    )
    assert resp.status_code == 429
    assert "Too many failed attempts" in resp.text
    assert client.get("/").status_code == 303  # still not signed in


def test_signing_out_and_disabling_end_the_session(web: Web) -> None:
    client = web.sign_in(Role.MASH)
    assert client.get("/").status_code == 200
    token = csrf_of(client.get("/").text)
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert client.get("/").status_code == 303
    client = web.sign_in(Role.MASH)
    with unit_of_work(web.engine) as session:
        service.disable_user(session=session, username=username(Role.MASH))
    assert client.get("/").status_code == 303


def test_a_session_cookie_cannot_be_forged(web: Web) -> None:
    client = web.client()
    client.cookies.set("safeguard_session", "eyJ1aWQiOiAxfQ==.forged.sig")
    assert client.get("/").status_code == 303


@pytest.mark.parametrize("environment", ["test", "production"])
def test_placeholder_secrets_fail_fast_outside_development(environment: str) -> None:
    with pytest.raises(ValidationError, match="SAFEGUARD_SECRET_KEY"):
        WebSettings(environment=environment, https=True)  # type: ignore[arg-type]


def test_production_needs_https() -> None:
    with pytest.raises(ValidationError, match="https"):
        WebSettings(environment="production", secret_key="s" * 40)  # type: ignore[arg-type]


def test_create_app_builds_its_settings_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SAFEGUARD_ENVIRONMENT", "production")
    monkeypatch.setenv("SAFEGUARD_HTTPS", "true")
    monkeypatch.delenv("SAFEGUARD_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError):
        create_app(migrate=False)


def test_an_idle_session_ends(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    client = web.sign_in(Role.MASH)
    assert client.get("/").status_code == 200
    real = time.time
    idle = web.app.state.settings.idle_minutes * 60
    monkeypatch.setattr(time, "time", lambda: real() + idle - 60)
    assert client.get("/").status_code == 200  # still active: the cookie is re-signed
    monkeypatch.setattr(time, "time", lambda: real() + idle + 60)
    assert client.get("/").status_code == 200  # activity a minute ago keeps it alive
    monkeypatch.setattr(time, "time", lambda: real() + 2 * idle + 120)
    assert client.get("/").status_code == 303


def test_the_openapi_description_declares_bearer_tokens_for_the_api(web: Web) -> None:
    schema = web.client().get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert schema["paths"]["/api/v1/people/{key}"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in schema["paths"]["/health"]["get"]
    assert not any(p.startswith(("/people", "/sign-in")) for p in schema["paths"])


def test_a_nul_character_is_refused_as_bad_input_naming_the_field(web: Web) -> None:
    client = web.client()
    client.headers["Authorization"] = f"Bearer {web.token(Role.MASH)}"
    response = client.get("/api/v1/people", params={"address": "\x00", "name": ""})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("address: contains a NUL character (%00)")
    page = web.sign_in(Role.MASH).get("/people", params={"name": "Callum\x00"})
    assert page.status_code == 400 and "name: contains a NUL character" in page.text


def test_a_nul_character_anywhere_else_is_bad_input_on_postgresql_too(web: Web) -> None:
    client = web.client()
    client.headers["Authorization"] = f"Bearer {web.token(Role.MASH)}"
    response = client.get("/api/v1/people/storm:P%00")
    if web.engine.dialect.name == "postgresql":  # PostgreSQL text cannot hold NUL; SQLite can
        assert response.status_code == 400
        assert "NUL character (%00) in key" in response.json()["detail"]
    else:
        assert response.status_code == 404
