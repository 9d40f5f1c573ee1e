"""Kept alerts on the person view, and acknowledging one with a reason."""

from __future__ import annotations

from sqlalchemy import select

from safeguard.access.models import LogEntry
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.risk.models import AlertRecord
from tests.web.conftest import Web, child_alert_id, csrf_of
from tests.web.scenario import username

REASON = "Return interview booked with the care home for Friday"


def _ack_path(web: Web, alert_id: int) -> str:
    return f"/people/{web.scenario.child}/alerts/{alert_id}/acknowledge"


def test_a_specialist_acknowledges_a_kept_alert_with_a_reason(web: Web) -> None:
    alert_id = child_alert_id(web)
    client = web.sign_in(Role.PPU_INVESTIGATOR)
    page = client.get(f"/people/{web.scenario.child}").text
    assert 'id="kept-alerts"' in page
    assert f'action="{_ack_path(web, alert_id)}"'.replace(":", "%3A") in page
    resp = client.post(
        _ack_path(web, alert_id), data={"csrf_token": csrf_of(page), "reason": REASON}
    )
    assert resp.status_code == 303
    with unit_of_work(web.engine) as session:
        alert = session.get(AlertRecord, alert_id)
        assert alert is not None
        assert (alert.status, alert.acknowledged_reason) == ("acknowledged", REASON)
        assert alert.acknowledged_by == username(Role.PPU_INVESTIGATOR)
        entry = session.scalars(select(LogEntry).order_by(LogEntry.seq.desc()).limit(1)).one()
        assert (entry.operation, entry.purpose, entry.justification) == (
            "alter",
            "alert acknowledged",
            REASON,
        )
        assert web.scenario.child in entry.records
    assert REASON in client.get(f"/people/{web.scenario.child}").text


def test_a_short_reason_or_a_missing_token_changes_nothing(web: Web) -> None:
    alert_id = child_alert_id(web)
    client = web.sign_in(Role.MASH)
    token = csrf_of(client.get(f"/people/{web.scenario.child}").text)
    short = client.post(_ack_path(web, alert_id), data={"csrf_token": token, "reason": "done"})
    assert short.status_code == 400
    assert "Enter why this alert needs no further action now" in short.text
    forged = client.post(_ack_path(web, alert_id), data={"reason": REASON})
    assert forged.status_code in (400, 403)
    with unit_of_work(web.engine) as session:
        alert = session.get(AlertRecord, alert_id)
        assert alert is not None and alert.status != "acknowledged"


def test_frontline_sees_kept_alerts_but_cannot_acknowledge(web: Web) -> None:
    alert_id = child_alert_id(web)
    client = web.sign_in(Role.RESPONSE)
    page = client.get(f"/people/{web.scenario.child}").text
    assert 'id="kept-alerts"' in page
    assert "/acknowledge" not in page
    resp = client.post(
        _ack_path(web, alert_id), data={"csrf_token": csrf_of(page), "reason": REASON}
    )
    assert resp.status_code == 403


def test_an_alert_about_someone_else_is_not_found_here(web: Web) -> None:
    child_alert_id(web)
    with unit_of_work(web.engine) as session:
        alerts = session.scalars(select(AlertRecord)).all()
        others = [a.id for a in alerts if web.scenario.child not in a.subjects]
    assert others
    client = web.sign_in(Role.PPU_SUPERVISOR)
    token = csrf_of(client.get(f"/people/{web.scenario.child}").text)
    resp = client.post(_ack_path(web, others[0]), data={"csrf_token": token, "reason": REASON})
    assert resp.status_code == 404
