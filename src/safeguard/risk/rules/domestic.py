"""Domestic abuse: children's demeanour, escalation, DASH and MARAC."""

from __future__ import annotations

from collections.abc import Iterator

from safeguard.risk.alert import Alert
from safeguard.risk.clocks import add_months
from safeguard.risk.facts import EventF, Facts
from safeguard.risk.rules.base import anchor, children_present, day, make


def _children_present(facts: Facts, event: EventF) -> list[int]:
    return children_present(facts, event)


def _has_child_present(facts: Facts, event: EventF) -> bool:
    return bool(_children_present(facts, event)) or event.details.get("children_present") is True


def da_child_demeanour_missing(facts: Facts) -> Iterator[Alert]:
    for event in facts.lookback_events("domestic_abuse"):
        for cid in _children_present(facts, event):
            if event.first("child_demeanour", cid):
                continue
            yield make(
                facts,
                "DA_CHILD_DEMEANOUR_MISSING",
                status="open",
                about=[cid],
                events=[event.key],
                evidence=[event.key],
                message=(
                    f"{facts.describe(cid, event.occurred_at)} was present at the domestic "
                    f"abuse incident of {day(event.occurred_at)} ({event.key}); the child's "
                    "demeanour is not recorded."
                ),
                rule=(
                    "domestic abuse event with a child present and no child_demeanour for "
                    "that child"
                ),
                identity=f"{event.key}|{anchor(facts, cid)}",
            )


def _people_of(facts: Facts, group: list[EventF]) -> str:
    """Who the incidents concern, so that the message names every child present."""
    parts = []
    for label, people in (
        ("Victims", [c for e in group for c in e.with_role("victim")]),
        ("suspects", [c for e in group for c in e.with_role("suspect")]),
        ("children present", [c for e in group for c in _children_present(facts, e)]),
    ):
        if people:
            named = ", ".join(facts.describe(c) for c in dict.fromkeys(people))
            parts.append(f"{label}: {named}")
    return "; ".join(parts) + "."


def da_cumulative_risk(facts: Facts) -> Iterator[Alert]:
    pol = facts.policy.domestic_abuse
    start = add_months(facts.as_of, -pol.cumulative_months)
    events = [
        e
        for e in facts.events.values()
        if e.kind == "domestic_abuse"
        and start < e.occurred_at <= facts.as_of
        and not e.actions_of("marac_referral")
    ]
    groups: dict[str, list[EventF]] = {}
    labels: dict[str, str] = {}
    for event in events:
        for role in ("victim", "suspect"):
            for cid in event.with_role(role):
                name = f"{role}|{anchor(facts, cid)}"
                groups.setdefault(name, []).append(event)
                labels[name] = f"{role}, {facts.describe(cid)}"
        if event.location:
            name = f"location|{event.location}"
            groups.setdefault(name, []).append(event)
            place = facts.locations.get(event.location)
            labels[name] = f"place, {place.address if place else event.location}"
    seen: set[tuple[str, ...]] = set()
    for shared, group in sorted(groups.items()):
        group = sorted({e.key: e for e in group}.values(), key=lambda e: (e.occurred_at, e.key))
        keys = tuple(e.key for e in group)
        if len(group) < pol.cumulative_events or keys in seen:
            continue
        if not any(_has_child_present(facts, e) for e in group):
            continue
        seen.add(keys)
        about = {
            cid
            for e in group
            for cid in e.with_role("victim", "suspect") + _children_present(facts, e)
        }

        yield make(
            facts,
            "DA_CUMULATIVE_RISK",
            status="open",
            about=about,
            events=keys,
            evidence=keys,
            message=(
                f"{len(group)} domestic abuse incidents in {pol.cumulative_months} months share "
                f"the same {labels[shared]}, with children present, and none was referred to "
                f"MARAC ({', '.join(day(e.occurred_at) for e in group)}). "
                + _people_of(facts, group)
            ),
            rule=(
                f"{pol.cumulative_events} or more domestic abuse events without MARAC "
                f"referral in {pol.cumulative_months} months sharing a victim, suspect "
                "or location, one with a child present"
            ),
            policy={"events": pol.cumulative_events, "months": pol.cumulative_months},
            identity=shared,
        )


def dash_of(event: EventF) -> tuple[int | None, str | None, str]:
    """Yes count and level: the latest dash_assessment, else the event's own fields."""
    assessment = event.latest("dash_assessment")
    if assessment is not None:
        count = assessment.details.get("yes_count")
        level = assessment.details.get("level")
        return (
            count if isinstance(count, int) else None,
            level if isinstance(level, str) else None,
            assessment.key,
        )
    count = event.details.get("dash_yes")
    return (count if isinstance(count, int) else None), event.risk_level, event.key


def da_high_no_marac(facts: Facts) -> Iterator[Alert]:
    threshold = facts.policy.domestic_abuse.dash_high_yes
    for event in facts.lookback_events("domestic_abuse"):
        count, level, source = dash_of(event)
        if not ((count is not None and count >= threshold) or level == "high"):
            continue
        if event.actions_of("marac_referral"):
            continue
        victims = event.with_role("victim")
        children = _children_present(facts, event)
        names = ", ".join(facts.describe(c) for c in victims) or "the victim"
        yield make(
            facts,
            "DA_HIGH_NO_MARAC",
            status="open",
            about=victims + children,
            events=[event.key],
            evidence=[event.key, source],
            message=(
                f"Domestic abuse of {names} on {day(event.occurred_at)} is high risk (DASH "
                f"{count if count is not None else '?'} yes, level {level or 'not recorded'}) "
                f"but has no MARAC referral"
                + (
                    f"; children present: {', '.join(facts.describe(c) for c in children)}."
                    if children
                    else "."
                )
            ),
            rule=f"DASH {threshold} or more yes answers or level high, and no marac_referral",
            policy={"dash_high_yes": threshold},
            identity=event.key,
        )


def marac_without_strategy(facts: Facts) -> Iterator[Alert]:
    for event in facts.lookback_all():
        meeting = event.first("marac_meeting")
        children = _children_present(facts, event)
        if meeting is None or not children:
            continue
        before = [a for a in event.actions_of("strategy_discussion") if a.at < meeting.at]
        if before:
            continue
        after = event.first("strategy_discussion")
        yield make(
            facts,
            "MARAC_WITHOUT_STRATEGY",
            status="late" if after else "open",
            about=children,
            events=[event.key],
            evidence=[meeting.key] + ([after.key] if after else []),
            message=(
                f"The MARAC meeting of {day(meeting.at)} on {event.key} was held with no "
                "strategy discussion before it"
                + (f" (one was held later, on {day(after.at)})" if after else "")
                + f"; children present: {', '.join(facts.describe(c) for c in children)}."
            ),
            rule=(
                "marac_meeting on an event with a child present and no "
                "strategy_discussion before it"
            ),
            identity=event.key,
        )


RULES = {
    "DA_CHILD_DEMEANOUR_MISSING": da_child_demeanour_missing,
    "DA_CUMULATIVE_RISK": da_cumulative_risk,
    "DA_HIGH_NO_MARAC": da_high_no_marac,
    "MARAC_WITHOUT_STRATEGY": marac_without_strategy,
}
