"""Households: people by age, families and their relations, homes and moves, phones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from safeguard.synth import clock
from safeguard.synth.force import Force
from safeguard.synth.geography import TOWN_WEIGHTS, TOWNS, Town
from safeguard.synth.identity import AS_OF_DAY, Human
from safeguard.synth.names import FAMILY, GIVEN_F, GIVEN_M, STREETS
from safeguard.synth.rates import (
    HOUSEHOLD_MIX,
    LCS_KNOWN_FAMILIES,
    MOVED,
    PHONE_ADULT,
    PHONE_CHILD_12_PLUS,
    SPAN_DAYS,
    STORM_DUPLICATE,
    TWIN_SHARE,
)

START_DAY = AS_OF_DAY - timedelta(days=SPAN_DAYS)
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass
class Household:
    kind: str
    town: Town
    home: str
    home_since: datetime
    adults: list[Human] = field(default_factory=list)
    children: list[Human] = field(default_factory=list)
    elsewhere: list[Human] = field(default_factory=list)  # parents living apart

    @property
    def members(self) -> list[Human]:
        return self.adults + self.children

    def size(self) -> int:
        return len(self.members) + len(self.elsewhere)


def dob_for_age(force: Force, age: int) -> date:
    return AS_OF_DAY - timedelta(days=age * 365 + age // 4 + force.rng.randrange(365))


def given_name(force: Force, sex: str) -> str:
    return force.rng.choice(GIVEN_F if sex == "F" else GIVEN_M)


def make_person(
    force: Force, sex: str, age: int, family: str | None = None, maiden: str | None = None
) -> Human:
    h = force.human(
        given_name(force, sex),
        family or force.rng.choice(FAMILY),
        sex,
        dob_for_age(force, age),
        maiden,
    )
    if force.rng.random() < STORM_DUPLICATE:
        force.key(h, "storm", duplicate=True)
    return h


def new_address(force: Force, town: Town, kind: str = "home", name: str = "") -> str:
    rng = force.rng
    street = f"{rng.randrange(1, 180)} {rng.choice(STREETS)}"
    postcode = (
        f"{town.postcode_district} {rng.randrange(1, 10)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
    )
    address = f"{name + ', ' if name else ''}{street}, {town.name}"
    return force.write("location", "storm", "L", address=address, postcode=postcode, kind=kind)


def reside(force: Force, h: Human, location: str, since: datetime, until: datetime | None) -> None:
    force.write(
        "residence",
        "storm",
        "RS",
        person=h.keys["storm"],
        location=location,
        since=clock.day_text(clock.uk_day(since)),
        until=clock.day_text(clock.uk_day(until)) if until else None,
    )


def relate(force: Force, a: Human, b: Human, kind: str, since: date | None = None) -> None:
    force.write(
        "relation",
        "storm",
        "R",
        a=a.keys["storm"],
        b=b.keys["storm"],
        kind=kind,
        since=since.isoformat() if since else None,
    )


def phone(force: Force, h: Human) -> None:
    number = force.new_id("storm", "phone-number")[len("phone-number") :]
    obj = force.write("object", "storm", "PH", kind="phone", value=f"07700{int(number):06d}")
    since = max(START_DAY - timedelta(days=force.rng.randrange(2000)), h.dob + timedelta(4400))
    force.write("uses", "storm", "U", person=h.keys["storm"], object=obj, since=since.isoformat())


def _pick_town(force: Force) -> Town:
    return force.rng.choices(TOWNS, weights=TOWN_WEIGHTS)[0]


def _home(
    force: Force, town: Town, members: list[Human], kind: str = "home"
) -> tuple[str, datetime]:
    """A current home, and for a share of households the one they moved from in the span."""
    rng = force.rng
    youngest = max(h.dob for h in members)
    if rng.random() < MOVED:
        moved = clock.local(START_DAY + timedelta(days=rng.randrange(SPAN_DAYS - 30)), 12)
        if clock.uk_day(moved) > youngest:
            before = new_address(force, town)
            for h in members:
                reside(
                    force,
                    h,
                    before,
                    clock.local(max(h.dob, START_DAY - timedelta(2000)), 12),
                    moved,
                )
            home = new_address(force, town, kind)
            for h in members:
                reside(force, h, home, moved, None)
            return home, moved
    since = clock.local(max(youngest, START_DAY - timedelta(days=rng.randrange(3000))), 12)
    home = new_address(force, town, kind)
    for h in members:
        reside(force, h, home, since, None)
    return home, since


def _children(force: Force, family: str, mother_age: int) -> list[Human]:
    rng = force.rng
    count = rng.choices((1, 2, 3), weights=(40, 40, 20))[0]
    kids: list[Human] = []
    for _ in range(count):
        age = rng.randrange(0, min(20, mother_age - 17))
        sex = rng.choice("FM")
        kid = make_person(force, sex, age, family)
        kids.append(kid)
        if rng.random() < TWIN_SHARE:
            name = given_name(force, sex)
            while name == kid.given:  # twins never share a given name
                name = given_name(force, sex)
            kids.append(force.human(name, family, sex, kid.dob))
    return kids


def _family_ties(force: Force, parents: list[Human], kids: list[Human]) -> None:
    for p in parents:
        for k in kids:
            relate(force, p, k, "parent_of", k.dob)
    for i, a in enumerate(kids):
        for b in kids[i + 1 :]:
            relate(force, a, b, "sibling")


def _couple(force: Force, lo: int, hi: int) -> list[Human]:
    rng = force.rng
    age = rng.randrange(lo, hi)
    family = rng.choice(FAMILY)
    maiden = rng.choice(FAMILY) if rng.random() < 0.7 else None
    her = make_person(force, "F", age, family if maiden else None, maiden)
    him = make_person(force, "M", max(18, age + rng.randrange(-3, 6)), family)
    relate(force, her, him, "partner", START_DAY - timedelta(days=rng.randrange(300, 6000)))
    return [her, him]


def make_household(force: Force) -> Household:
    rng = force.rng
    kind = rng.choices(list(HOUSEHOLD_MIX), weights=list(HOUSEHOLD_MIX.values()))[0]
    town = _pick_town(force)
    adults: list[Human] = []
    kids: list[Human] = []
    elsewhere: list[Human] = []
    if kind == "single":
        adults = [make_person(force, rng.choice("FM"), rng.randrange(20, 90))]
    elif kind == "couple":
        adults = _couple(force, 22, 65)
    elif kind == "older_couple":
        adults = _couple(force, 65, 88)
    elif kind == "couple_children":
        adults = _couple(force, 24, 52)
        kids = _children(force, adults[1].family, adults[0].age())
        _family_ties(force, adults, kids)
    else:  # lone parent, the other parent often living elsewhere in the county
        mother = make_person(force, "F", rng.randrange(20, 50))
        adults = [mother]
        father_family = rng.choice(FAMILY)
        kids = _children(force, father_family, mother.age())
        _family_ties(force, [mother], kids)
        if rng.random() < 0.6:
            father = make_person(force, "M", mother.age() + rng.randrange(0, 6), father_family)
            elsewhere = [father]
            _family_ties(force, [father], kids)
            relate(force, mother, father, "ex_partner")
            _home(force, _pick_town(force), [father])
    home, since = _home(force, town, adults + kids)
    for h in adults + kids + elsewhere:
        if (h.age() >= 18 and rng.random() < PHONE_ADULT) or (
            12 <= h.age() < 18 and rng.random() < PHONE_CHILD_12_PLUS
        ):
            phone(force, h)
    if kids and rng.random() < LCS_KNOWN_FAMILIES:
        for h in [adults[0], *kids]:
            force.key(h, "lcs")
    return Household(kind, town, home, since, adults, kids, elsewhere)
