"""Child protection: NO_CSC_REFERRAL, NO_STRATEGY_DISCUSSION, NO_PROTECTIVE_PLAN, ICPC_OVERDUE,
SUPERVISION_OVERDUE, NON_SPECIALIST_ALLOCATION, SUSPECT_NOT_ACTIONED, POLICE_PROTECTION_OVER_72H.

Dates: Monday 30 May 2016 was the Spring bank holiday."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories import Rec, action, event, key, officer, person
from tests.risk.helpers import run, same_around


def abuse(
    at: str = "2016-05-27T10:00", kind: str = "physical_abuse", **extra: object
) -> tuple[Rec, Rec, Rec]:
    child = person("Ava", "Nixon", "2008-03-03")
    man = person("Carl", "Nixon", "1980-01-01")
    ev = event(kind, at, [(child, "victim"), (man, "suspect")], **extra)
    return child, man, ev


def test_csc_referral_across_the_bank_holiday_is_in_time(session: Session) -> None:
    child, man, ev = abuse("2016-05-27T10:00")  # Friday; next working day Tuesday 31 May
    ref = action("referral_to_csc", "2016-05-31T23:59", ev, who=child)
    assert run(session, [child, man, ev, ref], code="NO_CSC_REFERRAL") == []


def test_csc_referral_a_day_later_is_late(session: Session) -> None:
    child, man, ev = abuse("2016-05-27T10:00")
    ref = action("referral_to_csc", "2016-06-01T00:01", ev, who=child)
    alerts = run(session, [child, man, ev, ref], code="NO_CSC_REFERRAL")
    assert [(a.subjects, a.status) for a in alerts] == [([key(child)], "late")]


def test_csc_referral_none_open_after_limit_only(session: Session) -> None:
    child, man, ev = abuse("2016-05-27T10:00")
    assert run(session, [child, man, ev], as_of="2016-05-31", code="NO_CSC_REFERRAL") == []
    alerts = run(session, [], as_of="2016-06-01T00:00", code="NO_CSC_REFERRAL")
    assert [a.status for a in alerts] == ["open"]


def test_csc_referral_child_suspect_and_child_concern(session: Session) -> None:
    victim = person("Ava", "Nixon", "2008-03-03")
    boy = person("Lee", "Nixon", "2002-03-03")
    ev = event("sexual_offence", "2016-06-01T10:00", [(victim, "victim"), (boy, "suspect")])
    concern = event("child_concern", "2016-06-01T10:00", [(victim, "child_present")])
    alerts = run(session, [victim, boy, ev, concern], code="NO_CSC_REFERRAL")
    assert sorted((a.events[0], a.subjects[0]) for a in alerts) == sorted(
        [(key(ev), key(victim)), (key(ev), key(boy)), (key(concern), key(victim))]
    )


def test_csc_referral_not_for_adult_victim(session: Session) -> None:
    adult = person("Ann", "Nixon", "1990-01-01")
    ev = event("physical_abuse", "2016-06-01T10:00", [(adult, "victim")])
    assert run(session, [adult, ev], code="NO_CSC_REFERRAL") == []


def test_csc_referral_for_another_child_does_not_count(session: Session) -> None:
    child, man, ev = abuse("2016-06-01T10:00")
    ref = action("referral_to_csc", "2016-06-01T12:00", ev, who=man)
    assert len(run(session, [child, man, ev, ref], code="NO_CSC_REFERRAL")) == 1


def test_strategy_discussion_3_working_days(session: Session) -> None:
    child, man, ev = abuse("2016-05-26T10:00")  # Thu; 27, 31 May, 1 June -> end of 1 June
    sd = action("strategy_discussion", "2016-06-01T17:00", ev)
    assert run(session, [child, man, ev, sd], code="NO_STRATEGY_DISCUSSION") == []
    c2, m2, ev2 = abuse("2016-05-26T11:00")
    sd2 = action("strategy_discussion", "2016-06-02T09:00", ev2)
    alerts = run(session, [c2, m2, ev2, sd2], code="NO_STRATEGY_DISCUSSION")
    assert [(a.events, a.status) for a in alerts] == [([key(ev2)], "late")]


def test_strategy_discussion_missing_open_and_about_children(session: Session) -> None:
    child, man, ev = abuse("2016-06-01T10:00")
    alerts = run(session, [child, man, ev], code="NO_STRATEGY_DISCUSSION")
    assert [(a.subjects, a.status) for a in alerts] == [([key(child)], "open")]
    same_around(session, key(child))


def test_child_concern_needs_significant_harm_for_strategy(session: Session) -> None:
    child = person("Ava", "Nixon", "2008-03-03")
    plain = event("child_concern", "2016-06-01T10:00", [(child, "subject")])
    harm = event(
        "child_concern",
        "2016-06-02T10:00",
        [(child, "subject")],
        details={"significant_harm": True},
    )
    alerts = run(session, [child, plain, harm], code="NO_STRATEGY_DISCUSSION")
    assert [a.events for a in alerts] == [[key(harm)]]


def test_protective_plan_15_working_days_across_bank_holiday(session: Session) -> None:
    child, man, ev = abuse("2016-05-19T10:00")
    sd = action("strategy_discussion", "2016-05-20T10:00", ev)  # Fri; 15th working day 13 June
    plan = action("protective_plan", "2016-06-13T20:00", ev)
    assert run(session, [child, man, ev, sd, plan], code="NO_PROTECTIVE_PLAN") == []
    c2, m2, ev2 = abuse("2016-05-19T11:00")
    sd2 = action("strategy_discussion", "2016-05-20T10:00", ev2)
    plan2 = action("protective_plan", "2016-06-14T08:00", ev2)
    alerts = run(session, [c2, m2, ev2, sd2, plan2], code="NO_PROTECTIVE_PLAN")
    assert [(a.events, a.status) for a in alerts] == [([key(ev2)], "late")]


def test_protective_plan_needs_a_strategy_discussion_first(session: Session) -> None:
    child, man, ev = abuse("2016-05-19T10:00")
    assert run(session, [child, man, ev], code="NO_PROTECTIVE_PLAN") == []
    sd = action("strategy_discussion", "2016-05-20T10:00", ev)
    assert [a.status for a in run(session, [sd], code="NO_PROTECTIVE_PLAN")] == ["open"]


def test_icpc_15_working_days_from_latest_strategy_before_s47(session: Session) -> None:
    child, man, ev = abuse("2016-05-01T10:00")
    recs = [
        child, man, ev,
        action("strategy_discussion", "2016-05-03T10:00", ev),
        action("strategy_discussion", "2016-05-20T10:00", ev),
        action("s47_enquiry", "2016-05-25T10:00", ev, details={"concerns_substantiated": True}),
        action("icpc", "2016-06-13T15:00", ev),
    ]  # fmt: skip
    assert run(session, recs, code="ICPC_OVERDUE") == []


def test_icpc_late_and_unsubstantiated(session: Session) -> None:
    child, man, ev = abuse("2016-05-01T10:00")
    recs = [
        child, man, ev,
        action("strategy_discussion", "2016-05-20T10:00", ev),
        action("s47_enquiry", "2016-05-25T10:00", ev, details={"concerns_substantiated": True}),
        action("icpc", "2016-06-14T09:00", ev),
    ]  # fmt: skip
    alerts = run(session, recs, code="ICPC_OVERDUE")
    assert [(a.subjects, a.status) for a in alerts] == [([key(child)], "late")]
    c2, m2, ev2 = abuse("2016-05-02T10:00")
    no = action("s47_enquiry", "2016-05-25T10:00", ev2, details={"concerns_substantiated": False})
    assert len(run(session, [c2, m2, ev2, no], code="ICPC_OVERDUE")) == 1


def test_supervision_28_days(session: Session) -> None:
    child, man, ev = abuse("2016-06-01T10:00")
    dc = officer("DC Thwaite", specialisms=["scaidp"])
    alloc = action("allocation", "2016-06-20T10:00", ev, details={"officer": key(dc)})
    recs = [dc, child, man, ev, alloc]
    # the 28th day after 20 June is 18 July: still within at the end of that day
    assert run(session, recs, as_of="2016-07-18", code="SUPERVISION_OVERDUE") == []
    alerts = run(session, [], as_of="2016-07-19T00:00", code="SUPERVISION_OVERDUE")
    assert [(a.subjects, a.status) for a in alerts] == [([key(child)], "open")]


def test_supervision_from_the_last_review_and_not_when_closed(session: Session) -> None:
    dc = officer("DC Thwaite", specialisms=["scaidp"])
    child, man, ev = abuse("2016-05-01T10:00", allocated_to=key(dc))
    review = action("supervision_review", "2016-06-25T10:00", ev)
    assert run(session, [dc, child, man, ev, review], code="SUPERVISION_OVERDUE") == []
    c2, m2, ev2 = abuse("2016-05-01T10:00", closed_at="2016-07-01T10:00", allocated_to=key(dc))
    assert run(session, [c2, m2, ev2], code="SUPERVISION_OVERDUE") == []
    c3, m3, ev3 = abuse("2016-05-01T10:00", closed_at="2016-07-19T10:00", allocated_to=key(dc))
    alerts = run(session, [c3, m3, ev3], code="SUPERVISION_OVERDUE")
    assert [a.events for a in alerts] == [[key(ev3)]]


def test_supervision_not_unallocated(session: Session) -> None:
    child, man, ev = abuse("2016-05-01T10:00")
    assert run(session, [child, man, ev], code="SUPERVISION_OVERDUE") == []


def test_non_specialist_allocation(session: Session) -> None:
    spec = officer("DC Thwaite", specialisms=["scaidp"])
    plain = officer("DC Ashby", specialisms=[])
    prob = officer("PC Rigg", specialisms=["scaidp"], probationary=True)
    recs: list[Rec] = [spec, plain, prob]
    expected = []
    for who in (spec, plain, prob):
        child, man, ev = abuse("2016-06-01T10:00", kind="sexual_offence", allocated_to=key(who))
        recs += [child, man, ev]
        if who is not spec:
            expected.append(key(ev))
    alerts = run(session, recs, code="NON_SPECIALIST_ALLOCATION")
    assert sorted(a.events[0] for a in alerts) == sorted(expected)


def test_latest_allocation_action_wins(session: Session) -> None:
    spec = officer("DC Thwaite", specialisms=["scaidp"])
    plain = officer("DC Ashby", specialisms=[])
    child, man, ev = abuse("2016-06-01T10:00", kind="cse_concern", allocated_to=key(plain))
    realloc = action("allocation", "2016-06-02T10:00", ev, details={"officer": key(spec)})
    assert (
        run(session, [spec, plain, child, man, ev, realloc], code="NON_SPECIALIST_ALLOCATION") == []
    )


def test_non_specialist_not_for_physical_abuse(session: Session) -> None:
    plain = officer("DC Ashby", specialisms=[])
    child, man, ev = abuse("2016-06-01T10:00", allocated_to=key(plain))
    assert run(session, [plain, child, man, ev], code="NON_SPECIALIST_ALLOCATION") == []


def test_suspect_actioned_within_14_days(session: Session) -> None:
    child, man, ev = abuse("2016-06-01T10:00", kind="sexual_offence")
    arrest = action("arrest", "2016-06-15T23:59", ev, who=man)
    assert run(session, [child, man, ev, arrest], code="SUSPECT_NOT_ACTIONED") == []


def test_suspect_actioned_on_day_15_is_late(session: Session) -> None:
    child, man, ev = abuse("2016-06-01T10:00", kind="sexual_offence")
    interview = action("suspect_interview", "2016-06-16T00:01", ev, who=man)
    alerts = run(session, [child, man, ev, interview], code="SUSPECT_NOT_ACTIONED")
    assert [(a.subjects, a.status) for a in alerts] == [([key(man)], "late")]


def test_suspect_not_actioned_open_and_arrest_of_another(session: Session) -> None:
    child, man, ev = abuse("2016-06-01T10:00", kind="cse_concern")
    arrest = action("arrest", "2016-06-02T10:00", ev, who=child)
    alerts = run(session, [child, man, ev, arrest], code="SUSPECT_NOT_ACTIONED")
    assert [(a.subjects, a.status) for a in alerts] == [([key(man)], "open")]


def test_police_protection_72_hours(session: Session) -> None:
    child = person("Ava", "Nixon", "2008-03-03")
    ok = event(
        "police_protection", "2016-07-01T10:00", [(child, "subject")], closed_at="2016-07-04T10:00"
    )
    over = event(
        "police_protection", "2016-07-05T10:00", [(child, "subject")], closed_at="2016-07-08T10:01"
    )
    running = event("police_protection", "2016-07-15T08:59", [(child, "subject")])
    fresh = event("police_protection", "2016-07-15T09:00", [(child, "subject")])
    alerts = run(session, [child, ok, over, running, fresh], code="POLICE_PROTECTION_OVER_72H")
    assert sorted((a.events[0], a.status) for a in alerts) == sorted(
        [(key(over), "late"), (key(running), "open")]
    )
