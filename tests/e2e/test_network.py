"""The CSE and missing coordinator opens a child's network: cytoscape.js draws it on a canvas,
the tables list the same people, axe-core finds nothing, and a person opens on a click."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from safeguard.access.roles import Role
from tests.e2e.test_journeys import Journey
from tests.web.scenario import Scenario

pytestmark = pytest.mark.e2e


@pytest.fixture
def journey(
    page: Page, live: tuple[str, Scenario], axe_source: str, request: pytest.FixtureRequest
) -> Journey:
    return Journey(page, live[0], axe_source, request.node.name.removeprefix("test_"))


def test_coordinator_opens_a_childs_network(journey: Journey, live: tuple[str, Scenario]) -> None:
    page = journey.page
    journey.sign_in(Role.CSE_COORDINATOR)
    page.get_by_role("link", name="Repeat missing").first.click()
    sorted_by = page.get_by_role("columnheader", name="Last 12 months")
    sorted_by.get_by_role("button").click()  # MoJ sortable table: headers become buttons
    expect(sorted_by).to_have_attribute("aria-sort", "ascending")
    page.get_by_role("link", name="Network of Callum Rowe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Network of Callum Rowe")
    picture = page.locator("#network-picture")
    expect(picture).to_have_attribute("data-state", "drawn")
    expect(picture).to_have_attribute("data-nodes", "4")
    expect(picture.locator("canvas").first).to_be_visible()
    box = picture.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    members = page.get_by_role("table", name="People, places and phones in the network")
    names = members.locator("tbody tr td:first-child").all_inner_texts()
    assert names == [
        "Callum Rowe (17)",
        "Gary Nixon (46)",
        "07700 900123",
        "Beck House, 2 Mill Road, Penrith",
    ]
    links = page.get_by_role("table", name="Links in the network")
    expect(links.get_by_text("co-present at CSE concern (victim and suspect)")).to_be_visible()
    journey.check("network")
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Fit to the picture").click()
    picture.scroll_into_view_if_needed()
    # a click on a person in the picture opens their record
    box = picture.bounding_box()
    assert box is not None
    x, y = (int(v) for v in (picture.get_attribute("data-subject-at") or "").split(","))
    page.mouse.click(box["x"] + x, box["y"] + y)  # on the child, wherever the layout put them
    expect(page).to_have_url(journey.base + "/people/ppu:C7")
    page.get_by_role("link", name="See the network of people, places and phones").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Network of Callum Rowe")
