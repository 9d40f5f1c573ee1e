"""Missing children, exploitation and domestic abuse."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta

from safeguard.quality.records import Case, Records
from safeguard.quality.registry import Period, Unit, figure, month_of, occurred_in

YEAR = timedelta(days=365)


@figure("missing_repeat", "Missing and exploitation", "Children becoming repeat missing", "count")
def repeat_missing(records: Records, period: Period) -> Iterator[Unit]:
    """Children whose third missing episode within 90 days occurred in the period, counted at
    that episode (a child can be counted again after a fresh run of episodes)."""
    by_child: dict[str, list[Case]] = defaultdict(list)
    for case in records.cases:
        if case.kind == "missing_episode":
            for child in case.children("missing_person"):
                by_child[child.key].append(case)
    for key, cases in by_child.items():
        cases.sort(key=lambda c: c.occurred_at)
        for i, case in enumerate(cases):
            window = [
                c for c in cases[: i + 1] if case.occurred_at - c.occurred_at <= timedelta(days=90)
            ]
            if period.holds(case.occurred_at) and len(window) == 3:
                yield Unit(case.area, month_of(case.occurred_at), (key, *(c.key for c in window)))


@figure(
    "missing_cse", "Missing and exploitation", "Missing episodes of children with CSE risk", "share"
)
def missing_with_cse(records: Records, period: Period) -> Iterator[Unit]:
    """Of missing episodes in the period: the share whose child has a CSE risk flag, or a CSE
    concern or CSE indicator recorded on an event in the 12 months before the episode."""
    flagged = {f.person_id for f in records.flags_of("cse_risk")}
    indicated: dict[int, list[Case]] = defaultdict(list)
    for case in records.cases:
        if case.kind == "cse_concern" or case.details.get("indicators"):
            for child in case.children():
                indicated[child.person_id].append(case)
    for case in occurred_in(records, period):
        if case.kind != "missing_episode":
            continue
        for child in case.children("missing_person"):
            evidence = [
                c.key
                for c in indicated.get(child.person_id, [])
                if timedelta(0) <= case.occurred_at - c.occurred_at <= YEAR
            ]
            met = child.person_id in flagged or bool(evidence)
            yield Unit(
                case.area, month_of(case.occurred_at), (case.key, child.key, *evidence), met=met
            )


@figure("da_repeat", "Domestic abuse", "Repeat domestic abuse victims", "share")
def da_repeat(records: Records, period: Period) -> Iterator[Unit]:
    """Of domestic abuse events in the period, per victim: the share where the victim had
    another domestic abuse event in the 12 months before."""
    seen: dict[int, list[Case]] = defaultdict(list)
    for case in sorted(records.cases, key=lambda c: c.occurred_at):
        if case.kind != "domestic_abuse":
            continue
        for victim in case.with_role("victim"):
            earlier = [
                c.key for c in seen[victim.person_id] if case.occurred_at - c.occurred_at <= YEAR
            ]
            if period.holds(case.occurred_at):
                keys = (case.key, victim.key, *earlier)
                yield Unit(case.area, month_of(case.occurred_at), keys, met=bool(earlier))
            seen[victim.person_id].append(case)


def _shares_party(a: Case, b: Case) -> bool:
    parties = {p.person_id for p in a.with_role("victim", "suspect")}
    if parties & {p.person_id for p in b.with_role("victim", "suspect")}:
        return True
    return a.location_id is not None and a.location_id == b.location_id


@figure("da_cumulative", "Domestic abuse", "Cumulative-risk cases not referred to MARAC", "count")
def da_cumulative(records: Records, period: Period) -> Iterator[Unit]:
    """Domestic abuse events in the period that are the third or later in 12 months sharing a
    victim, suspect or address, none of them referred to MARAC, with a child present in at
    least one (the DA_CUMULATIVE_RISK pattern)."""
    cases = sorted(
        (c for c in records.cases if c.kind == "domestic_abuse" and not c.first("marac_referral")),
        key=lambda c: c.occurred_at,
    )
    for i, case in enumerate(cases):
        if not period.holds(case.occurred_at):
            continue
        related = [
            c
            for c in cases[: i + 1]
            if case.occurred_at - c.occurred_at <= YEAR and _shares_party(case, c)
        ]
        child = any(
            c.with_role("child_present") or c.details.get("children_present") for c in related
        )
        if len(related) >= 3 and child:
            yield Unit(case.area, month_of(case.occurred_at), tuple(c.key for c in related))


@figure("marac_referrals", "Domestic abuse", "MARAC referrals", "count")
def marac_referrals(records: Records, period: Period) -> Iterator[Unit]:
    """Referrals to a multi-agency risk assessment conference (MARAC) made in the period, on
    events loaded for the report."""
    for case in records.cases:
        for act in case.all("marac_referral"):
            if period.holds(act.at):
                yield Unit(case.area, month_of(act.at), (case.key, act.key))
