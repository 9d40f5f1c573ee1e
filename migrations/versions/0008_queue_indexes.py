"""wider indexes for the supervisor's queue: open cases by kind, state and time; the latest
action of a kind per case read from the index alone

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 20:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # (kind, closed_at) left SQLite choosing (kind, occurred_at) for open cases, then reading
    # every child-protection event; with occurred_at last, one index answers the whole filter.
    op.create_index(
        "ix_event_kind_closed_time", "event", ["kind", "closed_at", "occurred_at"], unique=False
    )
    op.drop_index("ix_event_kind_closed", table_name="event")
    op.create_index("ix_action_event_kind_at", "action", ["event_id", "kind", "at"], unique=False)
    op.drop_index("ix_action_event_kind", table_name="action")


def downgrade() -> None:
    op.create_index("ix_action_event_kind", "action", ["event_id", "kind"], unique=False)
    op.drop_index("ix_action_event_kind_at", table_name="action")
    op.create_index("ix_event_kind_closed", "event", ["kind", "closed_at"], unique=False)
    op.drop_index("ix_event_kind_closed_time", table_name="event")
