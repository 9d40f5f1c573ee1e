"""Alembic environment: migrations are the only way Safeguard's schema changes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import safeguard.models  # noqa: F401  (registers every table on Base.metadata)
from safeguard.db import Base, for_dialect, make_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=for_dialect(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///safeguard.db"
    with make_engine(url).begin() as conn:
        _run(conn)
