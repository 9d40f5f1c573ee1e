"""The commissioner's report and the area report: HTML with charts, and PDF (WeasyPrint)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session

from safeguard.quality.areas import AREAS, UNKNOWN
from safeguard.quality.audit import agreement
from safeguard.quality.charts import area_bars, trend_chart
from safeguard.quality.fig_alerts import AGE_BANDS, by_code_and_age
from safeguard.quality.registry import Result
from safeguard.quality.service import compute_figures, months_between
from safeguard.timeutil import now_utc

ReportKind = Literal["commissioner", "area"]

# The commissioner's report is about children: their needs, their views, their outcomes.
COMMISSIONER_FIGURES = (
    "voice_demeanour",
    "voice_views",
    "voice_outcome",
    "voice_informed",
    "referral_1wd",
    "strategy_3wd",
    "return_interview_72h",
    "missing_repeat",
    "missing_cse",
    "da_cumulative",
    "custody_charged",
    "custody_la_requested",
)
CHARTED = ("voice_views", "voice_outcome", "return_interview_72h", "strategy_3wd")


@dataclass(frozen=True)
class Row:
    code: str
    group: str
    title: str
    definition: str
    kind: str
    force: str
    areas: dict[str, str]
    units: int


def _fmt(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "share":
        return f"{value * 100:.0f}%"
    if kind == "mean":
        return f"{value:.1f}"
    return f"{value:.0f}"


def _row(result: Result, areas: tuple[str, ...]) -> Row:
    fig = result.figure
    return Row(
        fig.code,
        fig.group,
        fig.title,
        fig.definition,
        fig.kind,
        _fmt(result.value(), fig.kind),
        {a: _fmt(result.value(area=a), fig.kind) for a in areas},
        len(result.units),
    )


def build_context(*, session: Session, kind: ReportKind, start: date, end: date) -> dict[str, Any]:
    codes = COMMISSIONER_FIGURES if kind == "commissioner" else None
    results = compute_figures(session=session, start=start, end=end, codes=codes)
    months = months_between(start, end)
    # records with no known area (no place or allocated officer) get a column of their own
    unplaced = any(u.area == UNKNOWN for r in results for u in r.units)
    areas = (*AREAS, UNKNOWN) if unplaced else AREAS
    by_code = {r.figure.code: r for r in results}
    charts = []
    for code in CHARTED:
        result = by_code.get(code)
        if result is None:
            continue
        percent = result.figure.kind == "share"
        series = {a: [result.value(area=a, month=m) for m in months] for a in AREAS}
        charts.append(
            {
                "title": result.figure.title,
                "trend": trend_chart(
                    result.figure.title + " by month", months, series, percent=percent
                ),
                "areas": area_bars(
                    "By area", {a: result.value(area=a) for a in AREAS}, percent=percent
                ),
            }
        )
    return {
        "kind": kind,
        "title": (
            "Children's needs, views and outcomes: report to the police and crime commissioner"
            if kind == "commissioner"
            else "Area performance report"
        ),
        "start": start,
        "end": end,
        "generated": now_utc(),
        "rows": [_row(r, areas) for r in results],
        "areas": areas,
        "charts": charts,
        "agreement": agreement(session=session) if kind == "area" else None,
        "open_alerts": (
            by_code_and_age(by_code["open_alerts"].units)
            if kind == "area" and "open_alerts" in by_code
            else None
        ),
        "age_bands": [label for _, label in AGE_BANDS],
    }


def render_html(context: dict[str, Any]) -> str:
    env = Environment(
        loader=PackageLoader("safeguard.quality", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    html: str = env.get_template("report.html").render(**context)
    return html


def write_pdf(html: str, path: Path) -> None:
    from weasyprint import HTML

    HTML(string=html).write_pdf(str(path))
