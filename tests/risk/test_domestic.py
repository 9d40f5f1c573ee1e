"""Domestic abuse: DA_CHILD_DEMEANOUR_MISSING, DA_CUMULATIVE_RISK, DA_HIGH_NO_MARAC,
MARAC_WITHOUT_STRATEGY."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.pole.models import Action, Event
from safeguard.timeutil import parse_time
from tests.factories import Rec, action, event, key, location, person
from tests.risk.helpers import run, same_around


def family() -> tuple[Rec, Rec, Rec]:
    return (
        person("Gemma", "Hall", "1990-04-04"),
        person("Jason", "Bragg", "1988-08-08"),
        person("Noah", "Hall", "2011-11-11"),
    )


def da(mum: Rec, dad: Rec, child: Rec | None, at: str, **extra: object) -> Rec:
    people = [(mum, "victim"), (dad, "suspect")] + ([(child, "child_present")] if child else [])
    return event(
        "domestic_abuse", at, people, risk_level=extra.pop("risk_level", "standard"), **extra
    )


def test_demeanour_missing_for_each_child(session: Session) -> None:
    mum, dad, child = family()
    sib = person("Ruby", "Hall", "2009-01-01")
    ev = event(
        "domestic_abuse",
        "2016-06-30T22:30",
        [(mum, "victim"), (dad, "suspect"), (child, "child_present"), (sib, "child_present")],
    )
    dm = action("child_demeanour", "2016-06-30T23:00", ev, who=sib)
    alerts = run(session, [mum, dad, child, sib, ev, dm], code="DA_CHILD_DEMEANOUR_MISSING")
    assert [a.subjects for a in alerts] == [[key(child)]]
    assert "Noah Hall (4)" in alerts[0].message


def test_demeanour_not_for_an_adult_present(session: Session) -> None:
    mum, dad, _ = family()
    lodger = person("Adult", "Lodger", "1997-01-01")
    ev = event(
        "domestic_abuse",
        "2016-06-30T22:30",
        [(mum, "victim"), (dad, "suspect"), (lodger, "child_present")],
    )
    assert run(session, [mum, dad, lodger, ev], code="DA_CHILD_DEMEANOUR_MISSING") == []


def test_demeanour_outside_the_lookback(session: Session) -> None:
    mum, dad, child = family()
    ev = da(mum, dad, child, "2015-07-18T08:59")
    assert run(session, [mum, dad, child, ev], code="DA_CHILD_DEMEANOUR_MISSING") == []


def test_cumulative_three_with_a_child(session: Session) -> None:
    mum, dad, child = family()
    evs = [
        da(mum, dad, child if i == 0 else None, d)
        for i, d in enumerate(["2015-09-10T22:30", "2016-02-14T22:30", "2016-06-30T22:30"])
    ]
    alerts = run(session, [mum, dad, child, *evs], code="DA_CUMULATIVE_RISK")
    assert len(alerts) == 1
    assert set(alerts[0].subjects) == {key(mum), key(dad), key(child)}
    same_around(session, key(mum))


def test_cumulative_two_is_not_enough(session: Session) -> None:
    mum, dad, child = family()
    evs = [da(mum, dad, child, d) for d in ["2016-02-14T22:30", "2016-06-30T22:30"]]
    assert run(session, [mum, dad, child, *evs], code="DA_CUMULATIVE_RISK") == []


def test_cumulative_needs_a_child_present(session: Session) -> None:
    mum, dad, _ = family()
    evs = [
        da(mum, dad, None, d) for d in ["2015-09-10T22:30", "2016-02-14T22:30", "2016-06-30T22:30"]
    ]
    assert run(session, [mum, dad, *evs], code="DA_CUMULATIVE_RISK") == []
    flagged = da(mum, dad, None, "2016-07-01T22:30", details={"children_present": True})
    assert len(run(session, [flagged], code="DA_CUMULATIVE_RISK")) == 1


def test_cumulative_marac_referred_events_do_not_count(session: Session) -> None:
    mum, dad, child = family()
    evs = [
        da(mum, dad, child, d) for d in ["2015-09-10T22:30", "2016-02-14T22:30", "2016-06-30T22:30"]
    ]
    ref = action("marac_referral", "2016-02-15T10:00", evs[1])
    assert run(session, [mum, dad, child, *evs, ref], code="DA_CUMULATIVE_RISK") == []


def test_cumulative_12_months_window(session: Session) -> None:
    mum, dad, child = family()
    evs = [
        da(mum, dad, child, d) for d in ["2015-07-18T08:59", "2016-02-14T22:30", "2016-06-30T22:30"]
    ]
    assert run(session, [mum, dad, child, *evs], code="DA_CUMULATIVE_RISK") == []


def test_cumulative_shared_location_different_people(session: Session) -> None:
    flat = location("Flat 2, 9 High Street, Workington", kind="home")
    people = [person(f"V{i}", "Test", "1990-01-01") for i in range(3)]
    kid = person("Kid", "Test", "2010-01-01")
    evs = [
        event(
            "domestic_abuse",
            f"2016-0{i + 4}-01T22:00",
            [(p, "victim")] + ([(kid, "child_present")] if i == 0 else []),
            location=key(flat),
        )
        for i, p in enumerate(people)
    ]
    alerts = run(session, [flat, *people, kid, *evs], code="DA_CUMULATIVE_RISK")
    assert len(alerts) == 1 and "same place, Flat 2" in alerts[0].message


def test_high_dash_14_yes(session: Session) -> None:
    mum, dad, child = family()
    ev = da(mum, dad, child, "2016-06-30T22:30", details={"dash_yes": 14})
    alerts = run(session, [mum, dad, child, ev], code="DA_HIGH_NO_MARAC")
    assert len(alerts) == 1 and set(alerts[0].subjects) == {key(mum), key(child)}


def test_high_dash_13_yes_is_not(session: Session) -> None:
    mum, dad, child = family()
    ev = da(mum, dad, child, "2016-06-30T22:30", details={"dash_yes": 13})
    assert run(session, [mum, dad, child, ev], code="DA_HIGH_NO_MARAC") == []


def test_high_by_level_and_latest_assessment_wins(session: Session) -> None:
    mum, dad, child = family()
    ev = da(mum, dad, child, "2016-06-30T22:30", risk_level="high", details={"dash_yes": 3})
    assert len(run(session, [mum, dad, child, ev], code="DA_HIGH_NO_MARAC")) == 1
    ev2 = da(mum, dad, None, "2016-07-01T22:30", details={"dash_yes": 20})
    run(session, [ev2])
    # stored directly: the importer of main rejects any integer yes_count (reported to the lead)
    event_id = session.scalar(select(Event.id).where(Event.source_id == ev2["id"]))
    assert event_id is not None
    session.add(
        Action(
            source="storm",
            source_id="DASH-low",
            payload="{}",
            payload_hash="x",
            kind="dash_assessment",
            at=parse_time("2016-07-02T10:00"),
            event_id=event_id,
            details={"yes_count": 9, "level": "standard"},
        )
    )
    session.flush()
    alerts = run(session, [], code="DA_HIGH_NO_MARAC")
    assert [a.events for a in alerts] == [[key(ev)]]


def test_high_with_marac_referral(session: Session) -> None:
    mum, dad, child = family()
    ev = da(mum, dad, child, "2016-06-30T22:30", details={"dash_yes": 16})
    ref = action("marac_referral", "2016-07-01T10:00", ev)
    assert run(session, [mum, dad, child, ev, ref], code="DA_HIGH_NO_MARAC") == []


def test_marac_without_strategy(session: Session) -> None:
    mum, dad, child = family()
    ev = da(mum, dad, child, "2016-06-01T22:30")
    meeting = action("marac_meeting", "2016-06-20T10:00", ev)
    alerts = run(session, [mum, dad, child, ev, meeting], code="MARAC_WITHOUT_STRATEGY")
    assert [(a.subjects, a.status) for a in alerts] == [([key(child)], "open")]


def test_marac_strategy_after_is_late_before_is_fine(session: Session) -> None:
    mum, dad, child = family()
    ev = da(mum, dad, child, "2016-06-01T22:30")
    meeting = action("marac_meeting", "2016-06-20T10:00", ev)
    after = action("strategy_discussion", "2016-06-20T10:00", ev)
    alerts = run(session, [mum, dad, child, ev, meeting, after], code="MARAC_WITHOUT_STRATEGY")
    assert [a.status for a in alerts] == ["late"]
    ev2 = da(mum, dad, child, "2016-06-02T22:30")
    before = action("strategy_discussion", "2016-06-20T09:59", ev2)
    meeting2 = action("marac_meeting", "2016-06-20T10:00", ev2)
    alerts = run(session, [ev2, before, meeting2], code="MARAC_WITHOUT_STRATEGY")
    assert [a.events for a in alerts] == [[key(ev)]]


def test_marac_without_child_present(session: Session) -> None:
    mum, dad, _ = family()
    ev = da(mum, dad, None, "2016-06-01T22:30")
    meeting = action("marac_meeting", "2016-06-20T10:00", ev)
    assert run(session, [mum, dad, ev, meeting], code="MARAC_WITHOUT_STRATEGY") == []


def test_cumulative_by_place_seen_from_assess_too(session: Session) -> None:
    from tests.risk.helpers import same_around

    flat = location("Flat 3, 9 High Street, Workington", kind="home")
    people = [person(f"W{i}", "Test", "1990-01-01") for i in range(3)]
    kid = person("Kid", "Test", "2010-01-01")
    evs = [event("domestic_abuse", f"2016-0{i + 4}-01T22:00",
                 [(p, "victim")] + ([(kid, "child_present")] if i == 0 else []),
                 location=key(flat)) for i, p in enumerate(people)]  # fmt: skip
    assert len(run(session, [flat, *people, kid, *evs], code="DA_CUMULATIVE_RISK")) == 1
    same_around(session, key(people[2]))
