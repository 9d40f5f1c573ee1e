"""Journeys through the missing, custody and offender forms in a real browser, each page
checked by axe-core and saved as a screenshot (see test_journeys.Journey)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from safeguard.access.roles import Role
from tests.e2e.test_journeys import Journey
from tests.web.formtools import local
from tests.web.scenario import Scenario

pytestmark = pytest.mark.e2e


@pytest.fixture
def journey(
    page: Page, live: tuple[str, Scenario], axe_source: str, request: pytest.FixtureRequest
) -> Journey:
    return Journey(page, live[0], axe_source, request.node.name.removeprefix("test_"))


def _choose(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_custody_officer_records_a_childs_custody_record(
    journey: Journey, live: tuple[str, Scenario]
) -> None:
    page = journey.page
    journey.sign_in(Role.CUSTODY)
    page.get_by_role("link", name="Children in custody").first.click()
    expect(page.get_by_text("Jordan Pike")).to_be_visible()
    journey.check("custody-queue")
    page.goto(journey.base + f"/people/{live[1].child}")
    page.get_by_role("link", name="Record this child in custody").click()
    journey.check("custody-new")
    page.get_by_label("Offence").fill("Criminal damage")
    page.get_by_role("button", name="Save custody record").click()
    expect(page.get_by_role("link", name="Enter when detention was authorised")).to_be_visible()
    expect(page.get_by_label("Offence")).to_have_value("Criminal damage")
    journey.check("custody-new-errors")
    page.get_by_label("When was detention authorised?").fill(local(3))
    _choose(page, "Has the child been charged?", "Yes")
    _choose(page, "Is the child intoxicated?", "No")
    page.get_by_role("button", name="Save custody record").click()
    expect(page.get_by_text("No appropriate adult", exact=True)).to_be_visible()
    journey.check("custody-record")
    page.get_by_role("link", name="Record the appropriate adult").click()
    page.get_by_label("Name of the appropriate adult").fill("Ann Rowe")
    _choose(page, "Who they are", "Local authority (the child is in care)")
    page.get_by_label("When did they arrive?").fill(local(2))
    journey.check("appropriate-adult")
    page.get_by_role("button", name="Save appropriate adult").click()
    page.get_by_role("link", name="Record the bail decision").click()
    _choose(page, "Has the child been charged?", "Yes")
    _choose(page, "Was bail refused?", "Yes")
    page.get_by_label("Why was bail refused?").fill("Likely to fail to appear")
    page.get_by_label("When was the decision made?").fill(local(1))
    page.get_by_role("button", name="Save bail decision").click()
    outstanding = "Bail refused: no request for local authority accommodation"
    expect(page.get_by_text(outstanding, exact=True)).to_be_visible()
    expect(page.get_by_text("No appropriate adult", exact=True)).to_have_count(0)
    journey.check("custody-after-bail")


def test_coordinator_records_found_and_the_return_interview(journey: Journey) -> None:
    page = journey.page
    journey.sign_in(Role.CSE_COORDINATOR)
    page.goto(journey.base + "/people/storm:P3")
    page.get_by_role("link", name="Report this child missing").click()
    page.get_by_label("When was the child last seen?").fill(local(30))
    page.get_by_label("When was the child reported missing?").fill(local(29))
    _choose(page, "Missing from", "Home")
    page.get_by_label("Address the child went missing from").fill("4 Fell View, Keswick")
    page.get_by_label("Circumstances: what happened, who reported it").fill(
        "Did not come home from school"
    )
    journey.check("report-missing")
    page.get_by_role("button", name="Report missing").click()
    expect(page.get_by_text("Not yet")).to_be_visible()
    journey.check("episode")
    page.get_by_role("link", name="Record that the child has been found").click()
    page.get_by_label("When was the child found?").fill(local(3))
    page.get_by_label("Where was the child found?").fill("Bus station, Carlisle")
    page.get_by_role("button", name="Save found").click()
    expect(page.get_by_text("Return interview due by")).to_be_visible()
    page.get_by_role("link", name="Record the return interview").click()
    _choose(page, "Has the return interview been done?", "Yes")
    page.get_by_role("button", name="Save return interview").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    journey.check("return-interview-errors")
    page.get_by_label("When was it done?").fill(local(1))
    page.get_by_label("Who carried it out (name and organisation)?").fill("J Marsh, Barnardo's")
    page.get_by_label("The child's account: where they went, with whom, what happened").fill(
        "Went to Carlisle with an older girl"
    )
    page.get_by_label("The child's views and wishes, in their own words").fill(
        "Wants to stay at home"
    )
    page.get_by_role("button", name="Save return interview").click()
    expect(page.get_by_text("Went to Carlisle with an older girl")).to_be_visible()
    expect(page.get_by_text("Return interview due by")).to_have_count(0)
    journey.check("episode-after-interview")


def test_offender_manager_records_a_visit(journey: Journey) -> None:
    page = journey.page
    journey.sign_in(Role.OFFENDER_MANAGER)
    page.get_by_role("link", name="Visits and ARMS due").first.click()
    expect(page.get_by_role("link", name="Derek Lowe", exact=True)).to_be_visible()
    journey.check("offender-queue")
    page.get_by_role("link", name="Record a visit to Derek Lowe").click()
    journey.check("visit")
    page.get_by_label("When was the visit?").fill(local(1))
    _choose(page, "Kind of visit", "Home visit, unannounced")
    page.get_by_label("Offender manager who visited").fill("DC Hale")
    _choose(page, "Were children present, or any sign of contact with children?", "No")
    page.get_by_label("What was seen and discussed").fill("Compliant; no change of address")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("No visit or ARMS assessment is due")).to_be_visible()
    journey.check("offender-queue-after-visit")
