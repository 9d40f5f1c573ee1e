"""Time handling: every stored time is zone-aware; a time with no zone is UK local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
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


def _as_written(text: str) -> datetime:
    """The time as written: naive when the text gives no zone (``parse_time`` without UK)."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(0))
    return datetime.fromisoformat(text)


def check_time(text: str) -> None:
    """Raise ValueError where ``parse_time`` would, without building the zoned time."""
    _as_written(text)


def utc_wall_time(text: str) -> datetime:
    """``parse_time(text)`` in UTC, without its zone: the time as SQLite stores it.

    A time with no zone is moved by the UK offset at that wall time, which is what
    attaching the UK zone and converting to UTC does, for a fraction of the cost."""
    value = _as_written(text)
    if value.tzinfo is None:
        return value - (UK.utcoffset(value) or timedelta(0))
    return value.astimezone(UTC).replace(tzinfo=None)


def uk_day(text: str) -> date:
    """``uk_date(parse_time(text))``: a time with no zone is already UK local time."""
    value = _as_written(text)
    return value.date() if value.tzinfo is None else value.astimezone(UK).date()


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
