"""person name sounds: phonetic codes of given and family names, indexed for fuzzy search

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from safeguard.linkage.names import name_sound

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("family_sound", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("given_sound", sa.String(length=32), nullable=True))
    _fill_sounds()
    op.create_index("ix_person_family_sound", "person", ["family_sound"], unique=False)
    op.create_index("ix_person_given_sound", "person", ["given_sound"], unique=False)


def _fill_sounds() -> None:
    """Existing people get their codes in batches, walking the primary key."""
    conn = op.get_bind()
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        sa.column("family_name", sa.String),
        sa.column("given_name", sa.String),
        sa.column("family_sound", sa.String),
        sa.column("given_sound", sa.String),
    )
    update = (
        person.update()
        .where(person.c.id == sa.bindparam("pid"))
        .values(family_sound=sa.bindparam("fs"), given_sound=sa.bindparam("gs"))
    )
    last = 0
    while True:
        rows = conn.execute(
            sa.select(person.c.id, person.c.family_name, person.c.given_name)
            .where(person.c.id > last)
            .order_by(person.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        conn.execute(
            update,
            [
                {"pid": r.id, "fs": name_sound(r.family_name), "gs": name_sound(r.given_name)}
                for r in rows
            ],
        )
        last = rows[-1].id


def downgrade() -> None:
    op.drop_index("ix_person_given_sound", "person")
    op.drop_index("ix_person_family_sound", "person")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("given_sound")
        batch.drop_column("family_sound")
