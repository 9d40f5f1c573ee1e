"""Background events recorded with good practice: the bulk of a force's work.

Each story uses one household (and any people it creates for itself), so that stories never
combine into an alert nobody planned. Stories return how many events of their kind they made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from safeguard.synth import clock
from safeguard.synth.force import Force, Officer
from safeguard.synth.identity import Human
from safeguard.synth.missing import series
from safeguard.synth.population import (
    Household,
    _pick_town,
    make_person,
    new_address,
    phone,
    relate,
    reside,
)
from safeguard.synth.practice import (
    age_at,
    allocate,
    child_voice,
    in_span,
    moment,
    protective,
    refer,
    supervise,
)
from safeguard.synth.rates import AS_OF, MISSING_CHRONIC_SHARE, SPAN_DAYS

Story = Callable[[Force, Household], int]


def kids_under(h: Household, top: int) -> list[Human]:
    return [k for k in h.children if k.age() < top]


def loner(force: Force, sex: str, age: int) -> tuple[Human, str]:
    """An adult living alone, with no relations: a suspect or contact made for one story."""
    town = _pick_town(force)
    h = make_person(force, sex, age)
    home = new_address(force, town)
    reside(force, h, home, clock.local(AS_OF.date() - timedelta(days=1500), 12), None)
    if force.rng.random() < 0.8:
        phone(force, h)
    return h, home


# ---- domestic abuse ----------------------------------------------------------------------
def da_eligible(h: Household) -> bool:
    return (len(h.adults) == 2 and h.kind != "older_couple") or bool(h.elsewhere)


def domestic_abuse(force: Force, h: Household) -> int:
    rng = force.rng
    if h.elsewhere:
        victim, suspect = h.adults[0], h.elsewhere[0]
    else:
        victim, suspect = (h.adults[0], h.adults[1]) if rng.random() < 0.85 else h.adults[::-1]
    count = 1 if rng.random() < 0.7 else 2
    starts = sorted(moment(force, 5, SPAN_DAYS - 5, (17, 23)) for _ in range(count))
    if count == 2 and starts[1] - starts[0] < timedelta(days=20):
        starts = starts[:1]
    for start in starts:
        da_event(force, h, victim, suspect, start)
    return len(starts)


def da_event(force: Force, h: Household, victim: Human, suspect: Human, start: datetime) -> str:
    rng = force.rng
    kids = [k for k in h.children if age_at(k, start) < 18 and k.dob <= start.date()]
    present = kids if kids and rng.random() < 0.7 else []
    dash = rng.choices(
        (rng.randrange(0, 10), rng.randrange(10, 14), rng.randrange(14, 22)), (80, 12, 8)
    )[0]
    level = "high" if dash >= 14 else "medium" if dash >= 10 else "standard"
    people = [(victim.keys["storm"], "victim"), (suspect.keys["storm"], "suspect")]
    people += [(k.keys["storm"], "child_present") for k in present]
    reported = start + timedelta(minutes=20)
    closed = reported + timedelta(days=rng.randrange(2, 25))
    officer = force.officer(h.town.area, "response")
    event = force.event(
        "storm",
        "domestic_abuse",
        start,
        people,
        reported=reported,
        closed=closed,
        location=h.home,
        risk_level=level,
        allocated_to=None,
        details={"dash_yes": dash, "children_present": bool(present)},
    )
    force.action(
        "dash_assessment",
        reported + timedelta(hours=1),
        event,
        person=victim.keys["storm"],
        by=officer.key,
        details={"yes_count": dash, "level": level},
    )
    if rng.random() < 0.5:
        force.action("arrest", reported + timedelta(hours=1), event, person=suspect.keys["storm"])
    child_voice(
        force, event, [(k, k.keys["storm"]) for k in present], reported + timedelta(hours=2)
    )
    if level == "high":
        force.action("marac_referral", reported + timedelta(days=1), event, by=officer.key)
        if present:
            force.action("strategy_discussion", clock.on_working_day(reported, 1, 10), event)
            force.action("marac_meeting", clock.on_working_day(reported, 8, 10), event)
    return event


# ---- missing from home -------------------------------------------------------------------
def missing_eligible(h: Household) -> bool:
    return any(12 <= k.age() <= 16 for k in h.children)


def episode_count(force: Force) -> int:
    """Most children go missing once or twice; one in 25 goes missing 20 times or more."""
    force.missing_children += 1
    if force.missing_children % round(1 / MISSING_CHRONIC_SHARE) == 3:
        return force.rng.randrange(20, 36)
    return min(1 + int(force.rng.expovariate(0.6)), 12)


def spread(force: Force, count: int) -> list[datetime]:
    """Episode starts: chronic runaways run often and recently, others any time."""
    lo = 4
    hi = SPAN_DAYS - 5 if count < 20 else 330
    days = sorted(force.rng.sample(range(lo, hi), count))
    return [moment(force, d, d, (15, 23)) for d in days]


def missing_home(force: Force, h: Household) -> int:
    child = force.rng.choice([k for k in h.children if 12 <= k.age() <= 16])
    starts = spread(force, episode_count(force))
    series(force, child, starts, home=h.home, from_care=False, uplift=0.2)
    return len(starts)


def placement(force: Force) -> tuple[list[Human], str, str]:
    """A children's home (three to five children) or a foster home (carers and one or two)."""
    rng = force.rng
    town = _pick_town(force)
    if rng.random() < 0.4:
        home = new_address(
            force, town, "children_home", f"{rng.choice(('Beck', 'Fell', 'Eden'))} House"
        )
        carers: list[Human] = []
        count = rng.randrange(3, 6)
    else:
        home = new_address(force, town, "foster_home")
        carers = [
            make_person(force, "F", rng.randrange(45, 62)),
            make_person(force, "M", rng.randrange(45, 64)),
        ]
        relate(force, carers[0], carers[1], "partner")
        count = rng.randrange(1, 3)
    children = [make_person(force, rng.choice("FM"), rng.randrange(13, 17)) for _ in range(count)]
    since = clock.local(AS_OF.date() - timedelta(days=SPAN_DAYS + rng.randrange(30, 900)), 12)
    for p in carers + children:
        reside(force, p, home, since, None)
    for c in children:
        for carer in carers:
            relate(force, carer, c, "carer_of", since.date())
        lcs = force.key(c, "lcs")
        force.write(
            "flag",
            "lcs",
            "F",
            person=lcs,
            kind="looked_after_child",
            since=clock.day_text(since.date()),
        )
    return children, home, town.area


def missing_care(force: Force) -> int:
    children, home, _ = placement(force)
    total = 0
    for child in children:
        if force.rng.random() < 0.7:
            starts = spread(force, episode_count(force))
            series(force, child, starts, home=home, from_care=True, uplift=0.2)
            total += len(starts)
    return total


# ---- child concerns and child protection -------------------------------------------------
def concern_eligible(h: Household) -> bool:
    return bool(kids_under(h, 16))


def child_concern(force: Force, h: Household) -> int:
    rng = force.rng
    start = in_span(force, 40)
    kids = [k for k in h.children if age_at(k, start) < 18 and k.dob < start.date()]
    if not kids:
        return 0
    significant = rng.random() < 0.15
    people = [(k.keys["storm"], "subject") for k in kids]
    people += [(a.keys["storm"], "parent_or_carer") for a in h.adults]
    reported = start + timedelta(minutes=30)
    mash = force.officer(h.town.area, "mash")
    details = {"significant_harm": True} if significant else {}
    closed = reported + timedelta(
        days=rng.randrange(20, 40) if significant else rng.randrange(3, 15)
    )
    event = force.event(
        "storm",
        "child_concern",
        start,
        people,
        reported=reported,
        closed=closed,
        location=h.home,
        details=details or None,
    )
    refer(force, event, [k.keys["storm"] for k in kids], reported, mash.key)
    if significant:
        strategy, _ = protective(force, event, reported, mash.key)
        if rng.random() < 0.5:
            s47 = clock.on_working_day(strategy, 1, 10)
            substantiated = rng.random() < 0.6
            force.action(
                "s47_enquiry", s47, event, details={"concerns_substantiated": substantiated}
            )
            if substantiated:
                force.action("icpc", clock.on_working_day(strategy, 10, 10), event)
        for k in kids:
            force.key(k, "lcs")
    child_voice(force, event, [(k, k.keys["storm"]) for k in kids], reported + timedelta(days=1))
    return 1


def ppu_case(
    force: Force,
    kind: str,
    area: str,
    victim: Human,
    suspect: Human | None,
    carers: list[Human],
    start: datetime,
    *,
    indicators: list[str] | None = None,
    investigator: Officer | None = None,
    first_investigator: Officer | None = None,
    arrest_days: int | None = -1,
    open_case: bool = False,
    last_review: datetime | None = None,
) -> tuple[str, str, datetime]:
    """A PPU investigation of harm to a child, with every step in time unless told otherwise.

    ``arrest_days`` -1 means an arrest in the first week and an interview; None means neither.
    ``last_review`` stops supervision at that time (the case stays open)."""
    rng = force.rng
    vkey = force.key(victim, "ppu")
    people = [(vkey, "victim")]
    if suspect:
        people.append((force.key(suspect, "ppu"), "suspect"))
    people += [(force.key(c, "ppu"), "parent_or_carer") for c in carers]
    reported = start + timedelta(hours=rng.randrange(1, 48))
    investigator = investigator or force.officer(area, "ppu_investigator", specialist=True)
    supervisor = force.officer(area, "ppu_supervisor")
    closed = None if open_case else reported + timedelta(days=rng.randrange(30, 160))
    event = force.event(
        "ppu",
        kind,
        start,
        people,
        reported=reported,
        closed=closed,
        allocated_to=investigator.key,
        details={"indicators": indicators} if indicators else None,
    )
    if first_investigator:
        allocate(force, event, reported + timedelta(minutes=30), first_investigator)
    allocate(force, event, reported + timedelta(hours=1), investigator)
    refer(force, event, [vkey], reported, investigator.key)
    protective(force, event, reported, supervisor.key)
    if suspect and arrest_days is not None:
        skey = force.key(suspect, "ppu")
        if arrest_days < 0:
            force.action(
                "arrest", reported + timedelta(days=rng.randrange(0, 6)), event, person=skey
            )
            force.action("suspect_interview", reported + timedelta(days=7), event, person=skey)
        else:
            force.action("arrest", clock.on_day(reported, arrest_days, 18), event, person=skey)
    if last_review is None:
        supervise(force, event, reported, closed, supervisor)
    else:
        at = last_review
        while at > reported + timedelta(days=1):
            force.action("supervision_review", at, event, by=supervisor.key)
            at -= timedelta(days=20)
    if closed:
        child_voice(force, event, [(victim, vkey)], closed - timedelta(days=1))
    force.key(victim, "lcs")
    return event, vkey, reported


PPU_AGES = {
    "sexual_offence": (5, 16),
    "physical_abuse": (1, 15),
    "cse_concern": (13, 16),
    "online_abuse": (10, 16),
}


def child_protection(kind: str) -> tuple[Callable[[Household], bool], Story]:
    lo, hi = PPU_AGES[kind]

    def eligible(h: Household) -> bool:
        return any(lo <= k.age() <= hi for k in h.children)

    def story(force: Force, h: Household) -> int:
        victim = force.rng.choice([k for k in h.children if lo <= k.age() <= hi])
        start = in_span(force, 30)
        if age_at(victim, start) < 1 or start.date() <= victim.dob:
            start = moment(force, 30, 60)
        suspect = None
        if kind != "online_abuse" or force.rng.random() < 0.5:
            suspect, _ = loner(force, "M", force.rng.randrange(24, 60))
        indicators = ["older_adult_association"] if kind == "cse_concern" else None
        ppu_case(force, kind, h.town.area, victim, suspect, h.adults, start, indicators=indicators)
        return 1

    return eligible, story


def police_protection(force: Force, h: Household) -> int:
    rng = force.rng
    start = in_span(force, 10)
    kids = [k for k in h.children if age_at(k, start) < 18 and k.dob < start.date()]
    if not kids:
        return 0
    keys = [k.keys["storm"] for k in kids]
    closed = start + timedelta(hours=rng.randrange(8, 66))
    event = force.event(
        "storm",
        "police_protection",
        start,
        [(k, "subject") for k in keys],
        reported=start,
        closed=closed,
        location=h.home,
    )
    refer(force, event, keys, start, None)
    force.action("strategy_discussion", start + timedelta(hours=4), event)
    force.action("protective_plan", start + timedelta(hours=6), event)
    child_voice(force, event, list(zip(kids, keys, strict=True)), start + timedelta(hours=7))
    for k in kids:
        force.key(k, "lcs")
    return 1


def custody_eligible(h: Household) -> bool:
    return any(13 <= k.age() <= 17 for k in h.children)


def custody(force: Force, h: Household) -> int:
    child = force.rng.choice([k for k in h.children if 13 <= k.age() <= 17])
    start = in_span(force, 10)
    if age_at(child, start) < 12:
        start = moment(force, 10, 60)
    custody_event(force, child, start, h.town.area)
    return 1


def custody_event(force: Force, child: Human, start: datetime, area: str) -> str:
    rng = force.rng
    key = force.key(child, "custody")
    charged = rng.random() < 0.4
    intoxicated = rng.random() < 0.15
    sergeant = force.officer(area, "custody").key
    event = force.event(
        "custody",
        "custody",
        start,
        [(key, "detained_child")],
        reported=start,
        closed=start + timedelta(hours=rng.randrange(6, 20)),
        details={
            "charged": charged,
            "intoxicated": intoxicated,
            "offence": rng.choice(("theft", "criminal damage", "assault", "public order")),
        },
    )
    force.action("appropriate_adult", start + timedelta(hours=1), event, person=key, by=sergeant)
    if intoxicated:
        force.action("hcp_contact", start + timedelta(minutes=30), event, person=key, by=sergeant)
    if charged:
        denied = rng.random() < 0.25
        force.action(
            "bail_decision",
            start + timedelta(hours=4),
            event,
            person=key,
            by=sergeant,
            details={"denied": denied},
        )
        if denied:
            force.action(
                "la_accommodation_request",
                start + timedelta(hours=4, minutes=15),
                event,
                person=key,
            )
            provided = rng.random() < 0.7
            force.action(
                "la_accommodation_response",
                start + timedelta(hours=5),
                event,
                person=key,
                details={"provided": provided},
            )
            if not provided:
                force.action(
                    "bail_review", start + timedelta(hours=5, minutes=30), event, person=key
                )
                force.action(
                    "detention_certificate",
                    start + timedelta(hours=5, minutes=40),
                    event,
                    person=key,
                )
    return event


# ---- registered sex offenders ---------------------------------------------------------
def rso_eligible(h: Household) -> bool:
    return (
        not h.children
        and not h.elsewhere
        and any(a.sex == "M" and 25 <= a.age() <= 75 for a in h.adults)
    )


VISIT_DAYS = {"high": 90, "medium": 180, "low": 365}


def rso(
    force: Force,
    h: Household,
    *,
    level: str | None = None,
    arms_days: int | None = None,
    visit_days: int | None = None,
) -> tuple[Human, str]:
    rng = force.rng
    offender = next(a for a in h.adults if a.sex == "M" and 25 <= a.age() <= 75)
    key = force.key(offender, "visor")
    level = level or rng.choices(("low", "medium", "high"), (40, 45, 15))[0]
    # Flagged as an adult (21 or over), so that no record shows the offender as a child.
    adult_days = (offender.age() - 21) * 365
    since = clock.local(
        AS_OF.date() - timedelta(days=min(rng.randrange(420, 3650), adult_days)), 10
    )
    mosovo = force.officer(h.town.area, "mosovo")
    force.write(
        "flag",
        "visor",
        "F",
        person=key,
        kind="registered_sex_offender",
        since=clock.day_text(since.date()),
        level=level,
        by=mosovo.key,
    )
    event = force.event("visor", "rso_management", since, [(key, "subject")], reported=since)
    arms = arms_days if arms_days is not None else rng.randrange(20, 300)
    force.action(
        "arms_assessment", moment(force, arms, arms, (9, 17)), event, person=key, by=mosovo.key
    )
    interval = VISIT_DAYS[level]
    last = visit_days if visit_days is not None else rng.randrange(5, int(interval * 0.7))
    days_flagged = (AS_OF - since).days
    for back in (b for b in (last + interval // 2 * i for i in range(3)) if b < days_flagged):
        force.action(
            "rso_visit", moment(force, back, back, (9, 17)), event, person=key, by=mosovo.key
        )
    return offender, event


def rso_story(force: Force, h: Household) -> int:
    rso(force, h)
    return 1


# (eligibility, story) for each volume kind; missing from care is made by its own placement.
STORIES: dict[str, tuple[Callable[[Household], bool], Story]] = {
    "domestic_abuse": (da_eligible, domestic_abuse),
    "missing_episode": (missing_eligible, missing_home),
    "child_concern": (concern_eligible, child_concern),
    "sexual_offence": child_protection("sexual_offence"),
    "physical_abuse": child_protection("physical_abuse"),
    "cse_concern": child_protection("cse_concern"),
    "online_abuse": child_protection("online_abuse"),
    "police_protection": (concern_eligible, police_protection),
    "custody": (custody_eligible, custody),
}
