"""Each role's main journey in a real browser: every page passes axe-core with zero
violations, raises no console errors (so nothing breaks the content security policy), and is
saved as a screenshot in test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from safeguard.access.roles import Role
from tests.e2e.conftest import ARTIFACTS
from tests.web.scenario import PASSWORD, SPECIALIST_NOTE, Scenario, username

pytestmark = pytest.mark.e2e
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


class Journey:
    def __init__(self, page: Page, base: str, axe: str, name: str) -> None:
        self.page, self.base, self.axe, self.name = page, base, axe, name
        self.errors: list[str] = []
        self.checked: list[str] = []
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        # A form re-shown with its errors is answered 400, which chromium reports; not a fault.
        if message.type == "error" and "status of 400" not in message.text:
            self.errors.append(message.text)

    def check(self, label: str) -> None:
        """axe-core on the page as it stands, and a screenshot."""
        self.page.wait_for_load_state("networkidle")
        self.page.evaluate(self.axe)
        result: dict[str, Any] = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
            f"{[n['target'] for n in v['nodes']][:3]})"
            for v in result["violations"]
        ]
        assert violations == [], f"{label}: {violations}"
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"{self.name}-{label}.png", full_page=True)
        self.checked.append(label)
        assert self.errors == [], f"{label}: console errors {self.errors}"

    def sign_in(self, role: Role) -> None:
        self.page.goto(self.base + "/")
        expect(self.page).to_have_url(self.base + "/sign-in?next=%2F")
        self.check("sign-in")
        self.page.get_by_label("User name").fill(username(role))
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Safeguard")
        self.check("home")


@pytest.fixture
def journey(
    page: Page, live: tuple[str, Scenario], axe_source: str, request: pytest.FixtureRequest
) -> Journey:
    return Journey(page, live[0], axe_source, request.node.name.removeprefix("test_"))


def test_control_room_checks_an_address_before_officers_attend(
    journey: Journey, live: tuple[str, Scenario]
) -> None:
    page = journey.page
    journey.sign_in(Role.CONTROL_ROOM)
    page.get_by_role("link", name="Check an address").first.click()
    page.get_by_label("Address or postcode").fill("mill road")
    page.get_by_role("button", name="Search").click()
    journey.check("address-search")
    page.get_by_role("link", name="Beck House, 2 Mill Road, Penrith, CA11 7AA").click()
    expect(page.get_by_text("contact the CSE coordinator")).to_be_visible()
    journey.check("address")
    page.get_by_role("link", name="Callum Rowe").click()
    expect(page.get_by_role("heading", name="Warning markers")).to_be_visible()
    expect(page.get_by_text(SPECIALIST_NOTE)).to_have_count(0)
    journey.check("person-markers")


def test_response_officer_breaks_glass_with_a_reason(
    journey: Journey, live: tuple[str, Scenario]
) -> None:
    page = journey.page
    journey.sign_in(Role.RESPONSE)
    page.goto(journey.base + f"/people/{live[1].child}")
    page.get_by_role("link", name="Open the full record and record why").click()
    page.get_by_role("button", name="Open the full record").click()
    expect(
        page.get_by_role("link", name="Enter why you need to see the full record")
    ).to_be_visible()
    journey.check("break-glass-error")
    page.get_by_label("Why do you need to see the full record?").fill(
        "Attending a call at Beck House about this child"
    )
    page.get_by_role("button", name="Open the full record").click()
    expect(page.get_by_text(SPECIALIST_NOTE)).to_be_visible()
    journey.check("person-full")


def test_investigator_finds_a_child_by_a_misspelt_name(journey: Journey) -> None:
    page = journey.page
    journey.sign_in(Role.PPU_INVESTIGATOR)
    page.get_by_role("link", name="Find a person").first.click()
    journey.check("search")
    page.get_by_label("Name").fill("Calum Row")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 person found")).to_be_visible()
    journey.check("search-results")
    page.get_by_role("link", name="Callum Rowe / Calum Rowe").click()
    expect(page.get_by_text(SPECIALIST_NOTE)).to_be_visible()
    journey.check("person")


def test_supervisor_and_auditor_review_the_log(
    journey: Journey, live: tuple[str, Scenario]
) -> None:
    page = journey.page
    journey.sign_in(Role.PPU_SUPERVISOR)
    page.get_by_role("link", name="Open cases").first.click()
    # the case is listed whoever it is allocated to (the casework journey may reallocate it)
    expect(page.get_by_role("link", name="Review ppu:E1")).to_be_visible()
    journey.check("open-cases")
    page.get_by_role("link", name="Review ppu:E1").click()
    journey.check("review")
    page.get_by_label("Your review of the investigation so far").fill(
        "ABE interview done; suspect not yet arrested"
    )
    page.get_by_label("Direction: what must happen next, and by when").fill("Arrest within 7 days")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open child protection cases")
    page.get_by_role("link", name="Break-glass openings").first.click()
    journey.check("break-glass-list")
    page.get_by_role("button", name="Sign out").click()
    journey.sign_in(Role.AUDITOR)
    page.get_by_role("link", name="Who viewed").first.click()
    page.get_by_label("Record key").fill(live[1].child)
    page.get_by_role("button", name="Show").click()
    journey.check("who-viewed")


def test_administrator_lists_users(journey: Journey) -> None:
    journey.sign_in(Role.ADMINISTRATOR)
    journey.page.get_by_role("link", name="Users").first.click()
    journey.check("users")


def test_missing_coordinator_reviews_repeat_missing_children(journey: Journey) -> None:
    journey.sign_in(Role.CSE_COORDINATOR)
    journey.page.get_by_role("link", name="Repeat missing").first.click()
    expect(journey.page.get_by_text("2 overdue")).to_be_visible()
    journey.check("repeat-missing")


def test_response_officer_notifies_a_concern_about_two_children(journey: Journey) -> None:
    page = journey.page
    journey.sign_in(Role.RESPONSE)
    page.get_by_role("link", name="Notify a concern").first.click()
    journey.check("notification")
    page.get_by_label("When did it happen?").fill("2026-11-20T21:15")
    page.get_by_label("What happened, and why are you concerned?").fill("Children home alone")
    page.locator("#child1_given").fill("Ellie")
    page.get_by_role("button", name="Send notification").click()
    expect(page.get_by_role("link", name="Describe child 1's demeanour")).to_be_visible()
    journey.check("notification-errors")
    page.locator("#child1_demeanour").fill("Tearful, cold")
    page.locator("#child1_views").fill("Mum went out after tea")
    page.get_by_role("button", name="Send notification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ellie")
    journey.check("notified-child")


def test_investigator_cannot_close_without_the_childs_voice(
    journey: Journey, live: tuple[str, Scenario]
) -> None:
    page = journey.page
    journey.sign_in(Role.PPU_INVESTIGATOR)
    page.goto(journey.base + f"/cases/{live[1].case}/close")
    journey.check("close")
    page.get_by_label("Why can the case be closed?").fill("No further action")
    page.get_by_role("button", name="Close case").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    journey.check("close-errors")


def test_mash_triages_new_notifications(journey: Journey) -> None:
    journey.sign_in(Role.MASH)
    journey.page.get_by_role("link", name="New notifications").first.click()
    expect(journey.page.get_by_text("Found alone at night")).to_be_visible()
    journey.check("triage")


def test_mash_decides_a_pair_in_the_linkage_review(journey: Journey) -> None:
    journey.sign_in(Role.MASH)
    page = journey.page
    page.get_by_role("link", name="Linkage review").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Linkage review")
    journey.check("linkage-review")
    pair = page.locator("section", has=page.locator("#pair-storm-S1-ppu-S2"))
    pair.get_by_label("Different people").check()
    pair.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Enter the reason for your decision").first).to_be_visible()
    journey.check("linkage-review-errors")
    pair = page.locator("section", has=page.locator("#pair-storm-S1-ppu-S2"))
    pair.get_by_label("Reason").fill("Different schools and different years of birth")
    pair.get_by_role("button", name="Record the decision").click()
    expect(
        page.get_by_text("You decided that storm:S1 and ppu:S2 are different people")
    ).to_be_visible()
    journey.check("linkage-review-decided")


def test_ppu_supervisor_splits_a_wrong_link_from_the_person_page(journey: Journey) -> None:
    journey.sign_in(Role.PPU_SUPERVISOR)
    page = journey.page
    page.goto(journey.base + "/people/storm:Q1")
    page.get_by_role("link", name="How these records were linked").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How these records were linked")
    journey.check("person-linkage")
    link = page.locator("section", has=page.locator("#pair-storm-Q1-cad-Q3"))
    link.get_by_role("button", name="These are different people").click()
    expect(page.get_by_text("Enter the reason for your decision").first).to_be_visible()
    journey.check("person-linkage-errors")
    link = page.locator("section", has=page.locator("#pair-storm-Q1-cad-Q3"))
    link.get_by_label("Reason").fill("Different schools: the cousin, not the same boy")
    link.get_by_role("button", name="These are different people").click()
    expect(page.get_by_text("cad:Q3 is no longer one person with storm:Q1")).to_be_visible()
    journey.check("person-linkage-split")
