"""Registered sex offenders: ARMS assessments and visits."""

from __future__ import annotations

from collections.abc import Iterator

from safeguard.risk.alert import Alert
from safeguard.risk.clocks import months_after
from safeguard.risk.facts import ActionF, Facts
from safeguard.risk.rules.base import anchor, day, make


def _about(facts: Facts, action: ActionF) -> set[int]:
    if action.person is not None:
        return {action.person}
    return facts.offender_action_people.get(action.event_id, set())


def rso_review_overdue(facts: Facts) -> Iterator[Alert]:
    pol = facts.policy.offenders
    at = facts.as_of
    for cid in sorted(
        {f.cid for f in facts.flags if f.kind == "registered_sex_offender" and f.in_force(at)}
    ):
        flag = facts.flag(cid, "registered_sex_offender")
        assert flag is not None
        mine = [a for a in facts.offender_actions if cid in _about(facts, a)]
        problems, evidence = [], [flag.key]
        arms = [a for a in mine if a.kind == "arms_assessment"]
        arms_from = max([flag.since] + [a.at for a in arms])
        if months_after(arms_from, pol.arms_months).passed(at):
            problems.append(f"no ARMS assessment in the last {pol.arms_months} months")
        visits = [a for a in mine if a.kind == "rso_visit"]
        interval = pol.visit_months(flag.level)
        visit_from = max([flag.since] + [a.at for a in visits])
        if months_after(visit_from, interval).passed(at):
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
