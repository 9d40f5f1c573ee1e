"""Good practice, as a force records it: the packages of actions each kind of event needs.

Every action here is made before its time limit in spec/alerts.md, so background events raise
no alert; patterns (patterns.py) leave one step out, late, or just in time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from safeguard.synth import clock
from safeguard.synth.force import Force, Officer
from safeguard.synth.identity import Human
from safeguard.synth.rates import AS_OF, SPAN_DAYS

LEVELS = ("no_apparent_risk", "low", "medium", "high")


def moment(force: Force, lo_days: int, hi_days: int, hours: tuple[int, int] = (8, 23)) -> datetime:
    """A time between ``hi_days`` and ``lo_days`` days before the data end."""
    day = clock.uk_day(AS_OF) - timedelta(days=force.rng.randrange(lo_days, hi_days + 1))
    return clock.local(day, force.rng.randrange(*hours), force.rng.choice((0, 10, 20, 30, 45)))


def in_span(force: Force, lo_days: int = 5) -> datetime:
    return moment(force, lo_days, SPAN_DAYS - 5)


def age_at(h: Human, at: datetime) -> int:
    return h.age(clock.uk_day(at))


def child_voice(
    force: Force,
    event: str,
    children: list[tuple[Human, str]],
    at: datetime,
    *,
    skip: tuple[str, str] | None = None,
) -> None:
    """Demeanour, views, being told, outcome: per child (views and told from age 4).

    ``skip`` is (action kind, child key) left out by a pattern."""
    for h, key in children:
        kinds = ["child_demeanour", "outcome"]
        if age_at(h, at) >= 4:
            kinds += ["child_views", "child_informed"]
        for i, kind in enumerate(kinds):
            if skip != (kind, key):
                force.action(kind, at + timedelta(minutes=10 * i), event, person=key)


def refer(force: Force, event: str, keys: list[str], reported: datetime, by: str | None) -> None:
    for key in keys:
        force.action("referral_to_csc", reported + timedelta(hours=2), event, person=key, by=by)


def protective(
    force: Force, event: str, reported: datetime, by: str | None
) -> tuple[datetime, datetime]:
    """Strategy discussion the next working day, protective plan five working days on."""
    strategy = clock.on_working_day(reported, 1, 11)
    force.action("strategy_discussion", strategy, event, by=by)
    plan = clock.on_working_day(strategy, 5, 15)
    force.action("protective_plan", plan, event, by=by)
    return strategy, plan


def supervise(
    force: Force, event: str, start: datetime, end: datetime | None, officer: Officer
) -> None:
    """Supervision reviews at most 24 days apart while the case is open."""
    stop = min(end or AS_OF, AS_OF)
    at = start + timedelta(days=force.rng.randrange(10, 22))
    while at <= stop:
        force.action("supervision_review", at, event, by=officer.key)
        at += timedelta(days=force.rng.randrange(12, 24))


def allocate(force: Force, event: str, at: datetime, officer: Officer) -> None:
    force.action("allocation", at, event, by=officer.key, details={"officer": officer.key})


def missing_risk(age: int, earlier_12m: int, looked_after: bool) -> str:
    """Computed missing risk (alerts.md) for a child with no CSE indicator and no flags."""
    if age < 12:
        return "high"
    if earlier_12m >= 3 or looked_after:
        return "medium"
    return "low"


def higher(a: str, b: str) -> str:
    return a if LEVELS.index(a) >= LEVELS.index(b) else b
