"""Alert patterns of spec/alerts.md, each injected as a positive or as a near miss.

A pattern builds its own people, so that it raises its own alert and nothing else; the truth
file records each one (``expect`` true or false), with the keys of every person it is about
and the events concerned. A positive's ``status`` is ``late`` when the action was recorded
after its limit and ``open`` when it is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from safeguard.synth import clock
from safeguard.synth.force import Force
from safeguard.synth.identity import Human
from safeguard.synth.kin import alone, family, person
from safeguard.synth.missing import episode, series
from safeguard.synth.population import Household, new_address, relate, reside
from safeguard.synth.practice import child_voice, moment, refer
from safeguard.synth.rates import AS_OF
from safeguard.synth.stories import loner, placement, ppu_case, rso

Pattern = Callable[[Force, bool], None]


def _late(force: Force) -> bool:
    """Positives are half recorded late, half never recorded."""
    return force.rng.random() < 0.5


def _status(late: bool) -> str:
    return "late" if late else "open"


# ---- missing ---------------------------------------------------------------------------
def missing_repeat(force: Force, fires: bool) -> None:
    h = family(force, [14])
    days = [80, 50, 20] if fires else [100, 60, 25]
    starts = [moment(force, d, d, (16, 22)) for d in days]
    series(force, h.children[0], starts, home=h.home, from_care=False, uplift=0.0)


def missing_risk_understated(force: Force, fires: bool) -> None:
    children, home, _ = placement(force)
    child = children[0]
    ep = episode(
        force,
        child,
        moment(force, 40, 200, (16, 22)),
        home=home,
        from_care=True,
        recorded="low" if fires else "medium",
    )
    force.expect(
        "MISSING_RISK_UNDERSTATED",
        fires,
        [child],
        [ep.key],
        note="looked after: computed medium; recorded " + ("low" if fires else "medium"),
    )


def _cse_flag(force: Force, child: Human) -> None:
    since = clock.day_text(AS_OF.date() - timedelta(days=400))
    force.write(
        "flag",
        "storm",
        "F",
        person=child.keys["storm"],
        kind="cse_risk",
        level="medium",
        since=since,
    )


def missing_cse_link(force: Force, fires: bool) -> None:
    h = family(force, [14])
    child = h.children[0]
    if not fires:
        _cse_flag(force, child)
    ep = episode(
        force,
        child,
        moment(force, 40, 200, (16, 22)),
        home=h.home,
        from_care=False,
        recorded="medium",
        extra={"indicators": ["unexplained_gifts"]},
    )
    force.expect(
        "MISSING_CSE_LINK",
        fires,
        [child],
        [ep.key],
        note="indicator unexplained_gifts; "
        + ("no cse_risk flag" if fires else "cse_risk flag in force"),
    )


def return_interview(force: Force, fires: bool) -> None:
    h = family(force, [14])
    late = _late(force)
    hours = (73.0 if late else None) if fires else 71.0
    ep = episode(
        force,
        h.children[0],
        moment(force, 20, 300, (16, 22)),
        home=h.home,
        from_care=False,
        recorded="low",
        return_hours=hours,
    )
    force.expect(
        "RETURN_INTERVIEW_OVERDUE",
        fires,
        [h.children[0]],
        [ep.key],
        status=_status(late),
        note=f"return interview after {hours} hours",
    )


def safe_and_well(force: Force, fires: bool) -> None:
    h = family(force, [14])
    late = _late(force)
    hours = (25.0 if late else None) if fires else 23.0
    ep = episode(
        force,
        h.children[0],
        moment(force, 20, 300, (16, 22)),
        home=h.home,
        from_care=False,
        recorded="low",
        safe_well_hours=hours,
    )
    force.expect(
        "SAFE_AND_WELL_MISSING",
        fires,
        [h.children[0]],
        [ep.key],
        status=_status(late),
        note=f"safe and well check after {hours} hours",
    )


def location_not_enquired(force: Force, fires: bool) -> None:
    h = family(force, [14])
    child = h.children[0]
    _cse_flag(force, child)  # so that being found there raises this alert, not MISSING_CSE_LINK
    adult, adult_home = loner(force, "M", force.rng.randrange(30, 50))
    ep = episode(
        force,
        child,
        moment(force, 20, 300, (16, 22)),
        home=h.home,
        from_care=False,
        recorded="high",
        extra={"found_location": adult_home},
        enquiry_at=None if fires else adult_home,
    )
    force.expect(
        "LOCATION_NOT_ENQUIRED",
        fires,
        [child, adult],
        [ep.key],
        note="found at an unrelated adult's home; " + ("no enquiry" if fires else "enquiry made"),
    )


def cse_network(force: Force, fires: bool) -> None:
    adult, adult_home = loner(force, "M", force.rng.randrange(26, 40))
    kids: list[Human] = []
    events: list[str] = []
    for i in range(2):
        h = family(force, [force.rng.randrange(13, 16)])
        child = h.children[0]
        _cse_flag(force, child)
        there = fires or i == 0
        found = adult_home if there else new_address(force, h.town, "public_place")
        ep = episode(
            force,
            child,
            moment(force, 20, 300, (16, 22)),
            home=h.home,
            from_care=False,
            recorded="high",
            extra={"found_location": found},
            enquiry_at=found if there else None,
        )
        kids.append(child)
        events.append(ep.key)
    force.expect(
        "CSE_NETWORK",
        fires,
        [adult, *kids],
        events,
        note="both children found at his home" if fires else "only one child found there",
    )


# ---- domestic abuse ----------------------------------------------------------------------
def _da(
    force: Force,
    h: Household,
    start: datetime,
    *,
    dash: int,
    skip: tuple[str, str] | None = None,
    marac: bool = False,
    strategy_wd: int | None = None,
) -> str:
    victim, suspect = h.adults[0], h.adults[1]
    present = [k for k in h.children if k.age() < 18]
    level = "high" if dash >= 14 else "medium" if dash >= 10 else "standard"
    reported = start + timedelta(minutes=15)
    event = force.event(
        "storm",
        "domestic_abuse",
        start,
        [(victim.keys["storm"], "victim"), (suspect.keys["storm"], "suspect")]
        + [(k.keys["storm"], "child_present") for k in present],
        reported=reported,
        closed=reported + timedelta(days=12),
        location=h.home,
        risk_level=level,
        details={"dash_yes": dash, "children_present": bool(present)},
    )
    force.action(
        "dash_assessment",
        reported + timedelta(hours=1),
        event,
        person=victim.keys["storm"],
        details={"yes_count": dash, "level": level},
    )
    child_voice(
        force,
        event,
        [(k, k.keys["storm"]) for k in present],
        reported + timedelta(hours=2),
        skip=skip,
    )
    if marac:
        force.action("marac_referral", reported + timedelta(days=1), event)
        force.action("marac_meeting", clock.on_working_day(reported, 8, 10), event)
    if strategy_wd is not None:
        force.action("strategy_discussion", clock.on_working_day(reported, strategy_wd, 9), event)
    return event


def da_demeanour(force: Force, fires: bool) -> None:
    h = family(force, [6, 9])
    key = h.children[0].keys["storm"]
    ev = _da(
        force,
        h,
        moment(force, 20, 300, (18, 23)),
        dash=5,
        skip=("child_demeanour", key) if fires else None,
    )
    force.expect("DA_CHILD_DEMEANOUR_MISSING", fires, [h.children[0]], [ev])


def da_cumulative(force: Force, fires: bool) -> None:
    h = family(force, [8])
    days = [300, 200, 100] if fires else [420, 200, 100]
    events = [_da(force, h, moment(force, d, d, (18, 23)), dash=4) for d in days]
    force.expect(
        "DA_CUMULATIVE_RISK",
        fires,
        [h.adults[0], h.adults[1], h.children[0]],
        events,
        note="3 incidents in 12 months" if fires else "2 in 12 months, 1 at 14 months",
    )


def da_high(force: Force, fires: bool) -> None:
    h = family(force, [8])
    ev = _da(force, h, moment(force, 20, 300, (18, 23)), dash=15 if fires else 13)
    force.expect(
        "DA_HIGH_NO_MARAC",
        fires,
        [h.adults[0], h.children[0]],
        [ev],
        note="DASH 15, no MARAC referral" if fires else "DASH 13 (medium), no referral",
    )


def marac_strategy(force: Force, fires: bool) -> None:
    h = family(force, [8])
    wd = (9 if force.rng.random() < 0.5 else None) if fires else 1
    ev = _da(force, h, moment(force, 30, 300, (18, 23)), dash=16, marac=True, strategy_wd=wd)
    force.expect(
        "MARAC_WITHOUT_STRATEGY",
        fires,
        [h.children[0]],
        [ev],
        status=_status(wd is not None),
        note=f"strategy discussion on working day {wd}; MARAC on working day 8",
    )


# ---- child concerns and child protection --------------------------------------------------
def _concern(
    force: Force,
    h: Household,
    start: datetime,
    *,
    significant: bool = False,
    referral_wd: tuple[int, int] | None = (0, 0),
    strategy_wd: tuple[int, int] | None = (1, 11),
    plan_wd: tuple[int, int] | None = (5, 15),
    icpc_wd: tuple[int, int] | None = None,
    closed: bool = True,
    skip: tuple[str, str] | None = None,
) -> str:
    kids = h.children
    reported = start + timedelta(minutes=30)
    event = force.event(
        "storm",
        "child_concern",
        start,
        [(k.keys["storm"], "subject") for k in kids]
        + [(a.keys["storm"], "parent_or_carer") for a in h.adults],
        reported=reported,
        closed=reported + timedelta(days=40 if significant else 10) if closed else None,
        location=h.home,
        details={"significant_harm": True} if significant else None,
    )
    for k in kids:
        if referral_wd == (0, 0):
            refer(force, event, [k.keys["storm"]], reported, None)
        elif referral_wd:
            force.action(
                "referral_to_csc",
                clock.on_working_day(reported, *referral_wd),
                event,
                person=k.keys["storm"],
            )
    if significant and strategy_wd:
        strategy = clock.on_working_day(reported, *strategy_wd)
        force.action("strategy_discussion", strategy, event)
        if plan_wd:
            force.action("protective_plan", clock.on_working_day(strategy, *plan_wd), event)
        if icpc_wd is not None:
            force.action(
                "s47_enquiry",
                clock.on_working_day(strategy, 2, 10),
                event,
                details={"concerns_substantiated": True},
            )
            if icpc_wd != (0, 0):
                force.action("icpc", clock.on_working_day(strategy, *icpc_wd), event)
    if closed:
        child_voice(
            force,
            event,
            [(k, k.keys["storm"]) for k in kids],
            reported + timedelta(days=2),
            skip=skip,
        )
    return event


def no_csc_referral(force: Force, fires: bool) -> None:
    h = family(force, [9])
    late = _late(force)
    wd = ((2, 10) if late else None) if fires else (1, 16)
    ev = _concern(force, h, moment(force, 20, 300), referral_wd=wd)
    force.expect(
        "NO_CSC_REFERRAL",
        fires,
        h.children,
        [ev],
        status=_status(late),
        note=f"referral on working day {wd}",
    )


def no_strategy(force: Force, fires: bool) -> None:
    h = family(force, [9])
    late = _late(force)
    wd = ((4, 10) if late else None) if fires else (3, 15)
    ev = _concern(force, h, moment(force, 60, 300), significant=True, strategy_wd=wd)
    force.expect(
        "NO_STRATEGY_DISCUSSION",
        fires,
        h.children,
        [ev],
        status=_status(late),
        note=f"strategy discussion on working day {wd}",
    )


def no_plan(force: Force, fires: bool) -> None:
    h = family(force, [9])
    late = _late(force)
    wd = ((16, 10) if late else None) if fires else (15, 15)
    ev = _concern(force, h, moment(force, 60, 300), significant=True, plan_wd=wd)
    force.expect(
        "NO_PROTECTIVE_PLAN",
        fires,
        h.children,
        [ev],
        status=_status(late),
        note=f"plan on working day {wd} after the strategy discussion",
    )


def icpc_overdue(force: Force, fires: bool) -> None:
    h = family(force, [9])
    late = _late(force)
    wd = ((16, 10) if late else (0, 0)) if fires else (15, 14)
    ev = _concern(force, h, moment(force, 60, 300), significant=True, icpc_wd=wd)
    force.expect(
        "ICPC_OVERDUE",
        fires,
        h.children,
        [ev],
        status=_status(late),
        note=f"ICPC on working day {wd} after the strategy discussion",
    )


def child_voice_missing(force: Force, fires: bool) -> None:
    start = moment(force, 20, 300)
    young = force.rng.random() < 0.5
    if fires:
        age = start.date() - timedelta(days=int(365.25 * (2.5 if young else 9.5)))
        h = family(force, [age])
        kind = "child_demeanour" if young else "child_views"
        ev = _concern(force, h, start, skip=(kind, h.children[0].keys["storm"]))
        note = f"no {kind}"
    else:
        h = family(force, [start.date() - timedelta(days=int(365.25 * 3.5))])
        ev = _concern(force, h, start)
        note = "aged 3: demeanour recorded, no views needed"
    force.expect("CHILD_VOICE_MISSING", fires, h.children, [ev], note=note)


def outcome_missing(force: Force, fires: bool) -> None:
    h = family(force, [10])
    if fires:
        ev = _concern(
            force, h, moment(force, 60, 300), skip=("outcome", h.children[0].keys["storm"])
        )
    else:
        ev = _concern(force, h, moment(force, 10, 25), closed=False)
    force.expect(
        "OUTCOME_MISSING",
        fires,
        h.children,
        [ev],
        note="closed without outcome" if fires else "still open, no outcome yet",
    )


def child_not_informed(force: Force, fires: bool) -> None:
    start = moment(force, 20, 300)
    years = 8.5 if fires else 3.5
    h = family(force, [start.date() - timedelta(days=int(365.25 * years))])
    key = h.children[0].keys["storm"]
    ev = _concern(force, h, start, skip=("child_informed", key))
    force.expect("CHILD_NOT_INFORMED", fires, h.children, [ev], note=f"aged {int(years)}")


def police_protection_72h(force: Force, fires: bool) -> None:
    h = family(force, [7])
    start = moment(force, 20, 300)
    late = _late(force)
    hours = (74 if late else None) if fires else 71
    keys = [k.keys["storm"] for k in h.children]
    ev = force.event(
        "storm",
        "police_protection",
        start,
        [(k, "subject") for k in keys],
        reported=start,
        location=h.home,
        closed=start + timedelta(hours=hours) if hours else None,
    )
    refer(force, ev, keys, start, None)
    force.action("strategy_discussion", start + timedelta(hours=4), ev)
    force.action("protective_plan", start + timedelta(hours=6), ev)
    child_voice(force, ev, list(zip(h.children, keys, strict=True)), start + timedelta(hours=7))
    force.expect(
        "POLICE_PROTECTION_OVER_72H",
        fires,
        h.children,
        [ev],
        status=_status(late),
        note=f"lasted {hours} hours" if hours else "never ended",
    )


def supervision(force: Force, fires: bool) -> None:
    h = family(force, [12])
    suspect, _ = loner(force, "M", force.rng.randrange(25, 55))
    last = AS_OF - timedelta(days=35 if fires else 26)
    ev, _, _ = ppu_case(
        force,
        "sexual_offence",
        h.town.area,
        h.children[0],
        suspect,
        h.adults,
        moment(force, 100, 140),
        open_case=True,
        last_review=last,
    )
    force.expect(
        "SUPERVISION_OVERDUE",
        fires,
        h.children,
        [ev],
        note=f"last review {(AS_OF - last).days} days before",
    )


def non_specialist(force: Force, fires: bool) -> None:
    h = family(force, [14])
    suspect, _ = loner(force, "M", force.rng.randrange(25, 45))
    area = h.town.area
    sworn, probationer = force.officers[(area, "ppu_investigator")][:2]
    untrained = force.officer(area, "response", specialist=False)
    if fires:
        chosen = probationer if force.rng.random() < 0.5 else untrained
        ev, _, _ = ppu_case(
            force,
            "cse_concern",
            area,
            h.children[0],
            suspect,
            h.adults,
            moment(force, 40, 300),
            investigator=chosen,
        )
        note = "probationer" if chosen is probationer else "no scaidp"
    else:
        ev, _, _ = ppu_case(
            force,
            "cse_concern",
            area,
            h.children[0],
            suspect,
            h.adults,
            moment(force, 40, 300),
            investigator=sworn,
            first_investigator=untrained,
        )
        note = "first given to a non-specialist, reallocated to a specialist"
    force.expect("NON_SPECIALIST_ALLOCATION", fires, h.children, [ev], note=note)


def suspect_not_actioned(force: Force, fires: bool) -> None:
    h = family(force, [10])
    suspect, _ = loner(force, "M", force.rng.randrange(25, 55))
    late = _late(force)
    days = (15 if late else None) if fires else 14
    ev, _, _ = ppu_case(
        force,
        "sexual_offence",
        h.town.area,
        h.children[0],
        suspect,
        h.adults,
        moment(force, 40, 300),
        arrest_days=days,
    )
    force.expect(
        "SUSPECT_NOT_ACTIONED",
        fires,
        [suspect],
        [ev],
        status=_status(late),
        note=f"arrest on day {days}",
    )


def other_children(force: Force, fires: bool) -> None:
    h = family(force, [8, 11] if fires else [8, 20])
    victim, other = h.children
    father = h.adults[1]
    ev, _, _ = ppu_case(
        force, "physical_abuse", h.town.area, victim, father, [h.adults[0]], moment(force, 40, 300)
    )
    force.expect(
        "OTHER_CHILDREN_AT_RISK",
        fires,
        [father, other],
        [ev],
        note="his other child (11) not named" if fires else "his other child is 20",
    )


# ---- registered sex offenders -----------------------------------------------------------
def rso_contact(force: Force, fires: bool) -> None:
    h = family(force, [10], parents=1)
    man = person(force, "M", force.rng.randrange(30, 50))
    lodge = Household("pattern", h.town, h.home, h.home_since, [man], [])
    if fires:
        reside(force, man, h.home, AS_OF - timedelta(days=200), None)
        relate(force, man, h.adults[0], "partner")
    else:
        reside(force, man, h.home, AS_OF - timedelta(days=700), AS_OF - timedelta(days=200))
        lodge.home = new_address(force, h.town)
        reside(force, man, lodge.home, AS_OF - timedelta(days=200), None)
    offender, _ = rso(force, lodge)
    force.expect(
        "RSO_CONTACT_WITH_CHILD",
        fires,
        [offender, h.children[0]],
        [],
        note="lives with a child" if fires else "moved out 200 days before",
    )


def rso_review(force: Force, fires: bool) -> None:
    h = alone(force, "M", force.rng.randrange(30, 70))
    if force.rng.random() < 0.5:
        offender, ev = rso(force, h, level="high", visit_days=100 if fires else 80)
        note = "high: last visit " + ("100" if fires else "80") + " days before"
    else:
        offender, ev = rso(force, h, level="medium", arms_days=380 if fires else 350)
        note = "ARMS " + ("380" if fires else "350") + " days before"
    force.expect("RSO_REVIEW_OVERDUE", fires, [offender], [], note=note)
    _ = ev


# ---- custody ----------------------------------------------------------------------------
def _custody(
    force: Force,
    child: Human,
    *,
    charged: bool = True,
    denied: bool | None = True,
    request: bool = True,
    provided: bool | None = None,
    review: bool = False,
    certificate: bool = False,
    aa: bool = True,
    intoxicated: bool = False,
    hcp: bool = False,
) -> str:
    key = force.key(child, "custody")
    start = moment(force, 20, 300, (10, 20))
    event = force.event(
        "custody",
        "custody",
        start,
        [(key, "detained_child")],
        reported=start,
        closed=start + timedelta(hours=14),
        details={"charged": charged, "intoxicated": intoxicated, "offence": "burglary"},
    )
    steps: list[tuple[str, dict[str, bool] | None, bool]] = [
        ("appropriate_adult", None, aa),
        ("hcp_contact", None, hcp),
        ("bail_decision", {"denied": bool(denied)}, denied is not None),
        ("la_accommodation_request", None, request),
        ("la_accommodation_response", {"provided": bool(provided)}, provided is not None),
        ("bail_review", None, review),
        ("detention_certificate", None, certificate),
    ]
    for i, (kind, details, done) in enumerate(steps):
        if done:
            force.action(kind, start + timedelta(hours=1 + i), event, person=key, details=details)
    return event


def _detainee(force: Force, age: int = 15) -> Human:
    return family(force, [age], parents=1).children[0]


def custody_la_request(force: Force, fires: bool) -> None:
    child = _detainee(force)
    ev = (
        _custody(force, child, request=False, certificate=True)
        if fires
        else _custody(force, child, denied=False, request=False)
    )
    force.expect(
        "CUSTODY_NO_LA_REQUEST",
        fires,
        [child],
        [ev],
        note="denied bail, no request" if fires else "bail granted",
    )


def custody_bail_review(force: Force, fires: bool) -> None:
    child = _detainee(force)
    ev = (
        _custody(force, child, provided=False, certificate=True)
        if fires
        else _custody(force, child, provided=True)
    )
    force.expect(
        "CUSTODY_BAIL_NOT_REVIEWED",
        fires,
        [child],
        [ev],
        note="accommodation refused, no review" if fires else "accommodation provided",
    )


def custody_certificate(force: Force, fires: bool) -> None:
    child = _detainee(force)
    ev = (
        _custody(force, child, provided=False, review=True)
        if fires
        else _custody(force, child, provided=True)
    )
    force.expect(
        "CUSTODY_NO_CERTIFICATE",
        fires,
        [child],
        [ev],
        note="kept in custody, no certificate" if fires else "moved to accommodation",
    )


def custody_hcp(force: Force, fires: bool) -> None:
    child = _detainee(force)
    flag_key = force.key(child, "custody")
    intoxicated = fires and force.rng.random() < 0.5
    if not intoxicated:
        since = AS_OF.date() - timedelta(days=700)
        until = None if fires else clock.day_text(AS_OF.date() - timedelta(days=400))
        force.write(
            "flag",
            "custody",
            "F",
            person=flag_key,
            kind="self_harm",
            since=clock.day_text(since),
            until=until,
        )
    ev = _custody(force, child, charged=False, denied=None, request=False, intoxicated=intoxicated)
    note = "intoxicated" if intoxicated else ("self_harm flag" if fires else "self_harm flag ended")
    force.expect("CUSTODY_HCP_NOT_CONTACTED", fires, [child], [ev], note=note + ", no HCP")


def custody_aa(force: Force, fires: bool) -> None:
    if fires:
        child = _detainee(force)
    else:
        born = AS_OF.date() - timedelta(days=int(365.25 * 18) + 330)
        child = family(force, [born], parents=1).children[0]
    ev = _custody(force, child, charged=False, denied=None, request=False, aa=False)
    force.expect(
        "CUSTODY_NO_APPROPRIATE_ADULT",
        fires,
        [child],
        [ev],
        note="aged 15" if fires else "aged 18 at detention",
    )


PATTERNS: dict[str, Pattern] = {
    "MISSING_REPEAT": missing_repeat,
    "MISSING_RISK_UNDERSTATED": missing_risk_understated,
    "MISSING_CSE_LINK": missing_cse_link,
    "RETURN_INTERVIEW_OVERDUE": return_interview,
    "SAFE_AND_WELL_MISSING": safe_and_well,
    "LOCATION_NOT_ENQUIRED": location_not_enquired,
    "DA_CHILD_DEMEANOUR_MISSING": da_demeanour,
    "DA_CUMULATIVE_RISK": da_cumulative,
    "DA_HIGH_NO_MARAC": da_high,
    "MARAC_WITHOUT_STRATEGY": marac_strategy,
    "NO_CSC_REFERRAL": no_csc_referral,
    "NO_STRATEGY_DISCUSSION": no_strategy,
    "NO_PROTECTIVE_PLAN": no_plan,
    "ICPC_OVERDUE": icpc_overdue,
    "SUPERVISION_OVERDUE": supervision,
    "NON_SPECIALIST_ALLOCATION": non_specialist,
    "SUSPECT_NOT_ACTIONED": suspect_not_actioned,
    "OTHER_CHILDREN_AT_RISK": other_children,
    "RSO_CONTACT_WITH_CHILD": rso_contact,
    "CSE_NETWORK": cse_network,
    "CHILD_VOICE_MISSING": child_voice_missing,
    "OUTCOME_MISSING": outcome_missing,
    "CHILD_NOT_INFORMED": child_not_informed,
    "CUSTODY_NO_LA_REQUEST": custody_la_request,
    "CUSTODY_BAIL_NOT_REVIEWED": custody_bail_review,
    "CUSTODY_NO_CERTIFICATE": custody_certificate,
    "CUSTODY_HCP_NOT_CONTACTED": custody_hcp,
    "CUSTODY_NO_APPROPRIATE_ADULT": custody_aa,
    "POLICE_PROTECTION_OVER_72H": police_protection_72h,
    "RSO_REVIEW_OVERDUE": rso_review,
}
