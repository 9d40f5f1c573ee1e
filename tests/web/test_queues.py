"""Work queues: supervisor's open cases, missing coordinator's repeat-missing children."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access.models import LogEntry
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.timeutil import now_utc
from safeguard.web.queues import open_cases
from safeguard.web.routes import queues as queue_routes
from tests import factories as f
from tests.web.conftest import Web


def test_supervisor_sees_open_cases_with_days_since_review(web: Web) -> None:
    html = web.sign_in(Role.PPU_SUPERVISOR).get("/queues/supervision").text
    assert "CSE concern (ppu:E1)" in html
    assert "DC Thwaite" in html and "Calum Rowe" in html
    assert "Never" in html
    assert ">54 <" in html or ">54" in html  # days since the allocation: no review yet
    assert "drifting" in html


def test_missing_coordinator_sees_repeat_missing_children(web: Web) -> None:
    html = web.sign_in(Role.CSE_COORDINATOR).get("/queues/missing").text
    assert "Callum Rowe" in html
    assert "2 overdue" in html  # found 84 and 9 days ago with no return interview


def test_queues_are_only_for_their_roles(web: Web) -> None:
    assert web.sign_in(Role.RESPONSE).get("/queues/supervision").status_code == 403
    assert web.sign_in(Role.PPU_SUPERVISOR).get("/queues/missing").status_code == 403


def test_open_cases_are_ranked_longest_unreviewed_first(session: Session) -> None:
    officer = f.officer("DC Birkett", id="OB")
    child = f.person("Ava", "Moss", "2012-01-01", id="AM")
    old = f.event(
        "sexual_offence", "2026-01-01T10:00:00", [(child, "victim")], id="OLD", allocated_to="hr:OB"
    )
    recent = f.event("physical_abuse", "2026-01-01T10:00:00", [(child, "victim")], id="NEW")
    closed = f.event(
        "cse_concern",
        "2026-01-01T10:00:00",
        [(child, "victim")],
        id="SHUT",
        allocated_to="hr:OB",
        closed_at="2026-02-01T10:00:00",
    )
    unallocated = f.event("child_concern", "2026-01-01T10:00:00", [(child, "subject")], id="UN")
    f.load(
        session,
        [
            officer,
            child,
            old,
            recent,
            closed,
            unallocated,
            f.action(
                "allocation", "2026-01-02T10:00:00", recent, id="AL", details={"officer": "hr:OB"}
            ),
            f.action("supervision_review", "2026-03-01T10:00:00", recent, id="SR"),
            f.action("supervision_review", "2026-02-01T10:00:00", old, id="SR0"),
        ],
    )
    as_of = datetime(2026, 3, 31, 10, tzinfo=UTC)
    cases, total = open_cases(session=session, as_of=as_of, limit=1)
    assert total == 2
    [first] = cases
    assert (first.event_key, first.days_since_review, first.officer) == (
        "storm:OLD",
        58,
        "DC Birkett",
    )
    assert first.drifting and first.children == [("storm:AM", "Ava Moss")]
    cases, _ = open_cases(session=session, as_of=as_of)
    assert [(c.event_key, c.days_since_review, c.drifting) for c in cases] == [
        ("storm:OLD", 58, True),
        ("storm:NEW", 30, True),
    ]


def test_mash_sees_notifications_waiting_for_triage(web: Web) -> None:
    html = web.sign_in(Role.MASH).get("/queues/triage").text
    assert "storm:E9: Found alone at night" in html and "Ellie Hart" in html
    assert "ppu:E1" not in html  # not a child concern


def test_open_cases_come_a_page_at_a_time_in_queue_order(session: Session) -> None:
    officer = f.officer("DC Birkett", id="OB")
    child = f.person("Ava", "Moss", "2012-01-01", id="AM")
    records = [officer, child]
    events = []
    for n in range(7):
        ev = f.event("sexual_offence", "2026-01-01T10:00:00", [(child, "victim")], id=f"C{n}")
        events.append(ev)
        allocated = f"2026-01-{10 + n}T10:00:00"
        records += [
            ev,
            f.action("allocation", allocated, ev, id=f"AL{n}", details={"officer": "hr:OB"}),
        ]
    # same clock as C3: the tie goes by key, so C3 then C3A
    tie = f.event("cse_concern", "2026-01-01T10:00:00", [(child, "victim")], id="C3A")
    records += [
        tie,
        f.action("allocation", "2026-01-13T10:00:00", tie, id="ALT", details={"officer": "hr:OB"}),
    ]
    # C0, allocated first, was reviewed lately: it goes last
    records.append(f.action("supervision_review", "2026-03-20T10:00:00", events[0], id="SR0"))
    f.load(session, records)
    as_of = datetime(2026, 3, 31, 10, tzinfo=UTC)
    pages = [open_cases(session=session, as_of=as_of, limit=3, offset=o) for o in (0, 3, 6, 9)]
    assert [[c.event_key for c in cases] for cases, _ in pages] == [
        ["storm:C1", "storm:C2", "storm:C3"],
        ["storm:C3A", "storm:C4", "storm:C5"],
        ["storm:C6", "storm:C0"],
        [],
    ]
    assert [total for _, total in pages] == [8, 8, 8, 8]
    first, last = pages[0][0][0], pages[2][0][-1]
    assert (first.days_since_review, first.last_review, first.officer) == (79, None, "DC Birkett")
    assert (last.days_since_review, last.drifting) == (11, False)
    assert last.last_review == datetime(2026, 3, 20, 10, tzinfo=UTC)
    everything, _ = open_cases(session=session, as_of=as_of)
    assert [c.event_key for c in everything] == [
        k for cases, _ in pages for k in (c.event_key for c in cases)
    ]


def test_supervisor_pages_through_the_queue(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_routes, "SHOWN", 1)
    client = web.sign_in(Role.PPU_SUPERVISOR)
    child = f.person("Ava", "Moss", "2012-01-01", id="AM")
    case = f.event("sexual_offence", "2026-01-01T10:00:00", [(child, "victim")], id="PG2")
    allocation = f.action("allocation", "2026-01-02T10:00:00", case, details={"officer": "hr:O1"})
    with unit_of_work(web.engine) as session:
        f.load(session, [child, case, allocation])
    with unit_of_work(web.engine) as session:
        cases, total = open_cases(session=session, as_of=now_utc())
    assert total == 2
    first = client.get("/queues/supervision").text
    second = client.get("/queues/supervision?page=2").text
    assert f"({cases[0].event_key})" in first and f"({cases[1].event_key})" not in first
    assert f"({cases[1].event_key})" in second and f"({cases[0].event_key})" not in second
    assert f"Showing cases 2 to 2 of {total}" in second
    assert 'href="?page=1"' in second and 'href="?page=3"' not in second
    assert client.get(f"/queues/supervision?page={total + 1}").status_code == 404
    assert client.get("/queues/supervision?page=two").status_code == 400
    with unit_of_work(web.engine) as session:
        logged = session.scalars(select(LogEntry).order_by(LogEntry.seq.desc()).limit(1)).one()
    assert (logged.purpose, logged.detail["page"]) == ("supervision queue", 2)
    assert logged.records == [cases[1].children[0][0]]
