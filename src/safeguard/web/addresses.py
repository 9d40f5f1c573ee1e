"""An address as the control room needs it before officers attend: everyone linked to it
(residents past and present, people in events there) with their warning markers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.errors import NotFoundError
from safeguard.pole.models import Event, EventPerson, Location, Person, Residence
from safeguard.pole.people import clusters_of
from safeguard.web.need_to_know import advice_for
from safeguard.web.picture import marker_counts


@dataclass
class Occupant:
    key: str
    name: str
    dob: str | None
    how: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def location_by_key(*, session: Session, key: str) -> Location:
    source, sep, ident = key.partition(":")
    loc = session.scalar(
        select(Location).where(Location.source == source, Location.source_id == ident)
    )
    if not sep or loc is None:
        raise NotFoundError(f"no address with key {key!r}")
    return loc


def address_picture(*, session: Session, location: Location, as_of: datetime) -> dict[str, Any]:
    how: dict[int, list[str]] = {}
    for res in session.scalars(select(Residence).where(Residence.location_id == location.id)):
        if res.since and res.since > as_of:
            continue
        current = res.until is None or res.until > as_of
        how.setdefault(res.person_id, []).append("lives here" if current else "lived here")
    events = list(
        session.scalars(
            select(Event)
            .where(Event.location_id == location.id, Event.occurred_at <= as_of)
            .order_by(Event.occurred_at.desc())
        )
    )
    for ev in events:
        for ep in session.scalars(select(EventPerson).where(EventPerson.event_id == ev.id)):
            how.setdefault(ep.person_id, []).append(
                f"{ep.role.replace('_', ' ')} in {ev.kind.replace('_', ' ')}"
            )
    clusters = clusters_of(session=session, person_ids=list(how))
    markers = marker_counts(session, list(how), as_of)
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(list(how))))}
    occupants: dict[int, Occupant] = {}
    for pid, ways in how.items():
        person, cluster = people[pid], clusters[pid]
        occ = occupants.setdefault(
            cluster,
            Occupant(
                key=person.key,
                name=person.full_name,
                dob=person.dob.isoformat() if person.dob else None,
            ),
        )
        occ.keys.append(person.key)
        occ.how.extend(w for w in ways if w not in occ.how)
        occ.markers = sorted(markers.get(cluster, []))
    listed = sorted(occupants.values(), key=lambda o: (-len(o.markers), o.name))
    all_flags = [{"kind": k} for o in listed for k in o.markers]
    return {
        "location": location,
        "occupants": listed,
        "events": [{"kind": e.kind, "at": e.occurred_at, "key": e.key} for e in events],
        "advice": advice_for(all_flags),
    }
