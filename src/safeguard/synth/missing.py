"""Missing episodes, one child's series at a time, with the truth of repeat missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from safeguard.synth import clock
from safeguard.synth.force import Force
from safeguard.synth.identity import Human
from safeguard.synth.practice import age_at, higher, missing_risk
from safeguard.synth.rates import AS_OF

REPEAT_WINDOW = timedelta(days=90)


@dataclass
class Episode:
    key: str
    start: datetime


def episode(
    force: Force,
    child: Human,
    start: datetime,
    *,
    home: str,
    from_care: bool,
    recorded: str,
    away_hours: float = 6.0,
    safe_well_hours: float | None = 3.0,
    return_hours: float | None = 30.0,
    extra: dict[str, Any] | None = None,
    enquiry_at: str | None = None,
) -> Episode:
    """One episode: reported, risk-assessed, found, checked, interviewed, closed."""
    key = child.keys["storm"]
    found = start + timedelta(hours=away_hours)
    reported = start + timedelta(hours=1)
    details: dict[str, Any] = {
        "missing_from": "care" if from_care else "home",
        "reported_missing_at": clock.text(reported),
        "found_at": clock.text(found),
    }
    details.update(extra or {})
    last = found + timedelta(hours=max(return_hours or 0, safe_well_hours or 0, 1))
    event = force.event(
        "storm",
        "missing_episode",
        start,
        [(key, "missing_person")],
        reported=reported,
        closed=last + timedelta(hours=2),
        location=home,
        risk_level=recorded,
        details=details,
    )
    force.action(
        "missing_risk_assessment", reported, event, person=key, details={"level": recorded}
    )
    if safe_well_hours is not None:
        force.action(
            "safe_and_well_check", found + timedelta(hours=safe_well_hours), event, person=key
        )
    if return_hours is not None:
        force.action("return_interview", found + timedelta(hours=return_hours), event, person=key)
    if enquiry_at:
        force.action(
            "enquiry_at_location",
            found + timedelta(hours=2),
            event,
            details={"location": enquiry_at},
        )
    return Episode(event, start)


def _avoid_edges(start: datetime) -> datetime:
    """Keep episodes clear of the 90-day edge so that the truth does not hang on a minute."""
    edge = AS_OF - REPEAT_WINDOW
    if abs(start - edge) < timedelta(days=2):
        return start - timedelta(days=3)
    return start


def earlier_in_year(starts: list[datetime], start: datetime) -> tuple[int, int]:
    """Earlier episodes in the 12 months before ``start``, counting a year as 365 or 366 days."""
    short = sum(1 for s in starts if start - timedelta(days=365) <= s < start)
    long = sum(1 for s in starts if start - timedelta(days=366) <= s < start)
    return short, long


def series(
    force: Force, child: Human, starts: list[datetime], *, home: str, from_care: bool, uplift: float
) -> list[Episode]:
    """A child's episodes, each graded at least at the computed risk (some higher)."""
    starts = sorted(_avoid_edges(s) for s in starts)
    done: list[Episode] = []
    for start in starts:
        short, long = earlier_in_year(starts, start)
        age = age_at(child, start)
        computed = higher(missing_risk(age, short, from_care), missing_risk(age, long, from_care))
        recorded = computed
        if force.rng.random() < uplift and computed != "high":
            recorded = {"low": "medium", "medium": "high"}[computed]
        done.append(
            episode(
                force,
                child,
                start,
                home=home,
                from_care=from_care,
                recorded=recorded,
                away_hours=force.rng.uniform(2, 30),
                safe_well_hours=force.rng.uniform(0.5, 20),
                return_hours=force.rng.uniform(20, 66),
            )
        )
    expect_repeat(force, child, done)
    return done


def expect_repeat(force: Force, child: Human, episodes: list[Episode]) -> None:
    """MISSING_REPEAT truth for every child who went missing: 3+ in 90 days fires, 2 does not."""
    recent = [e.key for e in episodes if AS_OF - REPEAT_WINDOW <= e.start <= AS_OF]
    if len(recent) >= 3:
        force.expect("MISSING_REPEAT", True, [child], recent, note="3+ episodes in 90 days")
    elif len(recent) == 2:
        force.expect("MISSING_REPEAT", False, [child], recent, note="2 episodes in 90 days")
