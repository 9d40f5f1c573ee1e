"""Registered sex offenders: ARMS assessments and visits."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from safeguard.risk.alert import Alert
from safeguard.risk.clocks import Limit, months_after
from safeguard.risk.facts import ActionF, Facts
from safeguard.risk.rules.base import anchor, day, make


def _about(facts: Facts, action: ActionF) -> set[int]:
    if action.person is not None:
        return {action.person}
    return facts.offender_action_people.get(action.event_id, set())


@dataclass(frozen=True)
class ReviewClocks:
    """When an offender's next ARMS assessment and visit are due, from the flag's ``since``
    or the latest of each (the clocks RSO_REVIEW_OVERDUE judges; the offender queue lists)."""

    level: str | None
    arms: list[ActionF]
    visits: list[ActionF]
    arms_due: Limit
    visit_due: Limit
    visit_months: int


def review_clocks(facts: Facts, cid: int) -> ReviewClocks | None:
    """None when the person has no registered_sex_offender flag in force."""
    pol = facts.policy.offenders
    flag = facts.flag(cid, "registered_sex_offender")
    if flag is None:
        return None
    mine = [a for a in facts.offender_actions if cid in _about(facts, a)]
    arms = [a for a in mine if a.kind == "arms_assessment"]
    visits = [a for a in mine if a.kind == "rso_visit"]
    interval = pol.visit_months(flag.level)
    return ReviewClocks(
        level=flag.level,
        arms=arms,
        visits=visits,
        arms_due=months_after(max([flag.since] + [a.at for a in arms]), pol.arms_months),
        visit_due=months_after(max([flag.since] + [a.at for a in visits]), interval),
        visit_months=interval,
    )


def rso_review_overdue(facts: Facts) -> Iterator[Alert]:
    pol = facts.policy.offenders
    at = facts.as_of
    for cid in sorted(
        {f.cid for f in facts.flags if f.kind == "registered_sex_offender" and f.in_force(at)}
    ):
        flag = facts.flag(cid, "registered_sex_offender")
        clocks = review_clocks(facts, cid)
        assert flag is not None and clocks is not None
        arms, visits, interval = clocks.arms, clocks.visits, clocks.visit_months
        problems, evidence = [], [flag.key]
        if clocks.arms_due.passed(at):
            problems.append(f"no ARMS assessment in the last {pol.arms_months} months")
        if clocks.visit_due.passed(at):
            last = (
                f"last {day(visits[-1].at)}" if visits else f"none since flagged {day(flag.since)}"
            )
            problems.append(f"no visit within {interval} months ({last})")
        if not problems:
            continue
        evidence += [a.key for a in arms[-1:] + visits[-1:]]
        yield make(
            facts,
            "RSO_REVIEW_OVERDUE",
            status="open",
            about=[cid],
            events=[],
            evidence=evidence,
            message=(
                f"Registered sex offender {facts.describe(cid)} (level {flag.level or 'none'}): "
                f"{'; '.join(problems)}."
            ),
            rule=(
                "ARMS assessment every 12 months and visits by level (high 3, medium "
                "or none 6, low 12 months)"
            ),
            policy=pol.model_dump(),
            identity=anchor(facts, cid),
        )


RULES = {"RSO_REVIEW_OVERDUE": rso_review_overdue}
