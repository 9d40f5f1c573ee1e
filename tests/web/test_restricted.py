"""Restricted records: only named users see them; others see markers and may break glass."""

from __future__ import annotations

from safeguard.access import restrictions
from safeguard.access.processing_log import Actor
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from tests.web.conftest import Web, csrf_of
from tests.web.scenario import SPECIALIST_NOTE, username


def _restrict(web: Web, key: str, *roles: Role) -> None:
    with unit_of_work(web.engine) as session:
        restrictions.restrict(
            session=session,
            key=key,
            allowed=[username(r) for r in roles],
            reason="Victim is a member of staff",
            actor=Actor("admin", "administrator"),
        )


def test_a_restricted_child_is_hidden_from_everyone_not_named(web: Web) -> None:
    _restrict(web, web.scenario.child, Role.PPU_INVESTIGATOR)
    named = web.sign_in(Role.PPU_INVESTIGATOR).get(f"/people/{web.scenario.child}").text
    assert "Callum Rowe" in named and SPECIALIST_NOTE in named
    other = web.sign_in(Role.PPU_SUPERVISOR)
    html = other.get(f"/people/{web.scenario.child}").text
    assert "Restricted record" in html and "Callum" not in html and SPECIALIST_NOTE not in html
    assert "CSE risk" in html and "contact the CSE coordinator" in html  # warnings still shown
    results = other.get("/people?name=Callum+Rowe").text.split('id="results"')[1]
    assert "Callum" not in results and "Restricted record" in results
    assert "Callum" not in other.get(f"/addresses/{web.scenario.home}").text
    assert "Calum" not in other.get("/queues/supervision").text
    adult = other.get(f"/people/{web.scenario.adult}").text
    assert "Gary Nixon" in adult and "Callum" not in adult and "Restricted record" in adult


def test_the_api_hides_a_restricted_record_too(web: Web) -> None:
    _restrict(web, web.scenario.child, Role.PPU_INVESTIGATOR)
    headers = {"Authorization": f"Bearer {web.token(Role.MASH)}"}
    body = web.client().get(f"/api/v1/people/{web.scenario.child}", headers=headers).json()
    assert body["view"] == "restricted" and body["person"]["name"] == "Restricted record"
    assert body["timeline"] == [] and {f["kind"] for f in body["flags"]} >= {"cse_risk"}
    hits = web.client().get("/api/v1/people?name=Callum", headers=headers).json()
    assert hits[0]["names"] == ["Restricted record"] and hits[0]["dob"] is None


def test_breaking_glass_opens_a_restricted_record_and_is_flagged(web: Web) -> None:
    _restrict(web, web.scenario.child, Role.PPU_INVESTIGATOR)
    client = web.sign_in(Role.MASH)
    token = csrf_of(client.get(f"/people/{web.scenario.child}/break-glass").text)
    reason = "Strategy discussion today needs the full history"
    resp = client.post(
        f"/people/{web.scenario.child}/break-glass", data={"csrf_token": token, "reason": reason}
    )
    assert resp.status_code == 303
    assert SPECIALIST_NOTE in client.get(f"/people/{web.scenario.child}").text
    listing = web.sign_in(Role.PPU_SUPERVISOR).get("/audit/break-glass").text
    assert reason in listing and username(Role.MASH) in listing
