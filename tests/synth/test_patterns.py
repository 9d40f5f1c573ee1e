"""Every injected pattern is in the files, on the side of its threshold the truth says."""

from __future__ import annotations

from datetime import timedelta

from safeguard.synth.rates import AS_OF
from safeguard.timeutil import parse_time
from tests.synth.forcefiles import ForceFiles

HOUR = timedelta(hours=1)


def _found_to(files: ForceFiles, code: str, kind: str, limit_hours: int) -> None:
    for alert in files.alerts(code):
        (event,) = alert["events"]
        ev = files.event(event)
        child = ev["people"][0]["person"]
        found = parse_time(ev["details"]["found_at"])
        done = files.acts(event, kind, child)
        in_time = bool(done) and done[0] - found <= limit_hours * HOUR
        assert in_time is not alert["expect"], alert
        if alert["expect"]:
            assert (alert["status"] == "late") == bool(done)


def test_return_interview_either_side_of_72_hours(small_files: ForceFiles) -> None:
    _found_to(small_files, "RETURN_INTERVIEW_OVERDUE", "return_interview", 72)


def test_safe_and_well_either_side_of_24_hours(small_files: ForceFiles) -> None:
    _found_to(small_files, "SAFE_AND_WELL_MISSING", "safe_and_well_check", 24)


def test_missing_repeat_counts_episodes_in_90_days(small_files: ForceFiles) -> None:
    for alert in small_files.alerts("MISSING_REPEAT"):
        child = set(alert["subjects"])
        recent = [
            e
            for e in small_files.of("event")
            if e["kind"] == "missing_episode"
            and {p["person"] for p in e["people"]} & child
            and AS_OF - timedelta(days=90) <= parse_time(e["occurred_at"]) <= AS_OF
        ]
        assert (len(recent) >= 3) is alert["expect"]


def test_domestic_abuse_incidents_in_12_months(small_files: ForceFiles) -> None:
    for alert in small_files.alerts("DA_CUMULATIVE_RISK"):
        times = [parse_time(small_files.event(e)["occurred_at"]) for e in alert["events"]]
        in_year = [t for t in times if t >= AS_OF - timedelta(days=365)]
        assert (len(in_year) >= 3) is alert["expect"]
        for e in alert["events"]:
            assert not small_files.acts(e, "marac_referral")


def test_high_risk_domestic_abuse_and_marac(small_files: ForceFiles) -> None:
    for alert in small_files.alerts("DA_HIGH_NO_MARAC"):
        (event,) = alert["events"]
        ev = small_files.event(event)
        assert (ev["details"]["dash_yes"] >= 14) is alert["expect"]
        assert not small_files.acts(event, "marac_referral")


def test_police_protection_either_side_of_72_hours(small_files: ForceFiles) -> None:
    for alert in small_files.alerts("POLICE_PROTECTION_OVER_72H"):
        ev = small_files.event(alert["events"][0])
        end = parse_time(ev["closed_at"]) if "closed_at" in ev else AS_OF
        assert (end - parse_time(ev["occurred_at"]) > 72 * HOUR) is alert["expect"]


def test_suspect_arrest_either_side_of_14_days(small_files: ForceFiles) -> None:
    for alert in small_files.alerts("SUSPECT_NOT_ACTIONED"):
        (event,) = alert["events"]
        ev = small_files.event(event)
        suspect = next(p["person"] for p in ev["people"] if p["role"] == "suspect")
        reported = parse_time(ev["reported_at"]).date()
        arrests = small_files.acts(event, "arrest", suspect)
        in_time = bool(arrests) and (arrests[0].date() - reported).days <= 14
        assert in_time is not alert["expect"]


def test_detained_child_without_appropriate_adult(small_files: ForceFiles) -> None:
    for alert in small_files.alerts("CUSTODY_NO_APPROPRIATE_ADULT"):
        (event,) = alert["events"]
        ev = small_files.event(event)
        key = ev["people"][0]["person"]
        dob = parse_time(small_files.records[("person", key)]["dob"]).date()
        at = parse_time(ev["occurred_at"]).date()
        age = at.year - dob.year - ((at.month, at.day) < (dob.month, dob.day))
        assert (age < 18) is alert["expect"]
        assert not small_files.acts(event, "appropriate_adult")


def test_background_events_have_their_good_practice(small_files: ForceFiles) -> None:
    """Outside the patterns, every found child had a safe and well check within 24 hours."""
    planted = {e for t in small_files.truth if t["truth"] == "alert" for e in t["events"]}
    checked = 0
    for ev in small_files.of("event"):
        key = f"{ev['source']}:{ev['id']}"
        if ev["kind"] != "missing_episode" or key in planted:
            continue
        found = parse_time(ev["details"]["found_at"])
        if found + 24 * HOUR > AS_OF:
            continue
        checks = small_files.acts(key, "safe_and_well_check")
        assert checks and checks[0] - found <= 24 * HOUR
        checked += 1
    assert checked > 10
