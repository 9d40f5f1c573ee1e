"""Case work: strategy discussions, protective plans and allocation, stored as exchange-format
records with their history, logged, and read back as the risk rules and queues read them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from safeguard.access import processing_log
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.pole.models import Action, Event, Officer, RecordHistory
from safeguard.risk.engine import compute_alerts
from safeguard.timeutil import UK, now_utc
from tests.web.conftest import Web, csrf_of

CASE = "/cases/ppu:E1"


def _post(web: Web, role: Role, path: str, data: dict[str, Any]) -> tuple[int, str, str]:
    client = web.sign_in(role)
    token = csrf_of(client.get(path).text)
    resp = client.post(path, data={"csrf_token": token, **data})
    return resp.status_code, resp.text, resp.headers.get("location", "")


def _local(days: float) -> str:
    return (now_utc() - timedelta(days=days)).astimezone(UK).strftime("%Y-%m-%dT%H:%M")


def _day(days: int) -> str:
    return (now_utc() + timedelta(days=days)).astimezone(UK).date().isoformat()


def _event(web: Web, source_id: str = "E1") -> Event:
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == source_id))
        assert event is not None
        session.expunge(event)
        return event


def _actions(web: Web, kind: str, source_id: str = "E1") -> list[Action]:
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == source_id))
        assert event is not None
        found = list(
            session.scalars(
                select(Action)
                .where(Action.event_id == event.id, Action.kind == kind)
                .order_by(Action.id)
            )
        )
        session.expunge_all()
        return found


DISCUSSION = {
    "agencies": ["police", "childrens_social_care", "health"],
    "attendee1_name": "DS Kerr",
    "attendee1_agency": "police",
    "attendee2_name": "Jo Bell",
    "attendee2_agency": "childrens_social_care",
    "attendee3_name": "Dr Amin",
    "attendee3_agency": "health",
    "decisions": "Joint investigation; ABE interview with intermediary",
    "s47": "yes",
    "action1_text": "ABE interview",
    "action1_owner": "DS Kerr",
    "action2_text": "Visit the children's home",
    "action2_owner": "Jo Bell",
}


def test_a_strategy_discussion_with_gaps_is_shown_again_with_every_error_linked(web: Web) -> None:
    status, html, _ = _post(
        web,
        Role.MASH,
        f"{CASE}/strategy-discussion",
        {
            "held_at": "not a time",
            "agencies": ["police", "other"],
            "attendee1_name": "DS Kerr",
            "action1_text": "ABE interview",
            "action1_due": "2026-02-30",
        },
    )
    assert status == 400
    for href in (
        "#held_at",
        "#other_agency",
        "#absent_reason",
        "#attendee1_agency",
        "#decisions",
        "#s47",
        "#action1_owner",
        "#action1_due",
    ):
        assert f'href="{href}"' in html, href
    assert "why children&#39;s social care, health did not take part" in html
    assert 'value="DS Kerr"' in html and 'value="ABE interview"' in html  # nothing typed lost
    assert 'value="2026-02-30"' in html and 'value="other" checked' in html
    assert _actions(web, "strategy_discussion")[0].source_id == "A1"  # only the scenario's


def test_another_row_is_added_without_saving_or_complaining(web: Web) -> None:
    fields = {"attendee1_name": "DS Kerr", "add": "attendee"}
    status, html, _ = _post(web, Role.MASH, f"{CASE}/strategy-discussion", fields)
    assert status == 200 and "There is a problem" not in html
    assert 'id="attendee5_name"' in html and 'value="DS Kerr"' in html
    status, html, _ = _post(web, Role.MASH, f"{CASE}/strategy-discussion", {"add": "action"})
    assert 'id="action4_text"' in html


def test_a_strategy_discussion_is_stored_at_when_it_was_held_and_logged(web: Web) -> None:
    held = _local(1)
    data = DISCUSSION | {"held_at": held, "action1_due": _day(3), "action2_due": _day(5)}
    status, _, location = _post(web, Role.PPU_INVESTIGATOR, f"{CASE}/strategy-discussion", data)
    assert (status, location) == (303, f"{CASE}#strategy-discussions")
    stored = _actions(web, "strategy_discussion")[-1]
    assert stored.at.astimezone(UK).strftime("%Y-%m-%dT%H:%M") == held
    assert stored.details["s47_threshold_met"] is True
    assert [a["name"] for a in stored.details["attendees"]] == ["DS Kerr", "Jo Bell", "Dr Amin"]
    assert [a["owner"] for a in stored.details["actions"]] == ["DS Kerr", "Jo Bell"]
    assert stored.details["recorded_by"] == "user.ppu_investigator"
    with unit_of_work(web.engine) as session:
        entry = processing_log.who_viewed(session=session, keys=[stored.key])[-1]
        assert entry.operation == "collect" and "ppu:C7" in entry.records
    page = web.sign_in(Role.MASH).get(CASE).text
    assert "Joint investigation; ABE interview with intermediary" in page
    assert "Visit the children&#39;s home" in page and "Section 47 threshold met" in page


def test_a_strategy_discussion_cannot_be_dated_in_the_future(web: Web) -> None:
    data = DISCUSSION | {"held_at": _local(-2), "action1_due": _day(3), "action2_due": _day(5)}
    status, html, _ = _post(web, Role.MASH, f"{CASE}/strategy-discussion", data)
    assert status == 400 and "must be in the past" in html


def _plan_key(web: Web) -> str:
    return _actions(web, "protective_plan")[-1].key


def _new_plan(web: Web) -> str:
    data = {
        "child": "ppu:C7",
        "measure1_text": "No contact with Gary Nixon",
        "measure1_responsible": "Children's social care",
        "measure2_text": "Return home by 9pm",
        "measure2_responsible": "Beck House staff",
        "review_date": _day(28),
    }
    status, _, location = _post(web, Role.PPU_INVESTIGATOR, f"{CASE}/protective-plan", data)
    assert (status, location) == (303, f"{CASE}#protective-plans")
    return _plan_key(web)


def test_a_plan_needs_a_child_measures_with_owners_and_a_future_review(web: Web) -> None:
    data = {"measure1_text": "Curfew", "review_date": _day(-1)}
    status, html, _ = _post(web, Role.PPU_SUPERVISOR, f"{CASE}/protective-plan", data)
    assert status == 400
    for href in ("#child", "#measure1_responsible", "#review_date"):
        assert f'href="{href}"' in html, href
    assert 'value="Curfew"' in html
    assert _actions(web, "protective_plan") == []


def test_a_plan_is_revised_keeping_its_history_and_first_time(web: Web) -> None:
    key = _new_plan(web)
    first = _actions(web, "protective_plan")[-1]
    assert first.details["revision"] == 1 and len(first.details["measures"]) == 2
    again = {"child": "ppu:C7", "measure1_text": "Curfew", "measure1_responsible": "Carers"}
    status, html, _ = _post(web, Role.PPU_INVESTIGATOR, f"{CASE}/protective-plan", again)
    assert status == 400 and "already has a plan in this case: revise it" in html
    client = web.sign_in(Role.PPU_SUPERVISOR)
    form = client.get(f"{CASE}/protective-plan", params={"plan": key}).text
    assert 'value="Return home by 9pm"' in form and f'value="{first.payload_hash}"' in form
    data = {
        "csrf_token": csrf_of(form),
        "plan": key,
        "version": first.payload_hash,
        "measure1_text": "No contact with Gary Nixon",
        "measure1_responsible": "Children's social care",
        "measure2_text": "Return home by 8pm",
        "measure2_responsible": "Beck House staff",
        "review_date": _day(14),
    }
    resp = client.post(f"{CASE}/protective-plan", data=data)
    assert resp.status_code == 303
    [revised] = _actions(web, "protective_plan")
    assert revised.key == key and revised.at == first.at  # the NO_PROTECTIVE_PLAN clock
    assert revised.details["revision"] == 2 and revised.details["revised_by"] == username_of(
        Role.PPU_SUPERVISOR
    )
    assert revised.details["measures"][1]["measure"] == "Return home by 8pm"
    with unit_of_work(web.engine) as session:
        kept = session.scalars(
            select(RecordHistory.payload).where(RecordHistory.source_id == revised.source_id)
        ).all()
        assert len(kept) == 1 and "Return home by 9pm" in kept[0]
        entry = processing_log.who_viewed(session=session, keys=[key])[-1]
        assert entry.operation == "alter" and entry.purpose == "protective plan revised"


def username_of(role: Role) -> str:
    return f"user.{role.value}"


def test_the_allocation_page_lists_officers_with_caseload_and_specialisms(web: Web) -> None:
    html = web.sign_in(Role.PPU_SUPERVISOR).get(f"{CASE}/allocate").text
    assert "This is a serious case" in html
    assert "Now allocated to: <strong>DC Thwaite</strong>" in html  # the scenario's action
    kerr, moss, thwaite = (html.index(f'value="hr:{o}"') for o in ("O2", "O3", "O1"))
    assert kerr < moss and kerr < thwaite  # the qualified officer first
    assert (
        "Caseload: 1 open case. Specialisms: none. Needs confirming: an officer without scaidp"
        in html
    )
    assert (
        "Caseload: 0 open cases. Specialisms: SCAIDP. Probationary. "
        "Needs confirming: a probationary officer" in html
    )
    assert re.search(r"Caseload: 0 open cases\. Specialisms: SCAIDP, CSE\.\s*</div>", html)


def _allocate(web: Web, data: dict[str, str], case: str = CASE) -> tuple[int, str, str]:
    return _post(
        web,
        Role.PPU_SUPERVISOR,
        f"{case}/allocate",
        data | {"version": _event(web, case.rsplit(":", 1)[1]).payload_hash},
    )


def _alerted(web: Web, code: str, event_key: str = "ppu:E1") -> list[str]:
    with unit_of_work(web.engine) as session:
        alerts = compute_alerts(session=session, as_of=now_utc(), policy=web.app.state.policy)
    return [a.message for a in alerts if a.code == code and event_key in a.events]


def test_a_probationer_needs_confirmation_and_a_reason_then_the_alert_agrees(web: Web) -> None:
    status, html, _ = _allocate(web, {"officer": "hr:O3"})
    assert status == 400
    assert 'href="#confirm"' in html and 'href="#reason"' in html
    assert "Confirm that you want to allocate this case to PC Moss, a probationary officer" in html
    assert 'value="hr:O3" checked' in html  # the choice is kept
    status, _, location = _allocate(
        web,
        {"officer": "hr:O3", "confirm": "yes", "reason": "Only officer on duty; DS Kerr mentors"},
    )
    assert (status, location) == (303, CASE)
    event = _event(web)
    [latest] = _actions(web, "allocation")[-1:]
    assert latest.details["officer"] == "hr:O3"
    assert latest.details["confirmed_despite"] == "a probationary officer"
    assert latest.text == "Only officer on duty; DS Kerr mentors"
    with unit_of_work(web.engine) as session:
        moss = session.scalar(select(Officer).where(Officer.source_id == "O3"))
        assert moss is not None and event.allocated_to_id == moss.id
        assert session.scalar(select(RecordHistory).where(RecordHistory.source_id == "E1"))
        entry = processing_log.who_viewed(session=session, keys=[latest.key])[-1]
        assert entry.operation == "alter" and entry.justification.startswith("Only officer")
    [message] = _alerted(web, "NON_SPECIALIST_ALLOCATION")  # the form and the rule agree
    assert "PC Moss, a probationary officer" in message
    queue = web.sign_in(Role.PPU_SUPERVISOR).get("/queues/supervision").text
    assert "PC Moss" in queue


def test_a_specialist_is_allocated_without_confirmation_and_the_alert_clears(web: Web) -> None:
    assert _alerted(web, "NON_SPECIALIST_ALLOCATION")  # DC Thwaite has no SCAIDP
    status, _, location = _allocate(web, {"officer": "hr:O2"})
    assert (status, location) == (303, CASE)
    assert _alerted(web, "NON_SPECIALIST_ALLOCATION") == []
    assert "DS Kerr" in web.sign_in(Role.PPU_SUPERVISOR).get(CASE).text
    status, html, _ = _allocate(web, {"officer": "hr:O2"})
    assert status == 400 and "already allocated to DS Kerr" in html


def test_unallocated_cases_wait_in_the_allocation_queue_until_allocated(web: Web) -> None:
    queue = web.sign_in(Role.PPU_SUPERVISOR).get("/queues/allocation").text
    assert "storm:E9" in queue and "Ellie Hart" in queue and "ppu:E1" not in queue
    status, html, _ = _allocate(web, {"officer": "hr:O1"}, case="/cases/storm:E9")
    assert status == 303, html  # not a serious case: no confirmation needed
    queue = web.sign_in(Role.PPU_SUPERVISOR).get("/queues/allocation").text
    assert "storm:E9" not in queue
    html = web.sign_in(Role.PPU_SUPERVISOR).get(f"{CASE}/allocate").text
    assert "Caseload: 2 open cases" in html  # DC Thwaite: E1 and now E9


def test_a_closed_case_takes_no_more_case_work(web: Web) -> None:
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == "E9"))
        assert event is not None
        event.closed_at = now_utc()
    status, html, _ = _allocate(web, {"officer": "hr:O1"}, case="/cases/storm:E9")
    assert status == 400 and "This case is closed" in html
