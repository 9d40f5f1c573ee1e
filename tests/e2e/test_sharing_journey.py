"""The MASH shares a referral with children's social care; the partner signs in, sees only it,
and cannot open another child. Every page passes axe-core and is saved as a screenshot."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from safeguard.access.roles import Role
from tests.e2e.test_journeys import Journey, journey  # noqa: F401  (the fixture)
from tests.web.scenario import REFERRAL_CHILD, REFERRAL_NOTE, Scenario

pytestmark = pytest.mark.e2e


def test_mash_shares_a_referral_and_the_partner_sees_only_it(
    journey: Journey,  # noqa: F811
    live: tuple[str, Scenario],
) -> None:
    page = journey.page
    journey.sign_in(Role.MASH)
    page.get_by_role("link", name="Find a person").first.click()
    page.get_by_label("Name").fill(REFERRAL_CHILD)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=REFERRAL_CHILD, exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Share with a partner.*storm:E50$")).click()
    journey.check("share-form")
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_role("link", name="Choose what to share")).to_be_visible()
    journey.check("share-errors")
    page.get_by_label("Referral to CSC").check()
    page.get_by_label("Partner organisation").select_option("County children's social care")
    page.get_by_label("Children Act 2004 s11").check()
    page.get_by_label("Purpose of sharing").fill("Referral: child left alone overnight")
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared with partners")
    expect(page.get_by_text("Referral: child left alone overnight")).to_be_visible()
    journey.check("shares")
    page.get_by_role("button", name="Sign out").click()

    journey.sign_in(Role.PARTNER_CSC)
    page.get_by_role("link", name="Shared with you").first.click()
    expect(page.get_by_text(REFERRAL_CHILD)).to_be_visible()
    expect(page.get_by_text("Callum Rowe")).to_have_count(0)
    journey.check("shared-with-me")
    page.get_by_role("link", name="Child concern").click()
    expect(page.get_by_text(REFERRAL_NOTE)).to_be_visible()
    expect(page.get_by_text("9 April 2016")).to_be_visible()
    journey.check("shared-record")
    response = page.goto(journey.base + f"/people/{live[1].child}")
    assert response is not None and response.status == 403
    # chromium reports the refusal as a console error; that refusal is what is being tested
    journey.errors = [e for e in journey.errors if "status of 403" not in e]
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    journey.check("another-child-refused")
