"""Request-scoped dependencies: one transaction per request, committed before the response."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from safeguard.db import unit_of_work


def db_session(request: Request) -> Iterator[Session]:
    with unit_of_work(request.app.state.engine) as session:
        yield session


# scope="function": the transaction commits (or rolls back) before the response is sent, so a
# page is never shown unless its processing-log entry is stored.
DbSession = Annotated[Session, Depends(db_session, scope="function")]


def begin_writing(session: Session) -> None:
    """On SQLite, take the write lock before the first read of a request that will write.

    A deferred SQLite transaction that reads and then writes fails at once ("database is
    locked", no busy wait) when another writer committed in between; BEGIN IMMEDIATE waits for
    the lock instead. Such requests queue on SQLite; PostgreSQL needs nothing here."""
    if session.get_bind().dialect.name != "sqlite":
        return
    raw = session.connection().connection.dbapi_connection
    if raw is not None and not getattr(raw, "in_transaction", True):
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
