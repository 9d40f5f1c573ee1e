"""Work queues: supervisor's open cases, missing coordinator's repeat-missing children."""

from __future__ import annotations

from safeguard.access.roles import Role
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
