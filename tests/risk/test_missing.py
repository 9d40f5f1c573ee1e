"""Missing children: MISSING_REPEAT, MISSING_RISK_UNDERSTATED, MISSING_CSE_LINK,
RETURN_INTERVIEW_OVERDUE, SAFE_AND_WELL_MISSING, LOCATION_NOT_ENQUIRED."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories import Rec, action, event, key, link, location, person
from tests.risk.helpers import around, run, same_around


def episode(
    child: Rec, at: str, found: str | None = None, risk: str = "medium", **details: object
) -> Rec:
    extra: dict[str, object] = dict(details)
    if found:
        extra["found_at"] = found
    return event("missing_episode", at, [(child, "missing_person")], risk_level=risk, details=extra)


def test_repeat_three_in_90_days(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    eps = [episode(child, d) for d in ("2016-04-20T20:00", "2016-05-29T20:00", "2016-07-10T20:00")]
    alerts = run(session, [child, *eps], code="MISSING_REPEAT")
    assert [a.subjects for a in alerts] == [[key(child)]]
    assert "Callum Rowe (12) has been missing 3 times in 90 days" in alerts[0].message


def test_repeat_two_is_not_enough(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    eps = [episode(child, d) for d in ("2016-05-29T20:00", "2016-07-10T20:00")]
    assert run(session, [child, *eps], code="MISSING_REPEAT") == []


def test_repeat_counts_only_90_days_before_when(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    # 2016-04-19T08:59 is 90 days and a minute before WHEN: outside the window
    eps = [episode(child, d) for d in ("2016-04-19T08:59", "2016-05-29T20:00", "2016-07-10T20:00")]
    assert run(session, [child, *eps], code="MISSING_REPEAT") == []


def test_repeat_ignores_episodes_not_yet_reported(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    eps = [episode(child, d) for d in ("2016-05-01T20:00", "2016-05-29T20:00")]
    late = event(
        "missing_episode",
        "2016-07-10T20:00",
        [(child, "missing_person")],
        reported_at="2016-07-19T10:00",
    )
    assert run(session, [child, *eps, late], code="MISSING_REPEAT") == []


def test_repeat_not_for_an_adult_at_when(session: Session) -> None:
    adult = person("Dean", "Rowe", "1998-07-01")  # 18 on 1 July 2016
    eps = [episode(adult, d) for d in ("2016-05-01T20:00", "2016-05-29T20:00", "2016-06-20T20:00")]
    assert run(session, [adult, *eps], code="MISSING_REPEAT") == []


def test_repeat_child_with_no_dob(session: Session) -> None:
    child = person("Unknown", "Boy", None)
    eps = [episode(child, d) for d in ("2016-05-01T20:00", "2016-05-29T20:00", "2016-06-20T20:00")]
    assert len(run(session, [child, *eps], code="MISSING_REPEAT")) == 1


def test_risk_understated_looked_after_graded_low(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    ep = episode(child, "2016-07-10T20:00", risk="low", missing_from="care")
    alerts = run(session, [child, ep], code="MISSING_RISK_UNDERSTATED")
    assert len(alerts) == 1 and "graded low" in alerts[0].message and "medium" in alerts[0].message


def test_risk_understated_uses_latest_assessment(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    ep = episode(child, "2016-07-10T20:00", risk="low", missing_from="care")
    first = action("missing_risk_assessment", "2016-07-10T21:00", ep, details={"level": "low"})
    latest = action("missing_risk_assessment", "2016-07-10T22:00", ep, details={"level": "medium"})
    assert run(session, [child, ep, first, latest], code="MISSING_RISK_UNDERSTATED") == []


def test_risk_not_understated_when_equal_or_low(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    ep = episode(child, "2016-07-10T20:00", risk="low", missing_from="home")
    assert run(session, [child, ep], code="MISSING_RISK_UNDERSTATED") == []


def test_under_12_is_high(session: Session) -> None:
    child = person("Lily", "Rowe", "2004-07-11")  # 11 on 10 July 2016, 12 the next day
    young = episode(child, "2016-07-10T20:00", risk="medium")
    older = person("Mia", "Rowe", "2004-07-10")  # 12 that day
    ep2 = episode(older, "2016-07-10T20:00", risk="medium")
    alerts = run(session, [child, young, older, ep2], code="MISSING_RISK_UNDERSTATED")
    assert [a.subjects for a in alerts] == [[key(child)]]


def _history(child: Rec, n: int) -> list[Rec]:
    days = ["2016-03-01", "2016-04-01", "2016-05-01", "2016-06-01"][:n]
    return [episode(child, f"{d}T20:00", risk="medium") for d in days]


def test_high_with_three_earlier_and_a_cse_indicator(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    history = _history(child, 3)
    history[0]["details"]["indicators"] = ["unexplained_gifts"]
    ep = episode(child, "2016-07-10T20:00", risk="medium")
    alerts = run(session, [child, *history, ep], code="MISSING_RISK_UNDERSTATED")
    assert [a.events for a in alerts] == [[ep["source"] + ":" + ep["id"]]]
    assert "high" in alerts[0].message


def test_two_earlier_and_an_indicator_is_only_medium(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    history = _history(child, 2)
    history[0]["details"]["indicators"] = ["unexplained_gifts"]
    ep = episode(child, "2016-07-10T20:00", risk="medium")
    assert run(session, [child, *history, ep], code="MISSING_RISK_UNDERSTATED") == []


def test_self_harm_flag_and_three_earlier_is_high(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    flag = link("flag", person=key(child), kind="self_harm", since="2015-01-01")
    ep = episode(child, "2016-07-10T20:00", risk="medium")
    alerts = run(session, [child, flag, *_history(child, 3), ep], code="MISSING_RISK_UNDERSTATED")
    assert len(alerts) == 1


def test_flag_after_the_episode_is_not_used(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    flag = link("flag", person=key(child), kind="cse_risk", level="high", since="2016-07-11")
    ep = episode(child, "2016-07-10T20:00", risk="medium")
    assert run(session, [child, flag, ep], code="MISSING_RISK_UNDERSTATED") == []


def test_cse_risk_flag_high_makes_high(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    flag = link("flag", person=key(child), kind="cse_risk", level="high", since="2016-01-01")
    ep = episode(child, "2016-07-10T20:00", risk="medium")
    assert len(run(session, [child, flag, ep], code="MISSING_RISK_UNDERSTATED")) == 1


def test_cse_link_with_indicator_and_no_flag(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    ep = episode(child, "2016-07-10T20:00", indicators=["sexually_transmitted_infection"])
    alerts = run(session, [child, ep], code="MISSING_CSE_LINK")
    assert len(alerts) == 1 and "sexually_transmitted_infection" in alerts[0].message
    same_around(session, key(child))


def test_cse_link_not_with_a_cse_flag(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    ep = episode(child, "2016-07-10T20:00", indicators=["unexplained_gifts"])
    flag = link("flag", person=key(child), kind="cse_risk", since="2016-01-01")
    assert run(session, [child, ep, flag], code="MISSING_CSE_LINK") == []


def test_cse_link_not_for_going_missing_alone(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    assert run(session, [child, *_history(child, 4)], code="MISSING_CSE_LINK") == []


def test_cse_link_by_flags_in_force(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    ended = link(
        "flag", person=key(child), kind="self_harm", since="2015-01-01", until="2016-01-01"
    )
    recs = [child, ended, episode(child, "2016-07-10T20:00")]
    assert run(session, recs, code="MISSING_CSE_LINK") == []
    live = link("flag", person=key(child), kind="substance_misuse", since="2016-01-01")
    assert len(run(session, [live], code="MISSING_CSE_LINK")) == 1


def test_cse_link_older_adult(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    man = person("Gary", "Moss", "1996-12-31")  # 5 years and a day older
    ep = event("missing_episode", "2016-07-10T20:00", [(child, "missing_person"), (man, "witness")])
    alerts = run(session, [child, man, ep], code="MISSING_CSE_LINK")
    assert len(alerts) == 1 and "older_adult_association" in alerts[0].message


def test_cse_link_adult_less_than_5_years_older(session: Session) -> None:
    child = person("Ella", "Rowe", "2002-01-01")
    man = person("Gary", "Moss", "1997-01-02")
    ep = event("missing_episode", "2016-07-10T20:00", [(child, "missing_person"), (man, "witness")])
    assert run(session, [child, man, ep], code="MISSING_CSE_LINK") == []


def test_return_interview_72_hours_exactly_is_in_time(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    ep = episode(child, "2016-07-10T20:00", found="2016-07-10T23:50")
    ri = action("return_interview", "2016-07-13T23:50", ep, who=child)
    assert run(session, [child, ep, ri], code="RETURN_INTERVIEW_OVERDUE") == []


def test_return_interview_a_minute_late(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    ep = episode(child, "2016-07-10T20:00", found="2016-07-10T23:50")
    ri = action("return_interview", "2016-07-13T23:51", ep, who=child)
    alerts = run(session, [child, ep, ri], code="RETURN_INTERVIEW_OVERDUE")
    assert [a.status for a in alerts] == ["late"]


def test_return_interview_open_only_after_the_limit(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    ep = episode(child, "2016-07-10T20:00", found="2016-07-10T23:50")
    assert (
        run(session, [child, ep], as_of="2016-07-13T23:50", code="RETURN_INTERVIEW_OVERDUE") == []
    )
    alerts = run(session, [], as_of="2016-07-13T23:51", code="RETURN_INTERVIEW_OVERDUE")
    assert [a.status for a in alerts] == ["open"]


def test_return_interview_for_another_child_does_not_count(session: Session) -> None:
    a, b = person("Amy", "Rowe", "2003-01-01"), person("Ben", "Rowe", "2004-01-01")
    ep = event(
        "missing_episode",
        "2016-07-10T20:00",
        [(a, "missing_person"), (b, "missing_person")],
        details={"found_at": "2016-07-10T23:50"},
    )
    ri = action("return_interview", "2016-07-11T10:00", ep, who=a)
    alerts = run(session, [a, b, ep, ri], code="RETURN_INTERVIEW_OVERDUE")
    assert [x.subjects for x in alerts] == [[key(b)]]


def test_return_interview_recorded_after_when_is_ignored(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    ep = episode(child, "2016-07-10T20:00", found="2016-07-10T23:50")
    ri = action("return_interview", "2016-07-19T10:00", ep, who=child)
    alerts = run(session, [child, ep, ri], code="RETURN_INTERVIEW_OVERDUE")
    assert [a.status for a in alerts] == ["open"]


def test_safe_and_well_24_hours(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    ep = episode(child, "2016-07-10T20:00", found="2016-07-10T23:50")
    ok = action("safe_and_well_check", "2016-07-11T23:50", ep, who=child)
    assert run(session, [child, ep, ok], code="SAFE_AND_WELL_MISSING") == []
    other = person("Dan", "Rowe", "2003-09-01")
    ep2 = episode(other, "2016-07-10T20:00", found="2016-07-10T23:50")
    late = action("safe_and_well_check", "2016-07-11T23:51", ep2, who=other)
    alerts = run(session, [other, ep2, late], code="SAFE_AND_WELL_MISSING")
    assert [(a.subjects, a.status) for a in alerts] == [([key(other)], "late")]


def _found_at_mans_house(enquiry: bool, carer: bool = False) -> tuple[list[Rec], Rec, Rec]:
    child = person("Ella", "Rowe", "2002-01-01")
    man = person("Gary", "Moss", "1980-01-01")
    house = location("4 Back Lane, Penrith", kind="home")
    res = link("residence", person=key(man), location=key(house), since="2010-01-01")
    ep = episode(child, "2016-07-10T20:00", found_location=key(house))
    recs = [child, man, house, res, ep]
    if enquiry:
        recs.append(
            action("enquiry_at_location", "2016-07-11T10:00", ep, details={"location": key(house)})
        )
    if carer:
        recs.append(link("relation", a=key(man), b=key(child), kind="carer_of"))
    return recs, child, man


def test_location_not_enquired(session: Session) -> None:
    recs, child, man = _found_at_mans_house(enquiry=False)
    alerts = run(session, recs, code="LOCATION_NOT_ENQUIRED")
    assert len(alerts) == 1 and set(alerts[0].subjects) == {key(child), key(man)}
    same_around(session, key(child))


def test_location_not_enquired_seen_from_the_adult(session: Session) -> None:
    """The man's own picture reaches the child found at his home: nothing else links them."""
    recs, child, man = _found_at_mans_house(enquiry=False)
    assert len(run(session, recs, code="LOCATION_NOT_ENQUIRED")) == 1
    alerts = around(session, key(man))
    assert [set(a.subjects) for a in alerts if a.code == "LOCATION_NOT_ENQUIRED"] == [
        {key(child), key(man)}
    ]
    same_around(session, key(man))


def test_location_enquired(session: Session) -> None:
    recs, _, _ = _found_at_mans_house(enquiry=True)
    assert run(session, recs, code="LOCATION_NOT_ENQUIRED") == []


def test_location_of_a_carer(session: Session) -> None:
    recs, _, _ = _found_at_mans_house(enquiry=False, carer=True)
    assert run(session, recs, code="LOCATION_NOT_ENQUIRED") == []


def test_missing_alerts_read_through_clusters(session: Session) -> None:
    from safeguard.pole.models import PersonCluster
    from safeguard.pole.people import person_by_key

    a = person("Callum", "Rowe", "2003-09-01", source="storm")
    b = person("Calum", "Rowe", "2003-09-01", source="lcs")
    eps = [
        episode(a, "2016-05-01T20:00"),
        episode(b, "2016-06-01T20:00"),
        episode(a, "2016-07-01T20:00"),
    ]
    assert run(session, [a, b, *eps], code="MISSING_REPEAT") == []
    ids = sorted(person_by_key(session=session, key=key(p)).id for p in (a, b))
    session.add_all(PersonCluster(person_id=i, cluster_id=ids[0]) for i in ids)
    session.flush()
    alerts = run(session, [], code="MISSING_REPEAT")
    assert [x.subjects for x in alerts] == [sorted([key(a), key(b)])]
    same_around(session, key(b))


def test_history_before_the_lookback_counts_for_missing_risk(session: Session) -> None:
    from safeguard.pole.models import PersonCluster
    from safeguard.pole.people import person_by_key

    child = person("Ella", "Rowe", "2002-01-01", source="storm")
    other_key = person("Ela", "Rowe", "2002-01-01", source="lcs")
    # three episodes in the 12 months before the episode, but before the look-back
    old = [
        episode(other_key, "2015-07-12T20:00"),
        episode(other_key, "2015-07-14T20:00"),
        episode(child, "2015-07-16T20:00", indicators=["unexplained_gifts"]),
    ]
    ep = episode(child, "2016-07-10T20:00", risk="medium")
    assert run(session, [child, other_key, *old, ep], code="MISSING_RISK_UNDERSTATED") == []
    ids = sorted(person_by_key(session=session, key=key(p)).id for p in (child, other_key))
    session.add_all(PersonCluster(person_id=i, cluster_id=ids[0]) for i in ids)
    session.flush()
    alerts = run(session, [], code="MISSING_RISK_UNDERSTATED")
    assert [a.events for a in alerts] == [[key(ep)]] and "high" in alerts[0].message
    same_around(session, key(child))
