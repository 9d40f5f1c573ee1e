"""Child protection: referral, strategy, plans, conferences, supervision, allocation, suspects."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from safeguard.risk.alert import Alert
from safeguard.risk.clocks import days_after, working_days_after
from safeguard.risk.facts import EventF, Facts, OfficerF
from safeguard.risk.rules.base import (
    allocated_officer,
    anchor,
    child_protection_children,
    day,
    make,
)

SERIOUS_KINDS = ("sexual_offence", "cse_concern")


def _names(facts: Facts, cids: list[int]) -> str:
    return ", ".join(facts.describe(c) for c in cids)


def _cp_events(facts: Facts) -> Iterator[tuple[EventF, list[int]]]:
    for event in facts.lookback_all():
        children = child_protection_children(facts, event)
        if children:
            yield event, children


def no_csc_referral(facts: Facts) -> Iterator[Alert]:
    gen = facts.policy.general
    days = facts.policy.protection.csc_referral_working_days
    for event in facts.lookback_all():
        children: set[int] = set()
        if child_protection_children(facts, event):
            children |= set(facts.children_in(event, "victim", "subject", "suspect"))
        if event.kind == "child_concern":
            children |= set(facts.children_in(event))
        if not children:
            continue
        limit = working_days_after(
            event.report_time, days, country=gen.holiday_country, subdiv=gen.holiday_subdivision
        )
        for cid in sorted(children):
            action = event.first("referral_to_csc", cid)
            status = limit.judge(action.at if action else None, facts.as_of)
            if status is None:
                continue
            yield make(
                facts,
                "NO_CSC_REFERRAL",
                status=status,
                about=[cid],
                events=[event.key],
                evidence=[event.key] + ([action.key] if action else []),
                message=(
                    f"{facts.describe(cid, event.occurred_at)} was in {event.label} "
                    f"reported {day(event.report_time)}; no referral to children's social care "
                    + ("within" if not action else f"until {day(action.at)}, after")
                    + f" {days} working day(s) (due by {limit.shown})."
                ),
                rule=f"referral_to_csc within {days} working day(s) of report",
                policy={"working_days": days},
                identity=f"{event.key}|{anchor(facts, cid)}",
            )


def _event_limit(
    facts: Facts,
    code: str,
    *,
    kind: str,
    start_kind: str | None,
    days: int,
    what: str,
) -> Iterator[Alert]:
    gen = facts.policy.general
    for event, children in _cp_events(facts):
        start = event.first(start_kind) if start_kind else None
        if start_kind and start is None:
            continue
        start_at = start.at if start else event.report_time
        limit = working_days_after(
            start_at, days, country=gen.holiday_country, subdiv=gen.holiday_subdivision
        )
        action = event.first(kind)
        status = limit.judge(action.at if action else None, facts.as_of)
        if status is None:
            continue
        since = (
            f"the strategy discussion of {day(start_at)}" if start else f"report on {day(start_at)}"
        )
        yield make(
            facts,
            code,
            status=status,
            about=children,
            events=[event.key],
            evidence=[event.key] + [a.key for a in (start, action) if a],
            message=(
                f"{event.title} concerning "
                f"{_names(facts, children)}: no {what} within {days} working days of {since} "
                + (
                    f"(recorded late, on {day(action.at)})."
                    if action
                    else f"(due by {limit.shown})."
                )
            ),
            rule=f"{kind} within {days} working days of {start_kind or 'report'}",
            policy={"working_days": days},
            identity=event.key,
        )


def no_strategy_discussion(facts: Facts) -> Iterator[Alert]:
    yield from _event_limit(
        facts,
        "NO_STRATEGY_DISCUSSION",
        kind="strategy_discussion",
        start_kind=None,
        days=facts.policy.protection.strategy_discussion_working_days,
        what="strategy discussion",
    )


def no_protective_plan(facts: Facts) -> Iterator[Alert]:
    yield from _event_limit(
        facts,
        "NO_PROTECTIVE_PLAN",
        kind="protective_plan",
        start_kind="strategy_discussion",
        days=facts.policy.protection.protective_plan_working_days,
        what="protective plan",
    )


def icpc_overdue(facts: Facts) -> Iterator[Alert]:
    gen = facts.policy.general
    days = facts.policy.protection.icpc_working_days
    for event in facts.lookback_all():
        for s47 in event.actions_of("s47_enquiry"):
            if s47.details.get("concerns_substantiated") is not True:
                continue
            discussions = [a for a in event.actions_of("strategy_discussion") if a.at <= s47.at]
            start = discussions[-1] if discussions else s47
            limit = working_days_after(
                start.at, days, country=gen.holiday_country, subdiv=gen.holiday_subdivision
            )
            icpc = next((a for a in event.actions_of("icpc") if a.at >= start.at), None)
            status = limit.judge(icpc.at if icpc else None, facts.as_of)
            if status is None:
                continue
            children = (
                [s47.person]
                if s47.person is not None
                else child_protection_children(facts, event) or facts.children_in(event)
            )
            yield make(
                facts,
                "ICPC_OVERDUE",
                status=status,
                about=children,
                events=[event.key],
                evidence=[s47.key, start.key] + ([icpc.key] if icpc else []),
                message=(
                    f"Section 47 enquiries on {event.key} substantiated concerns for "
                    f"{_names(facts, children)}; no initial child protection conference within "
                    f"{days} working days of {day(start.at)} "
                    + (f"(held late, on {day(icpc.at)})." if icpc else f"(due by {limit.shown}).")
                ),
                rule=(
                    f"icpc within {days} working days of the latest strategy discussion "
                    "before a substantiated s47"
                ),
                policy={"working_days": days},
                identity=f"{event.key}|{s47.key}",
            )


def _officer_name(facts: Facts, key: str) -> str:
    officer = facts.officers.get(key)
    return officer.name if officer else key


def supervision_overdue(facts: Facts) -> Iterator[Alert]:
    days = facts.policy.protection.supervision_days
    for event, children in _cp_events(facts):
        officer, clock = allocated_officer(event)
        if officer is None or facts.is_closed(event):
            continue
        review = event.latest("supervision_review")
        since = review.at if review else clock
        limit = days_after(since, days)
        if not limit.passed(facts.as_of):
            continue
        yield make(
            facts,
            "SUPERVISION_OVERDUE",
            status="open",
            about=children,
            events=[event.key],
            evidence=[event.key] + ([review.key] if review else []),
            message=(
                f"{event.title} concerning "
                f"{_names(facts, children)}, allocated to {_officer_name(facts, officer)}, "
                "has had no supervision "
                f"review since {day(since)} (more than {days} days)."
            ),
            rule=(
                f"open allocated child-protection event with no supervision_review for {days} days"
            ),
            policy={"days": days},
            identity=event.key,
        )


def unqualified_allocation(facts: Facts, event: EventF, officer: OfficerF) -> str | None:
    """Why giving ``event`` to ``officer`` is the allocation NON_SPECIALIST_ALLOCATION names
    (a serious case with a child victim, to a non-specialist or a probationer), else None.
    The allocation form warns by this same test."""
    specialism = facts.policy.protection.specialism
    if event.kind not in SERIOUS_KINDS or not facts.children_in(event, "victim"):
        return None
    if officer.probationary:
        return "a probationary officer"
    return None if specialism in officer.specialisms else f"an officer without {specialism}"


def non_specialist_allocation(facts: Facts) -> Iterator[Alert]:
    specialism = facts.policy.protection.specialism
    for event in facts.lookback_events(*SERIOUS_KINDS):
        officer_key, _ = allocated_officer(event)
        officer = facts.officers.get(officer_key or "")
        why = unqualified_allocation(facts, event, officer) if officer else None
        if officer is None or why is None:
            continue
        victims = facts.children_in(event, "victim")
        yield make(
            facts,
            "NON_SPECIALIST_ALLOCATION",
            status="open",
            about=victims,
            events=[event.key],
            evidence=[event.key, officer.key],
            message=(
                f"{event.title} against "
                f"{_names(facts, victims)} is allocated to {officer.name}, {why}."
            ),
            rule=(
                "sexual offence or CSE with a child victim allocated without "
                f"{specialism} or to a probationer"
            ),
            policy={"specialism": specialism},
            identity=event.key,
        )


def suspect_not_actioned(facts: Facts) -> Iterator[Alert]:
    days = facts.policy.protection.suspect_action_days
    for event in facts.lookback_events(*SERIOUS_KINDS):
        if not facts.children_in(event, "victim"):
            continue
        limit = days_after(event.report_time, days)
        for suspect in event.with_role("suspect"):
            done = [
                a for a in event.actions_of("arrest", "suspect_interview") if a.person == suspect
            ]
            first = done[0] if done else None
            status = limit.judge(first.at if first else None, facts.as_of)
            if status is None:
                continue
            yield make(
                facts,
                "SUSPECT_NOT_ACTIONED",
                status=status,
                about=[suspect],
                events=[event.key],
                evidence=[event.key] + ([first.key] if first else []),
                message=(
                    f"{facts.describe(suspect)}, suspect in {event.label} against "
                    f"{_names(facts, facts.children_in(event, 'victim'))}, was not arrested or "
                    f"interviewed within {days} days of report "
                    + (f"(first on {day(first.at)})." if first else f"(due by {limit.shown}).")
                ),
                rule=f"arrest or suspect_interview naming the suspect within {days} days of report",
                policy={"days": days},
                identity=f"{event.key}|{anchor(facts, suspect)}",
            )


def police_protection_over_72h(facts: Facts) -> Iterator[Alert]:
    hours = facts.policy.protection.police_protection_hours
    for event in facts.lookback_events("police_protection"):
        closed = facts.is_closed(event)
        end = event.closed_at if closed and event.closed_at else facts.as_of
        if end - event.occurred_at <= timedelta(hours=hours):
            continue
        children = facts.children_in(event)
        lasted = (end - event.occurred_at).total_seconds() / 3600
        yield make(
            facts,
            "POLICE_PROTECTION_OVER_72H",
            status="late" if closed else "open",
            about=children,
            events=[event.key],
            evidence=[event.key],
            message=(
                f"Police protection of {_names(facts, children) or 'a child'} from "
                f"{day(event.occurred_at)} "
                + ("lasted" if closed else "has lasted")
                + f" {lasted:.0f} hours, past the {hours}-hour limit."
            ),
            rule=f"police protection lasting past {hours} hours",
            policy={"hours": hours},
            identity=event.key,
        )


RULES = {
    "NO_CSC_REFERRAL": no_csc_referral,
    "NO_STRATEGY_DISCUSSION": no_strategy_discussion,
    "NO_PROTECTIVE_PLAN": no_protective_plan,
    "ICPC_OVERDUE": icpc_overdue,
    "SUPERVISION_OVERDUE": supervision_overdue,
    "NON_SPECIALIST_ALLOCATION": non_specialist_allocation,
    "SUSPECT_NOT_ACTIONED": suspect_not_actioned,
    "POLICE_PROTECTION_OVER_72H": police_protection_over_72h,
}
