"""Two people editing the same case: the second is told, shown both versions, and nothing of
theirs is saved until they resubmit against what the first saved."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from safeguard.access import service
from safeguard.access.roles import Area, Role
from safeguard.db import unit_of_work
from safeguard.pole.models import Action, Event, RecordHistory
from safeguard.timeutil import UK, now_utc
from safeguard.web import concurrency
from tests.web.conftest import Web, csrf_of
from tests.web.scenario import PASSWORD

CASE = "/cases/ppu:E1"


def _review_day(days: int) -> str:
    return (now_utc() + timedelta(days=days)).astimezone(UK).date().isoformat()


def _second_supervisor(web: Web) -> TestClient:
    """Another PPU supervisor, signed in on a session of her own."""
    with unit_of_work(web.engine) as session:
        service.add_user(
            session=session,
            username="user.ppu_supervisor.two",
            display_name="DI Second Supervisor",
            role=Role.PPU_SUPERVISOR.value,
            team="Test team",
            area=Area.NORTH.value,
            password=PASSWORD,
        )
    client = web.client()
    token = csrf_of(client.get("/sign-in").text)
    data = {"username": "user.ppu_supervisor.two", "password": PASSWORD, "csrf_token": token}
    assert client.post("/sign-in", data=data).status_code == 303
    return client


def _plan(web: Web) -> Action:
    with unit_of_work(web.engine) as session:
        plan = session.scalar(select(Action).where(Action.kind == "protective_plan"))
        assert plan is not None
        session.expunge(plan)
        return plan


def _measures(first: str, second: str, review: str) -> dict[str, str]:
    return {
        "measure1_text": first,
        "measure1_responsible": "Children's social care",
        "measure2_text": second,
        "measure2_responsible": "Beck House staff",
        "review_date": review,
    }


def test_the_second_of_two_plan_revisions_is_told_and_shown_both(web: Web) -> None:
    investigator = web.sign_in(Role.PPU_INVESTIGATOR)
    token = csrf_of(investigator.get(f"{CASE}/protective-plan").text)
    created = _measures("No contact with Gary Nixon", "Home by 9pm", _review_day(28))
    data = {"csrf_token": token, "child": "ppu:C7", **created}
    assert investigator.post(f"{CASE}/protective-plan", data=data).status_code == 303
    plan = _plan(web)
    # two people open the plan to revise it
    path = f"{CASE}/protective-plan?plan={plan.key}"
    first, second = web.sign_in(Role.PPU_SUPERVISOR), _second_supervisor(web)
    first_form, second_form = first.get(path).text, second.get(path).text
    assert (
        f'value="{plan.payload_hash}"' in first_form
        and f'value="{plan.payload_hash}"' in second_form
    )
    base = {"plan": plan.key, "version": plan.payload_hash}
    mine = _measures("No contact with Gary Nixon", "Home by 8pm", _review_day(14))
    resp = first.post(
        f"{CASE}/protective-plan", data={"csrf_token": csrf_of(first_form), **base, **mine}
    )
    assert resp.status_code == 303
    theirs = _measures("No contact with any adult over 18", "Home by 9pm", _review_day(21))
    resp = second.post(
        f"{CASE}/protective-plan", data={"csrf_token": csrf_of(second_form), **base, **theirs}
    )
    assert resp.status_code == 409
    html = resp.text
    assert 'href="#conflict"' in html and 'id="conflict"' in html
    assert "Test ppu supervisor (ppu supervisor) saved a change" in html  # who
    assert "Home by 8pm" in html  # what the first saved, shown
    assert 'value="No contact with any adult over 18"' in html  # what the second typed, kept
    saved = _plan(web)
    assert saved.details["measures"][1]["measure"] == "Home by 8pm"  # nothing overwritten
    assert f'name="version" value="{saved.payload_hash}"' in html  # merge, then resubmit
    merged = _measures("No contact with any adult over 18", "Home by 8pm", _review_day(14))
    data = {"csrf_token": csrf_of(html), "plan": plan.key, "version": saved.payload_hash, **merged}
    assert second.post(f"{CASE}/protective-plan", data=data).status_code == 303
    final = _plan(web)
    assert final.details["revision"] == 3
    assert final.details["measures"][0]["measure"] == "No contact with any adult over 18"
    with unit_of_work(web.engine) as session:
        history = session.scalars(
            select(RecordHistory).where(RecordHistory.source_id == plan.source_id)
        ).all()
        assert len(history) == 2  # the first version and the first revision, both kept


def test_the_second_of_two_allocations_is_told_who_took_the_case(web: Web) -> None:
    path = f"{CASE}/allocate"
    first, second = web.sign_in(Role.PPU_SUPERVISOR), _second_supervisor(web)
    first_form, second_form = first.get(path).text, second.get(path).text
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == "E1"))
        assert event is not None
        version = event.payload_hash
    resp = first.post(
        path,
        data={"csrf_token": csrf_of(first_form), "version": version, "officer": "hr:O2"},
    )
    assert resp.status_code == 303
    data = {
        "csrf_token": csrf_of(second_form),
        "version": version,
        "officer": "hr:O3",
        "confirm": "yes",
        "reason": "Only officer on duty",
    }
    resp = second.post(path, data=data)
    assert resp.status_code == 409
    assert "Allocated to" in resp.text and "DS Kerr" in resp.text
    assert 'value="hr:O3" checked' in resp.text and "Only officer on duty" in resp.text
    with unit_of_work(web.engine) as session:
        allocations = session.scalars(
            select(Action.details).where(Action.kind == "allocation").order_by(Action.at)
        ).all()
        assert [a["officer"] for a in allocations][-1] == "hr:O2"
        assert not any(a["officer"] == "hr:O3" for a in allocations)


def test_a_record_changed_by_an_import_names_no_person(web: Web) -> None:
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == "E9"))
        assert event is not None
        assert concurrency.check(session=session, record=event, sent=event.payload_hash) is None
        conflict = concurrency.check(session=session, record=event, sent="an older version")
        assert conflict is not None
        assert conflict.by == "Another system (an import)" and conflict.at is None
        assert conflict.theirs["id"] == "E9" and conflict.version == event.payload_hash


def test_closing_a_case_reallocated_meanwhile_is_refused_until_seen(web: Web) -> None:
    path = f"{CASE}/close"
    closer, allocator = web.sign_in(Role.PPU_INVESTIGATOR), _second_supervisor(web)
    close_form = closer.get(path).text
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == "E1"))
        assert event is not None
        opened = event.payload_hash
    assert f'name="version" value="{opened}"' in close_form
    allocate_form = allocator.get(f"{CASE}/allocate").text
    data = {"csrf_token": csrf_of(allocate_form), "version": opened, "officer": "hr:O2"}
    assert allocator.post(f"{CASE}/allocate", data=data).status_code == 303
    closing = {
        "csrf_token": csrf_of(close_form),
        "version": opened,
        "summary": "Suspect charged; child safeguarded by plan",
        "c1_outcome": "Suspect charged",
        "c1_child_views": "Wants to stay at Beck House",
        "c1_child_informed": "Told at home",
    }
    resp = closer.post(path, data=closing)
    assert resp.status_code == 409
    assert "DI Second Supervisor (ppu supervisor) saved a change" in resp.text
    assert "hr:O2" in resp.text and "Wants to stay at Beck House" in resp.text
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == "E1"))
        assert event is not None and event.closed_at is None
        current = event.payload_hash
    resp = closer.post(path, data=closing | {"version": current})
    assert resp.status_code == 303
