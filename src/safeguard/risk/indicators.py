"""CSE indicators and level, and the computed missing risk (spec/alerts.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from safeguard.risk.clocks import add_months, age_on
from safeguard.risk.facts import EventF, Facts

CSE_RECORD_KINDS = frozenset({"cse_concern", "sexual_offence", "online_abuse", "missing_episode"})
CSE_VICTIM_KINDS = frozenset({"cse_concern", "sexual_offence", "online_abuse"})
FLAG_INDICATORS = ("self_harm", "substance_misuse")
LEVELS = ("none", "low", "medium", "high")
RISK_ORDER = {
    "none": 0,
    "absent": 0,
    "no_apparent_risk": 0,
    "very_low": 0,
    "low": 1,
    "standard": 1,
    "medium": 2,
    "high": 3,
}
GOING_MISSING = "going_missing"


@dataclass
class Indicator:
    kind: str
    reasons: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)

    def add(self, reason: str, *keys: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
        self.evidence += [k for k in keys if k not in self.evidence]


@dataclass(frozen=True)
class Window:
    """Records occurring after ``lo`` and before ``hi`` (``hi`` itself included unless strict);
    flags and homes are read as at ``hi``."""

    lo: datetime
    hi: datetime
    strict: bool = False

    def holds(self, at: datetime) -> bool:
        return self.lo < at < self.hi if self.strict else self.lo < at <= self.hi


def missing_episodes(facts: Facts, cid: int, window: Window) -> list[EventF]:
    return [
        e
        for e in facts.events_of.get(cid, [])
        if e.kind == "missing_episode"
        and "missing_person" in e.roles_of(cid)
        and window.holds(e.occurred_at)
    ]


def _older_adult(facts: Facts, cid: int, event: EventF, found: dict[str, Indicator]) -> None:
    child_dob = facts.person(cid).dob
    if child_dob is None or event.kind not in CSE_RECORD_KINDS:
        return
    years = facts.policy.cse.older_adult_years
    for other, role in event.people:
        other_dob = facts.person(other).dob
        if other == cid or role == "reporting_person" or other_dob is None:
            continue
        if age_on(other_dob, child_dob) < years or facts.is_child_in(event, other):
            continue
        if facts.is_carer(other, cid, event):
            continue
        found.setdefault("older_adult_association", Indicator("older_adult_association")).add(
            f"{facts.describe(other)} ({age_on(other_dob, child_dob)} years older) in "
            f"{event.label}",
            event.key,
            *facts.person(other).keys,
        )


def _rso_links(facts: Facts, cid: int, window: Window, events: list[EventF]) -> Indicator | None:
    found = Indicator("registered_sex_offender_link")
    at = window.hi
    for event in events:
        for other in event.cids() - {cid}:
            if facts.flag(other, "registered_sex_offender", at):
                found.add(
                    f"registered sex offender {facts.describe(other)} in {event.key}", event.key
                )
    for rel in facts.relations_of.get(cid, []):
        other = rel.b if rel.a == cid else rel.a
        if rel.current(at) and facts.flag(other, "registered_sex_offender", at):
            found.add(f"registered sex offender {facts.describe(other)} by {rel.kind}", rel.key)
    for home in facts.current_homes(cid, at):
        for other in facts.residents(home, at) - {cid}:
            if facts.flag(other, "registered_sex_offender", at):
                found.add(f"registered sex offender {facts.describe(other)} lives at {home}", home)
    return found if found.reasons else None


def _adult_homes(facts: Facts, cid: int, window: Window, events: list[EventF]) -> Indicator | None:
    found = Indicator("found_at_adult_home")
    for event in events:
        for place in event.detail_locations():
            for adult in sorted(facts.residents(place, window.hi) - {cid}):
                if facts.is_adult_at(adult, window.hi) and not facts.is_carer(adult, cid, event):
                    found.add(
                        f"taken, found or seen at {place}, home of {facts.describe(adult)} "
                        f"({event.key})",
                        event.key,
                        place,
                    )
    return found if found.reasons else None


def cse_indicators(facts: Facts, cid: int, window: Window) -> dict[str, Indicator]:
    """Indicators by kind, each with the records that show it."""
    events = [
        e
        for e in facts.events_of.get(cid, [])
        if window.holds(e.occurred_at) and "suspect" not in e.roles_of(cid)
    ]
    found: dict[str, Indicator] = {}
    months = facts.policy.cse.going_missing_months
    episodes = missing_episodes(
        facts, cid, Window(max(window.lo, add_months(window.hi, -months)), window.hi, window.strict)
    )
    if len(episodes) >= facts.policy.cse.going_missing_episodes:
        found[GOING_MISSING] = Indicator(
            GOING_MISSING,
            [f"missing {len(episodes)} times in {months} months"],
            [e.key for e in episodes],
        )
    for event in events:
        _older_adult(facts, cid, event, found)
        words = event.details.get("indicators")
        for word in words if isinstance(words, list) else []:
            if isinstance(word, str) and word:
                found.setdefault(word, Indicator(word)).add(f"{word} in {event.key}", event.key)
    for extra in (_rso_links(facts, cid, window, events), _adult_homes(facts, cid, window, events)):
        if extra:
            found[extra.kind] = extra
    for kind in FLAG_INDICATORS:
        flag = facts.flag(cid, kind, window.hi)
        if flag and (not window.strict or flag.since < window.hi):
            found.setdefault(kind, Indicator(kind)).add(f"{kind} flag {flag.key}", flag.key)
    return dict(sorted(found.items()))


def cse_level(facts: Facts, cid: int, window: Window, found: dict[str, Indicator]) -> str:
    victim = any(
        e.kind in CSE_VICTIM_KINDS and "victim" in e.roles_of(cid) and window.holds(e.occurred_at)
        for e in facts.events_of.get(cid, [])
    )
    if victim or len(found) >= 3:
        return "high"
    return LEVELS[len(found)]


@dataclass
class MissingRisk:
    level: str
    reasons: list[str]
    evidence: list[str]
    earlier: int


def _looked_after(facts: Facts, cid: int, episode: EventF, earlier: list[EventF]) -> list[str]:
    start = episode.occurred_at
    reasons = []
    flag = facts.flag(cid, "looked_after_child", start)
    if flag:
        reasons.append(f"looked after: looked_after_child flag {flag.key}")
    for res in facts.residences_of.get(cid, []):
        place = facts.locations.get(res.b)
        if res.current(start) and place and place.kind in ("foster_home", "children_home"):
            reasons.append(f"looked after: lives at {place.kind.replace('_', ' ')} {res.b}")
    for ep in [episode, *reversed(earlier)]:
        if ep.details.get("missing_from") == "care":
            reasons.append(f"looked after: missing from care in {ep.key}")
            break
    return reasons


def computed_missing_risk(facts: Facts, cid: int, episode: EventF) -> MissingRisk:
    """The risk of an episode as at its start, from the records dated before it."""
    pol = facts.policy.missing
    start = episode.occurred_at
    window = Window(add_months(start, -pol.risk_history_months), start, strict=True)
    earlier = missing_episodes(facts, cid, window)
    e_count = len(earlier)
    many = e_count >= pol.risk_history_episodes
    indicators = {k: v for k, v in cse_indicators(facts, cid, window).items() if k != GOING_MISSING}
    flags = {
        kind: f
        for kind in ("cse_risk", "self_harm", "mental_health")
        if (f := facts.flag(cid, kind, start)) is not None and f.since < start
    }
    age = facts.age(cid, start)
    high, medium = [], []
    history = f"{e_count} earlier episodes in {pol.risk_history_months} months"
    if many and (indicators or "cse_risk" in flags):
        high.append(f"{history} and CSE concerns")
    if "cse_risk" in flags and flags["cse_risk"].level == "high":
        high.append(f"cse_risk flag {flags['cse_risk'].key} at level high")
    if age is not None and age < pol.high_risk_under_age:
        high.append(f"aged {age}, under {pol.high_risk_under_age}")
    if many and ("self_harm" in flags or "mental_health" in flags):
        high.append(f"{history} and a self-harm or mental health flag")
    if many:
        medium.append(history)
    medium += [f"CSE indicator {k}: {'; '.join(v.reasons)}" for k, v in indicators.items()]
    medium += _looked_after(facts, cid, episode, earlier)
    level = "high" if high else "medium" if medium else "low"
    evidence = [e.key for e in earlier]
    evidence += [k for v in indicators.values() for k in v.evidence]
    evidence += [f.key for f in flags.values()]
    return MissingRisk(level, high + medium, sorted(set(evidence)), e_count)


def recorded_missing_risk(episode: EventF) -> tuple[str | None, str]:
    """The latest missing_risk_assessment's level, else the event's risk_level; with its key."""
    assessment = episode.latest("missing_risk_assessment")
    if assessment and isinstance(assessment.details.get("level"), str):
        return assessment.details["level"], assessment.key
    return episode.risk_level, episode.key
