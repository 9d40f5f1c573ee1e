"""Each case's supervision clock is stored on the event (migration 0011) and kept by the
database, whatever writes the actions: the importer, a form, a bulk load."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from safeguard.db import make_engine, migrations_dir, unit_of_work, upgrade
from safeguard.pole.models import Action, Event
from safeguard.timeutil import now_utc
from safeguard.web.queues import CHILD_PROTECTION_KINDS, open_cases
from tests import factories as f
from tests.conftest import PG_ADMIN, _worker


def _migration() -> ModuleType:
    path = next((migrations_dir() / "versions").glob("0011_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _clock(session: Session, source_id: str) -> tuple[datetime | None, datetime | None]:
    session.flush()
    row = session.execute(
        select(Event.queue_clock, Event.reviewed_at)
        .where(Event.source_id == source_id)
        .execution_options(populate_existing=True)
    ).one()
    return row.queue_clock, row.reviewed_at


def at(text_: str) -> datetime:
    return datetime.fromisoformat(text_).replace(tzinfo=UTC)


def test_the_clock_follows_every_change_to_a_case_and_its_actions(session: Session) -> None:
    officer = f.officer("DC Birkett", id="OB")
    child = f.person("Ava", "Moss", "2012-01-01", id="AM")
    case = f.event("sexual_offence", "2026-01-01T10:00:00", [(child, "victim")], id="CK")
    f.load(session, [officer, child, case])
    assert _clock(session, "CK") == (None, None)  # not allocated: not on the queue
    f.load(session, [f.action("allocation", "2026-01-05T10:00:00", case, id="AL1")])
    assert _clock(session, "CK") == (at("2026-01-05T10:00:00"), None)
    event = session.scalars(select(Event).where(Event.source_id == "CK")).one()
    review = Action(
        source="web",
        source_id="R1",
        payload="{}",
        payload_hash="",
        kind="supervision_review",
        at=at("2026-02-01T10:00:00"),
        event_id=event.id,
        details={},
    )
    session.add(review)  # as the review form writes it
    assert _clock(session, "CK") == (at("2026-02-01T10:00:00"), at("2026-02-01T10:00:00"))
    review.at = at("2026-02-03T10:00:00")
    assert _clock(session, "CK") == (at("2026-02-03T10:00:00"), at("2026-02-03T10:00:00"))
    session.delete(review)
    assert _clock(session, "CK") == (at("2026-01-05T10:00:00"), None)
    event.kind = "other"  # no longer a child-protection case
    assert _clock(session, "CK") == (None, None)
    event.kind = "cse_concern"
    assert _clock(session, "CK") == (at("2026-01-05T10:00:00"), None)
    session.execute(text("DELETE FROM action WHERE source_id = 'AL1'"))  # bulk, not the ORM
    assert _clock(session, "CK") == (None, None)
    event.allocated_to_id = session.scalar(text("SELECT id FROM officer WHERE source_id = 'OB'"))
    event.reported_at = at("2026-01-02T09:00:00")
    assert _clock(session, "CK") == (at("2026-01-02T09:00:00"), None)  # allocated, not reviewed
    cases, total = open_cases(session=session, as_of=at("2026-03-01T10:00:00"))
    assert (total, [(c.event_key, c.days_since_review) for c in cases]) == (1, [("storm:CK", 58)])
    event.closed_at = at("2026-02-20T10:00:00")
    assert open_cases(session=session, as_of=at("2026-03-01T10:00:00")) == ([], 0)
    # still open on 10 February, when it was closed later
    cases, total = open_cases(session=session, as_of=at("2026-02-10T10:00:00"))
    assert (total, [c.event_key for c in cases]) == (1, ["storm:CK"])


def test_the_migration_lists_the_queue_kinds() -> None:
    kinds = _migration().KINDS
    assert kinds == ", ".join(f"'{k}'" for k in CHILD_PROTECTION_KINDS)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'clock.db'}")
        yield engine
        engine.dispose()
        return
    name = f"safeguard_test_{_worker()}_clock"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine = make_engine(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
        yield engine
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def test_the_migration_fills_in_the_clocks_of_a_store_built_before_it(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0010")
    rows = [
        "INSERT INTO officer (id, source, source_id, payload, payload_hash, name, team, "
        "specialisms, probationary) VALUES (1, 'hr', 'O1', '{}', '', 'DC One', 'PPU', '[]', false)",
    ]
    for n, (kind, allocated) in enumerate(
        [
            ("cse_concern", "1"),
            ("child_concern", "NULL"),
            ("other", "1"),
            ("sexual_offence", "NULL"),
        ]
    ):
        rows.append(
            "INSERT INTO event (id, source, source_id, payload, payload_hash, kind, occurred_at, "
            f"reported_at, details, allocated_to_id) VALUES ({n + 1}, 's', 'E{n + 1}', '{{}}', '', "
            f"'{kind}', '2026-01-01 10:00:00', '2026-01-01 11:00:00', '{{}}', {allocated})"
        )
    actions = [(2, "allocation", "2026-01-03"), (2, "supervision_review", "2026-01-09")]
    actions += [(2, "supervision_review", "2026-01-07"), (3, "supervision_review", "2026-01-08")]
    for n, (event_id, kind, day) in enumerate(actions):
        rows.append(
            "INSERT INTO action (source, source_id, payload, payload_hash, kind, at, event_id, "
            f"details) VALUES ('s', 'A{n}', '{{}}', '', '{kind}', '{day} 10:00:00', {event_id}, "
            "'{}')"
        )
    with empty_engine.begin() as conn:
        for row in rows:
            conn.execute(text(row))
    upgrade(empty_engine)
    with unit_of_work(empty_engine) as session:
        stored = {
            e.source_id: (e.queue_clock, e.reviewed_at)
            for e in session.scalars(select(Event).order_by(Event.id))
        }
    assert stored == {
        "E1": (at("2026-01-01T11:00:00"), None),  # allocated in the event: from its report
        "E2": (at("2026-01-09T10:00:00"), at("2026-01-09T10:00:00")),  # the latest review
        "E3": (None, at("2026-01-08T10:00:00")),  # not a child-protection case
        "E4": (None, None),  # never allocated
    }


def test_sqlite_reads_a_page_of_the_queue_from_its_index(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    ran: list[tuple[str, Any]] = []

    def keep(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        ran.append((statement, parameters))

    connection = session.connection()
    sa_event.listen(connection, "before_cursor_execute", keep)
    try:
        open_cases(session=session, as_of=now_utc(), limit=50)
    finally:
        sa_event.remove(connection, "before_cursor_execute", keep)
    statement, parameters = next((s, p) for s, p in ran if "ORDER BY queue_clock" in s)
    plan = " ".join(
        str(row[-1])
        for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    )
    assert "USING INDEX ix_event_queue" in plan
    assert "TEMP B-TREE" not in plan  # read in queue order, not sorted
