"""On SQLite the importer writes stored times and dates straight from their text: the values
must be what SQLAlchemy's bind processors write for the parsed value, at every UK clock change
and with explicit zones."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Date
from sqlalchemy.dialects import sqlite

from safeguard.db import UTCDateTime
from safeguard.ingest.rows import sqlite_date, sqlite_time
from safeguard.timeutil import check_time, parse_time, uk_date, uk_day

TIMES = [
    "2016-12-01T10:00",
    "2016-07-01T10:00:00",
    "2016-07-01 23:30:15.123456",
    "2024-03-31T00:59:59",  # the last second of GMT before the clocks go forward
    "2024-03-31T01:30",  # a time that does not exist in the UK (the hour skipped)
    "2024-03-31T02:00",
    "2024-10-27T00:30",
    "2024-10-27T01:30",  # a time the UK has twice: the first (BST) is meant
    "2024-10-27T02:00",
    "2016-06-30T23:30+00:00",  # the UK day is the next one
    "2016-06-30T23:30-05:00",
    "2016-01-01T00:00Z",
    "2016-02-29",
    "0999-01-01T00:00+00:00",
]


@pytest.mark.parametrize("text", TIMES)
def test_stored_time_is_what_sqlalchemy_binds(text: str) -> None:
    bind = UTCDateTime()._cached_bind_processor(sqlite.dialect())
    assert bind is not None
    assert sqlite_time(text) == bind(parse_time(text))


@pytest.mark.parametrize("text", TIMES)
def test_uk_day_of_the_text_is_that_of_the_parsed_time(text: str) -> None:
    assert uk_day(text) == uk_date(parse_time(text))


@pytest.mark.parametrize("text", ["2016-02-29", "0999-01-01", "2016-W01-1"])
def test_stored_date_is_what_sqlalchemy_binds(text: str) -> None:
    bind = Date()._cached_bind_processor(sqlite.dialect())
    assert bind is not None
    assert sqlite_date(text) == bind(date.fromisoformat(text))


@pytest.mark.parametrize("text", ["2016-02-30", "2016-13-01T10:00", "yesterday", "2016-01-01T25"])
def test_check_time_refuses_what_parse_time_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)
    with pytest.raises(ValueError):
        check_time(text)
