"""Timeliness against legal and policy timescales (domain-rules.md sections 2 and 3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from safeguard.quality.records import Records
from safeguard.quality.registry import (
    Period,
    Unit,
    case_unit,
    figure,
    month_of,
    occurred_in,
    within,
)
from safeguard.risk.clocks import hours_after, working_days_after
from safeguard.timeutil import parse_time


@figure(
    "referral_1wd",
    "Timeliness",
    "Referrals to children's social care within 1 working day",
    "share",
)
def referral_in_time(records: Records, period: Period) -> Iterator[Unit]:
    """Of children who are victims, suspects or subjects of child-protection events, or the
    child in a child concern, that occurred in the period: the share with a referral to
    children's social care by the end of the first working day after the report."""
    for case in occurred_in(records, period):
        if not (case.is_child_protection or case.kind == "child_concern"):
            continue
        for child in case.children("victim", "suspect", "subject"):
            act = case.first("referral_to_csc", child.person_id)
            limit = working_days_after(case.reported_at, 1)
            yield case_unit(case, within(limit, act), child.key, act)


@figure("strategy_3wd", "Timeliness", "Strategy discussions within 3 working days", "share")
def strategy_in_time(records: Records, period: Period) -> Iterator[Unit]:
    """Of child-protection events that occurred in the period: the share with a strategy
    discussion by the end of the third working day after the report (force policy)."""
    for case in occurred_in(records, period):
        if case.is_child_protection:
            act = case.first("strategy_discussion")
            yield case_unit(case, within(working_days_after(case.reported_at, 3), act), None, act)


@figure("icpc_15wd", "Timeliness", "Initial conferences within 15 working days", "share")
def icpc_in_time(records: Records, period: Period) -> Iterator[Unit]:
    """Of section 47 enquiries that substantiated concerns, on events that occurred in the
    period: the share with an initial child protection conference by the end of the 15th
    working day after the latest strategy discussion before the enquiry (Working Together)."""
    for case in occurred_in(records, period):
        for s47 in case.all("s47_enquiry"):
            strategies = [a for a in case.all("strategy_discussion") if a.at <= s47.at]
            if s47.details.get("concerns_substantiated") and strategies:
                icpc = case.first("icpc")
                limit = working_days_after(strategies[-1].at, 15)
                yield case_unit(case, within(limit, icpc), None, icpc)


@figure("return_interview_72h", "Timeliness", "Return interviews within 72 hours", "share")
def return_interview_in_time(records: Records, period: Period) -> Iterator[Unit]:
    """Of children found after a missing episode that occurred in the period: the share with a
    return interview within 72 hours of being found (DfE statutory guidance, 2014)."""
    for case in occurred_in(records, period):
        found = case.details.get("found_at")
        if case.kind != "missing_episode" or not isinstance(found, str):
            continue
        for child in case.children("missing_person"):
            act = case.first("return_interview", child.person_id)
            yield case_unit(case, within(hours_after(parse_time(found), 72), act), child.key, act)


@figure("supervision_28d", "Timeliness", "Open cases supervised in the last 28 days", "share")
def supervision_in_time(records: Records, period: Period) -> Iterator[Unit]:
    """Of allocated child-protection events still open at the end of the period: the share
    with a supervision review (or, if none yet, the allocation) in the last 28 days."""
    at = period.end - timedelta(microseconds=1)
    for case in records.cases:
        open_at_end = case.closed_at is None or case.closed_at > at
        allocations = [a for a in case.all("allocation") if a.at <= at]
        allocated = bool(allocations) or case.officer is not None
        if not (case.is_child_protection and case.occurred_at <= at and open_at_end and allocated):
            continue
        start = allocations[-1].at if allocations else case.reported_at
        reviews = [a.at for a in case.all("supervision_review") if a.at <= at]
        last = reviews[-1] if reviews else start
        yield Unit(case.area, month_of(at), (case.key,), met=at - last <= timedelta(days=28))
