"""The pages and the API: what each role sees, and what the processing log records."""

from __future__ import annotations

import pytest

from safeguard.access import processing_log
from safeguard.access.roles import DUTY, Role
from safeguard.db import unit_of_work
from safeguard.web.routes import people as people_routes
from tests import factories as f
from tests.web.conftest import Web, csrf_of
from tests.web.scenario import ACTION_NOTE, SPECIALIST_NOTE, username


def _log_for(web: Web, key: str) -> list[processing_log.LogEntry]:
    with unit_of_work(web.engine) as session:
        return processing_log.who_viewed(session=session, keys=[key])


def test_person_view_shows_every_linked_key_and_logs_a_consultation(web: Web) -> None:
    client = web.sign_in(Role.PPU_INVESTIGATOR)
    html = client.get(f"/people/{web.scenario.child}").text
    assert "Callum Rowe" in html
    assert "storm:P1, ppu:C7" in html or "ppu:C7, storm:P1" in html
    assert html.index("Warning markers") < html.index("Timeline")
    assert "CSE risk" in html and "Looked after child" in html
    assert SPECIALIST_NOTE in html and ACTION_NOTE in html  # specialist role sees notes
    assert "source" in html and "ppu:E1" in html and "storm:E2" in html
    assert "Gary Nixon" in html and "Beck House" in html and "07700 900123" in html
    assert "Risk picture and open alerts" in html  # from the risk engine's assess
    [entry] = _log_for(web, web.scenario.child_other_key)
    assert entry.operation == "consult"
    assert entry.actor == username(Role.PPU_INVESTIGATOR)
    assert entry.actor_role == "ppu_investigator"
    assert entry.justification == DUTY[Role.PPU_INVESTIGATOR]
    assert set(entry.records) == {"storm:P1", "ppu:C7", "storm:P2"}
    assert entry.detail["path"] == "/people/storm:P1" and entry.detail["view"] == "full"
    assert not entry.break_glass
    with unit_of_work(web.engine) as session:
        assert processing_log.verify(session=session) == (1, [])


def test_frontline_roles_see_markers_and_what_to_do_not_case_notes(web: Web) -> None:
    for role in (Role.RESPONSE, Role.CONTROL_ROOM):
        html = web.sign_in(role).get(f"/people/{web.scenario.child}").text
        assert "CSE risk" in html
        assert "contact the CSE coordinator" in html
        assert SPECIALIST_NOTE not in html and ACTION_NOTE not in html
        assert "grooming indicators" not in html  # the flag's reason is a specialist note
        assert "Open the full record and record why" in html


def test_break_glass_records_the_reason_opens_the_record_and_tells_a_supervisor(web: Web) -> None:
    client = web.sign_in(Role.RESPONSE)
    page = client.get(f"/people/{web.scenario.child}/break-glass")
    token = csrf_of(page.text)
    short = client.post(
        f"/people/{web.scenario.child}/break-glass", data={"csrf_token": token, "reason": "need"}
    )
    assert short.status_code == 400 and "There is a problem" in short.text
    assert 'value="need"' in short.text or ">need</textarea>" in short.text  # nothing typed lost
    reason = "Attending a call to Beck House about this child now"
    resp = client.post(
        f"/people/{web.scenario.child}/break-glass", data={"csrf_token": token, "reason": reason}
    )
    assert resp.status_code == 303
    html = client.get(f"/people/{web.scenario.child}").text
    assert SPECIALIST_NOTE in html
    entries = _log_for(web, web.scenario.child)
    assert [e.break_glass for e in entries] == [True, True]
    assert {e.justification for e in entries} == {reason}
    supervisor = web.sign_in(Role.PPU_SUPERVISOR).get("/audit/break-glass").text
    assert reason in supervisor and username(Role.RESPONSE) in supervisor


def test_search_by_fuzzy_name_dob_address_and_phone_finds_one_person(web: Web) -> None:
    client = web.sign_in(Role.MASH)
    for query in ("name=Calum+Row", "dob=2009-09-01", "address=ca11+7aa", "phone=07700900123"):
        html = client.get(f"/people?{query}").text
        assert "1 person found" in html, query
        assert "Callum Rowe / Calum Rowe" in html, query
    assert "0 people found" in client.get("/people?name=Zebedee").text
    bad = client.get("/people?dob=2009-13-40")
    assert bad.status_code == 400 and "There is a problem" in bad.text
    searches = [e for e in _log_for(web, "storm:P1") if e.purpose == "person search"]
    assert len(searches) == 4


def test_address_check_lists_everyone_linked_and_their_markers(web: Web) -> None:
    client = web.sign_in(Role.CONTROL_ROOM)
    html = client.get("/addresses?q=mill+road").text
    assert "/addresses/storm:L1" in html
    html = client.get(f"/addresses/{web.scenario.home}").text
    assert "Callum Rowe" in html and "lives here" in html
    assert "Gary Nixon" in html and "suspect in cse concern" in html
    assert "CSE risk" in html and "contact the CSE coordinator" in html
    entry = _log_for(web, web.scenario.home)[-1]
    assert entry.purpose == "address check" and "storm:P2" in entry.records


def test_api_person_is_need_to_know_and_logged_as_a_disclosure(web: Web) -> None:
    headers = {"Authorization": f"Bearer {web.token(Role.RESPONSE)}"}
    body = web.client().get(f"/api/v1/people/{web.scenario.child}", headers=headers).json()
    assert body["view"] == "markers"
    assert {f["kind"] for f in body["flags"]} == {"cse_risk", "looked_after_child"}
    assert SPECIALIST_NOTE not in str(body)
    order = [t["key"] for t in body["timeline"]]
    assert order == ["storm:E2", "ppu:E1", "ppu:A1", "ppu:A2", "storm:E3", "storm:A3", "storm:E4"]
    full = web.client().get(
        f"/api/v1/people/{web.scenario.child}",
        headers={"Authorization": f"Bearer {web.token(Role.PPU_SUPERVISOR)}"},
    )
    assert SPECIALIST_NOTE in full.text
    entries = _log_for(web, web.scenario.child)
    assert [e.operation for e in entries] == ["disclose", "disclose"]
    assert entries[0].recipients == [username(Role.RESPONSE)]


def test_auditor_sees_who_viewed_a_child_under_any_of_its_keys(web: Web) -> None:
    web.sign_in(Role.MASH).get(f"/people/{web.scenario.child}")
    html = (
        web.sign_in(Role.AUDITOR).get(f"/audit/who-viewed?key={web.scenario.child_other_key}").text
    )
    assert "1 log entries" in html and username(Role.MASH) in html and "person view" in html


def test_a_person_with_no_events_has_a_person_view(web: Web) -> None:
    with unit_of_work(web.engine) as session:
        f.load(session, [f.person("Nia", "Lowe", "2012-03-04", source="storm", id="P900")])
    page = web.sign_in(Role.PPU_INVESTIGATOR).get("/people/storm:P900")
    assert page.status_code == 200
    assert "Nia Lowe" in page.text


def test_a_long_timeline_shows_its_latest_entries_says_how_many_and_links_to_all(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(people_routes, "TIMELINE_SHOWN", 3)
    child = f.person("Nia", "Lowe", "2012-03-04", source="storm", id="P901")
    events = [
        f.event("child_concern", f"2026-0{n}-01T10:00:00", [(child, "subject")], id=f"TL{n}")
        for n in range(1, 6)
    ]
    with unit_of_work(web.engine) as session:
        f.load(session, [child, *events])
    client = web.sign_in(Role.PPU_INVESTIGATOR)
    page = client.get("/people/storm:P901").text
    timeline = page[page.index('id="timeline"') :]
    shown = [n for n in range(1, 6) if f"storm:TL{n}" in timeline]
    assert shown == [3, 4, 5]  # the latest three, still oldest first
    assert timeline.index("storm:TL3") < timeline.index("storm:TL5")
    assert "The latest 3 of 5 events and actions" in page
    assert 'href="?timeline=all#timeline"' in page
    whole = client.get("/people/storm:P901?timeline=all").text
    assert all(f"storm:TL{n}" in whole[whole.index('id="timeline"') :] for n in range(1, 6))
    assert "The latest" not in whole and "Every event and action" in whole
    log = _log_for(web, "storm:P901")
    assert [e.purpose for e in log] == ["person view", "person view"]  # each view logged
