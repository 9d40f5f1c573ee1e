"""Forms: the vulnerable child notification and closing a case."""

from __future__ import annotations

from sqlalchemy import select

from safeguard.access import processing_log
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.pole.models import Action, Event, RecordHistory
from safeguard.pole.people import person_by_key
from tests.web.conftest import Web, csrf_of


def _post(web: Web, role: Role, path: str, data: dict[str, str]) -> tuple[int, str, str]:
    client = web.sign_in(role)
    token = csrf_of(client.get(path).text)
    resp = client.post(path, data={"csrf_token": token, **data})
    return resp.status_code, resp.text, resp.headers.get("location", "")


def test_a_notification_needs_each_childs_demeanour_and_views(web: Web) -> None:
    status, html, _ = _post(
        web,
        Role.RESPONSE,
        "/notifications/new",
        {
            "occurred": "2026-11-20T21:15",
            "summary": "Children home alone at night",
            "child1_given": "Ellie",
            "child1_family": "Hart",
            "child1_dob": "2018-05-02",
            "child2_given": "Mo",
            "child2_demeanour": "Quiet, hungry",
        },
    )
    assert status == 400
    assert "Describe child 1&#39;s demeanour" in html or "Describe child 1's demeanour" in html
    assert "Enter child 1" in html and "views, or why they could not be obtained" in html
    assert "Enter child 2" in html
    assert 'value="Ellie"' in html and "Quiet, hungry" in html  # nothing typed is lost


def test_a_complete_notification_is_stored_and_logged_as_a_collection(web: Web) -> None:
    status, _, location = _post(
        web,
        Role.NEIGHBOURHOOD,
        "/notifications/new",
        {
            "occurred": "2026-11-20T21:15",
            "summary": "Children home alone at night",
            "address": "4 Fell View, Keswick",
            "child1_given": "Ellie",
            "child1_family": "Hart",
            "child1_dob": "2018-05-02",
            "child1_demeanour": "Tearful, cold",
            "child1_views": "Mum went out after tea",
            "child2_given": "Mo",
            "child2_family": "Hart",
            "child2_demeanour": "Asleep, then calm",
            "child2_views_reason": "Aged 2, not able to give views",
        },
    )
    assert status == 303 and location.startswith("/people/safeguard:P-")
    key = location.removeprefix("/people/")
    with unit_of_work(web.engine) as session:
        child = person_by_key(session=session, key=key)
        kinds = set(session.scalars(select(Action.kind).where(Action.person_id == child.id)))
        assert kinds == {"child_demeanour", "child_views"}
        [collect] = processing_log.who_viewed(session=session, keys=[key])
        assert collect.operation == "collect" and len(collect.records) == 8


def test_closure_is_refused_without_outcome_views_and_informed(web: Web) -> None:
    path = f"/cases/{web.scenario.case}/close"
    status, html, _ = _post(web, Role.PPU_INVESTIGATOR, path, {"summary": "No further action"})
    assert status == 400
    for need in ("outcome for the child", "the child&#39;s views", "how the child was told"):
        assert need in html or need.replace("&#39;", "'") in html, need
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == "E1"))
        assert event is not None and event.closed_at is None


def test_closure_with_everything_recorded_closes_and_keeps_history(web: Web) -> None:
    path = f"/cases/{web.scenario.case}/close"
    status, _, location = _post(
        web,
        Role.PPU_SUPERVISOR,
        path,
        {
            "summary": "Suspect charged; child safeguarded by plan",
            "c1_outcome": "Suspect charged; protection plan in place",
            "c1_child_views_reason": "Declined to speak to police; views via social worker",
            "c1_child_informed": "Told by DC Thwaite at home on 20 November",
        },
    )
    assert (status, location) == (303, path)
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == "E1"))
        assert event is not None and event.closed_at is not None
        kinds = set(session.scalars(select(Action.kind).where(Action.event_id == event.id)))
        assert {"outcome", "child_views_not_recorded", "child_informed", "closure"} <= kinds
        assert session.scalar(select(RecordHistory).where(RecordHistory.source_id == "E1"))
        alter = processing_log.who_viewed(session=session, keys=["ppu:E1"])[-1]
        assert alter.operation == "alter" and alter.justification.startswith("Suspect charged")
    status, html, _ = _post(web, Role.PPU_SUPERVISOR, path, {"summary": "again"})
    assert status == 400 and "This case is already closed" in html
    assert "Case closed" in web.sign_in(Role.PPU_SUPERVISOR).get(path).text


def test_a_supervision_review_is_recorded_and_resets_the_queue_clock(web: Web) -> None:
    path = f"/cases/{web.scenario.case}/review"
    status, html, _ = _post(web, Role.PPU_SUPERVISOR, path, {"review": "ok"})
    assert status == 400 and "Enter your direction" in html and ">ok</textarea>" in html
    status, _, location = _post(
        web,
        Role.PPU_SUPERVISOR,
        path,
        {
            "review": "ABE interview done; suspect not yet arrested",
            "direction": "Arrest the suspect within 7 days; review again in 14 days",
        },
    )
    assert (status, location) == (303, "/queues/supervision")
    queue = web.sign_in(Role.PPU_SUPERVISOR).get("/queues/supervision").text
    assert "govuk-tag--red" not in queue and "Never" not in queue  # reviewed today
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == "E1"))
        assert event is not None
        texts = list(
            session.scalars(
                select(Action.text).where(
                    Action.event_id == event.id, Action.kind == "supervision_review"
                )
            )
        )
        assert texts == ["ABE interview done; suspect not yet arrested"]
    assert _post(web, Role.PPU_INVESTIGATOR, path, {"review": "x" * 30, "direction": "y"})[0] == 403
