"""A missing episode from report to return interview: what each form stores is what the
missing rules read, so SAFE_AND_WELL_MISSING, RETURN_INTERVIEW_OVERDUE and
MISSING_RISK_UNDERSTATED resolve (or turn late) as the forms are recorded."""

from __future__ import annotations

from sqlalchemy import select

from safeguard.access import processing_log
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.pole.models import Action, Event, Location
from tests.web.conftest import Web
from tests.web.formtools import alerts, local, post, unescaped

CHILD = "storm:P3"  # Ellie Hart, born 2018: under 12, so her computed missing risk is high


def _report(web: Web) -> str:
    status, _, location = post(
        web,
        Role.CSE_COORDINATOR,
        f"/people/{CHILD}/missing/new",
        {
            "missing_since": local(120),
            "reported_at": local(119),
            "missing_from": "home",
            "address": "4 Fell View, Keswick",
            "circumstances": "Did not come home from school; mother reported",
        },
    )
    assert status == 303 and location.startswith("/missing/safeguard:MISS-")
    return location.removeprefix("/missing/")


def _record(web: Web, key: str, step: str, data: dict[str, str]) -> None:
    status, html, location = post(web, Role.CSE_COORDINATOR, f"/missing/{key}/{step}", data)
    assert (status, location) == (303, f"/missing/{key}"), unescaped(html)


def test_a_report_keeps_what_was_typed_and_names_each_missing_field(web: Web) -> None:
    since = local(5)  # once: the minute may turn while the test runs
    status, html, _ = post(
        web,
        Role.CSE_COORDINATOR,
        f"/people/{CHILD}/missing/new",
        {"missing_since": since, "reported_at": local(6), "address": "4 Fell View"},
    )
    text = unescaped(html)
    assert status == 400
    assert "When the child was reported missing must not be before" in text
    assert 'href="#missing_from"' in html and 'href="#circumstances"' in html
    assert 'value="4 Fell View"' in html and f'value="{since}"' in html


def test_found_safe_and_well_and_return_interview_resolve_their_alerts(web: Web) -> None:
    key = _report(web)
    assert alerts(web, event=key) == {}  # not found yet: no clock runs
    status, html, _ = post(
        web,
        Role.CSE_COORDINATOR,
        f"/missing/{key}/safe-and-well",
        {"done_at": local(1), "officer": "PC Dale", "notes": "Well"},
    )
    assert status == 400 and "Record that the child has been found first" in html
    found_at = local(96)
    _record(web, key, "found", {"found_at": found_at, "found_location": "Bus station, Carlisle"})
    assert alerts(web, event=key) == {
        "SAFE_AND_WELL_MISSING": "open",
        "RETURN_INTERVIEW_OVERDUE": "open",
    }
    _record(
        web,
        key,
        "safe-and-well",
        {
            "done_at": local(94),
            "officer": "PC Dale",
            "notes": "Tired; says she slept at a friend's",
        },
    )
    assert alerts(web, event=key) == {"RETURN_INTERVIEW_OVERDUE": "open"}
    _record(
        web,
        key,
        "return-interview",
        {
            "done": "yes",
            "done_at": local(50),
            "interviewer": "J Marsh, Children's Society",
            "account": "Went to Carlisle with an older girl she met online",
            "views": "Wants to stay at home but feels nobody listens",
        },
    )
    assert alerts(web, event=key) == {}
    page = web.sign_in(Role.CSE_COORDINATOR).get(f"/missing/{key}").text
    assert "Nothing outstanding" in page and "Went to Carlisle" in page
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == key.partition(":")[2]))
        assert event is not None and event.details["found_at"] == found_at
        source, _, ident = event.details["found_location"].partition(":")
        place = session.scalar(
            select(Location).where(Location.source == source, Location.source_id == ident)
        )
        assert place is not None and place.address == "Bus station, Carlisle"
        interview = session.scalar(
            select(Action).where(Action.event_id == event.id, Action.kind == "return_interview")
        )
        assert interview is not None and interview.details["interviewer"].startswith("J Marsh")
        log = processing_log.who_viewed(session=session, keys=[key])
        assert sum(e.operation == "collect" for e in log) == 4
    status, html, _ = post(
        web,
        Role.CSE_COORDINATOR,
        f"/missing/{key}/found",
        {"found_at": local(1), "found_location": "Home"},
    )
    assert status == 400 and "already recorded as found" in html


def test_a_late_interview_is_late_and_one_not_done_leaves_the_alert_open(web: Web) -> None:
    key = _report(web)
    _record(web, key, "found", {"found_at": local(100), "found_location": "Home"})
    _record(
        web,
        key,
        "return-interview",
        {"done": "no", "reason": "Child refused to speak to anyone"},
    )
    assert alerts(web, event=key)["RETURN_INTERVIEW_OVERDUE"] == "open"
    status, html, _ = post(
        web, Role.CSE_COORDINATOR, f"/missing/{key}/return-interview", {"done": "yes"}
    )
    assert status == 400 and 'href="#account"' in html and 'href="#interviewer"' in html
    _record(
        web,
        key,
        "return-interview",
        {
            "done": "yes",
            "done_at": local(2),
            "interviewer": "J Marsh",
            "account": "Stayed with a friend",
            "views": "Does not want police involved",
        },
    )
    assert alerts(web, event=key)["RETURN_INTERVIEW_OVERDUE"] == "late"


def test_a_risk_assessment_below_the_computed_risk_is_flagged_until_regraded(web: Web) -> None:
    key = _report(web)
    _record(web, key, "risk", {"level": "low", "rationale": "First episode, known friend"})
    assert "MISSING_RISK_UNDERSTATED" in alerts(web, event=key)
    _record(web, key, "risk", {"level": "high", "rationale": "Aged 8: high whatever the history"})
    assert "MISSING_RISK_UNDERSTATED" not in alerts(web, event=key)


def test_no_apparent_risk_for_a_child_with_a_cse_marker_needs_a_supervisor(web: Web) -> None:
    path = "/missing/storm:E4/risk"  # Callum Rowe, with a high cse_risk flag
    data = {"level": "no_apparent_risk", "rationale": "Back at Beck House"}
    status, html, _ = post(web, Role.CSE_COORDINATOR, path, data)
    assert status == 400 and "CSE risk marker" in html and "Back at Beck House" in html
    status, _, _ = post(web, Role.CSE_COORDINATOR, path, data | {"supervisor": "DS Kerr"})
    assert status == 303


def test_only_the_coordinator_records_missing_episodes(web: Web) -> None:
    client = web.sign_in(Role.PPU_INVESTIGATOR)
    assert client.get("/missing/storm:E4").status_code == 403
    assert client.get(f"/people/{CHILD}/missing/new").status_code == 403
    coordinator = web.sign_in(Role.CSE_COORDINATOR)
    assert coordinator.get(f"/missing/{web.scenario.case}").status_code == 404  # not an episode
