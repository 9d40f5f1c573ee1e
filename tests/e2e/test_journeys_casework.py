"""The PPU supervisor's case work in a real browser: allocation with the specialism warning, a
strategy discussion, a protective plan; and two people revising one plan at once. Every page
passes axe-core and is saved as a screenshot (test-artifacts/). The allocation journey
reallocates the scenario's case; the other journeys do not depend on who holds it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from safeguard.access.roles import Role
from safeguard.timeutil import UK, now_utc
from tests.e2e.test_journeys import Journey
from tests.web.scenario import Scenario

pytestmark = pytest.mark.e2e


class CaseJourney(Journey):
    def _console(self, message: ConsoleMessage) -> None:
        # A form shown again because someone else saved first is answered 409: not a fault.
        if "status of 409" not in message.text:
            super()._console(message)


@pytest.fixture
def journey(
    page: Page, live: tuple[str, Scenario], axe_source: str, request: pytest.FixtureRequest
) -> Journey:
    return CaseJourney(page, live[0], axe_source, request.node.name.removeprefix("test_"))


def _day(days: int) -> str:
    return (now_utc() + timedelta(days=days)).astimezone(UK).date().isoformat()


def _yesterday() -> str:
    return (now_utc() - timedelta(days=1)).astimezone(UK).strftime("%Y-%m-%dT%H:%M")


def test_supervisor_allocates_records_a_strategy_discussion_and_a_plan(
    journey: Journey, live: tuple[str, Scenario]
) -> None:
    page = journey.page
    journey.sign_in(Role.PPU_SUPERVISOR)
    page.get_by_role("link", name="Open cases").first.click()
    page.get_by_role("link", name="Cases waiting for allocation").click()
    expect(page.get_by_role("link", name="Allocate storm:E9")).to_be_visible()
    journey.check("allocation-queue")
    page.get_by_role("link", name="Open cases").first.click()
    page.get_by_role("link", name=f"Case file {live[1].case}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case file")
    journey.check("case-file")

    page.get_by_role("button", name="Reallocate").click()
    expect(page.get_by_text("This is a serious case")).to_be_visible()
    journey.check("allocate")
    page.get_by_label("PC Moss").check()
    page.get_by_role("button", name="Allocate").click()
    expect(
        page.get_by_role("link", name="Confirm that you want to allocate this case to PC Moss")
    ).to_be_visible()
    journey.check("allocate-confirm")
    page.get_by_label("I confirm this case should go to this officer").check()
    page.get_by_label("Why this officer should have the case").fill(
        "Only officer on duty this week; DS Kerr will mentor"
    )
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("PC Moss")).to_be_visible()

    page.get_by_role("button", name="Record a strategy discussion").click()
    journey.check("strategy")
    page.get_by_label("When was the discussion held?").fill(_yesterday())
    page.get_by_role("checkbox", name="Police").check()
    page.get_by_role("checkbox", name="Children's social care").check()
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.get_by_role("link", name="Enter why health did not take part")).to_be_visible()
    journey.check("strategy-errors")
    page.get_by_label("If children's social care, police or health did not take part").fill(
        "School nurse unavailable; GP records shared by email"
    )
    page.get_by_label("Attendee 1: name").fill("DS Kerr")
    page.get_by_label("Attendee 1: agency").select_option("police")
    page.get_by_label("Attendee 2: name").fill("Jo Bell")
    page.get_by_label("Attendee 2: agency").select_option("childrens_social_care")
    page.get_by_label("Decisions made").fill("Joint investigation; ABE interview")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_label("Action 1", exact=True).fill("ABE interview with intermediary")
    page.get_by_label("Action 1: owner").fill("DS Kerr")
    page.get_by_label("Action 1: due date").fill(_day(3))
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.get_by_text("Joint investigation; ABE interview")).to_be_visible()

    page.get_by_role("button", name="Add a protective plan").click()
    journey.check("plan")
    page.get_by_label("Measure 1", exact=True).fill("No contact with Gary Nixon")
    page.get_by_label("Measure 1: who is responsible").fill("Children's social care")
    page.get_by_label("When will the plan be reviewed?").fill(_day(28))
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("No contact with Gary Nixon (Children's social care)")).to_be_visible()
    journey.check("case-file-after")


def test_two_people_revising_one_plan_cannot_overwrite_each_other(
    journey: Journey, browser: Browser, live: tuple[str, Scenario]
) -> None:
    page = journey.page
    case = "/cases/storm:E9"
    journey.sign_in(Role.PPU_SUPERVISOR)
    page.goto(journey.base + case + "/protective-plan")
    page.get_by_label("Ellie Hart").check()
    page.get_by_label("Measure 1", exact=True).fill("Not left alone at night")
    page.get_by_label("Measure 1: who is responsible").fill("Mother")
    page.get_by_label("When will the plan be reviewed?").fill(_day(28))
    page.get_by_role("button", name="Save plan").click()
    page.get_by_role("link", name="Revise the plan").click()

    other_context = browser.new_context()
    other = CaseJourney(
        other_context.new_page(), journey.base, journey.axe, journey.name + "-other"
    )
    other.sign_in(Role.PPU_INVESTIGATOR)
    other.page.goto(journey.base + case)
    other.page.get_by_role("link", name="Revise the plan").click()

    page.get_by_label("Measure 1: who is responsible").fill("Mother and grandmother")
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("Not left alone at night (Mother and grandmother)")).to_be_visible()

    other.page.get_by_label("Measure 2", exact=True).fill("Health visitor weekly")
    other.page.get_by_label("Measure 2: who is responsible").fill("Health")
    other.page.get_by_role("button", name="Save plan").click()
    expect(other.page.get_by_text("Changed by someone else")).to_be_visible()
    expect(other.page.locator("#conflict")).to_contain_text("Mother and grandmother")
    expect(other.page.get_by_label("Measure 2", exact=True)).to_have_value("Health visitor weekly")
    other.check("plan-conflict")
    other.page.get_by_label("Measure 1: who is responsible").fill("Mother and grandmother")
    other.page.get_by_role("button", name="Save plan").click()
    expect(other.page.get_by_text("Health visitor weekly (Health)")).to_be_visible()
    expect(other.page.get_by_text("Mother and grandmother")).to_be_visible()
    other.check("plan-merged")
    other_context.close()
