"""Synthetic person keys with known truth, for training the stored model and for benchmarks.

Every name, date and number here is generated; none is a real person's. Each true person
gets one to three keys; each copy after the first carries variations of the kinds linkage
must survive, and the kind is recorded so accuracy can be reported by kind of variation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from safeguard.linkage.features import PersonRow

FEMALE = (
    "amelia olivia isla ava emily sophie grace lily chloe jessica ella mia ruby evie "
    "charlotte lucy megan hannah holly katherine rebecca gemma karen rachel sarah laura "
    "emma nicola victoria natalie jennifer leah zoe bethany abigail georgia eleanor jasmine "
    "kayleigh chelsea claire tracy lindsay louise samantha stephanie danielle alexandra "
    "margaret elizabeth susan deborah patricia mary dorothy harriet madison amy"
).split()
MALE = (
    "oliver jack harry jacob charlie thomas george oscar james william noah alfie joshua "
    "muhammad leo freddie henry archie ethan isaac alexander joseph samuel daniel logan "
    "callum kieran connor ryan lewis jayden tyler kyle liam sean steven michael robert "
    "richard christopher matthew andrew anthony benjamin nicholas edward david peter philip "
    "gary stuart ian neil carl jonathan timothy gregory nathan zachary brandon"
).split()
NICKS = {
    "katherine": ["kate", "katie", "cathy"],
    "steven": ["steve", "stevie"],
    "jayden": ["jaden", "jaiden"],
    "william": ["will", "bill"],
    "robert": ["rob", "bob"],
    "richard": ["rich", "rick"],
    "james": ["jim", "jamie"],
    "michael": ["mike", "mick"],
    "thomas": ["tom", "tommy"],
    "christopher": ["chris"],
    "daniel": ["dan", "danny"],
    "matthew": ["matt"],
    "andrew": ["andy"],
    "anthony": ["tony"],
    "alexander": ["alex"],
    "benjamin": ["ben"],
    "samuel": ["sam"],
    "nicholas": ["nick"],
    "edward": ["ed", "ted"],
    "elizabeth": ["liz", "beth"],
    "margaret": ["maggie", "peggy"],
    "rebecca": ["becky"],
    "jennifer": ["jen", "jenny"],
    "jessica": ["jess"],
    "victoria": ["vicky", "tori"],
    "abigail": ["abi", "abby"],
    "deborah": ["debbie"],
    "susan": ["sue"],
    "samantha": ["sam"],
    "joshua": ["josh"],
    "joseph": ["joe"],
    "callum": ["calum"],
    "muhammad": ["mohammed", "mohammad"],
    "stephanie": ["steph"],
    "natalie": ["nat"],
}
SURNAMES = (
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson "
    "thompson wright walker white edwards hughes green hall lewis harris clarke patel "
    "jackson wood turner martin cooper hill ward morris moore clark lee king baker harrison "
    "morgan allen james scott phillips watson davis parker price bennett young griffiths "
    "mitchell kelly cook carter richardson bailey collins bell shaw murphy miller cox "
    "richards khan marshall anderson simpson ellis adams singh begum wilkinson foster "
    "chapman powell webb rogers gray mason ali hunt hussain campbell matthews owen palmer "
    "holmes mills barnes knight lloyd butler russell barker fisher stevens jenkins murray "
    "dixon harvey graham pearson ahmed fletcher walsh kaur gibson howard andrews stewart "
    "elliott reynolds saunders payne fox ford pearce day brooks west lawrence cole atkinson "
    "bradley spencer gill dawson ball burton o'brien watts rose booth perry ryan grant wells "
    "armstrong francis rees hayes hart hudson newman barrett webster hunter gregory carr "
    "lowe page marsh riley dennis stone rowe hodgson birkett thwaite ashby rigg dent"
).split()
SYLLABLES = (
    "al an ar ber bur by cal car dal den ford gar ham hol ing kin ley lin mar mor ner ric son "
    "ton war wick worth"
).split()
STREETS = "mill church station park victoria high chapel school green queen main king".split()
TOWNS = "penrith carlisle kendal workington whitehaven barrow keswick ulverston".split()
SUFFIXES = "road street lane close avenue terrace".split()


@dataclass
class Generated:
    people: list[PersonRow]
    truth: dict[int, int]  # person id -> true entity
    variation: dict[int, str]  # person id of each copy -> the kinds of variation it carries


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:
        return word[:i] + word[i + 1 :]
    if op == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    letter = rng.choice("aeiourstnlm")
    return word[:i] + letter + word[i + (op == 2) :]


def _home(rng: random.Random, area: int) -> tuple[str, str]:
    """A postcode and an address in it: a postcode is one street in one town, as a unit
    postcode is, with a few hundred numbers, so that a household's address is shared by a
    household and not by a force (12 street names over a force made every address a
    block of dozens)."""
    street = random.Random(area)
    if street.random() < 0.3:
        name = street.choice(STREETS)
    else:
        name = "".join(street.choice(SYLLABLES) for _ in range(2))
    town = TOWNS[area % len(TOWNS)]
    postcode = (
        f"CA{area % 99 + 1} {area // 99 % 10}{chr(65 + area % 26)}{chr(65 + area // 26 % 26)}"
    )
    return postcode, f"{rng.randrange(1, 200)} {name} {street.choice(SUFFIXES)} {town}"


def _family(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return SURNAMES[int(len(SURNAMES) * rng.random() ** 2.5)]
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3))))


def _dob_variant(rng: random.Random, dob: date) -> tuple[date, str]:
    if rng.random() < 0.5 and dob.day <= 12 and dob.day != dob.month:
        return dob.replace(month=dob.day, day=dob.month), "dob transposed"
    text = dob.isoformat()
    for _ in range(10):
        pos = rng.choice((2, 3, 5, 6, 8, 9))
        candidate = text[:pos] + str(rng.randrange(10)) + text[pos + 1 :]
        try:
            new = date.fromisoformat(candidate)
        except ValueError:
            continue
        if new != dob:
            return new, "dob digit"
    return dob, "dob digit"


def _names(rng: random.Random, given: str, family: str) -> tuple[str, str, list[str]]:
    roll = rng.random()
    if roll < 0.2:
        return _typo(rng, given), family, ["given typo"]
    if roll < 0.35 and given in NICKS:
        return rng.choice(NICKS[given]), family, ["nickname"]
    if roll < 0.5:
        return given, _typo(rng, family), ["family typo"]
    if roll < 0.55:
        return family, given, ["names swapped"]
    return given, family, []


def _copy(
    rng: random.Random, base: PersonRow, pid: int, key: str, n_areas: int
) -> tuple[PersonRow, str]:
    given, family, kinds = _names(rng, base.given or "", base.family or "")
    dob, postcode, address, sex = base.dob, base.postcode, base.address, base.sex
    if dob and rng.random() < 0.15:
        dob, kind = _dob_variant(rng, dob)
        kinds.append(kind)
    roll = rng.random()
    if roll < 0.25:
        postcode, address = None, None
        kinds.append("no address")
    elif roll < 0.35:
        postcode, address = _home(rng, rng.randrange(n_areas))
        kinds.append("moved")
    elif roll < 0.45 and address:
        address = _typo(rng, address)
        kinds.append("address typo")
    if postcode and rng.random() < 0.05:
        postcode = _typo(rng, postcode.replace(" ", "")).upper()
        kinds.append("postcode typo")
    if rng.random() < 0.3:
        sex = None
    elif rng.random() < 0.01:
        sex = {"F": "M", "M": "F"}.get(sex or "", sex)
        kinds.append("sex miskeyed")
    if dob and rng.random() < 0.05:
        dob = None
        kinds.append("no dob")
    row = PersonRow(pid, key, given, family, dob, sex, address=address, postcode=postcode)
    if base.phones and rng.random() < 0.3:
        row.phones = list(base.phones)
    elif base.phones and rng.random() < 0.1:
        row.phones = [f"07{rng.randrange(10**9):09d}"]
    return row, ", ".join(kinds) or "exact copy"


def generate(n_people: int, *, seed: int = 7, copies: tuple[int, ...] = (1, 1, 2, 3)) -> Generated:
    """About ``n_people * mean(copies)`` keys."""
    rng = random.Random(seed)
    people: list[PersonRow] = []
    truth: dict[int, int] = {}
    variation: dict[int, str] = {}
    start = date(1940, 1, 1)
    n_areas = max(n_people // 15, 1)
    for entity in range(n_people):
        sex = rng.choice("FM")
        given = rng.choice(FEMALE if sex == "F" else MALE)
        dob = start + timedelta(days=rng.randrange(80 * 365))
        postcode, street = _home(rng, rng.randrange(n_areas))
        phone = f"07{rng.randrange(10**9):09d}" if rng.random() < 0.4 else None
        base = PersonRow(
            len(people) + 1,
            f"syn:{entity}-0",
            given,
            _family(rng),
            dob,
            sex,
            address=street,
            postcode=postcode,
            phones=[phone] if phone else [],
        )
        people.append(base)
        truth[base.id] = entity
        for c in range(1, rng.choice(copies)):
            pid = len(people) + 1
            row, kinds = _copy(rng, base, pid, f"syn{c}:{entity}-{c}", n_areas)
            people.append(row)
            truth[pid] = entity
            variation[pid] = kinds
    return Generated(people, truth, variation)
