"""Children in custody, sex-offender management and allocation of serious cases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from safeguard.quality.records import Case, Records
from safeguard.quality.registry import Period, Unit, case_unit, figure, month_of, occurred_in
from safeguard.risk.clocks import months_after

VISIT_MONTHS = {"high": 3, "medium": 6, "low": 12}


def _charged(records: Records, period: Period) -> Iterator[tuple[Case, str]]:
    for case in occurred_in(records, period):
        if case.kind == "custody" and case.details.get("charged"):
            for child in case.children("detained_child"):
                yield case, child.key


@figure("custody_charged", "Custody", "Children detained after charge", "count")
def charged(records: Records, period: Period) -> Iterator[Unit]:
    """Children detained in custody events in the period who were charged."""
    for case, key in _charged(records, period):
        yield Unit(case.area, month_of(case.occurred_at), (case.key, key))


@figure("custody_la_requested", "Custody", "Local authority accommodation requested", "share")
def la_requested(records: Records, period: Period) -> Iterator[Unit]:
    """Of charged children denied bail in the period: the share for whom local authority
    accommodation was requested (PACE s38(6))."""
    for case, key in _charged(records, period):
        if any(a.details.get("denied") for a in case.all("bail_decision")):
            req = case.first("la_accommodation_request")
            yield case_unit(case, req is not None, key, req)


@figure("custody_la_provided", "Custody", "Local authority accommodation provided", "share")
def la_provided(records: Records, period: Period) -> Iterator[Unit]:
    """Of custody events in the period with a request for local authority accommodation: the
    share where the local authority provided it."""
    for case in occurred_in(records, period):
        if case.kind == "custody" and case.first("la_accommodation_request"):
            given = [a for a in case.all("la_accommodation_response") if a.details.get("provided")]
            yield case_unit(case, bool(given), None, given[0] if given else None)


@figure("custody_hours", "Custody", "Average hours in custody (children)", "mean")
def hours(records: Records, period: Period) -> Iterator[Unit]:
    """Mean hours from detention to the close of custody events with a detained child, for
    events in the period that have closed."""
    for case in occurred_in(records, period):
        if case.kind == "custody" and case.closed_at and case.children("detained_child"):
            value = (case.closed_at - case.occurred_at).total_seconds() / 3600
            yield Unit(case.area, month_of(case.occurred_at), (case.key,), value=value)


@figure("custody_bail_reviewed", "Custody", "Bail reviewed when no accommodation", "share")
def bail_reviewed(records: Records, period: Period) -> Iterator[Unit]:
    """Of custody events in the period where local authority accommodation was refused: the
    share with a bail review after the refusal."""
    for case in occurred_in(records, period):
        refused = [
            a for a in case.all("la_accommodation_response") if a.details.get("provided") is False
        ]
        if case.kind == "custody" and refused:
            review = next((a for a in case.all("bail_review") if a.at >= refused[0].at), None)
            yield case_unit(case, review is not None, None, review)


def _offenders(
    records: Records, period: Period, kind: str, months_for: dict[str, int] | int
) -> Iterator[Unit]:
    at = period.end - timedelta(microseconds=1)
    for flag in records.flags_of("registered_sex_offender"):
        if flag.since > at or (flag.until is not None and flag.until <= at):
            continue
        done = sorted(
            (
                a
                for a in records.rso_actions.get(flag.person_id, [])
                if a.kind == kind and a.at <= at
            ),
            key=lambda a: a.at,
        )
        last = done[-1].at if done else flag.since
        months = months_for if isinstance(months_for, int) else months_for.get(flag.level or "", 6)
        met = months_after(last, months).in_time(at)
        yield Unit("Force", month_of(at), (flag.key, *(a.key for a in done[-1:])), met=met)


@figure(
    "rso_arms_in_date", "Offender management", "Registered sex offenders with ARMS in date", "share"
)
def arms_in_date(records: Records, period: Period) -> Iterator[Unit]:
    """Of registered sex offenders flagged at the end of the period: the share with an ARMS
    assessment in the 12 months before (a newly flagged offender's clock starts at the flag)."""
    return _offenders(records, period, "arms_assessment", 12)


@figure(
    "rso_visits_on_time", "Offender management", "Registered sex offenders visited on time", "share"
)
def visits_on_time(records: Records, period: Period) -> Iterator[Unit]:
    """Of registered sex offenders flagged at the end of the period: the share visited within
    the interval for their risk level (high 3 months, medium or none 6, low 12)."""
    return _offenders(records, period, "rso_visit", VISIT_MONTHS)


@figure("specialist_allocation", "Allocation", "Serious cases allocated to specialists", "share")
def specialist_allocation(records: Records, period: Period) -> Iterator[Unit]:
    """Of allocated sexual offence and CSE events with a child victim in the period: the share
    allocated to a non-probationary officer with the SCAIDP specialism."""
    for case in occurred_in(records, period):
        officer = case.officer
        if case.kind in {"sexual_offence", "cse_concern"} and case.children("victim") and officer:
            met = "scaidp" in (officer.specialisms or []) and not officer.probationary
            yield Unit(case.area, month_of(case.occurred_at), (case.key, officer.key), met=met)
