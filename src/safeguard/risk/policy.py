"""The force's policy settings for the rules: a validated TOML file, defaults in policy.toml."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError

from safeguard.errors import InvalidInputError

Severity = Literal["critical", "high", "medium", "low"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class General(_Section):
    lookback_months: PositiveInt = 12
    child_age: PositiveInt = 18
    timezone: str = "Europe/London"
    holiday_country: str = "GB"
    holiday_subdivision: str = "ENG"


class Missing(_Section):
    repeat_count: PositiveInt = 3
    repeat_days: PositiveInt = 90
    return_interview_hours: PositiveInt = 72
    safe_and_well_hours: PositiveInt = 24
    high_risk_under_age: PositiveInt = 12
    risk_history_months: PositiveInt = 12
    risk_history_episodes: PositiveInt = 3


class Cse(_Section):
    going_missing_episodes: PositiveInt = 3
    going_missing_months: PositiveInt = 12
    older_adult_years: PositiveInt = 5
    network_children: PositiveInt = 2


class DomesticAbuse(_Section):
    dash_high_yes: PositiveInt = 14
    cumulative_events: PositiveInt = 3
    cumulative_months: PositiveInt = 12


class Protection(_Section):
    csc_referral_working_days: int = Field(default=1, ge=0)
    strategy_discussion_working_days: int = Field(default=3, ge=0)
    protective_plan_working_days: int = Field(default=15, ge=0)
    icpc_working_days: int = Field(default=15, ge=0)
    supervision_days: PositiveInt = 28
    suspect_action_days: PositiveInt = 14
    specialism: str = "scaidp"
    police_protection_hours: PositiveInt = 72
    child_voice_age: int = Field(default=4, ge=0)


class Offenders(_Section):
    arms_months: PositiveInt = 12
    visit_months_high: PositiveInt = 3
    visit_months_medium: PositiveInt = 6
    visit_months_none: PositiveInt = 6
    visit_months_low: PositiveInt = 12

    def visit_months(self, level: str | None) -> int:
        return {"high": self.visit_months_high, "low": self.visit_months_low}.get(
            level or "", self.visit_months_medium if level == "medium" else self.visit_months_none
        )


class Policy(_Section):
    general: General = General()
    missing: Missing = Missing()
    cse: Cse = Cse()
    domestic_abuse: DomesticAbuse = DomesticAbuse()
    protection: Protection = Protection()
    offenders: Offenders = Offenders()
    severity: dict[str, Severity] = Field(default_factory=dict)

    def severity_of(self, code: str) -> Severity:
        return self.severity.get(code, "medium")


def parse_policy(text: str, *, origin: str) -> Policy:
    try:
        return Policy.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise InvalidInputError(f"policy file {origin} is not valid: {exc}") from None


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    text = resources.files("safeguard.risk").joinpath("policy.toml").read_text(encoding="utf-8")
    return parse_policy(text, origin="policy.toml (default)")


def load_policy(path: str | Path | None) -> Policy:
    """The policy in ``path``, or the defaults; sections left out keep their defaults."""
    if path is None:
        return default_policy()
    file = Path(path)
    if not file.exists():
        raise InvalidInputError(f"policy file {file} does not exist")
    return parse_policy(file.read_text(encoding="utf-8"), origin=str(file))
