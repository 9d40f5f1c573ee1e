"""event names place: a partial index of the events whose details name a place

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the same text as safeguard.pole.models.NAMES_PLACE (a migration does not import the models)
_FIELDS = ("found_location", "taken_to", "seen_at")
SQLITE = " OR ".join(f"instr(details, '\"{f}\"') > 0" for f in _FIELDS)
POSTGRESQL = " OR ".join(f"strpos(details::text, '\"{f}\"') > 0" for f in _FIELDS)


def upgrade() -> None:
    op.create_index(
        "ix_event_names_place",
        "event",
        ["occurred_at"],
        unique=False,
        sqlite_where=sa.text(SQLITE),
        postgresql_where=sa.text(POSTGRESQL),
    )


def downgrade() -> None:
    op.drop_index("ix_event_names_place", table_name="event")
