"""The linkage review queue on the web: pairs side by side, decided by MASH and PPU supervisors,
decisions that hold in later runs, hard rules overridden only with an acknowledgement."""

from __future__ import annotations

from sqlalchemy import select

from safeguard.access import restrictions
from safeguard.access.models import LogEntry
from safeguard.access.processing_log import Actor
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.linkage import service
from safeguard.linkage.models import LinkDecision, LinkHistory
from tests.web.conftest import Web, csrf_of
from tests.web.formtools import unescaped
from tests.web.linkage_scenario import GREY, SEXES, YEARS, add_review_pairs
from tests.web.scenario import username


def _seeded(web: Web) -> Web:
    add_review_pairs(web.engine)
    return web


def _decide(web: Web, role: Role, pair: tuple[str, str], **fields: str) -> tuple[int, str, str]:
    client = web.sign_in(role)
    page = client.get("/linkage/review")
    assert page.status_code == 200
    data = {"csrf_token": csrf_of(page.text), "a": pair[0], "b": pair[1], **fields}
    resp = client.post("/linkage/review", data=data)
    location = resp.headers.get("location", "")
    if resp.status_code == 303:
        return resp.status_code, client.get(location).text, location
    return resp.status_code, resp.text, location


def _together(web: Web, pair: tuple[str, str]) -> bool:
    with unit_of_work(web.engine) as session:
        return any(set(pair) <= set(keys) for keys in service.clusters_as_keys(session=session))


def _relink(web: Web) -> None:
    with unit_of_work(web.engine) as session:
        service.run_link(session=session)


def _section(html: str, pair: tuple[str, str]) -> str:
    """The part of the queue page about one pair."""
    start = html.index(f'id="pair-{pair[0].replace(":", "-")}-{pair[1].replace(":", "-")}"')
    end = html.find("<section", start)
    return html[start : end if end > 0 else len(html)]


def test_the_queue_shows_each_pair_side_by_side_and_why_it_waits(web: Web) -> None:
    html = unescaped(_seeded(web).sign_in(Role.MASH).get("/linkage/review").text)
    grey, sexes, years = (_section(html, p) for p in (GREY, SEXES, YEARS))
    assert "Page 1 of 1: pairs 1 to 3 of 3" in html
    assert "Grey zone" in grey and "not alike enough to join them without a person" in grey
    assert "Match weight: <strong>" in grey
    assert "Warde" in grey and "3 March 1999 (age " in grey and "3 December 1999" in grey
    assert "7 Fell View, Keswick" in grey and "CA12 4AB" in grey and "07700 900456" in grey
    assert "<strong>Ward</strong>" in grey and "Differs" in grey  # marked in words, not colour
    assert "Given name</dt>" in grey and "the same" in grey  # what agreed, and how
    assert "the records give different sexes" in sexes and "Female" in sexes and "Male" in sexes
    assert "the dates of birth are more than 5 years apart" in years
    assert (
        "I have checked: the dates of birth are more than 5 years apart but this is one person"
        in years
    )
    assert "I have checked" not in grey  # the grey zone needs no acknowledgement
    assert 'name="csrf_token"' in grey


def test_the_queue_filters_by_why_pairs_wait(web: Web) -> None:
    client = _seeded(web).sign_in(Role.PPU_SUPERVISOR)
    html = unescaped(client.get("/linkage/review?why=grey").text)
    assert "storm:S1 and ppu:S2" in html and "storm:J1 and ppu:J2" not in html
    assert "Grey zone (1)" in html and "Sexes differ (1)" in html
    html = unescaped(client.get("/linkage/review?why=known+sexes+differ").text)
    assert "storm:J1 and ppu:J2" in html and "storm:S1 and ppu:S2" not in html


def test_same_person_joins_the_keys_and_holds_in_later_runs(web: Web) -> None:
    status, html, location = _decide(
        _seeded(web), Role.MASH, GREY, decision="same", reason="Same phone and school records"
    )
    assert (status, location) == (303, "/linkage/review")
    assert "You decided that storm:S1 and ppu:S2 are the same person" in unescaped(html)
    assert "1 join" in html
    assert 'id="pair-storm-S1-ppu-S2"' not in html  # no longer waiting
    assert _together(web, GREY)
    _relink(web)
    assert _together(web, GREY)
    with unit_of_work(web.engine) as session:
        confirm = session.scalars(select(LinkHistory).where(LinkHistory.action == "confirm")).one()
        assert (confirm.actor, confirm.reason) == (
            username(Role.MASH),
            "Same phone and school records",
        )


def test_different_people_stay_apart_in_later_runs(web: Web) -> None:
    status, html, _ = _decide(
        _seeded(web), Role.PPU_SUPERVISOR, GREY, decision="different", reason="Different schools"
    )
    assert status == 303
    assert "You decided that storm:S1 and ppu:S2 are different people" in unescaped(html)
    _relink(web)
    assert not _together(web, GREY)
    with unit_of_work(web.engine) as session:
        assert [i for i in service.review_queue(session=session) if (i.a, i.b) == GREY] == []


def test_a_decision_without_a_reason_is_refused_and_nothing_recorded(web: Web) -> None:
    status, html, _ = _decide(_seeded(web), Role.MASH, GREY, decision="same", reason="  ")
    assert status == 400
    assert "Enter the reason for your decision" in html
    assert 'href="#reason-storm-S1-ppu-S2"' in html
    with unit_of_work(web.engine) as session:
        assert session.scalars(select(LinkDecision)).all() == []
    assert not _together(web, GREY)


def test_a_pair_a_hard_rule_stopped_needs_the_acknowledgement(web: Web) -> None:
    status, html, _ = _decide(_seeded(web), Role.MASH, YEARS, decision="same", reason="Miskeyed")
    assert status == 400
    assert "Tick to say you have checked: the dates of birth are more than 5 years apart" in html
    assert not _together(web, YEARS)
    status, _, _ = _decide(web, Role.MASH, YEARS, decision="same", reason="Miskeyed", checked="yes")
    assert status == 303
    assert _together(web, YEARS)
    with unit_of_work(web.engine) as session:
        confirm = session.scalars(select(LinkHistory).where(LinkHistory.action == "confirm")).one()
        assert confirm.detail == {"overrides_hard_rule": "dates of birth more than 5 years apart"}


def test_only_mash_and_ppu_supervisors_may_review(web: Web) -> None:
    _seeded(web)
    for role in (Role.RESPONSE, Role.PPU_INVESTIGATOR, Role.AUDITOR):
        client = web.sign_in(role)
        assert client.get("/linkage/review").status_code == 403
        token = csrf_of(client.get("/sign-in").text)
        data = {"csrf_token": token, "a": GREY[0], "b": GREY[1], "decision": "same", "reason": "x"}
        assert client.post("/linkage/review", data=data).status_code == 403
    assert not _together(web, GREY)
    home = web.sign_in(Role.PPU_SUPERVISOR).get("/").text
    assert 'href="/linkage/review"' in home and "3 pairs of records waiting" in home
    assert 'href="/linkage/review"' not in web.sign_in(Role.RESPONSE).get("/").text


def test_every_view_is_in_the_processing_log(web: Web) -> None:
    _seeded(web).sign_in(Role.MASH).get("/linkage/review?why=grey")
    with unit_of_work(web.engine) as session:
        entry = session.scalars(
            select(LogEntry).where(LogEntry.purpose == "linkage review queue")
        ).one()
        assert (entry.actor, entry.operation) == (username(Role.MASH), "consult")
        assert sorted(entry.records) == sorted(GREY)


def test_a_restricted_person_is_not_shown_or_decided(web: Web) -> None:
    _seeded(web)
    with unit_of_work(web.engine) as session:
        restrictions.restrict(
            session=session,
            key="ppu:S2",
            allowed=[username(Role.PPU_SUPERVISOR)],
            reason="Victim is a member of staff",
            actor=Actor("admin", "administrator"),
        )
    html = unescaped(web.sign_in(Role.MASH).get("/linkage/review").text)
    grey = _section(html, GREY)
    assert "Restricted record" in grey and "cannot decide this pair" in grey
    assert "Warde" not in html and "Fell View" not in grey and "<form" not in grey
    status, _, _ = _decide(web, Role.MASH, GREY, decision="same", reason="Same person")
    assert status == 403
    named = unescaped(web.sign_in(Role.PPU_SUPERVISOR).get("/linkage/review").text)
    assert "Warde" in _section(named, GREY)
