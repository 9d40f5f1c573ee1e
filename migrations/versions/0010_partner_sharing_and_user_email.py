"""partner sharing; users' email for single sign-on

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partner_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("action_ids", sa.JSON(), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=100), nullable=True),
        sa.Column("lawful_basis", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("shared_by", sa.String(length=100), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_partner_share_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_share")),
    )
    op.create_index(
        "ix_partner_share_organisation", "partner_share", ["organisation"], unique=False
    )
    op.create_index(op.f("ix_partner_share_event_id"), "partner_share", ["event_id"], unique=False)
    op.add_column("app_user", sa.Column("email", sa.String(length=200), nullable=True))
    op.create_index(op.f("ix_app_user_email"), "app_user", ["email"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_app_user_email"), table_name="app_user")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("email")
    op.drop_index(op.f("ix_partner_share_event_id"), table_name="partner_share")
    op.drop_index("ix_partner_share_organisation", table_name="partner_share")
    op.drop_table("partner_share")
