"""event (kind, closed_at) index for the open-case queues

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_event_kind_closed", "event", ["kind", "closed_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_kind_closed", table_name="event")
