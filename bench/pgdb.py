"""A benchmark's PostgreSQL database, made afresh on the local server."""

from __future__ import annotations

from sqlalchemy import create_engine, text


def recreate_database(url: str) -> None:
    """Drop the database ``url`` names (sessions and all) and create it empty."""
    server, name = url.rsplit("/", 1)
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
