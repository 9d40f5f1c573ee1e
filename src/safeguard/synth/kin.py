"""Households built to order for patterns: given ages or exact dates of birth."""

from __future__ import annotations

from datetime import date, timedelta

from safeguard.synth import clock
from safeguard.synth.force import Force
from safeguard.synth.identity import Human
from safeguard.synth.names import FAMILY
from safeguard.synth.population import (
    Household,
    _pick_town,
    given_name,
    make_person,
    new_address,
    relate,
    reside,
)
from safeguard.synth.rates import AS_OF

Age = int | date


def person(force: Force, sex: str, age: Age, family: str | None = None) -> Human:
    if isinstance(age, date):
        return force.human(given_name(force, sex), family or force.rng.choice(FAMILY), sex, age)
    return make_person(force, sex, age, family)


def family(force: Force, kids: list[Age], *, parents: int = 2) -> Household:
    """A family at one home since well before the span: parents (mother first) and children."""
    rng = force.rng
    surname = rng.choice(FAMILY)
    adults = [person(force, "F", rng.randrange(34, 44), surname)]
    if parents == 2:
        adults.append(person(force, "M", rng.randrange(36, 48), surname))
        relate(force, adults[0], adults[1], "partner")
    children = [person(force, rng.choice("FM"), k, surname) for k in kids]
    for p in adults:
        for c in children:
            relate(force, p, c, "parent_of", c.dob)
    for i, a in enumerate(children):
        for b in children[i + 1 :]:
            relate(force, a, b, "sibling")
    town = _pick_town(force)
    home = new_address(force, town)
    since = clock.local(AS_OF.date() - timedelta(days=2000), 12)
    for p in adults + children:
        reside(force, p, home, max(since, clock.local(p.dob, 12)), None)
    return Household("pattern", town, home, since, adults, children)


def alone(force: Force, sex: str, age: Age) -> Household:
    town = _pick_town(force)
    h = person(force, sex, age)
    home = new_address(force, town)
    since = clock.local(AS_OF.date() - timedelta(days=1500), 12)
    reside(force, h, home, since, None)
    return Household("pattern", town, home, since, [h], [])
