"""A person's "How these records were linked": each link in plain words, the records side by
side, and "These are different people" for MASH and PPU supervisors, which holds in later runs."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from safeguard.access import restrictions
from safeguard.access.models import LogEntry
from safeguard.access.processing_log import Actor
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.linkage import service
from safeguard.linkage.models import LinkHistory
from tests.web.conftest import Web, csrf_of
from tests.web.formtools import unescaped
from tests.web.linkage_scenario import EXACT, GREY, MODEL, add_linked_people, add_review_pairs
from tests.web.scenario import username

PAGE = "/people/storm:Q1/linkage"
CLUSTER = {"storm:Q1", "ppu:Q2", "cad:Q3"}


def _seeded(web: Web) -> Web:
    add_linked_people(web.engine)
    add_review_pairs(web.engine)
    return web


def _section(html: str, pair: tuple[str, str]) -> str:
    start = html.index(f'id="pair-{pair[0].replace(":", "-")}-{pair[1].replace(":", "-")}"')
    end = html.find("</section>", start)
    return html[start:end]


def _cluster_of(web: Web, key: str) -> set[str]:
    with unit_of_work(web.engine) as session:
        return next(set(ks) for ks in service.clusters_as_keys(session=session) if key in ks)


def _split(client: TestClient, page: str, pair: tuple[str, str], reason: str) -> tuple[int, str]:
    token = csrf_of(client.get(page).text)
    data = {"csrf_token": token, "a": pair[0], "b": pair[1], "reason": reason}
    resp = client.post(page, data=data)
    if resp.status_code == 303:
        return 303, resp.headers["location"]
    return resp.status_code, resp.text


def _restrict(web: Web, key: str, role: Role) -> None:
    with unit_of_work(web.engine) as session:
        restrictions.restrict(
            session=session,
            key=key,
            allowed=[username(role)],
            reason="Victim is a member of staff",
            actor=Actor("admin", "administrator"),
        )


def test_the_page_explains_an_exact_link_and_a_model_link(web: Web) -> None:
    html = unescaped(_seeded(web).sign_in(Role.MASH).get(PAGE).text)
    assert "How these records were linked" in html
    assert "Alexander Quayle" in html and "Alex Quayle" in html and "4 Tarn Close" in html
    assert "5 May 2008 (age " in html and "15 May 2008" in html and "Male" in html
    exact, model = _section(html, EXACT), _section(html, MODEL)
    assert "Same full name and date of birth" in exact
    assert "Match weight " in model and "given name a nickname" in model
    assert "date of birth day one digit off" in model and "phone shared" in model
    assert "<strong>Alex</strong>" in model and "Differs" in model  # side by side
    assert "These are different people" in exact and 'name="csrf_token"' in exact
    floor = unescaped(web.sign_in(Role.MASH).get(f"/people/{web.scenario.child}/linkage").text)
    assert "The linkage floor: same date of birth, names alike (given name a nickname" in floor


def test_pairs_that_wait_link_to_the_review_queue(web: Web) -> None:
    html = unescaped(_seeded(web).sign_in(Role.PPU_SUPERVISOR).get("/people/storm:S1/linkage").text)
    assert "How this record was linked" in html and "Records that were not joined" in html
    assert "Grey zone" in html and 'href="/linkage/review?why=grey"' in html
    assert "These are different people" not in html  # nothing joins storm:S1 to ppu:S2
    investigator = web.sign_in(Role.PPU_INVESTIGATOR).get("/people/storm:S1/linkage").text
    assert "Grey zone" in investigator and "/linkage/review" not in investigator


def test_the_person_page_links_to_it_for_the_roles_allowed(web: Web) -> None:
    _seeded(web)
    for role in (Role.MASH, Role.PPU_INVESTIGATOR, Role.CSE_COORDINATOR):
        assert "/linkage" in web.sign_in(role).get("/people/storm:Q1").text
    for role in (Role.RESPONSE, Role.CONTROL_ROOM):
        client = web.sign_in(role)
        assert "How these records were linked" not in client.get("/people/storm:Q1").text
        assert client.get(PAGE).status_code == 403
    for role in (Role.PARTNER_CSC, Role.ANALYST, Role.AUDITOR):
        assert web.sign_in(role).get(PAGE).status_code == 403


def test_only_mash_and_ppu_supervisors_may_split(web: Web) -> None:
    client = _seeded(web).sign_in(Role.PPU_INVESTIGATOR)
    html = client.get(PAGE).text
    assert "Same full name and date of birth" in html and "These are different people" not in html
    data = {"csrf_token": csrf_of(html), "a": EXACT[0], "b": EXACT[1], "reason": "Not him"}
    assert client.post(PAGE, data=data).status_code == 403
    assert _cluster_of(web, "storm:Q1") == CLUSTER


def test_a_restricted_person_is_not_explained_to_someone_not_named(web: Web) -> None:
    _seeded(web)
    _restrict(web, "storm:Q1", Role.PPU_SUPERVISOR)
    other = web.sign_in(Role.MASH)
    resp = other.get("/people/cad:Q3/linkage")
    assert resp.status_code == 403 and "Quayle" not in resp.text and "Tarn" not in resp.text
    assert "How these records were linked" not in other.get("/people/storm:Q1").text
    named = web.sign_in(Role.PPU_SUPERVISOR).get(PAGE)
    assert named.status_code == 200 and "Alex Quayle" in named.text


def test_a_restricted_record_in_a_waiting_pair_is_not_shown(web: Web) -> None:
    _seeded(web)
    _restrict(web, GREY[1], Role.PPU_SUPERVISOR)
    html = unescaped(web.sign_in(Role.MASH).get("/people/storm:S1/linkage").text)
    assert "Restricted record" in html and "Warde" not in html and "Lake Road" not in html
    assert "Sam Ward" in html


def test_a_split_needs_a_reason(web: Web) -> None:
    client = _seeded(web).sign_in(Role.MASH)
    status, html = _split(client, PAGE, MODEL, "  ")
    assert status == 400
    assert "Enter the reason for your decision" in html and 'href="#reason-storm-Q1-cad-Q3"' in html
    assert _cluster_of(web, "storm:Q1") == CLUSTER


def test_the_split_holds_in_later_runs_and_is_recorded(web: Web) -> None:
    client = _seeded(web).sign_in(Role.PPU_SUPERVISOR)
    reason = "Different schools: Alex is the cousin"
    status, location = _split(client, PAGE, MODEL, reason)
    assert (status, location) == (303, PAGE)
    html = unescaped(client.get(location).text)
    assert "You decided that storm:Q1 and cad:Q3 are different people" in html
    assert "1 split" in html and "cad:Q3 is no longer one person with storm:Q1" in html
    assert _cluster_of(web, "storm:Q1") == {"storm:Q1", "ppu:Q2"}
    with unit_of_work(web.engine) as session:
        service.run_link(session=session)
    assert _cluster_of(web, "cad:Q3") == {"cad:Q3"}
    again = unescaped(client.get("/people/cad:Q3/linkage").text)
    assert f"{username(Role.PPU_SUPERVISOR)} decided these are different people on" in again
    assert reason in again
    with unit_of_work(web.engine) as session:
        reject = session.scalars(select(LinkHistory).where(LinkHistory.action == "reject")).one()
        assert (reject.actor, reject.reason, reject.keys) == (
            username(Role.PPU_SUPERVISOR),
            reason,
            sorted(MODEL),
        )
        combined = session.scalars(
            select(LogEntry).where(LogEntry.purpose == "linkage: reject")
        ).one()
        assert combined.operation == "combine" and combined.justification == reason


def test_a_split_taking_the_key_out_comes_back_to_its_page(web: Web) -> None:
    client = _seeded(web).sign_in(Role.MASH)
    status, location = _split(client, "/people/ppu:Q2/linkage", EXACT, "Different person")
    assert (status, location) == (303, "/people/ppu:Q2/linkage")
    html = unescaped(client.get(location).text)
    assert "storm:Q1 is no longer one person with ppu:Q2" in html
    assert "Linkage has not joined ppu:Q2 to any other record" in html
    assert _cluster_of(web, "storm:Q1") == {"storm:Q1", "cad:Q3"}


def test_a_pair_no_longer_linked_is_refused(web: Web) -> None:
    client = _seeded(web).sign_in(Role.MASH)
    status, html = _split(client, PAGE, GREY, "Not the same")
    assert status == 409 and "These records are not linked now" in html


def test_every_view_is_in_the_processing_log(web: Web) -> None:
    _seeded(web).sign_in(Role.CSE_COORDINATOR).get(PAGE)
    with unit_of_work(web.engine) as session:
        entry = session.scalars(
            select(LogEntry).where(LogEntry.purpose == "how a person's records were linked")
        ).one()
        assert (entry.actor, entry.operation) == (username(Role.CSE_COORDINATOR), "consult")
        assert set(entry.records) >= CLUSTER
