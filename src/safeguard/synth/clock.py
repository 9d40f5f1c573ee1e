"""Time for the synthetic force: UTC inside, UK local text outside, working days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import holidays

from safeguard.synth.rates import UK


def text(moment: datetime) -> str:
    """UK local time to the minute; with its offset only where the local time is ambiguous."""
    local = moment.astimezone(UK)
    plain = local.replace(tzinfo=None)
    if plain.replace(tzinfo=UK) != moment:
        return local.strftime("%Y-%m-%dT%H:%M%z")[:-2] + ":" + local.strftime("%z")[-2:]
    return plain.strftime("%Y-%m-%dT%H:%M")


def day_text(day: date) -> str:
    return day.isoformat()


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A UK wall-clock time on a day, as UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=UK).astimezone(UTC)


def uk_day(moment: datetime) -> date:
    return moment.astimezone(UK).date()


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_day_after(moment: datetime, n: int) -> date:
    """The Nth working day after the day of ``moment`` (alerts.md, "Time limits")."""
    day = uk_day(moment)
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def on_working_day(moment: datetime, n: int, hour: int, minute: int = 0) -> datetime:
    """A time at ``hour`` on the Nth working day after the day of ``moment``."""
    return local(working_day_after(moment, n), hour, minute)


def on_day(moment: datetime, n: int, hour: int, minute: int = 0) -> datetime:
    """A time at ``hour`` on the Nth calendar day after the day of ``moment``."""
    return local(uk_day(moment) + timedelta(days=n), hour, minute)
