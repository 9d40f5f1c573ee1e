"""Time limits (spec/alerts.md "Time limits"), in UK local dates.

"Within N hours of X": X + N elapsed hours. "Within N days of X": by the end of the Nth day
after the day of X. "Within N working days of X": by the end of the Nth working day after the
day of X, skipping weekends and England and Wales bank holidays. Each function returns the
first instant that is too late, so an action is in time when ``at < deadline``... except hours,
where the deadline instant itself is still in time; ``Limit.in_time`` hides the difference.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal

import holidays

from safeguard.timeutil import UK, uk_date

Status = Literal["open", "late"]


@lru_cache(maxsize=8)
def _bank_holidays(country: str, subdiv: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdiv, years=range(1990, 2061))


@lru_cache(maxsize=65536)
def is_working_day(day: date, *, country: str = "GB", subdiv: str = "ENG") -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(country, subdiv)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UK)


@dataclass(frozen=True)
class Limit:
    """A time limit: an action at or before ``last_ok`` is in time (``exclusive`` = strictly)."""

    due: datetime
    exclusive: bool

    def in_time(self, at: datetime) -> bool:
        return at < self.due if self.exclusive else at <= self.due

    def passed(self, as_of: datetime) -> bool:
        return not self.in_time(as_of)

    def judge(self, done_at: datetime | None, as_of: datetime) -> Status | None:
        """None when satisfied or not yet due; ``late`` when done after the limit; else ``open``."""
        if done_at is not None:
            return None if self.in_time(done_at) else "late"
        return "open" if self.passed(as_of) else None

    @property
    def shown(self) -> str:
        local = self.due.astimezone(UK)
        if self.exclusive:
            local = local - timedelta(microseconds=1)
            return local.strftime("end of %d %B %Y").replace(" 0", " ")
        return local.strftime("%d %B %Y %H:%M").lstrip("0")


def hours_after(start: datetime, hours: int) -> Limit:
    return Limit(start.astimezone(UTC) + timedelta(hours=hours), exclusive=False)


def days_after(start: datetime, days: int) -> Limit:
    return Limit(_start_of(uk_date(start) + timedelta(days=days + 1)), exclusive=True)


def working_days_after(
    start: datetime, days: int, *, country: str = "GB", subdiv: str = "ENG"
) -> Limit:
    return _working_days_after(uk_date(start), days, country, subdiv)


@lru_cache(maxsize=65536)
def _working_days_after(day: date, days: int, country: str, subdiv: str) -> Limit:
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, country=country, subdiv=subdiv):
            counted += 1
    return Limit(_start_of(day + timedelta(days=1)), exclusive=True)


def add_months(value: datetime, months: int) -> datetime:
    """The same wall-clock time ``months`` later (or earlier), clamped to the month's end."""
    local = value.astimezone(UK)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def months_after(start: datetime, months: int) -> Limit:
    return Limit(add_months(start, months), exclusive=False)


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
