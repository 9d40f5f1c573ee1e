"""Time limits in UK local days and working days, and the policy file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from safeguard.errors import InvalidInputError
from safeguard.risk.clocks import (
    add_months,
    days_after,
    hours_after,
    is_working_day,
    working_days_after,
)
from safeguard.risk.policy import default_policy, load_policy
from safeguard.timeutil import parse_time


def test_bank_holidays_and_weekends() -> None:
    assert not is_working_day(date(2016, 5, 30))  # Spring bank holiday
    assert not is_working_day(date(2016, 12, 27))  # Christmas Day (substitute)
    assert not is_working_day(date(2016, 5, 28))  # Saturday
    assert is_working_day(date(2016, 5, 31))


def test_working_days_skip_bank_holiday() -> None:
    limit = working_days_after(parse_time("2016-05-27T16:00"), 1)
    assert limit.in_time(parse_time("2016-05-31T23:59:59"))
    assert not limit.in_time(parse_time("2016-06-01T00:00"))
    assert limit.shown == "end of 31 May 2016"


def test_working_days_from_a_weekend_day() -> None:
    limit = working_days_after(parse_time("2016-05-28T10:00"), 1)  # Saturday -> Tuesday
    assert limit.in_time(parse_time("2016-05-31T12:00"))


def test_days_are_uk_local_days() -> None:
    # 23:30 UTC on 10 July 2016 is 00:30 BST on 11 July: the UK day is the 11th
    limit = days_after(parse_time("2016-07-10T23:30:00+00:00"), 1)
    assert limit.in_time(parse_time("2016-07-12T23:59"))
    assert not limit.in_time(parse_time("2016-07-13T00:00"))


def test_hours_are_elapsed_time() -> None:
    limit = hours_after(parse_time("2016-03-26T12:00"), 24)  # clocks go forward overnight
    assert limit.in_time(parse_time("2016-03-27T13:00"))
    assert not limit.in_time(parse_time("2016-03-27T13:01"))


def test_add_months_clamps() -> None:
    assert add_months(parse_time("2016-08-31T10:00"), -6).date() == date(2016, 2, 29)


def test_judge() -> None:
    limit = hours_after(parse_time("2016-07-10T23:50"), 72)
    due = parse_time("2016-07-13T23:50")
    assert limit.judge(None, due) is None
    assert limit.judge(None, parse_time("2016-07-13T23:51")) == "open"
    assert limit.judge(due, parse_time("2016-08-01")) is None
    assert limit.judge(parse_time("2016-07-14T00:00"), parse_time("2016-08-01")) == "late"


def test_default_policy_has_the_spec_defaults_and_every_severity() -> None:
    from safeguard.risk.rules import RULES

    pol = default_policy()
    assert pol.missing.return_interview_hours == 72
    assert pol.protection.icpc_working_days == 15
    assert pol.domestic_abuse.dash_high_yes == 14
    assert set(pol.severity) == set(RULES) and len(RULES) == 30


def test_policy_file_overrides_and_validation(tmp_path: Path) -> None:
    good = tmp_path / "force.toml"
    good.write_text("[missing]\nrepeat_count = 5\n", encoding="utf-8")
    pol = load_policy(good)
    assert pol.missing.repeat_count == 5 and pol.missing.repeat_days == 90
    bad = tmp_path / "bad.toml"
    bad.write_text("[missing]\nrepeat_cuont = 5\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="repeat_cuont"):
        load_policy(bad)
    bad.write_text("[severity]\nMISSING_REPEAT = 'urgent'\n", encoding="utf-8")
    with pytest.raises(InvalidInputError):
        load_policy(bad)
    with pytest.raises(InvalidInputError, match="does not exist"):
        load_policy(tmp_path / "none.toml")
