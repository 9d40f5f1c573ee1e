"""Evaluating the catalogue: over the whole store (a sweep) or around some people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_, union_all
from sqlalchemy.orm import Session, aliased

from safeguard.pole.models import Event, EventPerson, Location, Relation, Residence, Uses
from safeguard.risk.alert import Alert
from safeguard.risk.facts import Facts
from safeguard.risk.loader import Loader, as_list, chunks
from safeguard.risk.policy import Policy
from safeguard.risk.rules import evaluate
from safeguard.timeutil import now_utc


def all_facts(*, session: Session, as_of: datetime, policy: Policy) -> Facts:
    return Loader(session=session, as_of=as_of, policy=policy).load_all()


def compute_alerts(*, session: Session, as_of: datetime, policy: Policy) -> list[Alert]:
    """Every open and late alert as of ``as_of``, for the whole store."""
    return evaluate(all_facts(session=session, as_of=as_of, policy=policy))


_EP1, _EP2 = aliased(EventPerson), aliased(EventPerson)
_R1, _R2 = aliased(Residence), aliased(Residence)
_U1, _U2 = aliased(Uses), aliased(Uses)
_PLACES = ("taken_to", "found_location", "seen_at")


def _one_step(chunk: list[int]) -> Any:
    """Everyone one link from ``chunk``, as one statement (a union of each kind of link)."""
    return union_all(
        select(_EP2.person_id)
        .join(_EP1, _EP1.event_id == _EP2.event_id)
        .where(_EP1.person_id.in_(chunk)),
        select(Relation.b_id).where(Relation.a_id.in_(chunk)),
        select(Relation.a_id).where(Relation.b_id.in_(chunk)),
        select(_R2.person_id)
        .join(_R1, _R1.location_id == _R2.location_id)
        .where(_R1.person_id.in_(chunk)),
        select(_U2.person_id)
        .join(_U1, _U1.object_id == _U2.object_id)
        .where(_U1.person_id.in_(chunk)),
    )


def _neighbours(session: Session, frontier: set[int]) -> set[int]:
    """People one step from ``frontier``: in an event with them, related, sharing a home or an
    object, or living at a place named in their events."""
    found: set[int] = set()
    for chunk in chunks(frontier):
        found.update(session.connection().execute(_one_step(chunk)).scalars())
        details = session.scalars(
            select(Event.details)
            .join(EventPerson, EventPerson.event_id == Event.id)
            .where(EventPerson.person_id.in_(chunk))
        )
        places = {
            tuple(k.split(":", 1))
            for d in details
            for name in _PLACES
            for k in as_list((d or {}).get(name))
            if ":" in k
        }
        for keys in chunks(places):
            found.update(
                session.scalars(
                    select(Residence.person_id)
                    .join(Location, Location.id == Residence.location_id)
                    .where(tuple_(Location.source, Location.source_id).in_(keys))
                )
            )
    return found


def neighbourhood(*, session: Session, person_ids: Iterable[int], steps: int = 2) -> set[int]:
    """The people within ``steps`` links of ``person_ids``, clusters included."""
    loader = Loader(session=session, as_of=now_utc(), policy=Policy())
    scope = loader._clusters_for(set(person_ids))
    frontier = set(scope)
    for _ in range(steps):
        new = loader._clusters_for(_neighbours(session, frontier)) - scope
        scope |= new
        frontier = new
        if not frontier:
            break
    return scope


def facts_around(
    *, session: Session, person_ids: Iterable[int], as_of: datetime, policy: Policy
) -> tuple[Facts, Loader]:
    """Facts enough to judge every alert about ``person_ids``: their neighbourhood."""
    core = set(person_ids)
    scope = neighbourhood(session=session, person_ids=core)
    loader = Loader(session=session, as_of=as_of, policy=policy)
    return loader.load_scope(scope, core=core), loader


def alerts_about(alerts: Iterable[Alert], cids: set[int]) -> list[Alert]:
    return [a for a in alerts if cids & set(a.subject_cids)]
