"""Where a person key lives and which phones it uses, as the source records say.

Read for every key by linkage's extract and for a page of keys by the linkage pages.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from safeguard.pole.models import Location, PoleObject, Residence, Uses

_CHUNK = 900  # SQLite's bound parameters per statement, with room to spare


def _rows(
    session: Session, query: Select[*tuple[Any, ...]], column: Any, ids: Collection[int] | None
) -> Iterator[Any]:
    if ids is None:
        yield from session.execute(query)
        return
    wanted = sorted(ids)
    for i in range(0, len(wanted), _CHUNK):
        yield from session.execute(query.where(column.in_(wanted[i : i + _CHUNK])))


def latest_homes(
    *, session: Session, person_ids: Collection[int] | None = None
) -> dict[int, tuple[str | None, str | None]]:
    """Each person's latest home as (address, postcode): the residence with the latest
    ``since``, undated ones counting as the oldest, a tie to the later record. Every person
    with a home, or only ``person_ids``."""
    query = select(
        Residence.person_id, Residence.id, Residence.since, Location.address, Location.postcode
    ).join(Location, Location.id == Residence.location_id)
    latest: dict[int, tuple[float, int]] = {}
    homes: dict[int, tuple[str | None, str | None]] = {}
    for pid, rid, since, address, postcode in _rows(
        session, query, Residence.person_id, person_ids
    ):
        order = (since.timestamp() if since else float("-inf"), rid)
        if pid not in latest or order > latest[pid]:
            latest[pid] = order
            homes[pid] = (address, postcode)
    return homes


def phones(*, session: Session, person_ids: Collection[int] | None = None) -> dict[int, list[str]]:
    """The phone numbers each person uses, as recorded, in order and each once."""
    query = (
        select(Uses.person_id, PoleObject.value)
        .join(PoleObject, PoleObject.id == Uses.object_id)
        .where(PoleObject.kind == "phone")
    )
    found: dict[int, set[str]] = {}
    for pid, value in _rows(session, query, Uses.person_id, person_ids):
        found.setdefault(pid, set()).add(value)
    return {pid: sorted(numbers) for pid, numbers in found.items()}
