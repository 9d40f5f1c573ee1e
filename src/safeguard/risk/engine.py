"""Evaluating the catalogue: over the whole store (a sweep) or around some people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, aliased

from safeguard.pole.models import Event, EventPerson, Location, Relation, Residence, Uses
from safeguard.risk.alert import Alert
from safeguard.risk.facts import Facts
from safeguard.risk.loader import Loader, _as_list, _chunks
from safeguard.risk.policy import Policy
from safeguard.risk.rules import evaluate
from safeguard.timeutil import now_utc


def all_facts(*, session: Session, as_of: datetime, policy: Policy) -> Facts:
    return Loader(session=session, as_of=as_of, policy=policy).load_all()


def compute_alerts(*, session: Session, as_of: datetime, policy: Policy) -> list[Alert]:
    """Every open and late alert as of ``as_of``, for the whole store."""
    return evaluate(all_facts(session=session, as_of=as_of, policy=policy))


def _neighbours(session: Session, frontier: set[int]) -> set[int]:
    """People one step from ``frontier``: in an event with them, related, sharing a home or an
    object, or living at a place named in their events."""
    found: set[int] = set()
    ep1, ep2 = aliased(EventPerson), aliased(EventPerson)
    r1, r2 = aliased(Residence), aliased(Residence)
    u1, u2 = aliased(Uses), aliased(Uses)
    for chunk in _chunks(frontier):
        found.update(
            session.scalars(
                select(ep2.person_id)
                .join(ep1, ep1.event_id == ep2.event_id)
                .where(ep1.person_id.in_(chunk))
            )
        )
        found.update(session.scalars(select(Relation.b_id).where(Relation.a_id.in_(chunk))))
        found.update(session.scalars(select(Relation.a_id).where(Relation.b_id.in_(chunk))))
        found.update(
            session.scalars(
                select(r2.person_id)
                .join(r1, r1.location_id == r2.location_id)
                .where(r1.person_id.in_(chunk))
            )
        )
        found.update(
            session.scalars(
                select(u2.person_id)
                .join(u1, u1.object_id == u2.object_id)
                .where(u1.person_id.in_(chunk))
            )
        )
        details = session.scalars(
            select(Event.details)
            .join(EventPerson, EventPerson.event_id == Event.id)
            .where(EventPerson.person_id.in_(chunk))
        )
        places = {
            tuple(k.split(":", 1))
            for d in details
            for name in ("taken_to", "found_location", "seen_at")
            for k in _as_list((d or {}).get(name))
            if ":" in k
        }
        for keys in _chunks(places):
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
    scope = neighbourhood(session=session, person_ids=person_ids)
    loader = Loader(session=session, as_of=as_of, policy=policy)
    return loader.load_scope(scope), loader


def alerts_about(alerts: Iterable[Alert], cids: set[int]) -> list[Alert]:
    return [a for a in alerts if cids & set(a.subject_cids)]
