"""Offender management: a visit and an ARMS assessment recorded on the offender's
rso_management event resolve RSO_REVIEW_OVERDUE, and the queue's due dates are the rule's."""

from __future__ import annotations

from sqlalchemy import select

from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.pole.models import Action, Event
from safeguard.pole.people import person_by_key
from tests import factories as f
from tests.web.conftest import Web
from tests.web.forms_scenario import add_form_records
from tests.web.formtools import alerts, local, post, unescaped
from tests.web.scenario import ago

VISIT = {
    "visited_at": "",
    "visit": "home_unannounced",
    "officer": "DC Hale",
    "children": "no",
    "notes": "Compliant; no change of address",
}


def test_a_visit_resolves_the_overdue_review_and_leaves_the_queue(web: Web) -> None:
    keys = add_form_records(web.engine)
    assert alerts(web, subject=keys.offender) == {"RSO_REVIEW_OVERDUE": "open"}
    client = web.sign_in(Role.OFFENDER_MANAGER)
    queue = client.get("/queues/offenders").text
    assert "Derek Lowe" in queue and "Overdue" in queue
    assert f"/people/{keys.offender}/offender/visit" in queue.replace("%3A", ":")

    path = f"/people/{keys.offender}/offender/visit"
    status, html, _ = post(web, Role.OFFENDER_MANAGER, path, VISIT | {"children": "yes"})
    assert status == 400
    assert 'href="#children_detail"' in html and 'href="#visited_at"' in html
    assert "Compliant; no change of address" in html
    status, html, location = post(
        web, Role.OFFENDER_MANAGER, path, VISIT | {"visited_at": local(1)}
    )
    assert (status, location) == (303, "/queues/offenders"), unescaped(html)
    assert alerts(web, subject=keys.offender) == {}
    assert "Derek Lowe" not in web.sign_in(Role.OFFENDER_MANAGER).get("/queues/offenders").text
    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == "M30"))
        assert event is not None
        visits = list(
            session.scalars(
                select(Action).where(Action.event_id == event.id, Action.kind == "rso_visit")
            )
        )
        assert len(visits) == 2 and visits[-1].details["children_contact"] is False


def test_an_arms_assessment_for_an_offender_with_no_management_record_opens_one(
    web: Web,
) -> None:
    offender = f.person("Neil", "Platt", "1975-01-01", source="visor", id="V40")
    flag = f.link(
        "flag",
        source="visor",
        id="F40",
        person="visor:V40",
        kind="registered_sex_offender",
        level="low",
        since=ago(500)[:10],
    )
    with unit_of_work(web.engine) as session:
        f.load(session, [offender, flag])
    assert alerts(web, subject="visor:V40") == {"RSO_REVIEW_OVERDUE": "open"}
    queue = web.sign_in(Role.OFFENDER_MANAGER).get("/queues/offenders").text
    assert "Neil Platt" in queue
    status, html, _ = post(
        web,
        Role.OFFENDER_MANAGER,
        "/people/visor:V40/offender/arms",
        {
            "assessed_at": local(2),
            "assessor": "DS Hale",
            "priorities": "Sexual preoccupation",
            "protective": "Employment; supportive partner",
            "plan": "Monthly visits; polygraph",
        },
    )
    assert status == 303, unescaped(html)
    status, _, _ = post(
        web,
        Role.OFFENDER_MANAGER,
        "/people/visor:V40/offender/visit",
        VISIT | {"visited_at": local(1)},
    )
    assert status == 303
    assert alerts(web, subject="visor:V40") == {}
    with unit_of_work(web.engine) as session:
        person = person_by_key(session=session, key="visor:V40")
        kinds = list(session.scalars(select(Action.kind).where(Action.person_id == person.id)))
        assert sorted(kinds) == ["arms_assessment", "rso_visit"]
        opened = session.scalar(select(Event).where(Event.kind == "rso_management"))
        assert opened is not None


def test_visits_are_only_for_registered_offenders_and_offender_managers(web: Web) -> None:
    client = web.sign_in(Role.OFFENDER_MANAGER)
    assert client.get(f"/people/{web.scenario.adult}/offender/visit").status_code == 404
    keys = add_form_records(web.engine)
    other = web.sign_in(Role.PPU_INVESTIGATOR)
    assert other.get(f"/people/{keys.offender}/offender/visit").status_code == 403
    assert other.get("/queues/offenders").status_code == 403
