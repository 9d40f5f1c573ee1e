"""The background raises nothing unplanned; every planted positive fires (per-event rules)."""

from __future__ import annotations

import pytest

from tests.synth.forcefiles import ForceFiles
from tests.synth.oracle import CUSTODY, CseOracle, Oracle, PersonOracle

EVENT_CODES = (
    "RETURN_INTERVIEW_OVERDUE",
    "SAFE_AND_WELL_MISSING",
    "DA_CHILD_DEMEANOUR_MISSING",
    "DA_HIGH_NO_MARAC",
    "MARAC_WITHOUT_STRATEGY",
    "NO_CSC_REFERRAL",
    "NO_STRATEGY_DISCUSSION",
    "NO_PROTECTIVE_PLAN",
    "ICPC_OVERDUE",
    "SUPERVISION_OVERDUE",
    "NON_SPECIALIST_ALLOCATION",
    "SUSPECT_NOT_ACTIONED",
    "POLICE_PROTECTION_OVER_72H",
    "CHILD_VOICE_MISSING",
    "OUTCOME_MISSING",
    "CHILD_NOT_INFORMED",
    *CUSTODY,
)


@pytest.fixture(scope="module")
def fired(small_files: ForceFiles) -> dict[str, set[str]]:
    return Oracle(small_files).run()


@pytest.mark.parametrize("code", EVENT_CODES)
def test_fires_exactly_on_the_planted_events(
    code: str, small_files: ForceFiles, fired: dict[str, set[str]]
) -> None:
    planted = {e for a in small_files.alerts(code) if a["expect"] for e in a["events"]}
    near = {e for a in small_files.alerts(code) if not a["expect"] for e in a["events"]}
    assert planted and near
    assert fired[code] == planted


def _planted_people(files: ForceFiles, code: str, index: int = 0) -> set[str]:
    return {a["people"][index] for a in files.alerts(code) if a["expect"]}


def _planted_events(files: ForceFiles, code: str) -> set[str]:
    return {e for a in files.alerts(code) if a["expect"] for e in a["events"]}


def test_person_rules_fire_exactly_on_the_planted(small_files: ForceFiles) -> None:
    oracle = PersonOracle(small_files)
    assert oracle.cumulative() == _planted_events(small_files, "DA_CUMULATIVE_RISK")
    assert oracle.rso_contact() == _planted_people(small_files, "RSO_CONTACT_WITH_CHILD")
    assert oracle.rso_review() == _planted_people(small_files, "RSO_REVIEW_OVERDUE")
    assert oracle.other_children() == _planted_people(small_files, "OTHER_CHILDREN_AT_RISK")
    assert oracle.location_not_enquired() == _planted_events(small_files, "LOCATION_NOT_ENQUIRED")
    assert oracle.repeat() == _planted_people(small_files, "MISSING_REPEAT")


def test_cse_rules_fire_exactly_on_the_planted(small_files: ForceFiles) -> None:
    oracle = CseOracle(small_files)
    assert oracle.cse_link() == _planted_people(small_files, "MISSING_CSE_LINK")
    assert oracle.network() == _planted_people(small_files, "CSE_NETWORK")
    fired, unclear = oracle.understated()
    assert unclear == set()
    assert fired == _planted_events(small_files, "MISSING_RISK_UNDERSTATED")
