"""Management information for the web: the date range of a request, figures as rows, a
figure's records as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from safeguard.access.roles import Role
from safeguard.errors import InvalidInputError
from safeguard.quality.registry import Result
from safeguard.timeutil import UK, now_utc

MI_ROLES = frozenset({Role.ANALYST, Role.SENIOR_LEADER, Role.PPU_SUPERVISOR})
DEFAULT_DAYS = 90


def date_range(start: str, end: str) -> tuple[date, date]:
    """``from`` and ``to`` as dates (ISO); by default the last 90 days up to today (UK)."""
    today = now_utc().astimezone(UK).date()
    try:
        last = date.fromisoformat(end) if end else today
        first = date.fromisoformat(start) if start else last - timedelta(days=DEFAULT_DAYS)
    except ValueError:
        raise InvalidInputError("enter dates as YYYY-MM-DD, for example 2026-04-01") from None
    if first > last:
        raise InvalidInputError("the start date must not be after the end date")
    return first, last


def units_csv(result: Result) -> str:
    """One row per counted unit, with the record keys it was computed from."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "area", "month", "met", "value", "record_keys"])
    for unit in result.units:
        writer.writerow(
            [result.figure.code, unit.area, unit.month, unit.met, unit.value, " ".join(unit.keys)]
        )
    return out.getvalue()


def record_keys(result: Result) -> list[str]:
    return sorted({key for unit in result.units for key in unit.keys})
