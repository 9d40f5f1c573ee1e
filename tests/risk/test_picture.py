"""The risk picture (`assess`): every key, flags, missing history, CSE level, DASH, links,
alerts and timeline, as of WHEN."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from safeguard.pole.models import PersonCluster
from safeguard.pole.people import person_by_key
from safeguard.risk.picture import assess
from safeguard.risk.policy import default_policy
from safeguard.timeutil import parse_as_of
from tests.factories import Rec, action, event, key, link, load, location, person
from tests.risk.helpers import AS_OF


def picture(session: Session, who: Rec, as_of: str = AS_OF) -> dict[str, Any]:
    return assess(session=session, key=key(who), as_of=parse_as_of(as_of), policy=default_policy())


def test_picture_reads_every_linked_key(session: Session) -> None:
    a = person("Ella", "Rowe", "2002-01-01", source="storm")
    b = person("Ela", "Rowe", "2002-01-01", source="lcs")
    ep1 = event("missing_episode", "2016-06-01T20:00", [(a, "missing_person")], risk_level="low")
    ep2 = event("missing_episode", "2016-07-01T20:00", [(b, "missing_person")], risk_level="low",
                source="lcs")  # fmt: skip
    flag = link("flag", person=key(b), kind="self_harm", since="2016-01-01", source="lcs")
    load(session, [a, b, ep1, ep2, flag])
    ids = sorted(person_by_key(session=session, key=key(p)).id for p in (a, b))
    session.add_all(PersonCluster(person_id=i, cluster_id=ids[0]) for i in ids)
    session.flush()
    p = picture(session, a)
    assert p["person"]["keys"] == sorted([key(a), key(b)]) and p["person"]["age"] == 14
    assert p["missing"]["episodes_total"] == 2 and p["missing"]["last_recorded_risk"] == "low"
    assert [f["kind"] for f in p["flags"]] == ["self_harm"]
    assert [t["key"] for t in p["timeline"]] == [key(ep1), key(ep2)]
    assert {i["kind"] for i in p["cse"]["indicators"]} == {"self_harm"}
    assert p["cse"]["level"] == "low"


def test_cse_levels_by_kinds_and_victim(session: Session) -> None:
    girl = person("Jade", "Kerr", "2001-05-05")
    one = event("child_concern", "2016-06-01T10:00", [(girl, "subject")],
                details={"indicators": ["unexplained_gifts", "unexplained_gifts"]})  # fmt: skip
    load(session, [girl, one])
    assert picture(session, girl)["cse"]["level"] == "low"
    two = event("child_concern", "2016-06-02T10:00", [(girl, "subject")],
                details={"indicators": ["substance_misuse"]})  # fmt: skip
    load(session, [two])
    assert picture(session, girl)["cse"]["level"] == "medium"
    three = event("child_concern", "2016-06-03T10:00", [(girl, "subject")],
                  details={"indicators": ["pregnancy_under_16"]})  # fmt: skip
    load(session, [three])
    p = picture(session, girl)
    assert p["cse"]["level"] == "high"
    assert [s["kind"] for s in p["suggested_flags"]][:1] == ["cse_risk"]
    other = person("Amy", "Kerr", "2003-05-05")
    victim = event("online_abuse", "2016-06-03T10:00", [(other, "victim")])
    load(session, [other, victim])
    assert picture(session, other)["cse"]["level"] == "high"


def test_suspect_events_are_not_indicators(session: Session) -> None:
    boy = person("Lee", "Kerr", "2001-05-05")
    ev = event("cse_concern", "2016-06-01T10:00", [(boy, "suspect")],
               details={"indicators": ["unexplained_gifts"]})  # fmt: skip
    load(session, [boy, ev])
    assert picture(session, boy)["cse"] == {"level": "none", "indicators": []}


def test_as_of_hides_later_records_and_dash_history(session: Session) -> None:
    mum = person("Gemma", "Hall", "1990-04-04")
    da1 = event("domestic_abuse", "2016-05-01T22:00", [(mum, "victim")], risk_level="standard",
                details={"dash_yes": 5})  # fmt: skip
    da2 = event("domestic_abuse", "2016-07-01T22:00", [(mum, "victim")], risk_level="high",
                details={"dash_yes": 15})  # fmt: skip
    ref = action("marac_referral", "2016-07-02T10:00", da2)
    flag = link("flag", person=key(mum), kind="violent", since="2016-07-10", until="2016-07-12")
    load(session, [mum, da1, da2, ref, flag])
    early = picture(session, mum, "2016-06-30")
    assert [t["key"] for t in early["timeline"]] == [key(da1)]
    assert [d["yes_count"] for d in early["dash"]] == [5]
    full = picture(session, mum)
    assert [d["marac_referral"] for d in full["dash"]] == [False, True]
    assert [t["key"] for t in full["timeline"]] == [key(da1), key(da2), key(ref)]
    assert (
        full["flags"] == [] and picture(session, mum, "2016-07-11")["flags"][0]["kind"] == "violent"
    )


def test_links_two_steps_and_alerts(session: Session) -> None:
    child = person("Noah", "Hall", "2011-11-11")
    mum = person("Gemma", "Hall", "1990-04-04")
    lodger = person("Rob", "Fell", "1970-01-01")
    home = location("5 Beck Side, Keswick", kind="home")
    recs = [
        child, mum, lodger, home,
        link("relation", a=key(mum), b=key(child), kind="parent_of"),
        link("residence", person=key(child), location=key(home)),
        link("residence", person=key(lodger), location=key(home)),
        event("domestic_abuse", "2016-06-30T22:30", [(mum, "victim"), (child, "child_present")]),
    ]  # fmt: skip
    load(session, recs)
    p = picture(session, child)
    hows = {(tuple(x["keys"]), x["how"]) for x in p["links"]["people"]}
    assert ((key(mum),), "parent_of (of this person)") in hows
    assert ((key(lodger),), "lives or lived at the same address") in hows
    assert p["links"]["places"][0]["key"] == key(home)
    assert [a["code"] for a in p["alerts"]] == ["DA_CHILD_DEMEANOUR_MISSING"]


def test_episodes_naming_a_place_are_read_by_their_index(session: Session) -> None:
    """The picture finds the episodes naming a person's home through an index of the events
    whose details name a place (on PostgreSQL, of the keys of the places they name), not by
    reading every event of the look-back."""
    from sqlalchemy import text

    from safeguard.risk import reads

    reader = reads.Reader(session.connection())
    window = {"lo": parse_as_of("2015-07-18"), "hi": parse_as_of(AS_OF)}
    if reader.dialect == "postgresql":
        # a look-back with many episodes naming other places, so that the index chosen is
        # the one a large store would use
        session.execute(
            text(
                "INSERT INTO event (source, source_id, payload, payload_hash, kind,"
                " occurred_at, details) SELECT 'test', 'E' || g, '{}', 'x', 'missing_episode',"
                " timestamptz '2016-01-01' + g * interval '1 minute',"
                " json_build_object('found_location', 'test:L' || g)"
                " FROM generate_series(1, 5000) g"
            )
        )
        session.execute(text("ANALYZE event"))
        plan = reader.plan(reads.EVENTS_NAMING, keys=["storm:L1"])
        assert "ix_event_place_keys_pg" in plan
    else:
        plan = reader.plan(reads.naming_events(1), k0='"storm:L1"', **window)
        assert "ix_event_names_place" in plan
