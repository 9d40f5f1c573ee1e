"""Request-scoped dependencies: one transaction per request, committed before the response."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from safeguard.db import unit_of_work


def db_session(request: Request) -> Iterator[Session]:
    with unit_of_work(request.app.state.engine) as session:
        yield session


# scope="function": the transaction commits (or rolls back) before the response is sent, so a
# page is never shown unless its processing-log entry is stored.
DbSession = Annotated[Session, Depends(db_session, scope="function")]
_WRITE_LOCKS: dict[int, threading.Lock] = {}  # per SQLite engine, in this process


def begin_writing(session: Session) -> None:
    """On SQLite, take the write lock before the first read of a request that will write.

    A deferred SQLite transaction that reads and then writes fails at once ("database is
    locked", no busy wait) when another writer committed in between; BEGIN IMMEDIATE waits for
    the lock instead. Such requests queue on SQLite; PostgreSQL needs nothing here."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    raw = session.connection().connection.dbapi_connection
    if raw is None or getattr(raw, "in_transaction", True):
        return
    # The requests of this process queue on a lock of its own first: SQLite's busy handler
    # retries a locked database after sleeps of up to 100 ms, so that twenty requests of one
    # process waiting there would each lose far more time than the lock is held. Only one
    # request per process then waits on SQLite itself (for another process's write).
    lock = _WRITE_LOCKS.setdefault(id(bind), threading.Lock())
    lock.acquire()
    try:
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        lock.release()
        raise
    event.listen(session, "after_transaction_end", _release_when_done(lock))


def _release_when_done(lock: threading.Lock) -> Callable[[Session, SessionTransaction], None]:
    held = [True]  # released once, at the end of the transaction that took it

    def release(_session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None and held:
            held.clear()
            lock.release()

    return release
