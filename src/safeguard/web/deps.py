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
