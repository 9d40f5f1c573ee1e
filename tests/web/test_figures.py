"""Management information pages: every figure with its definition, a figure's records as CSV
(logged as a disclosure), and the reports as HTML (under their own CSP) and PDF."""

from __future__ import annotations

import csv
import html
import io

from sqlalchemy import select

from safeguard.access.models import LogEntry
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.quality.registry import FIGURES
from safeguard.web.headers import CSP
from tests.web.conftest import Web
from tests.web.scenario import username

CODE = "return_interview_72h"


def test_every_figure_is_shown_with_its_definition(web: Web) -> None:
    client = web.sign_in(Role.ANALYST)
    resp = client.get("/figures")
    assert resp.status_code == 200
    assert resp.headers["Content-Security-Policy"] == CSP
    page = html.unescape(resp.text)
    for fig in FIGURES.values():
        assert fig.title in page, fig.code
        assert fig.definition in page, fig.code
        assert f"/figures/{fig.code}/export?" in page
    # The scenario's child went missing with an overdue return interview: counted for the force.
    section = page.split(f'id="figure-{CODE}"')[1].split("</section>")[0]
    counted = section.split("</td>")[-2].rsplit(">", 1)[-1]
    assert int(counted) >= 1


def test_bad_dates_are_refused_with_a_message(web: Web) -> None:
    client = web.sign_in(Role.SENIOR_LEADER)
    resp = client.get("/figures?from=2026-05-01&to=2026-04-01")
    assert resp.status_code == 400
    assert "the start date must not be after the end date" in resp.text


def test_an_export_is_the_figure_records_logged_as_a_disclosure(web: Web) -> None:
    client = web.sign_in(Role.ANALYST)
    resp = client.get(f"/figures/{CODE}/export")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/csv")
    assert "attachment" in resp.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert rows and {r["figure"] for r in rows} == {CODE}
    keys = {k for r in rows for k in r["record_keys"].split()}
    assert web.scenario.child in keys or web.scenario.child_other_key in keys
    with unit_of_work(web.engine) as session:
        entry = session.scalars(select(LogEntry).order_by(LogEntry.seq.desc()).limit(1)).one()
        assert (entry.operation, entry.purpose) == ("disclose", f"figure export: {CODE}")
        assert set(entry.records) == keys
        assert entry.recipients == [username(Role.ANALYST)]


def test_a_report_is_its_own_document_with_charts_and_no_script(web: Web) -> None:
    client = web.sign_in(Role.PPU_SUPERVISOR)
    resp = client.get("/reports/commissioner?from=2026-01-01&to=2026-12-31")
    assert resp.status_code == 200
    csp = resp.headers["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp
    assert "script-src 'none'" in csp
    assert "<script" not in resp.text.lower()
    assert "<svg" in resp.text
    assert "commissioner" in resp.text.lower()
    # The relaxation is for the report only.
    assert client.get("/figures").headers["Content-Security-Policy"] == CSP


def test_the_area_report_downloads_as_pdf(web: Web) -> None:
    client = web.sign_in(Role.SENIOR_LEADER)
    resp = client.get("/reports/area.pdf")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    assert "area-report.pdf" in resp.headers["content-disposition"]


def test_people_readers_do_not_see_management_information(web: Web) -> None:
    client = web.sign_in(Role.RESPONSE)
    assert client.get("/figures").status_code == 403
    assert client.get("/reports/area").status_code == 403
