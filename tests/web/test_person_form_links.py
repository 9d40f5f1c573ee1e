"""The person page links each role's forms: report missing and the episodes (coordinator),
record custody (custody officer), visits and ARMS for a registered offender (offender manager)."""

from __future__ import annotations

from safeguard.access.roles import Role
from tests.web.conftest import Web
from tests.web.forms_scenario import add_form_records


def _page(web: Web, role: Role, key: str) -> str:
    resp = web.sign_in(role).get(f"/people/{key}")
    assert resp.status_code == 200
    return resp.text.replace("%3A", ":")


def test_each_role_sees_the_forms_it_records(web: Web) -> None:
    keys = add_form_records(web.engine)
    child = web.scenario.child
    coordinator = _page(web, Role.CSE_COORDINATOR, child)
    assert f'href="/people/{child}/missing/new"' in coordinator
    assert 'href="/missing/storm:E4"' in coordinator  # the timeline links each episode
    custody = _page(web, Role.CUSTODY, keys.detained)
    assert f'href="/people/{keys.detained}/custody/new"' in custody
    assert f'href="/custody/{keys.custody}"' in custody
    manager = _page(web, Role.OFFENDER_MANAGER, keys.offender)
    assert f'href="/people/{keys.offender}/offender/visit"' in manager
    assert f'href="/people/{keys.offender}/offender/arms"' in manager
    assert "/offender/visit" not in _page(web, Role.OFFENDER_MANAGER, web.scenario.adult)
    investigator = _page(web, Role.PPU_INVESTIGATOR, child)
    assert "/missing/new" not in investigator and "/custody/new" not in investigator
