"""What every rule shares: building an alert with its subjects' keys and its policy values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from safeguard.risk.alert import Alert, Status
from safeguard.risk.facts import EventF, Facts
from safeguard.timeutil import UK

CHILD_PROTECTION_KINDS = frozenset(
    {"sexual_offence", "physical_abuse", "cse_concern", "online_abuse", "police_protection"}
)


def make(
    facts: Facts,
    code: str,
    *,
    status: Status,
    about: Iterable[int],
    events: Iterable[str],
    evidence: Iterable[str],
    message: str,
    rule: str,
    policy: dict[str, Any] | None = None,
    identity: str = "",
) -> Alert:
    cids = sorted(set(about))
    return Alert(
        code=code,
        status=status,
        severity=facts.policy.severity_of(code),
        subject_cids=cids,
        subjects=facts.keys(cids),
        events=sorted(set(events)),
        evidence=sorted(set(evidence)),
        message=message,
        rule=rule,
        policy=policy or {},
        identity=identity,
    )


def anchor(facts: Facts, cid: int) -> str:
    """A stable name for a person in an alert's identity: their smallest key."""
    keys = facts.person(cid).keys
    return keys[0] if keys else str(cid)


def day(at: datetime) -> str:
    return at.astimezone(UK).strftime("%d %B %Y").lstrip("0")


def when(at: datetime) -> str:
    return at.astimezone(UK).strftime("%d %B %Y %H:%M").lstrip("0")


def child_protection_children(facts: Facts, event: EventF) -> list[int]:
    """The children who make ``event`` a child-protection event (victims and subjects), or
    the children of a child_concern with significant harm; empty when it is not one."""
    if event.kind in CHILD_PROTECTION_KINDS:
        return facts.children_in(event, "victim", "subject")
    if event.kind == "child_concern" and event.details.get("significant_harm") is True:
        return facts.children_in(event, "victim", "subject") or facts.children_in(event)
    return []


def children_present(facts: Facts, event: EventF) -> list[int]:
    """The children present at a domestic abuse event: role child_present, and when
    ``details.children_present`` is true the child witnesses too (a child who saw it was there)."""
    if event.details.get("children_present") is True:
        return facts.children_in(event, "child_present", "witness")
    return facts.children_in(event, "child_present")


def is_child_centred(facts: Facts, event: EventF) -> bool:
    if child_protection_children(facts, event) or event.kind == "child_concern":
        return True
    return event.kind == "domestic_abuse" and (
        bool(facts.children_in(event, "child_present"))
        or event.details.get("children_present") is True
    )


def allocated_officer(event: EventF) -> tuple[str | None, datetime]:
    """The officer the event is allocated to, and when the allocation clock started."""
    allocation = event.latest("allocation")
    if allocation is not None:
        officer = allocation.details.get("officer")
        return (officer if isinstance(officer, str) else event.allocated_to), allocation.at
    return event.allocated_to, event.report_time
