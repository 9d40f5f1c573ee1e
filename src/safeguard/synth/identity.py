"""True people and the keys they carry in each source, with realistic variation."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from safeguard.synth.names import NICKNAMES
from safeguard.synth.rates import AS_OF, VARIATION

AS_OF_DAY = AS_OF.date()
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Human:
    """A real (synthetic) person: the truth behind every key."""

    pid: int
    given: str
    family: str
    sex: str
    dob: date
    maiden: str | None = None
    keys: dict[str, str] = field(default_factory=dict)  # first key in each source
    variations: dict[str, list[str]] = field(default_factory=dict)  # key -> variations

    @property
    def tid(self) -> str:
        return f"T{self.pid}"

    def age(self, on: date = AS_OF_DAY) -> int:
        years = on.year - self.dob.year
        return years - ((on.month, on.day) < (self.dob.month, self.dob.day))

    def all_keys(self) -> list[str]:
        return list(self.variations)


def typo(rng: random.Random, word: str) -> str:
    """One keying error: a dropped, doubled, swapped or wrong letter."""
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    how = rng.randrange(4)
    if how == 0:
        return word[:i] + word[i + 1 :]
    if how == 1:
        return word[:i] + word[i] + word[i:]
    if how == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    letter = rng.choice(LETTERS.replace(word[i].lower(), ""))
    return word[:i] + letter + word[i + 1 :]


def _swapped(dob: date) -> date | None:
    if dob.day > 12 or dob.day == dob.month:
        return None
    try:
        return date(dob.year, dob.day, dob.month)
    except ValueError:
        return None


def _dob_typo(rng: random.Random, dob: date) -> date:
    for delta in (rng.choice((-1, 1, 10, -10)), 1, -1):
        try:
            return date(dob.year, dob.month, dob.day + delta)
        except ValueError:
            continue
    return dob


def varied(rng: random.Random, h: Human) -> tuple[str, str, str | None, list[str]]:
    """Given name, family name, dob text and the variations applied, for a second key.

    Dates of birth vary only for people 21 or over at the data end, so that no variant key
    changes whether a person counts as a child (or is 4 or over) in any rule.
    """
    given, family, dob = h.given, h.family, h.dob
    applied: list[str] = []
    if h.maiden and rng.random() < VARIATION["family_changed"]:
        family = h.maiden
        applied.append("family_changed")
    if given in NICKNAMES and rng.random() < VARIATION["nickname"]:
        given = rng.choice(NICKNAMES[given])
        applied.append("nickname")
    if rng.random() < VARIATION["typo_given"]:
        given = typo(rng, given)
        applied.append("typo_given")
    if rng.random() < VARIATION["typo_family"]:
        family = typo(rng, family)
        applied.append("typo_family")
    if rng.random() < VARIATION["swap_names"]:
        given, family = family, given
        applied.append("swap_names")
    dob_text: str | None = dob.isoformat()
    if h.age() >= 21:
        roll = rng.random()
        swap_until = VARIATION["dob_missing"] + VARIATION["dob_swap"]
        swapped = _swapped(dob)
        if roll < VARIATION["dob_missing"]:
            dob_text = None
            applied.append("dob_missing")
        elif roll < swap_until:
            if swapped:  # only a day of 12 or less can pass for a month
                dob_text = swapped.isoformat()
                applied.append("dob_swap")
        elif roll < swap_until + VARIATION["dob_typo"]:
            dob_text = _dob_typo(rng, dob).isoformat()
            applied.append("dob_typo")
    return given, family, dob_text, applied
