"""Work queues: supervisor's open cases, missing coordinator's repeat-missing children."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from safeguard.access.roles import Role
from safeguard.web.queues import open_cases
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
