"""Restricted records: visible only to named users (others see that a record exists, its
warning markers, and may break glass with a reason).

A restriction is stored for every key of the person when it is made; a key linked to the
person later must be restricted again (linkage should call `restrict` for new members)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access import processing_log
from safeguard.access.models import Restriction, User
from safeguard.access.processing_log import Actor, Operation
from safeguard.errors import InvalidInputError
from safeguard.pole.people import cluster_people, person_by_key
from safeguard.timeutil import now_utc

RESTRICTED_LABEL = "Restricted record"


@dataclass(frozen=True)
class Restrictions:
    allowed_by_key: dict[str, frozenset[str]]

    def hides(self, username: str, keys: Iterable[str]) -> bool:
        """True when any of these keys is restricted and the user is not named on all of them."""
        sets = [self.allowed_by_key[k] for k in keys if k in self.allowed_by_key]
        return bool(sets) and not all(username in s for s in sets)


def load(*, session: Session) -> Restrictions:
    rows = session.execute(select(Restriction.person_key, Restriction.allowed))
    return Restrictions({key: frozenset(allowed) for key, allowed in rows})


def restrict(
    *, session: Session, key: str, allowed: list[str], reason: str, actor: Actor
) -> list[str]:
    """Restrict every key of the person to the named users; logged. Returns the keys."""
    if not allowed:
        raise InvalidInputError("name at least one user who may open the record")
    if len(reason.strip()) < 10:
        raise InvalidInputError("record why the record is restricted")
    known = set(session.scalars(select(User.username).where(User.username.in_(allowed))))
    if missing := sorted(set(allowed) - known):
        raise InvalidInputError(f"no such users: {', '.join(missing)}")
    person = person_by_key(session=session, key=key)
    keys = sorted(p.key for p in cluster_people(session=session, person_id=person.id))
    for k in keys:
        session.merge(
            Restriction(
                person_key=k,
                allowed=sorted(set(allowed)),
                reason=reason.strip(),
                by=actor.name,
                at=now_utc(),
            )
        )
    processing_log.append(
        session=session,
        operation=Operation.ALTER,
        actor=actor,
        records=keys,
        purpose="record restricted",
        justification=reason,
    )
    session.flush()
    return keys
