"""Time handling: every stored time is zone-aware; a time with no zone is UK local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time or date; no zone means UK local time; a date means its start."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(0), tzinfo=UK)
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UK)
    return value


def parse_as_of(text: str) -> datetime:
    """An ``--as-of`` value: a time, or a date meaning the end of that day (UK time)."""
    if len(text) == 10:
        day = date.fromisoformat(text)
        return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=UK)
    return parse_time(text)


def to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def uk_date(value: datetime) -> date:
    """The calendar day in the UK on which a time falls."""
    return value.astimezone(UK).date()


def now_utc() -> datetime:
    return datetime.now(UTC)
