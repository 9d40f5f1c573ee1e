"""Children's voice and outcomes; other children at risk; offenders and networks around children."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from safeguard.risk.alert import Alert
from safeguard.risk.facts import CARER_KINDS, PARTNER_KINDS, EventF, Facts
from safeguard.risk.indicators import Window, cse_indicators, missing_episodes
from safeguard.risk.rules.base import (
    anchor,
    child_protection_children,
    children_present,
    day,
    is_child_centred,
    make,
)


def linked_people(facts: Facts, cid: int) -> dict[int, str]:
    """People linked to ``cid`` for harm to other children, with how; ``until`` is ignored."""
    at = facts.as_of
    linked: dict[int, str] = {}

    def residents_of(person: int, how: str) -> None:
        for res in facts.residences_of.get(person, []):
            if res.begun(at):
                for other in facts.residents_at.get(res.b, []):
                    if other.begun(at):
                        linked.setdefault(other.a, f"{how} at {res.b}")

    residents_of(cid, "shares or shared a home")
    for rel in facts.relations_of.get(cid, []):
        if not rel.begun(at):
            continue
        other = rel.b if rel.a == cid else rel.a
        linked.setdefault(other, f"relation {rel.kind} ({rel.key})")
        if rel.kind in PARTNER_KINDS:
            for prel in facts.relations_of.get(other, []):
                if prel.kind in CARER_KINDS and prel.a == other and prel.begun(at):
                    linked.setdefault(prel.b, f"child of partner {facts.describe(other)}")
            residents_of(other, f"lives or lived with partner {facts.describe(other)}")
    linked.pop(cid, None)
    return linked


def other_children_at_risk(facts: Facts) -> Iterator[Alert]:
    for event in facts.lookback_all():
        if not child_protection_children(facts, event):
            continue
        named = event.cids()
        for suspect in event.with_role("suspect"):
            others = {
                c: how
                for c, how in linked_people(facts, suspect).items()
                if c not in named and facts.is_child_at(c, facts.as_of)
            }
            if not others:
                continue
            listed = "; ".join(f"{facts.describe(c)} ({how})" for c, how in sorted(others.items()))
            yield make(
                facts,
                "OTHER_CHILDREN_AT_RISK",
                status="open",
                about=[suspect, *others],
                events=[event.key],
                evidence=[event.key],
                message=(
                    f"{facts.describe(suspect)}, suspect in {event.label}, is linked to "
                    f"children not named in it: {listed}. Consider their safety."
                ),
                rule="suspect of a child-protection event linked to children not named in it",
                identity=f"{event.key}|{anchor(facts, suspect)}",
            )


def rso_contact_with_child(facts: Facts) -> Iterator[Alert]:
    at = facts.as_of
    offenders = sorted(
        {f.cid for f in facts.flags if f.kind == "registered_sex_offender" and f.in_force(at)}
    )
    for offender in offenders:
        contacts: dict[int, list[str]] = defaultdict(list)
        evidence: dict[int, list[str]] = defaultdict(list)
        for event in facts.events_of.get(offender, []):
            if not facts.in_lookback(event):
                continue
            for child in sorted(event.cids() - {offender}):
                if facts.is_child_in(event, child):
                    contacts[child].append(f"in {event.label} on {day(event.occurred_at)}")
                    evidence[child].append(event.key)
        for rel in facts.relations_of.get(offender, []):
            other = rel.b if rel.a == offender else rel.a
            if rel.current(at) and facts.is_child_at(other, at):
                contacts[other].append(f"relation {rel.kind}")
                evidence[other].append(rel.key)
        for home in facts.current_homes(offender):
            for other in sorted(facts.residents(home) - {offender}):
                if facts.is_child_at(other, at):
                    contacts[other].append(f"lives at the same address {home}")
                    evidence[other].append(home)
        flag = facts.flag(offender, "registered_sex_offender")
        for child, hows in sorted(contacts.items()):
            yield make(
                facts,
                "RSO_CONTACT_WITH_CHILD",
                status="open",
                about=[offender, child],
                events=[
                    k
                    for k in evidence[child]
                    if k in {e.key for e in facts.events_of.get(child, [])}
                ],
                evidence=evidence[child] + ([flag.key] if flag else []),
                message=(
                    f"Registered sex offender {facts.describe(offender)} is in contact with "
                    f"{facts.describe(child)}: {'; '.join(hows)}."
                ),
                rule="registered sex offender in an event, relation or home with a child",
                identity=f"{anchor(facts, offender)}|{anchor(facts, child)}",
            )


Links = dict[int, dict[int, list[str]]]


def _event_links(facts: Facts, event: EventF, links: Links) -> None:
    at = facts.as_of
    children = [c for c in event.cids() if facts.is_child_at(c, at)]
    if not children:
        return
    for adult, role in event.people:
        if role == "reporting_person" or not facts.is_adult_at(adult, at):
            continue
        for child in children:
            if child != adult and not facts.is_carer(adult, child, event):
                links[adult][child].append(event.key)
    for place in event.detail_locations():
        adults = [a for a in facts.residents(place) if facts.is_adult_at(a, at)]
        for adult in adults:
            for child in children:
                if child != adult and not facts.is_carer(adult, child, event):
                    links[adult][child].append(place)


def _network_links(facts: Facts) -> Links:
    """adult -> child -> how they are linked (CSE_NETWORK's meaning of linked)."""
    at = facts.as_of
    links: Links = defaultdict(lambda: defaultdict(list))
    for event in facts.lookback_all():
        _event_links(facts, event, links)
    for thing, users in facts.users_of.items():
        current = {u.a for u in users if u.current(at)}
        kids = [c for c in current if facts.is_child_at(c, at)]
        adults = [a for a in current if kids and facts.is_adult_at(a, at)]
        for adult in adults:
            for child in kids:
                if child != adult and not facts.is_carer(adult, child):
                    links[adult][child].append(thing)
    return links


def cse_network(facts: Facts) -> Iterator[Alert]:
    need = facts.policy.cse.network_children
    window = Window(facts.lookback_start, facts.as_of)
    qualifies: dict[int, list[str]] = {}

    def reasons(child: int) -> list[str]:
        if child not in qualifies:
            found = cse_indicators(facts, child, window)
            episodes = missing_episodes(facts, child, window)
            qualifies[child] = sorted(found) + (["missing"] if episodes else [])
        return qualifies[child]

    for adult, children in sorted(_network_links(facts).items()):
        if len(children) < need:
            continue
        hit = {c: hows for c, hows in children.items() if reasons(c)}
        if len(hit) < need:
            continue
        listed = "; ".join(f"{facts.describe(c)} ({', '.join(reasons(c))})" for c in sorted(hit))
        evidence = sorted({k for hows in hit.values() for k in hows})
        yield make(
            facts,
            "CSE_NETWORK",
            status="open",
            about=[adult, *hit],
            events=[k for k in evidence if any(e.key == k for e in facts.events_of.get(adult, []))],
            evidence=evidence,
            message=(
                f"{facts.describe(adult)} is linked to {len(hit)} children with CSE indicators "
                f"or missing episodes: {listed}."
            ),
            rule=f"adult linked to {need} or more children with a CSE indicator or missing episode",
            policy={"children": need},
            identity=anchor(facts, adult),
        )


def _closed_child_centred(facts: Facts) -> Iterator[tuple[EventF, int, int | None]]:
    for event in facts.lookback_all():
        if not facts.is_closed(event) or not is_child_centred(facts, event):
            continue
        present = children_present(facts, event) if event.kind == "domestic_abuse" else []
        for cid in dict.fromkeys(facts.children_in(event) + present):
            yield event, cid, facts.age(cid, event.occurred_at)


def _closed_missing(
    facts: Facts, code: str, kind: str, what: str, *, older: bool
) -> Iterator[Alert]:
    age_line = facts.policy.protection.child_voice_age
    for event, cid, age in _closed_child_centred(facts):
        is_older = age is None or age >= age_line
        if older and not is_older:
            continue
        if event.first(kind, cid):
            continue
        yield make(
            facts,
            code,
            status="open",
            about=[cid],
            events=[event.key],
            evidence=[event.key],
            message=(
                f"{event.title} concerning "
                f"{facts.describe(cid, event.occurred_at)} was closed on "
                f"{day(event.closed_at or event.occurred_at)} with no {what}."
            ),
            rule=f"closed child-centred event with no {kind} for the child",
            policy={"child_voice_age": age_line},
            identity=f"{event.key}|{anchor(facts, cid)}",
        )


def child_voice_missing(facts: Facts) -> Iterator[Alert]:
    age_line = facts.policy.protection.child_voice_age
    for event, cid, age in _closed_child_centred(facts):
        kind, what = (
            ("child_views", "views of the child")
            if age is None or age >= age_line
            else ("child_demeanour", "demeanour of the child")
        )
        if event.first(kind, cid):
            continue
        yield make(
            facts,
            "CHILD_VOICE_MISSING",
            status="open",
            about=[cid],
            events=[event.key],
            evidence=[event.key],
            message=(
                f"{event.title} concerning "
                f"{facts.describe(cid, event.occurred_at)} was closed with no {what} recorded."
            ),
            rule=(
                f"closed child-centred event without child_views (aged {age_line}+) or "
                "child_demeanour (younger)"
            ),
            policy={"child_voice_age": age_line},
            identity=f"{event.key}|{anchor(facts, cid)}",
        )


def outcome_missing(facts: Facts) -> Iterator[Alert]:
    yield from _closed_missing(
        facts, "OUTCOME_MISSING", "outcome", "outcome for the child recorded", older=False
    )


def child_not_informed(facts: Facts) -> Iterator[Alert]:
    yield from _closed_missing(
        facts,
        "CHILD_NOT_INFORMED",
        "child_informed",
        "record that the child was told the decision",
        older=True,
    )


RULES = {
    "OTHER_CHILDREN_AT_RISK": other_children_at_risk,
    "RSO_CONTACT_WITH_CHILD": rso_contact_with_child,
    "CSE_NETWORK": cse_network,
    "CHILD_VOICE_MISSING": child_voice_missing,
    "OUTCOME_MISSING": outcome_missing,
    "CHILD_NOT_INFORMED": child_not_informed,
}
