"""Re-importing changes nothing; a changed record replaces the stored one and keeps its history."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.pole.models import Event, EventPerson, Person, RecordHistory
from tests import factories as f


def test_same_records_twice_change_nothing(session: Session) -> None:
    child = f.person("Mia", "Lowther", "2009-03-03")
    ev = f.event("child_concern", "2016-05-01T10:00", [(child, "subject")])
    first = f.load(session, [child, ev])
    second = f.load(session, [child, ev])
    assert first.stored == {"person": 1, "event": 1}
    assert sum(second.stored.values()) == 0
    assert second.unchanged == {"person": 1, "event": 1}
    assert session.scalars(select(RecordHistory)).all() == []


def test_changed_record_is_updated_with_history(session: Session) -> None:
    child = f.person("Mia", "Lowther", "2009-03-03")
    f.load(session, [child])
    report = f.load(session, [child | {"family_name": "Lowthar"}])
    assert report.updated == {"person": 1}
    stored = session.scalars(select(Person).where(Person.source_id == child["id"])).one()
    assert stored.family_name == "Lowthar"
    history = session.scalars(select(RecordHistory)).one()
    assert json.loads(history.payload)["family_name"] == "Lowther"
    assert (history.record_type, history.source, history.source_id) == (
        "person",
        "storm",
        child["id"],
    )
    assert history.replaced_by_file and history.replaced_by_file.endswith("records.jsonl")


def test_changed_event_replaces_its_people(session: Session) -> None:
    mum, child = f.person("Jo", "Fell", "1980-01-01"), f.person("Kai", "Fell", "2010-01-01")
    ev = f.event("domestic_abuse", "2016-05-01T22:00", [(mum, "victim")])
    f.load(session, [mum, child, ev])
    f.load(
        session,
        [
            ev
            | {
                "people": [
                    {"person": f.key(mum), "role": "victim"},
                    {"person": f.key(child), "role": "child_present"},
                ]
            }
        ],
    )
    stored = session.scalars(select(Event)).one()
    roles = session.execute(select(EventPerson.role).where(EventPerson.event_id == stored.id))
    assert sorted(r for (r,) in roles) == ["child_present", "victim"]


def test_times_without_zone_are_uk_local(session: Session) -> None:
    child = f.person("Mia", "Lowther", "2009-03-03")
    summer = f.event("child_concern", "2016-07-18T14:05:00", [(child, "subject")])
    winter = f.event("child_concern", "2016-01-18T14:05:00+00:00", [(child, "subject")])
    f.load(session, [child, summer, winter])
    times = {e.source_id: e.occurred_at for e in session.scalars(select(Event))}
    assert times[summer["id"]] == datetime(2016, 7, 18, 13, 5, tzinfo=UTC)
    assert times[winter["id"]] == datetime(2016, 1, 18, 14, 5, tzinfo=UTC)
