"""event place keys: on PostgreSQL, a GIN index of the location keys an event's details name

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 23:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the same text as safeguard.pole.models.NAMES_PLACE and PLACE_KEYS_PG (a migration does not
# import the models)
_FIELDS = ("found_location", "taken_to", "seen_at")
NAMES_PLACE = " OR ".join(f"strpos(details::text, '\"{f}\"') > 0" for f in _FIELDS)
PLACE_KEYS = " || ".join(f"jsonb_path_query_array(details::jsonb, '$.{f}[*]')" for f in _FIELDS)


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.create_index(
            "ix_event_place_keys_pg",
            "event",
            [sa.text(f"({PLACE_KEYS})")],
            unique=False,
            postgresql_using="gin",
            postgresql_where=sa.text(NAMES_PLACE),
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.drop_index("ix_event_place_keys_pg", "event")
