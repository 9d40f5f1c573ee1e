"""Generate the synthetic force: ``generate_force(people=..., seed=..., out=...)``.

Households are made one at a time and written at once, so memory stays flat whatever the
size. Background stories are handed to households so that each kind of event keeps pace with
its yearly volume (a running target, not a dice roll, so small forces hit their rates too);
alert patterns are spread evenly through the run.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeguard.synth import clock
from safeguard.synth.force import Force
from safeguard.synth.patterns import PATTERNS
from safeguard.synth.population import Household, make_household
from safeguard.synth.rates import (
    AS_OF,
    MISSING_LOOKED_AFTER_SHARE,
    NEAR_MISS_PER_100K,
    PATTERN_MIN,
    PATTERN_PER_100K,
    RSO_PER_1000,
    SPAN_DAYS,
    VOLUME_PER_1000,
)
from safeguard.synth.sink import SOURCES, TRUTH_FILE, Sink
from safeguard.synth.staff import write_staff
from safeguard.synth.stories import STORIES, missing_care, rso_eligible, rso_story

YEARS = SPAN_DAYS / 365.25


@dataclass
class Summary:
    people: int
    seed: int
    out: Path
    officers: int
    records: Counter[tuple[str, str]]
    events: Counter[str]
    alerts: int
    files: list[Path] = field(default_factory=list)

    def by_record(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for (_, record), n in self.records.items():
            total[record] += n
        return total


def pattern_plan(people: int) -> list[tuple[str, bool]]:
    """Which patterns to inject, interleaved so that every code is spread through the run."""
    pos = max(PATTERN_MIN, round(PATTERN_PER_100K * people / 100_000))
    near = max(PATTERN_MIN, round(NEAR_MISS_PER_100K * people / 100_000))
    plan: list[tuple[str, bool]] = []
    for i in range(max(pos, near)):
        for code in PATTERNS:
            if i < pos:
                plan.append((code, True))
            if i < near:
                plan.append((code, False))
    return plan


class Scheduler:
    """Keeps every kind of background event on its yearly volume per 1,000 population."""

    def __init__(self, force: Force) -> None:
        self.force = force
        self.made: Counter[str] = Counter()

    def target(self, kind: str, people: int) -> float:
        if kind == "rso":
            return RSO_PER_1000 * people / 1000
        if kind == "missing_care":
            return (
                VOLUME_PER_1000["missing_episode"]
                * MISSING_LOOKED_AFTER_SHARE
                * YEARS
                * people
                / 1000
            )
        rate = VOLUME_PER_1000.get(kind, VOLUME_PER_1000.get("sexual_offence", 0.0))
        if kind == "missing_episode":
            rate *= 1 - MISSING_LOOKED_AFTER_SHARE
        if kind == "physical_abuse":
            rate = 0.5
        return rate * YEARS * people / 1000

    def deficit(self, kind: str, people: int) -> float:
        """Target less what is made, patterns included (they are part of the volume too)."""
        made = self.force.events
        if kind == "rso":
            done = made["rso_management"]
        elif kind == "missing_care":
            done = self.made["missing_care"]
        elif kind == "missing_episode":
            done = made["missing_episode"] - self.made["missing_care"]
        else:
            done = made[kind]
        return self.target(kind, people) - done

    def after(self, household: Household, people: int) -> None:
        force = self.force
        if self.deficit("missing_care", people) > 0:
            self.made["missing_care"] += missing_care(force)
        kinds = [k for k, (ok, _) in STORIES.items() if ok(household)]
        if rso_eligible(household):
            kinds.append("rso")
        wanting = [(self.deficit(k, people), k) for k in kinds]
        wanting = [(d, k) for d, k in wanting if d > 0]
        if not wanting:
            return
        _, kind = max(wanting)
        if kind == "rso":
            rso_story(force, household)
        else:
            STORIES[kind][1](force, household)


def generate_force(*, people: int, seed: int, out: Path) -> Summary:
    """Write the force's source files and truth file into ``out``; same seed, same bytes."""
    with Sink(out) as sink:
        force = Force(seed=seed, sink=sink)
        sink.truth(_meta(people, seed))
        officers = write_staff(force, people)
        scheduler = Scheduler(force)
        plan = pattern_plan(people)
        step = people / (len(plan) + 1)
        done = 0
        while (made := force.next_pid - 1) < people:
            household = make_household(force)
            made = force.next_pid - 1
            scheduler.after(household, made)
            while done < len(plan) and (done + 1) * step <= made:
                code, fires = plan[done]
                PATTERNS[code](force, fires)
                done += 1
            force.flush_people()
        for code, fires in plan[done:]:
            PATTERNS[code](force, fires)
        force.flush_people()
        return Summary(
            people=force.next_pid - 1,
            seed=seed,
            out=out,
            officers=officers,
            records=Counter(sink.counts),
            events=Counter(force.events),
            alerts=force.alerts,
            files=sink.paths(),
        )


def _meta(people: int, seed: int) -> dict[str, Any]:
    return {
        "truth": "meta",
        "format": 1,
        "people_requested": people,
        "seed": seed,
        "as_of": clock.text(AS_OF),
        "span_days": SPAN_DAYS,
        "files": [f"{s}.jsonl" for s in SOURCES],
        "truth_file": TRUTH_FILE,
        "note": "alerts: expect true = must fire; expect false = near miss that must not fire",
    }


def read_truth(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]
