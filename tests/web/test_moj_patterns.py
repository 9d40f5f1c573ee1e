"""MoJ Frontend patterns, ported to Jinja: timeline, badges, sortable tables, the filter; their
assets served from node_modules."""

from __future__ import annotations

import re

from safeguard.access.roles import Role
from tests.web.conftest import Web


def test_the_person_view_has_a_timeline_and_badges(web: Web) -> None:
    html = web.sign_in(Role.PPU_INVESTIGATOR).get(f"/people/{web.scenario.child}").text
    assert '<div class="moj-timeline">' in html
    titles = re.findall(r'<h3 class="moj-timeline__title">([^<]+)</h3>', html)
    assert titles == [
        "Missing episode",
        "CSE concern",
        "Strategy discussion",
        "Allocation",
        "Missing episode",
        "Return interview",
        "Missing episode",
    ]
    assert re.search(
        r'<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d+ \w+ \d{4}, \d\d:\d\d</time>', html
    )
    assert '<strong class="moj-badge moj-badge--red">CSE risk</strong>' in html
    assert '<strong class="moj-badge moj-badge--grey">ppu</strong>' in html  # the source


def test_person_search_shows_the_terms_as_removable_filters(web: Web) -> None:
    client = web.sign_in(Role.PPU_INVESTIGATOR)
    html = client.get("/people?name=Calum+Row&phone=07700900123").text
    assert "1 person found" in html
    tags = re.findall(r'<a class="moj-filter__tag" href="([^"]+)">.*?</span> ([^<]+)</a>', html)
    assert tags == [
        ("/people?phone=07700900123", "Name: Calum Row"),
        ("/people?name=Calum+Row", "Phone number: 07700900123"),
    ]
    assert (
        '<a class="govuk-link govuk-link--no-visited-state" href="/people">Clear search</a>' in html
    )
    empty = client.get("/people").text
    assert 'id="selected-filters"' in empty and "moj-filter__tag" not in empty


def test_queues_are_sortable_tables(web: Web) -> None:
    pages = {
        Role.CSE_COORDINATOR: "/queues/missing",
        Role.PPU_SUPERVISOR: "/queues/supervision",
        Role.MASH: "/queues/triage",
    }
    for role, path in pages.items():
        html = web.sign_in(role).get(path).text
        assert '<table class="govuk-table" data-module="moj-sortable-table">' in html, path
        assert 'aria-sort="ascending"' in html or 'aria-sort="descending"' in html, path
    missing = web.sign_in(Role.CSE_COORDINATOR).get("/queues/missing").text
    assert f'href="/people/{web.scenario.child}/network"' in missing


def test_moj_and_cytoscape_assets_are_served_from_node_modules(web: Web) -> None:
    client = web.client()
    for path in (
        "/static/moj/moj-frontend.min.js",
        "/static/moj/moj-frontend.min.css",
        "/static/cytoscape/cytoscape.esm.min.mjs",
        "/assets/images/icon-tag-remove-cross.svg",  # MoJ's, behind GOV.UK's assets
        "/assets/images/favicon.ico",  # GOV.UK's
    ):
        assert client.get(path).status_code == 200, path
