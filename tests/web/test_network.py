"""The network page and its JSON: for specialist roles only, logged, no inline script."""

from __future__ import annotations

import re

from safeguard.access import processing_log
from safeguard.access.roles import FRONTLINE, SPECIALIST, Role
from safeguard.db import unit_of_work
from tests.web.conftest import Web
from tests.web.scenario import username
from tests.web.test_restricted import _restrict

CHILD = "ppu:C7"  # the first of the child's keys (storm:P1, ppu:C7) names the network


def _log(web: Web, key: str) -> list[processing_log.LogEntry]:
    with unit_of_work(web.engine) as session:
        return processing_log.who_viewed(session=session, keys=[key])


def test_the_coordinator_gets_the_childs_network_as_json_and_it_is_logged(web: Web) -> None:
    client = web.sign_in(Role.CSE_COORDINATOR)
    resp = client.get(f"/people/{web.scenario.child}/network.json")
    assert resp.status_code == 200
    net = resp.json()
    assert net["subject"] == CHILD and net["view"] == "full"
    nodes = [
        (n["id"], n["type"], n["kind"], n["label"], n["flags"], n["step"]) for n in net["nodes"]
    ]
    assert nodes == [
        (CHILD, "person", "child", "Callum Rowe", ["cse_risk", "looked_after_child"], 0),
        ("storm:P2", "person", "suspect", "Gary Nixon", [], 1),
        ("storm:T1", "phone", "phone", "07700 900123", [], 1),
        ("storm:L1", "place", "children_home", "Beck House, 2 Mill Road, Penrith", [], 1),
    ]
    edges = [(e["source"], e["label"], e["target"]) for e in net["edges"]]
    assert edges == [
        (CHILD, "co-present at CSE concern", "storm:P2"),
        (CHILD, "lives at", "storm:L1"),
        (CHILD, "uses", "storm:T1"),
        ("storm:P2", "associate of", CHILD),
    ]
    [entry] = _log(web, "storm:P2")
    assert entry.operation == "consult" and entry.actor == username(Role.CSE_COORDINATOR)
    assert entry.purpose == "network picture (data)"
    assert set(entry.records) == {"storm:P1", "ppu:C7", "storm:P2"}
    assert entry.detail == {
        "path": "/people/storm:P1/network.json",
        "method": "GET",
        "view": "full",
        "nodes": 4,
        "edges": 4,
    }


def test_the_network_page_lists_the_same_network_and_runs_no_inline_script(web: Web) -> None:
    client = web.sign_in(Role.CSE_COORDINATOR)
    resp = client.get(f"/people/{web.scenario.child}/network")
    assert resp.status_code == 200
    html = resp.text
    for shown in ("Network of Callum Rowe", "Gary Nixon", "Beck House", "07700 900123"):
        assert shown in html
    assert "co-present at CSE concern (victim and suspect)" in html
    assert 'data-src="/people/storm%3AP1/network.json"' in html
    assert '<script type="module" src="/static/app/network.mjs"></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert " style=" not in html, "inline style"
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    [entry] = _log(web, web.scenario.child)
    assert entry.purpose == "network picture" and entry.detail["path"].endswith("/network")


def test_only_specialist_roles_see_networks(web: Web) -> None:
    for role in Role:
        client = web.sign_in(role)
        for path in ("network", "network.json"):
            status = client.get(f"/people/{web.scenario.child}/{path}").status_code
            assert status == (200 if role in SPECIALIST else 403), (role, path)


def test_the_person_page_links_to_the_network_for_specialists_only(web: Web) -> None:
    link = f"/people/{web.scenario.child}/network"
    coordinator = web.sign_in(Role.CSE_COORDINATOR).get(f"/people/{web.scenario.child}").text
    assert link.replace(":", "%3A") in coordinator
    for role in FRONTLINE:
        page = web.sign_in(role).get(f"/people/{web.scenario.child}").text
        assert "/network" not in page, role


def test_a_restricted_child_stays_hidden_in_every_network(web: Web) -> None:
    _restrict(web, web.scenario.child, Role.PPU_INVESTIGATOR)
    named = web.sign_in(Role.PPU_INVESTIGATOR).get(f"/people/{web.scenario.child}/network")
    assert "Network of Callum Rowe" in named.text and "Gary Nixon" in named.text
    other = web.sign_in(Role.CSE_COORDINATOR)
    own = other.get(f"/people/{web.scenario.child}/network.json").json()
    assert own["view"] == "restricted" and own["edges"] == []
    assert [n["label"] for n in own["nodes"]] == ["Restricted record"]
    page = other.get(f"/people/{web.scenario.child}/network").text
    assert "Callum" not in page and "Gary Nixon" not in page and "break-glass" in page
    around_adult = other.get(f"/people/{web.scenario.adult}/network").text
    assert "Gary Nixon" in around_adult and "Restricted record" in around_adult
    assert "Callum" not in around_adult and "Calum" not in around_adult
