"""Computing the figures for a date range."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

# Importing the figure modules registers their figures.
from safeguard.quality import (
    fig_alerts,
    fig_custody_rso,
    fig_missing_da,
    fig_timeliness,
    fig_voice,
)
from safeguard.quality.records import load_records
from safeguard.quality.registry import FIGURES, Period, Result
from safeguard.timeutil import UK

MODULES = (fig_timeliness, fig_voice, fig_missing_da, fig_custody_rso, fig_alerts)
LOOK_BACK = timedelta(days=366)


def period_of(start: date, end: date) -> Period:
    """From the start of ``start`` to the end of ``end`` (UK time)."""
    return Period(
        datetime.combine(start, time(0), tzinfo=UK),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=UK),
    )


def compute_figures(
    *, session: Session, start: date, end: date, codes: Iterable[str] | None = None
) -> list[Result]:
    """Every figure (or those named) for the period; earlier records are loaded for look-backs."""
    period = period_of(start, end)
    records = load_records(session=session, start=period.start - LOOK_BACK, end=period.end)
    order = [m.__name__ for m in MODULES]
    chosen = (
        [FIGURES[c] for c in codes]
        if codes
        else sorted(FIGURES.values(), key=lambda f: order.index(f.compute.__module__))
    )
    return [Result(fig, list(fig.compute(records, period))) for fig in chosen]


def months_between(start: date, end: date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
