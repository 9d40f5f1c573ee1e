"""Schemathesis against the OpenAPI description, with a token of every role: no 5xx, responses
that match the schema, and no response carrying a record the role may not see."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case

from safeguard.access.roles import FRONTLINE, PERSON_READERS, Role
from tests.web.conftest import Web
from tests.web.scenario import ACTION_NOTE, SPECIALIST_NOTE

SECRETS_OF_SPECIALISTS = (SPECIALIST_NOTE, ACTION_NOTE, "grooming indicators")
PERSONAL = ("Callum", "Calum", "Rowe", "Nixon")
KNOWN = {
    "/api/v1/people": [{"query": {"name": "Calum Row"}}, {"query": {"phone": "07700900123"}}],
    "/api/v1/people/{key}": [
        {"path_parameters": {"key": k}} for k in ("storm:P1", "ppu:C7", "storm:P2")
    ],
}


@pytest.fixture
def tokens(web: Web) -> dict[Role, str]:
    return {role: web.token(role) for role in Role}


def test_api_as_every_role(web: Web, tokens: dict[Role, str]) -> None:
    """Drives schemathesis's strategies with hypothesis directly (its pytest plugin does not
    load under this pytest); every operation, 15 generated cases, every role's token."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", web.app)
    calls: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case: Case) -> None:
            calls[case.path] = calls.get(case.path, 0) + _check(case, tokens)

        check()
        for known in KNOWN.get(operation.path, []):  # the scenario's child, by name and key
            case = operation.Case(**known)
            calls[case.path] = calls.get(case.path, 0) + _check(case, tokens)
    assert set(calls) == {"/health", "/api/v1/me", "/api/v1/people", "/api/v1/people/{key}"}
    print(f"schemathesis calls per operation: {calls}")


def _check(case: Case, tokens: dict[Role, str]) -> int:
    for role, token in tokens.items():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        assert response.status_code < 500, (role, response.text)
        body = response.text
        if case.path.startswith("/api/v1/people"):
            if role not in PERSON_READERS:
                assert response.status_code == 403, role
            if role in FRONTLINE:
                assert not any(s in body for s in SECRETS_OF_SPECIALISTS), role
        if role not in PERSON_READERS:
            assert not any(name in body for name in PERSONAL), role
        if response.status_code == 200:
            case.validate_response(response)
            if role in PERSON_READERS and case.path_parameters.get("key") == "storm:P1":
                assert "Callum" in body  # the known cases do reach the child
    anonymous = case.call()
    assert anonymous.status_code in (200, 401), anonymous.status_code
    assert not any(n in anonymous.text for n in PERSONAL)
    return len(tokens) + 1
