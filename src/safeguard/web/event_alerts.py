"""The alerts the risk engine finds on one event for one person, on the engine's own facts
(``facts_around``), so that a record page shows exactly what the alert sweep would."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from safeguard.pole.people import person_by_key
from safeguard.risk.alert import Alert
from safeguard.risk.engine import facts_around
from safeguard.risk.policy import Policy
from safeguard.risk.rules import evaluate


def alerts_on(
    *,
    session: Session,
    person_key: str,
    event_key: str,
    codes: Iterable[str],
    as_of: datetime,
    policy: Policy,
) -> list[Alert]:
    person = person_by_key(session=session, key=person_key)
    facts, _ = facts_around(session=session, person_ids=[person.id], as_of=as_of, policy=policy)
    return [a for a in evaluate(facts, codes=list(codes)) if event_key in a.events]
