"""The neighbourhood's reads on the driver's cursor (`risk/reads.py`) give the values the
models' types give through SQLAlchemy: the facts must not depend on which path read them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.pole.models import (
    Action,
    Event,
    Flag,
    Location,
    Officer,
    Person,
    Relation,
    Residence,
)
from safeguard.pole.people import person_by_key
from safeguard.risk import reads
from tests.factories import action, event, key, link, load, location, officer, person


def _same(rows: list[Any], expected: list[Any]) -> None:
    assert [tuple(r) for r in rows] == [tuple(e) for e in expected]
    for row, want in zip(rows, expected, strict=True):
        # equal is not enough for times: the zone must be UTC's too, as the ORM gives it
        assert [type(v) for v in row] == [type(v) for v in want]
        assert [getattr(v, "tzinfo", None) for v in row] == [
            getattr(v, "tzinfo", None) for v in want
        ]


def test_reads_give_the_values_the_models_give(session: Session) -> None:
    pc = officer("DC Reads", specialisms=["scaidp"], probationary=True)
    home = location("2 Read Street")
    mum = person("Ann", "Read", "1980-02-29")
    kid = person("Kit", "Read", "2008-12-31")
    ep = event(
        "missing_episode",
        "2016-03-27T00:30",  # the night the clocks go forward
        [(kid, "missing_person")],
        reported_at="2016-03-27T02:30",
        closed_at="2016-10-30T01:30",
        details={"found_location": key(home), "found_at": "2016-03-27T05:00"},
        allocated_to=key(pc),
        location=key(home),
        risk_level="high",
        summary="Kit missing",
    )
    act = action("return_interview", "2016-03-28T10:00", ep, who=kid, by=key(pc), text="seen")
    parent = link("relation", a=key(mum), b=key(kid), kind="parent_of", since="2008-12-31")
    lives = link("residence", person=key(kid), location=key(home), since="2010-01-01")
    flag = link("flag", person=key(kid), kind="self_harm", since="2016-01-01", level="high")
    load(session, [pc, home, mum, kid, ep, act, parent, lives, flag])
    kid_id = person_by_key(session=session, key=key(kid)).id
    reader = reads.Reader(session.connection())
    events = reader.rows(reads.EVENTS_FOR, ids=[kid_id], others=[], lo=None)
    event_cols = [getattr(Event, c) for c in reads.EVENTS_FOR.columns]
    _same(events, session.execute(select(*event_cols)).all())
    action_cols = [getattr(Action, c) for c in reads.EVENT_ACTIONS.columns]
    _same(
        reader.rows(reads.EVENT_ACTIONS, ids=[events[0].id]),
        session.execute(select(*action_cols)).all(),
    )
    person_cols = [getattr(Person, c) for c in reads.PEOPLE.columns]
    ids = session.scalars(select(Person.id)).all()
    _same(
        reader.rows(reads.PEOPLE, ids=ids),
        session.execute(select(*person_cols).order_by(Person.id)).all(),
    )
    officer_cols = [getattr(Officer, c) for c in reads.OFFICERS.columns]
    _same(
        reader.rows(reads.OFFICERS, ids=[], keys=[pc["id"]]),
        session.execute(select(*officer_cols)).all(),
    )
    flag_cols = [getattr(Flag, c) for c in reads.FLAGS.columns]
    _same(reader.rows(reads.FLAGS, ids=[kid_id]), session.execute(select(*flag_cols)).all())
    rel_cols = [getattr(Relation, c) for c in reads.RELATIONS.columns]
    _same(reader.rows(reads.RELATIONS, ids=[kid_id]), session.execute(select(*rel_cols)).all())
    res_cols = [getattr(Residence, c) for c in reads.RESIDENCES.columns]
    _same(
        reader.rows(reads.RESIDENCES, ids=[kid_id], places=[]),
        session.execute(select(*res_cols)).all(),
    )
    loc_cols = [getattr(Location, c) for c in reads.LOCATIONS_BY_KEY.columns]
    by_key = (
        {"pairs": [[home["source"], home["id"]]]}
        if reader.dialect == "sqlite"
        else {"sources": [home["source"]], "idents": [home["id"]]}
    )
    _same(reader.rows(reads.LOCATIONS_BY_KEY, **by_key), session.execute(select(*loc_cols)).all())
    # the episode names the home: found by the places it names, within the window only
    at = events[0].occurred_at
    named = {"k0": f'"{key(home)}"'}
    assert reader.rows(reads.naming_events(1), lo=at, hi=at + timedelta(days=1), **named) == []
    found = reader.rows(reads.naming_events(1), lo=at - timedelta(seconds=1), hi=at, **named)
    assert [r.id for r in found] == [events[0].id]
    elsewhere = {"k0": '"storm:nowhere"', "k1": '"storm:nor here"'}
    assert (
        reader.rows(reads.naming_events(2), lo=at - timedelta(seconds=1), hi=at, **elsewhere) == []
    )
