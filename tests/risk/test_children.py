"""OTHER_CHILDREN_AT_RISK, RSO_CONTACT_WITH_CHILD, CSE_NETWORK, CHILD_VOICE_MISSING,
OUTCOME_MISSING, CHILD_NOT_INFORMED."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories import Rec, action, event, key, link, location, person
from tests.risk.helpers import run, same_around


def test_other_children_through_ex_partners_children_and_home(session: Session) -> None:
    victim = person("Ava", "Nixon", "2008-03-03")
    man = person("Carl", "Bell", "1980-01-01")
    ex = person("Dawn", "Ross", "1982-01-01")
    her_child = person("Kai", "Ross", "2012-01-01")
    lodger_child = person("Zoe", "Lamb", "2010-01-01")
    adult = person("Old", "Ross", "1950-01-01")
    home = location("3 Low Row, Maryport", kind="home")
    recs = [
        victim, man, ex, her_child, lodger_child, adult, home,
        link("relation", a=key(man), b=key(ex), kind="ex_partner", until="2015-01-01"),
        link("relation", a=key(ex), b=key(her_child), kind="parent_of"),
        link("residence", person=key(ex), location=key(home), until="2015-06-01"),
        link("residence", person=key(lodger_child), location=key(home)),
        link("residence", person=key(adult), location=key(home)),
        event("sexual_offence", "2016-06-01T10:00", [(victim, "victim"), (man, "suspect")]),
    ]  # fmt: skip
    alerts = run(session, recs, code="OTHER_CHILDREN_AT_RISK")
    assert len(alerts) == 1
    assert set(alerts[0].subjects) == {key(man), key(her_child), key(lodger_child)}
    same_around(session, key(her_child))


def test_other_children_not_those_named_nor_adults_nor_non_cp(session: Session) -> None:
    victim = person("Ava", "Nixon", "2008-03-03")
    man = person("Carl", "Bell", "1980-01-01")
    grown = person("Tom", "Bell", "1997-01-01")
    recs = [
        victim, man, grown,
        link("relation", a=key(man), b=key(victim), kind="parent_of"),
        link("relation", a=key(man), b=key(grown), kind="parent_of"),
        event("sexual_offence", "2016-06-01T10:00", [(victim, "victim"), (man, "suspect")]),
    ]  # fmt: skip
    assert run(session, recs, code="OTHER_CHILDREN_AT_RISK") == []
    kid = person("Kid", "Bell", "2012-01-01")
    rel = link("relation", a=key(man), b=key(kid), kind="parent_of")
    adult_victim = person("Ann", "Lee", "1990-01-01")
    da = event("physical_abuse", "2016-06-02T10:00", [(adult_victim, "victim"), (man, "suspect")])
    alerts = run(session, [kid, rel, adult_victim, da], code="OTHER_CHILDREN_AT_RISK")
    assert [a.events for a in alerts] == [[recs[-1]["source"] + ":" + recs[-1]["id"]]]


def _rso(since: str = "2010-01-01", until: str | None = None, **extra: str) -> tuple[Rec, Rec]:
    man = person("Roy", "Hume", "1960-01-01")
    flag = link("flag", person=key(man), kind="registered_sex_offender", since=since, **extra)
    if until:
        flag["until"] = until
    return man, flag


def test_rso_in_an_event_with_a_child(session: Session) -> None:
    man, flag = _rso()
    child = person("Ava", "Nixon", "2008-03-03")
    ev = event("other", "2016-06-01T10:00", [(man, "witness"), (child, "witness")])
    alerts = run(session, [man, flag, child, ev], code="RSO_CONTACT_WITH_CHILD")
    assert len(alerts) == 1 and set(alerts[0].subjects) == {key(man), key(child)}


def test_rso_shared_current_home_and_ended_home(session: Session) -> None:
    man, flag = _rso()
    child = person("Ava", "Nixon", "2008-03-03")
    other = person("Ben", "Nixon", "2009-03-03")
    home = location("1 Main St", kind="home")
    old = location("2 Main St", kind="home")
    recs = [
        man, flag, child, other, home, old,
        link("residence", person=key(man), location=key(home)),
        link("residence", person=key(child), location=key(home)),
        link("residence", person=key(man), location=key(old), until="2016-01-01"),
        link("residence", person=key(other), location=key(old)),
    ]  # fmt: skip
    alerts = run(session, recs, code="RSO_CONTACT_WITH_CHILD")
    assert [sorted(a.subjects) for a in alerts] == [sorted([key(man), key(child)])]


def test_rso_flag_ended_or_adult_contact(session: Session) -> None:
    man, flag = _rso(until="2016-07-18T09:00")
    child = person("Ava", "Nixon", "2008-03-03")
    rel = link("relation", a=key(man), b=key(child), kind="associate")
    assert run(session, [man, flag, child, rel], code="RSO_CONTACT_WITH_CHILD") == []


def test_cse_network_two_children(session: Session) -> None:
    man = person("Gary", "Moss", "1980-01-01")
    girls = [person("Ella", "Rowe", "2002-01-01"), person("Jade", "Kerr", "2001-05-05")]
    recs: list[Rec] = [man, *girls]
    recs.append(event("missing_episode", "2016-06-01T20:00", [(girls[0], "missing_person")]))
    recs.append(
        event(
            "child_concern",
            "2016-06-02T20:00",
            [(girls[1], "subject")],
            details={"indicators": ["unexplained_gifts"]},
        )
    )
    recs.append(event("other", "2016-06-05T20:00", [(man, "witness"), (girls[0], "witness")]))
    phone = {
        "record": "object",
        "source": "storm",
        "id": "PH1",
        "kind": "phone",
        "value": "07700900001",
    }
    recs += [
        phone,
        link("uses", person=key(man), object="storm:PH1"),
        link("uses", person=key(girls[1]), object="storm:PH1"),
    ]
    alerts = run(session, recs, code="CSE_NETWORK")
    assert len(alerts) == 1 and set(alerts[0].subjects) == {key(man), *map(key, girls)}
    same_around(session, key(girls[1]))


def test_cse_network_through_his_home_only(session: Session) -> None:
    """Two girls found at one man's home, linked to him by nothing else: each girl's picture
    reaches the other through his home (two steps), and his picture reaches both."""
    man = person("Gary", "Moss", "1980-01-01")
    girls = [person("Ella", "Rowe", "2002-01-01"), person("Jade", "Kerr", "2001-05-05")]
    house = location("4 Back Lane, Penrith", kind="home")
    recs: list[Rec] = [man, *girls, house]
    recs.append(link("residence", person=key(man), location=key(house), since="2010-01-01"))
    for n, girl in enumerate(girls):
        recs.append(
            event(
                "missing_episode",
                f"2016-06-0{n + 1}T20:00",
                [(girl, "missing_person")],
                details={"found_location": key(house)},
            )
        )
    alerts = run(session, recs, code="CSE_NETWORK")
    assert len(alerts) == 1 and set(alerts[0].subjects) == {key(man), *map(key, girls)}
    for who in (man, *girls):
        same_around(session, key(who))


def test_cse_network_needs_indicators_and_excludes_carers(session: Session) -> None:
    man = person("Gary", "Moss", "1980-01-01")
    a, b = person("Ella", "Rowe", "2002-01-01"), person("Jade", "Rowe", "2003-05-05")
    reported = [(a, "missing_person"), (man, "reporting_person")]
    recs = [
        man, a, b,
        event("missing_episode", "2016-06-01T20:00", reported),
        event("other", "2016-06-05T20:00", [(man, "witness"), (b, "witness")]),
    ]  # fmt: skip
    assert run(session, recs, code="CSE_NETWORK") == []  # b has no indicator; a reported by him
    ev = event(
        "missing_episode", "2016-06-08T20:00", [(b, "missing_person"), (man, "parent_or_carer")]
    )
    assert run(session, [ev], code="CSE_NETWORK") == []


def _closed_da(child: Rec, at: str = "2016-06-01T21:00") -> tuple[list[Rec], Rec]:
    mum = person("Karen", "Jackson", "1978-03-03")
    ev = event(
        "domestic_abuse",
        at,
        [(mum, "victim"), (child, "child_present")],
        closed_at="2016-06-20T10:00",
    )
    return [mum, child, ev], ev


def test_child_voice_views_for_4_and_over(session: Session) -> None:
    four = person("Ruby", "Jackson", "2012-06-01")  # 4 on the day
    recs, ev = _closed_da(four)
    dem = action("child_demeanour", "2016-06-02T10:00", ev, who=four)
    alerts = run(session, [*recs, dem], code="CHILD_VOICE_MISSING")
    assert [a.subjects for a in alerts] == [[key(four)]]
    views = action("child_views", "2016-06-02T10:00", ev, who=four)
    assert run(session, [views], code="CHILD_VOICE_MISSING") == []


def test_child_voice_demeanour_under_4(session: Session) -> None:
    three = person("Ruby", "Jackson", "2012-06-02")  # 4 the day after
    recs, ev = _closed_da(three)
    assert len(run(session, recs, code="CHILD_VOICE_MISSING")) == 1
    dem = action("child_demeanour", "2016-06-02T10:00", ev, who=three)
    assert run(session, [dem], code="CHILD_VOICE_MISSING") == []


def test_child_voice_only_when_closed(session: Session) -> None:
    child = person("Ruby", "Jackson", "2009-01-01")
    recs, _ = _closed_da(child)
    assert run(session, recs, as_of="2016-06-20T09:59", code="CHILD_VOICE_MISSING") == []
    assert len(run(session, [], as_of="2016-06-20T10:00", code="CHILD_VOICE_MISSING")) == 1


def test_outcome_missing_for_any_age_and_informed_for_4_plus(session: Session) -> None:
    baby = person("Baby", "Jackson", "2015-01-01")
    big = person("Josh", "Jackson", "2001-02-02")
    mum = person("Karen", "Jackson", "1978-03-03")
    ev = event("child_concern", "2016-06-01T21:00", [(mum, "parent_or_carer"), (baby, "subject"),
               (big, "subject")], closed_at="2016-06-20T10:00")  # fmt: skip
    outcome = action("outcome", "2016-06-02T10:00", ev, who=big)
    recs = [mum, baby, big, ev, outcome]
    assert [a.subjects for a in run(session, recs, code="OUTCOME_MISSING")] == [[key(baby)]]
    assert [a.subjects for a in run(session, [], code="CHILD_NOT_INFORMED")] == [[key(big)]]


def test_not_child_centred_is_not_judged(session: Session) -> None:
    mum = person("Karen", "Jackson", "1978-03-03")
    ev = event(
        "domestic_abuse", "2016-06-01T21:00", [(mum, "victim")], closed_at="2016-06-20T10:00"
    )
    assert run(session, [mum, ev], code="OUTCOME_MISSING") == []
