"""the supervisor's queue clock stored on each case: the latest supervision review, and the time
the queue counts from, kept up to date by triggers and read through one partial index

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same kinds as safeguard.web.queues.CHILD_PROTECTION_KINDS, frozen here as a migration
# must be (tests/web/test_queue_clock.py checks they agree).
KINDS = ", ".join(
    f"'{k}'"
    for k in (
        "sexual_offence",
        "physical_abuse",
        "cse_concern",
        "online_abuse",
        "police_protection",
        "child_concern",
    )
)
QUEUE_WHERE = "queue_clock IS NOT NULL AND closed_at IS NULL"


def _latest(event: str, kind: str) -> str:
    return f"(SELECT max(a.at) FROM action a WHERE a.event_id = {event} AND a.kind = '{kind}')"


def _refresh(event: str) -> str:
    """One event's stored clock from its actions: the latest supervision review, else the latest
    allocation, else when reported or occurred; none unless it is an allocated
    child-protection case (allocated in the event, or by an allocation action)."""
    allocated = _latest(event, "allocation")
    return (
        f"UPDATE event SET reviewed_at = {_latest(event, 'supervision_review')}, "
        f"queue_clock = CASE WHEN kind IN ({KINDS}) "
        f"AND (allocated_to_id IS NOT NULL OR {allocated} IS NOT NULL) THEN coalesce("
        f"{_latest(event, 'supervision_review')}, {allocated}, reported_at, occurred_at) END "
        f"WHERE id = {event}"
    )


CLOCKED = "'allocation', 'supervision_review'"
EVENT_FIELDS = "kind, allocated_to_id, reported_at, occurred_at"
# (name, timing on table, condition, event ids to refresh)
TRIGGERS = [
    (
        "trg_action_ins_queue_clock",
        "AFTER INSERT ON action",
        f"NEW.kind IN ({CLOCKED})",
        ["NEW.event_id"],
    ),
    (
        "trg_action_del_queue_clock",
        "AFTER DELETE ON action",
        f"OLD.kind IN ({CLOCKED})",
        ["OLD.event_id"],
    ),
    (
        "trg_action_upd_queue_clock",
        "AFTER UPDATE OF kind, at, event_id ON action",
        f"OLD.kind IN ({CLOCKED}) OR NEW.kind IN ({CLOCKED})",
        ["OLD.event_id", "NEW.event_id"],
    ),
    (
        "trg_event_ins_queue_clock",
        "AFTER INSERT ON event",
        f"NEW.kind IN ({KINDS}) AND NEW.allocated_to_id IS NOT NULL",
        ["NEW.id"],
    ),
    (
        "trg_event_upd_queue_clock",
        f"AFTER UPDATE OF {EVENT_FIELDS} ON event",
        "true",
        ["NEW.id"],
    ),
]


def _create_triggers(dialect: str) -> None:
    for name, timing, condition, events in TRIGGERS:
        body = "; ".join(_refresh(e) for e in dict.fromkeys(events))
        if dialect == "sqlite":
            when = condition.replace("true", "1")
            op.execute(f"CREATE TRIGGER {name} {timing} FOR EACH ROW WHEN {when} BEGIN {body}; END")
        else:
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {body}; RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {name} {timing} FOR EACH ROW WHEN ({condition}) "
                f"EXECUTE FUNCTION {name}()"
            )


def upgrade() -> None:
    op.add_column("event", sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("event", sa.Column("queue_clock", sa.DateTime(timezone=True), nullable=True))
    # Backfill: only events that can be on the queue or have a review need a value.
    op.execute(
        _refresh("event.id").replace(
            "WHERE id = event.id",
            # EXISTS, not IN (...): PostgreSQL cannot hash a million ids in its working memory
            # and would rescan the actions for every event
            f"WHERE allocated_to_id IS NOT NULL OR EXISTS (SELECT 1 FROM action a "
            f"WHERE a.event_id = event.id AND a.kind IN ({CLOCKED}))",
        )
    )
    dialect = op.get_bind().dialect.name
    op.create_index(
        "ix_event_queue",
        "event",
        ["queue_clock", "source", "source_id", "occurred_at", "closed_at"],
        unique=False,
        sqlite_where=sa.text(QUEUE_WHERE),
        postgresql_where=sa.text(QUEUE_WHERE),
    )
    _create_triggers(dialect)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, timing, _, _ in TRIGGERS:
        table = timing.rsplit(" ", 1)[1]
        op.execute(
            f"DROP TRIGGER IF EXISTS {name}" + ("" if dialect == "sqlite" else f" ON {table}")
        )
        if dialect != "sqlite":
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index("ix_event_queue", table_name="event")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("queue_clock")
        batch.drop_column("reviewed_at")
