"""Management information: every figure by area for a date range, a figure's records as CSV
(a disclosure), and the commissioner's and area reports as HTML and PDF."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from safeguard.access import processing_log
from safeguard.access.processing_log import Actor, Operation
from safeguard.access.service import Principal
from safeguard.errors import InvalidInputError, NotFoundError
from safeguard.quality.areas import AREAS
from safeguard.quality.registry import FIGURES
from safeguard.quality.report import ReportKind, build_context, render_html, write_pdf
from safeguard.quality.service import compute_figures
from safeguard.web.deps import DbSession
from safeguard.web.figures import MI_ROLES, date_range, record_keys, units_csv
from safeguard.web.headers import REPORT_CSP
from safeguard.web.policy import allow
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)  # pages: the OpenAPI describes the JSON API

FIGURES_PAGE = allow("management information", MI_ROLES)
EXPORT = allow("export a figure's records", MI_ROLES, personal_data=True)
REPORTS = allow("reports", MI_ROLES)
From = Annotated[str, Query(alias="from")]
To = Annotated[str, Query(alias="to")]


@router.get("/figures", response_class=HTMLResponse)
def figures_page(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(FIGURES_PAGE)],
    start: From = "",
    end: To = "",
) -> HTMLResponse:
    try:
        first, last = date_range(start, end)
    except InvalidInputError as exc:
        errors = [{"text": str(exc), "href": "#from"}]
        context = {"errors": errors, "start": start, "end": end, "results": []}
        return render(request, "figures.html", context, status=400)
    results = compute_figures(session=session, start=first, end=last)
    shown = {"start": first.isoformat(), "end": last.isoformat(), "areas": AREAS}
    return render(request, "figures.html", shown | {"errors": [], "results": results})


@router.get("/figures/{code}/export")
def export_figure(
    request: Request,
    code: str,
    session: DbSession,
    who: Annotated[Principal, Depends(EXPORT)],
    start: From = "",
    end: To = "",
) -> Response:
    if code not in FIGURES:
        raise NotFoundError(f"no figure {code!r}")
    first, last = date_range(start, end)
    result = compute_figures(session=session, start=first, end=last, codes=[code])[0]
    processing_log.append(
        session=session,
        operation=Operation.DISCLOSE,
        actor=Actor(who.username, who.role.value),
        records=record_keys(result),
        purpose=f"figure export: {code}",
        justification="management information: the records behind a published figure",
        recipients=[who.username],
        detail={"path": request.url.path, "from": first.isoformat(), "to": last.isoformat()},
    )
    name = f"{code}_{first}_{last}.csv"
    return Response(
        units_csv(result),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _report_html(session: DbSession, kind: ReportKind, start: str, end: str) -> str:
    first, last = date_range(start, end)
    return render_html(build_context(session=session, kind=kind, start=first, end=last))


def _html_route(kind: ReportKind) -> Callable[..., Response]:
    def report(
        session: DbSession,
        who: Annotated[Principal, Depends(REPORTS)],
        start: From = "",
        end: To = "",
    ) -> Response:
        # The report document carries its own inline styles and SVG charts (so the PDF needs
        # nothing else); this one response relaxes style-src for them, and allows no script.
        html = _report_html(session, kind, start, end)
        return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})

    return report


def _pdf_route(kind: ReportKind) -> Callable[..., Response]:
    def report_pdf(
        session: DbSession,
        who: Annotated[Principal, Depends(REPORTS)],
        start: From = "",
        end: To = "",
    ) -> Response:
        html = _report_html(session, kind, start, end)
        with tempfile.TemporaryDirectory(prefix="safeguard-report-") as tmp:
            path = Path(tmp) / "report.pdf"
            write_pdf(html, path)
            content = path.read_bytes()
        return Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{kind}-report.pdf"'},
        )

    return report_pdf


KINDS: tuple[ReportKind, ...] = ("commissioner", "area")
for _kind in KINDS:
    router.add_api_route(
        f"/reports/{_kind}", _html_route(_kind), methods=["GET"], response_class=HTMLResponse
    )
    router.add_api_route(f"/reports/{_kind}.pdf", _pdf_route(_kind), methods=["GET"])
