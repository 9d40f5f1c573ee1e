"""MoPI retention: review groups, due dates, and erasure as a logged, reasoned act."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access import processing_log, retention
from safeguard.access.processing_log import Actor
from safeguard.errors import InvalidInputError
from safeguard.pole.models import Person
from tests import factories as f

REVIEWER = Actor("reviewer", "administrator")


def _store(session: Session) -> None:
    rso = f.person("Ray", "Dunn", "1960-03-01", id="R1")
    suspect = f.person("Sid", "Vale", "1990-01-01", id="S1")
    child = f.person("Kim", "Vale", "2010-01-01", id="C1")
    witness = f.person("Wyn", "Lee", "1980-01-01", id="W1")
    f.load(
        session,
        [
            rso,
            suspect,
            child,
            witness,
            f.link(
                "flag",
                id="FL1",
                person="storm:R1",
                kind="registered_sex_offender",
                since="2001-01-01",
            ),
            f.event(
                "physical_abuse",
                "2012-05-01T10:00:00",
                [(suspect, "suspect"), (child, "victim")],
                id="EV1",
            ),
            f.event("other", "2015-06-01T10:00:00", [(witness, "witness")], id="EV2"),
        ],
    )


def test_each_person_gets_a_group_and_next_review(session: Session) -> None:
    _store(session)
    items = {i.key: i for i in retention.assess(session=session)}
    assert items["storm:R1"].group == 1 and items["storm:R1"].retain_until == date(2060, 3, 1)
    assert (items["storm:S1"].group, items["storm:S1"].next_review) == (2, date(2022, 5, 1))
    assert (items["storm:C1"].group, items["storm:C1"].next_review) == (3, date(2018, 5, 1))
    assert (items["storm:W1"].group, items["storm:W1"].next_review) == (3, date(2021, 6, 1))


def test_due_lists_only_reviews_that_have_come(session: Session) -> None:
    _store(session)
    assert [i.key for i in retention.due(session=session, as_of=date(2020, 1, 1))] == ["storm:C1"]


def test_a_retain_decision_restarts_the_clock_and_is_logged(session: Session) -> None:
    _store(session)
    retention.review(
        session=session,
        key="storm:C1",
        decision="retain",
        reason="Sibling still open to children's social care",
        actor=REVIEWER,
    )
    item = next(i for i in retention.assess(session=session) if i.key == "storm:C1")
    assert item.next_review.year >= date.today().year + 6
    [entry] = processing_log.who_viewed(session=session, keys=["storm:C1"])
    assert entry.operation == "alter" and entry.justification.startswith("Sibling")


def test_erasure_deletes_the_person_and_logs_who_and_why(session: Session) -> None:
    _store(session)
    with pytest.raises(InvalidInputError):
        retention.review(
            session=session, key="storm:W1", decision="erase", reason="", actor=REVIEWER
        )
    retention.review(
        session=session,
        key="storm:W1",
        decision="erase",
        reason="Six clear years; witness only; no ongoing need",
        actor=REVIEWER,
    )
    assert session.scalar(select(Person).where(Person.source_id == "W1")) is None
    [entry] = processing_log.who_viewed(session=session, keys=["storm:W1"])
    assert (entry.operation, entry.actor) == ("erase", "reviewer")
    assert processing_log.verify(session=session)[1] == []
