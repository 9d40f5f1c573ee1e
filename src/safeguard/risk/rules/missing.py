"""Missing children: repeat episodes, understated risk, CSE, return interviews, places."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from safeguard.risk.alert import Alert
from safeguard.risk.clocks import hours_after
from safeguard.risk.facts import EventF, Facts
from safeguard.risk.indicators import (
    GOING_MISSING,
    RISK_ORDER,
    Window,
    computed_missing_risk,
    cse_indicators,
    missing_episodes,
    recorded_missing_risk,
)
from safeguard.risk.rules.base import anchor, day, make, when
from safeguard.timeutil import parse_time


def _episodes(facts: Facts) -> Iterator[tuple[EventF, int]]:
    """Each missing episode in the look-back with each child missing in it."""
    for event in facts.lookback_events("missing_episode"):
        for cid in facts.children_in(event, "missing_person"):
            yield event, cid


def missing_repeat(facts: Facts) -> Iterator[Alert]:
    pol = facts.policy.missing
    window = Window(facts.as_of - timedelta(days=pol.repeat_days), facts.as_of)
    children = {
        cid
        for e in facts.lookback_events("missing_episode")
        for cid in e.with_role("missing_person")
    }
    for cid in sorted(children):
        if not facts.is_child_at(cid, facts.as_of):
            continue
        episodes = missing_episodes(facts, cid, window)
        if len(episodes) < pol.repeat_count:
            continue
        keys = [e.key for e in episodes]
        yield make(
            facts,
            "MISSING_REPEAT",
            status="open",
            about=[cid],
            events=keys,
            evidence=keys,
            message=(
                f"{facts.describe(cid)} has been missing {len(episodes)} times in "
                f"{pol.repeat_days} days (latest {day(episodes[-1].occurred_at)}): consider "
                "early intervention and a frequent_missing flag."
            ),
            rule=(
                f"{pol.repeat_count} or more missing episodes in the {pol.repeat_days} "
                "days before WHEN"
            ),
            policy={"repeat_count": pol.repeat_count, "repeat_days": pol.repeat_days},
            identity=anchor(facts, cid),
        )


NO_FACTOR = "no risk factor, and low is the least a missing child can be graded"


def missing_risk_understated(facts: Facts) -> Iterator[Alert]:
    for event, cid in _episodes(facts):
        recorded, source = recorded_missing_risk(event)
        if recorded is None or recorded not in RISK_ORDER:
            continue
        computed = computed_missing_risk(facts, cid, event)
        if RISK_ORDER[recorded] >= RISK_ORDER[computed.level]:
            continue
        yield make(
            facts,
            "MISSING_RISK_UNDERSTATED",
            status="open",
            about=[cid],
            events=[event.key],
            evidence=[source, event.key, *computed.evidence],
            message=(
                f"{facts.describe(cid)} went missing on {day(event.occurred_at)}, graded "
                f"{recorded}, but the history shows {computed.level} risk: "
                f"{'; '.join(computed.reasons) or NO_FACTOR}."
            ),
            rule="recorded missing risk lower than the computed missing risk",
            policy=facts.policy.missing.model_dump(),
            identity=f"{event.key}|{anchor(facts, cid)}",
        )


def missing_cse_link(facts: Facts) -> Iterator[Alert]:
    window = Window(facts.lookback_start, facts.as_of)
    by_child: dict[int, list[EventF]] = {}
    for event, cid in _episodes(facts):
        by_child.setdefault(cid, []).append(event)
    for cid, episodes in sorted(by_child.items()):
        if facts.flag(cid, "cse_risk") or not facts.is_child_at(cid, facts.as_of):
            continue
        found = {k: v for k, v in cse_indicators(facts, cid, window).items() if k != GOING_MISSING}
        if not found:
            continue
        reasons = "; ".join(f"{k} ({', '.join(v.reasons)})" for k, v in found.items())
        yield make(
            facts,
            "MISSING_CSE_LINK",
            status="open",
            about=[cid],
            events=[e.key for e in episodes],
            evidence=[k for v in found.values() for k in v.evidence],
            message=(
                f"{facts.describe(cid)} has gone missing and shows CSE indicators ({reasons}), "
                "but has no cse_risk flag."
            ),
            rule="missing child with a CSE indicator other than going missing and no cse_risk flag",
            identity=anchor(facts, cid),
        )


def _after_return(facts: Facts, code: str, kind: str, hours: int, what: str) -> Iterator[Alert]:
    for event, cid in _episodes(facts):
        found_text = event.details.get("found_at")
        if not isinstance(found_text, str):
            continue
        found_at = parse_time(found_text)
        if found_at > facts.as_of:
            continue
        limit = hours_after(found_at, hours)
        action = event.first(kind, cid)
        status = limit.judge(action.at if action else None, facts.as_of)
        if status is None:
            continue
        missing = f"no {what} within {hours} hours (due by {limit.shown})"
        if action:
            missing += f"; it was recorded late, on {when(action.at)}"
        yield make(
            facts,
            code,
            status=status,
            about=[cid],
            events=[event.key],
            evidence=[event.key] + ([action.key] if action else []),
            message=(f"{facts.describe(cid)} was found on {when(found_at)}; {missing}."),
            rule=f"{kind} within {hours} hours of found_at",
            policy={"hours": hours},
            identity=f"{event.key}|{anchor(facts, cid)}",
        )


def return_interview_overdue(facts: Facts) -> Iterator[Alert]:
    hours = facts.policy.missing.return_interview_hours
    yield from _after_return(
        facts, "RETURN_INTERVIEW_OVERDUE", "return_interview", hours, "return interview"
    )


def safe_and_well_missing(facts: Facts) -> Iterator[Alert]:
    hours = facts.policy.missing.safe_and_well_hours
    yield from _after_return(
        facts, "SAFE_AND_WELL_MISSING", "safe_and_well_check", hours, "safe and well check"
    )


def _address(facts: Facts, place: str) -> str:
    location = facts.locations.get(place)
    return f"{location.address} ({place})" if location else place


def location_not_enquired(facts: Facts) -> Iterator[Alert]:
    for event in facts.lookback_events("missing_episode", "cse_concern"):
        enquired = {a.details.get("location") for a in event.actions_of("enquiry_at_location")}
        children = [c for c in facts.children_in(event) if "suspect" not in event.roles_of(c)]
        for place in event.detail_locations():
            if place in enquired:
                continue
            for cid in children:
                for adult in sorted(facts.residents(place) - {cid}):
                    if not facts.is_adult_at(adult, facts.as_of) or facts.is_carer(
                        adult, cid, event
                    ):
                        continue
                    yield make(
                        facts,
                        "LOCATION_NOT_ENQUIRED",
                        status="open",
                        about=[cid, adult],
                        events=[event.key],
                        evidence=[event.key, place],
                        message=(
                            f"{facts.describe(cid)} was taken, found or seen at "
                            f"{_address(facts, place)}, the home "
                            f"of {facts.describe(adult)}, who is not a carer ({event.key}); no "
                            "enquiry at that address is recorded."
                        ),
                        rule=(
                            "place of a missing or CSE episode is the home of an adult who is not "
                            "a carer, with no enquiry_at_location"
                        ),
                        identity=f"{event.key}|{place}|{anchor(facts, cid)}|{anchor(facts, adult)}",
                    )


RULES = {
    "MISSING_REPEAT": missing_repeat,
    "MISSING_RISK_UNDERSTATED": missing_risk_understated,
    "MISSING_CSE_LINK": missing_cse_link,
    "RETURN_INTERVIEW_OVERDUE": return_interview_overdue,
    "SAFE_AND_WELL_MISSING": safe_and_well_missing,
    "LOCATION_NOT_ENQUIRED": location_not_enquired,
}
