"""Allocating a case to an officer, by skill and caseload.

A case is allocated to the officer of its latest ``allocation`` action, else to its
``allocated_to`` (spec/alerts.md "Allocated"), which is how the risk rules and the supervision
queue read it. An allocation stores both: the action, and the event with ``allocated_to``.

The form warns by the very test NON_SPECIALIST_ALLOCATION raises its alert by (a sexual
offence or CSE concern with a child victim, given to an officer without the policy's
specialism or to a probationer): to go ahead the supervisor confirms and records why.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from safeguard.pole.models import Action, Event, EventPerson, Officer
from safeguard.risk.facts import OfficerF
from safeguard.risk.policy import Policy
from safeguard.risk.rules.protection import unqualified_allocation
from safeguard.risk.scope import ScopeLoader
from safeguard.web.form_rows import Errors
from safeguard.web.records import SOURCE, Rec, new_id, stamp

# Officers who investigate (exchange-format officer roles); others are not offered.
INVESTIGATING_ROLES = ("ppu_investigator", "ppu_supervisor", "cse_team", "online_abuse_team")
SPECIALISMS = {
    "scaidp": "SCAIDP",
    "cse": "CSE",
    "sexual_offences": "sexual offences",
    "online_abuse": "online abuse",
}


def specialism_name(policy: Policy) -> str:
    """The specialism the policy asks for serious cases, as people write it."""
    wanted = policy.protection.specialism
    return SPECIALISMS.get(wanted, wanted)


@dataclass
class Candidate:
    key: str
    name: str
    team: str
    specialisms: list[str]
    probationary: bool
    caseload: int
    concern: str | None  # why allocating this case to them needs confirming

    @property
    def hint(self) -> str:
        skills = ", ".join(SPECIALISMS.get(s, s) for s in self.specialisms) or "none"
        cases = f"{self.caseload} open case{'' if self.caseload == 1 else 's'}"
        on_probation = ". Probationary" if self.probationary else ""
        return f"{self.team}. Caseload: {cases}. Specialisms: {skills}{on_probation}."


def _open(as_of: datetime) -> object:
    return or_(Event.closed_at.is_(None), Event.closed_at > as_of)


def allocations(
    *, session: Session, as_of: datetime, event_ids: list[int] | None = None
) -> dict[int, str]:
    """Event id -> officer key, for open events (or those given): latest allocation action,
    else ``allocated_to``."""
    actions = (
        select(Action.event_id, Action.at, Action.id, Action.details)
        .join(Event, Event.id == Action.event_id)
        .where(Action.kind == "allocation", Action.at <= as_of)
    )
    direct = select(Event.id, Officer.source, Officer.source_id).join(
        Officer, Officer.id == Event.allocated_to_id
    )
    if event_ids is None:
        actions, direct = actions.where(_open(as_of)), direct.where(_open(as_of))  # type: ignore[arg-type]
    else:
        actions = actions.where(Action.event_id.in_(event_ids))
        direct = direct.where(Event.id.in_(event_ids))
    latest: dict[int, tuple[datetime, int, str | None]] = {}
    for event_id, at, action_id, details in session.execute(actions):
        officer = (details or {}).get("officer")
        if event_id not in latest or (at, action_id) > latest[event_id][:2]:
            latest[event_id] = (at, action_id, officer if isinstance(officer, str) else None)
    found = {e: officer for e, (_, _, officer) in latest.items() if officer}
    for event_id, source, ident in session.execute(direct):
        found.setdefault(event_id, f"{source}:{ident}")
    return found


def allocated_to(*, session: Session, event: Event, as_of: datetime) -> Officer | None:
    key = allocations(session=session, as_of=as_of, event_ids=[event.id]).get(event.id)
    if key is None:
        return None
    source, _, ident = key.partition(":")
    return session.scalar(
        select(Officer).where(Officer.source == source, Officer.source_id == ident)
    )


def candidates(
    *, session: Session, event: Event, as_of: datetime, policy: Policy
) -> list[Candidate]:
    """The investigating officers, with their open caseload and whether this case needs
    confirming for them; those it does not, with the smallest caseload, first."""
    officers = list(
        session.scalars(
            select(Officer).where(Officer.role.in_(INVESTIGATING_ROLES)).order_by(Officer.name)
        )
    )
    load = Counter(allocations(session=session, as_of=as_of).values())
    concerns = concerns_for(
        session=session, event=event, officers=officers, as_of=as_of, policy=policy
    )
    found = [
        Candidate(
            key=o.key,
            name=o.name,
            team=o.team,
            specialisms=list(o.specialisms or []),
            probationary=bool(o.probationary),
            caseload=load.get(o.key, 0),
            concern=concerns[o.key],
        )
        for o in officers
    ]
    return sorted(found, key=lambda c: (c.concern is not None, c.caseload, c.name))


def concerns_for(
    *, session: Session, event: Event, officers: list[Officer], as_of: datetime, policy: Policy
) -> dict[str, str | None]:
    """Officer key -> why giving ``event`` to them is a non-specialist allocation (the alert
    rule's own test, on the facts the risk engine reads for the event's people), or None."""
    loader = ScopeLoader(session=session, as_of=as_of, policy=policy)
    people = set(
        session.scalars(select(EventPerson.person_id).where(EventPerson.event_id == event.id))
    )
    facts = loader.load_scope(people, core=people)
    judged = facts.events.get(event.id)
    result: dict[str, str | None] = {}
    for o in officers:
        officer = OfficerF(o.key, o.name, list(o.specialisms or []), bool(o.probationary))
        result[o.key] = unqualified_allocation(facts, judged, officer) if judged else None
    return result


def validate(
    *, chosen: Candidate | None, confirmed: bool, reason: str, current: str | None
) -> Errors:
    if chosen is None:
        return [{"text": "Select the officer to allocate the case to", "href": "#officer"}]
    errors: Errors = []
    if chosen.key == current:
        errors.append(
            {"text": f"The case is already allocated to {chosen.name}", "href": "#officer"}
        )
    if chosen.concern and not confirmed:
        errors.append(
            {
                "text": f"Confirm that you want to allocate this case to {chosen.name}, "
                f"{chosen.concern}",
                "href": "#confirm",
            }
        )
    if chosen.concern and not reason:
        errors.append({"text": f"Enter why {chosen.name} should have this case", "href": "#reason"})
    return errors


def to_records(
    *, event: Event, officer: Candidate, reason: str, now: datetime, by: str
) -> list[Rec]:
    """The allocation action, and the event with ``allocated_to`` set to the same officer."""
    details: dict[str, object] = {"officer": officer.key, "recorded_by": by}
    if officer.concern:
        details["confirmed_despite"] = officer.concern
    allocation: Rec = {
        "record": "action",
        "source": SOURCE,
        "id": new_id("AL"),
        "kind": "allocation",
        "at": stamp(now),
        "event": event.key,
        "details": details,
    }
    if reason:
        allocation["text"] = reason
    updated: Rec = json.loads(event.payload)
    updated["allocated_to"] = officer.key
    return [updated, allocation]
