"""A case as the case-work pages show it: the event, its children (names hidden where the
record is restricted from this user), who it is allocated to, its strategy discussions and
its protective plans."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.errors import NotFoundError
from safeguard.pole.models import Action, Event, Officer, Person
from safeguard.web import closure
from safeguard.web.allocation import allocated_to


@dataclass
class StoredAction:
    key: str
    at: datetime
    person: str | None
    details: dict[str, Any]
    text: str | None


@dataclass
class CaseFile:
    event: Event
    children: list[closure.ChildAtClosure]
    officer: Officer | None
    discussions: list[StoredAction] = field(default_factory=list)
    plans: list[StoredAction] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.event.key

    @property
    def child_keys(self) -> list[str]:
        return [c.key for c in self.children]

    def child_name(self, key: str | None) -> str:
        return next((c.name or c.key for c in self.children if c.key == key), key or "")

    def plan(self, key: str) -> StoredAction:
        found = next((p for p in self.plans if p.key == key), None)
        if found is None:
            raise NotFoundError(f"no protective plan {key!r} in case {self.key}")
        return found

    @property
    def records(self) -> list[str]:
        """The keys a view of this case shows, for the processing log."""
        return [self.key, *self.child_keys]


def load(*, session: Session, key: str, username: str, as_of: datetime) -> CaseFile:
    event = closure.event_by_key(session=session, key=key)
    children = closure.children_of(session=session, event=event)
    limits = restrictions.load(session=session)
    for child in children:
        if limits.hides(username, [child.key]):
            child.name = RESTRICTED_LABEL
    case = CaseFile(
        event=event,
        children=children,
        officer=allocated_to(session=session, event=event, as_of=as_of),
    )
    rows = session.execute(
        select(Action, Person.source, Person.source_id)
        .outerjoin(Person, Person.id == Action.person_id)
        .where(Action.event_id == event.id)
        .where(Action.kind.in_(("strategy_discussion", "protective_plan")))
        .order_by(Action.at, Action.id)
    ).all()
    for action, source, ident in rows:
        stored = StoredAction(
            key=action.key,
            at=action.at,
            person=f"{source}:{ident}" if source else None,
            details=action.details or {},
            text=action.text,
        )
        (case.discussions if action.kind == "strategy_discussion" else case.plans).append(stored)
    return case
