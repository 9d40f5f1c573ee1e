"""The custody queue: children in custody now (custody events not closed), how long they have
been held, and what is outstanding. What is outstanding is what the custody rules of the risk
engine find (spec/alerts.md), judged on the same facts, so the queue and the alerts agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from safeguard.pole.models import Event, EventPerson
from safeguard.risk.facts import Facts
from safeguard.risk.policy import Policy
from safeguard.risk.rules import custody as custody_rules
from safeguard.risk.rules import evaluate
from safeguard.risk.scope import ScopeLoader

# What each custody rule asks for, and the step of the custody record that records it.
OUTSTANDING = {
    "CUSTODY_NO_APPROPRIATE_ADULT": ("No appropriate adult", "appropriate-adult"),
    "CUSTODY_HCP_NOT_CONTACTED": ("Healthcare practitioner not contacted", "healthcare"),
    "CUSTODY_NO_LA_REQUEST": (
        "Bail refused: no request for local authority accommodation",
        "la-request",
    ),
    "CUSTODY_BAIL_NOT_REVIEWED": ("Bail review due: accommodation not provided", "bail-review"),
    "CUSTODY_NO_CERTIFICATE": ("No detention certificate", "certificate"),
}

# PACE allows at most 96 hours' detention before charge, and a charged child goes before the
# next court: an older record still open is a record nobody closed, not a child still held.
HELD_AT_MOST = timedelta(days=7)


@dataclass
class Outstanding:
    code: str
    text: str
    step: str
    message: str


@dataclass
class InCustody:
    event_key: str
    child_key: str
    name: str
    detained_at: datetime
    hours: int
    offence: str
    outstanding: list[Outstanding] = field(default_factory=list)


def outstanding_for(
    *, session: Session, person_ids: set[int], as_of: datetime, policy: Policy
) -> dict[tuple[str, int], list[Outstanding]]:
    """(custody event key, child cluster id) -> what the custody rules find outstanding."""
    loader = ScopeLoader(session=session, as_of=as_of, policy=policy)
    return _outstanding(loader.load_scope(set(person_ids), core=set(person_ids)))


def _outstanding(facts: Facts) -> dict[tuple[str, int], list[Outstanding]]:
    found: dict[tuple[str, int], list[Outstanding]] = {}
    for alert in evaluate(facts, codes=custody_rules.RULES):
        text, step = OUTSTANDING[alert.code]
        for event_key in alert.events:
            for cid in alert.subject_cids:
                found.setdefault((event_key, cid), []).append(
                    Outstanding(alert.code, text, step, alert.message)
                )
    return found


def children_in_custody(*, session: Session, as_of: datetime, policy: Policy) -> list[InCustody]:
    """Each detained child of each custody event open at ``as_of``, longest held first."""
    rows = session.execute(
        select(Event, EventPerson.person_id)
        .join(EventPerson, EventPerson.event_id == Event.id)
        .where(Event.kind == "custody", EventPerson.role == "detained_child")
        .where(Event.occurred_at <= as_of)
        .where(or_(Event.closed_at.is_(None), Event.closed_at > as_of))
        .where(Event.occurred_at > as_of - HELD_AT_MOST)
    ).all()
    if not rows:
        return []
    loader = ScopeLoader(session=session, as_of=as_of, policy=policy)
    pids = {pid for _, pid in rows}
    facts = loader.load_scope(pids, core=pids)
    outstanding = _outstanding(facts)
    held: list[InCustody] = []
    for event, pid in rows:
        cid = loader.cid(pid)
        person = facts.person(cid)
        details = event.details if isinstance(event.details, dict) else {}
        held.append(
            InCustody(
                event_key=event.key,
                child_key=person.keys[0] if person.keys else str(pid),
                name=person.name,
                detained_at=event.occurred_at,
                hours=int((as_of - event.occurred_at).total_seconds() // 3600),
                offence=str(details.get("offence") or ""),
                outstanding=outstanding.get((event.key, cid), []),
            )
        )
    return sorted(held, key=lambda c: (c.detained_at, c.event_key))
