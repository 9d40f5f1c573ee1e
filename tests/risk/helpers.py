"""Running the catalogue over records loaded through the real importer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguard.pole.people import person_by_key
from safeguard.risk.alert import Alert
from safeguard.risk.engine import alerts_about, compute_alerts, facts_around
from safeguard.risk.policy import Policy, default_policy
from safeguard.risk.rules import evaluate
from safeguard.timeutil import parse_as_of
from tests.factories import Rec, load

AS_OF = "2016-07-18T09:00"


def run(
    session: Session,
    records: list[Rec],
    as_of: str = AS_OF,
    code: str | None = None,
    policy: Policy | None = None,
) -> list[Alert]:
    """Load ``records`` and return the alerts (of ``code``) of a whole-store sweep."""
    if records:
        load(session, records)
    found = compute_alerts(
        session=session, as_of=parse_as_of(as_of), policy=policy or default_policy()
    )
    return [a for a in found if code is None or a.code == code]


def about(alerts: list[Alert], code: str, key: str) -> list[Alert]:
    return [a for a in alerts if a.code == code and key in a.subjects]


def around(session: Session, key: str, as_of: str = AS_OF) -> list[Alert]:
    """The alerts about the person ``key``, judged from their neighbourhood only (assess)."""
    pid = person_by_key(session=session, key=key).id
    facts, loader = facts_around(
        session=session, person_ids=[pid], as_of=parse_as_of(as_of), policy=default_policy()
    )
    return alerts_about(evaluate(facts), {loader.cid(pid)})


def same_around(session: Session, key: str, as_of: str = AS_OF) -> None:
    """The neighbourhood evaluation agrees with the sweep about ``key``."""
    sweep = [a.as_json() for a in run(session, [], as_of) if key in a.subjects]
    local = [a.as_json() for a in around(session, key, as_of)]
    assert local == sweep
