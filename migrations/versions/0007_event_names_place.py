"""event names place: a partial index of the events whose details name a place

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the same text as safeguard.pole.models.NAMES_PLACE (a migration does not import the models)
_FIELDS = ("found_location", "taken_to", "seen_at")
SQLITE = " OR ".join(f"instr(details, '\"{f}\"') > 0" for f in _FIELDS)
POSTGRESQL = " OR ".join(f"strpos(details::text, '\"{f}\"') > 0" for f in _FIELDS)


def upgrade() -> None:
    # the details in the index (SQLite) or included in it (PostgreSQL): read from it alone
    if op.get_context().dialect.name == "sqlite":
        op.create_index(
            "ix_event_names_place",
            "event",
            ["occurred_at", "details"],
            unique=False,
            sqlite_where=sa.text(SQLITE),
        )
    else:
        op.create_index(
            "ix_event_names_place_pg",
            "event",
            ["occurred_at"],
            unique=False,
            postgresql_include=["details"],
            postgresql_where=sa.text(POSTGRESQL),
        )


def downgrade() -> None:
    sqlite = op.get_context().dialect.name == "sqlite"
    op.drop_index("ix_event_names_place" if sqlite else "ix_event_names_place_pg", "event")
