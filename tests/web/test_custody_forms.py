"""The custody record of a child: each step stores what the custody rules read, so each
custody alert resolves when its step is recorded; and the custody queue agrees with them."""

from __future__ import annotations

from sqlalchemy import select

from safeguard.access import processing_log
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.pole.models import Action, Event
from tests.web.conftest import Web
from tests.web.forms_scenario import add_form_records
from tests.web.formtools import alerts, local, post, unescaped

CUSTODY_CODES = {
    "CUSTODY_NO_APPROPRIATE_ADULT",
    "CUSTODY_HCP_NOT_CONTACTED",
    "CUSTODY_NO_LA_REQUEST",
    "CUSTODY_BAIL_NOT_REVIEWED",
    "CUSTODY_NO_CERTIFICATE",
}


def _custody(web: Web, key: str) -> set[str]:
    return set(alerts(web, event=key)) & CUSTODY_CODES


def _record(web: Web, path: str, data: dict[str, str]) -> None:
    status, html, location = post(web, Role.CUSTODY, path, data)
    assert status == 303, unescaped(html)
    assert location == path.rsplit("/", 1)[0]


def test_each_custody_step_resolves_its_alert(web: Web) -> None:
    child = web.scenario.child
    status, html, _ = post(
        web, Role.CUSTODY, f"/people/{child}/custody/new", {"offence": "Criminal damage"}
    )
    assert status == 400
    text = unescaped(html)
    assert 'href="#detained_at"' in html and 'href="#charged"' in html
    assert 'value="Criminal damage"' in html and "There is a problem" in text
    status, _, location = post(
        web,
        Role.CUSTODY,
        f"/people/{child}/custody/new",
        {
            "detained_at": local(3),
            "offence": "Criminal damage",
            "charged": "no",
            "intoxicated": "yes",
        },
    )
    assert status == 303 and location.startswith("/custody/safeguard:CUS-")
    key = location.removeprefix("/custody/")
    assert _custody(web, key) == {"CUSTODY_NO_APPROPRIATE_ADULT", "CUSTODY_HCP_NOT_CONTACTED"}

    _record(
        web,
        f"/custody/{key}/appropriate-adult",
        {"name": "Ann Rowe", "relationship": "parent_or_guardian", "arrived_at": local(2)},
    )
    _record(
        web,
        f"/custody/{key}/healthcare",
        {"practitioner": "Custody nurse", "contacted_at": local(2), "outcome": "Fit to detain"},
    )
    assert _custody(web, key) == set()

    _record(
        web,
        f"/custody/{key}/bail",
        {
            "charged": "yes",
            "denied": "yes",
            "reason": "Risk of reoffending",
            "decided_at": local(1),
        },
    )
    assert _custody(web, key) == {"CUSTODY_NO_LA_REQUEST", "CUSTODY_NO_CERTIFICATE"}
    _record(
        web,
        f"/custody/{key}/la-request",
        {"authority": "County council EDT, duty manager", "secure": "no", "requested_at": local(1)},
    )
    assert _custody(web, key) == {"CUSTODY_NO_CERTIFICATE"}
    _record(
        web,
        f"/custody/{key}/la-response",
        {"provided": "no", "detail": "No bed tonight", "responded_at": local(0.5)},
    )
    assert _custody(web, key) == {"CUSTODY_NO_CERTIFICATE", "CUSTODY_BAIL_NOT_REVIEWED"}
    status, html, _ = post(
        web,
        Role.CUSTODY,
        f"/custody/{key}/bail-review",
        {"outcome": "remains_in_custody", "reason": "No change", "reviewed_at": local(0.9)},
    )
    assert status == 400 and "The review after the refusal must not be before" in unescaped(html)
    _record(
        web,
        f"/custody/{key}/bail-review",
        {"outcome": "remains_in_custody", "reason": "No change", "reviewed_at": local(0.2)},
    )
    _record(
        web,
        f"/custody/{key}/certificate",
        {
            "ground": "impracticable",
            "reasons": "No accommodation offered",
            "certified_at": local(0),
        },
    )
    assert _custody(web, key) == set()

    with unit_of_work(web.engine) as session:
        event = session.scalar(select(Event).where(Event.source_id == key.partition(":")[2]))
        assert event is not None and event.details["charged"] is True
        kinds = set(session.scalars(select(Action.kind).where(Action.event_id == event.id)))
        assert kinds == {
            "appropriate_adult",
            "hcp_contact",
            "bail_decision",
            "la_accommodation_request",
            "la_accommodation_response",
            "bail_review",
            "detention_certificate",
        }
        collected = [
            e
            for e in processing_log.who_viewed(session=session, keys=[key])
            if e.operation == "collect"
        ]
        assert len(collected) == 8  # the record and its seven steps


def test_the_custody_queue_shows_what_the_rules_find_and_release_ends_it(web: Web) -> None:
    keys = add_form_records(web.engine)
    client = web.sign_in(Role.CUSTODY)
    queue = client.get("/queues/custody").text
    assert "Jordan Pike" in queue and "Burglary" in queue
    assert "No appropriate adult" in queue and "Healthcare practitioner not contacted" in queue
    assert _custody(web, keys.custody) == {
        "CUSTODY_NO_APPROPRIATE_ADULT",
        "CUSTODY_HCP_NOT_CONTACTED",
    }
    page = client.get(f"/custody/{keys.custody}").text
    assert "In custody for <strong>6 hours</strong>" in page
    status, html, _ = post(
        web, Role.CUSTODY, f"/custody/{keys.custody}/release", {"to": "Mother, at home"}
    )
    assert status == 400 and 'href="#released_at"' in html and "Mother, at home" in html
    _record(
        web,
        f"/custody/{keys.custody}/release",
        {"released_at": local(0), "to": "Mother, at home"},
    )
    assert "Jordan Pike" not in web.sign_in(Role.CUSTODY).get("/queues/custody").text
    status, html, _ = post(
        web,
        Role.CUSTODY,
        f"/custody/{keys.custody}/appropriate-adult",
        {"name": "A Person", "relationship": "social_worker", "arrived_at": local(0)},
    )
    assert status == 400 and "has been released" in html


def test_the_secure_accommodation_ground_is_refused_under_12(web: Web) -> None:
    status, _, location = post(
        web,
        Role.CUSTODY,
        "/people/storm:P3/custody/new",  # Ellie Hart, born 2018
        {"detained_at": local(2), "offence": "Theft", "charged": "yes", "intoxicated": "no"},
    )
    key = location.removeprefix("/custody/")
    status, html, _ = post(
        web,
        Role.CUSTODY,
        f"/custody/{key}/certificate",
        {"ground": "no_secure_12plus", "reasons": "No secure bed", "certified_at": local(1)},
    )
    assert status == 400 and "applies only from age 12" in html


def test_only_custody_officers_record_custody(web: Web) -> None:
    client = web.sign_in(Role.RESPONSE)
    assert client.get(f"/people/{web.scenario.child}/custody/new").status_code == 403
    assert client.get("/queues/custody").status_code == 403
