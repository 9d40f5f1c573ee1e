"""Reading people through their clusters: one real person may arrive under several keys.

The `person_cluster` table is written by linkage only. Its convention: a cluster is named by the
smallest person id in it, and a person with no row is a cluster of one named by its own id.
Everything else in Safeguard reads people through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session

from safeguard.errors import NotFoundError
from safeguard.pole.models import Person, PersonCluster


def cluster_id_of() -> ColumnElement[Any]:
    """SQL expression for a person's cluster id (join PersonCluster with an outer join)."""
    return func.coalesce(PersonCluster.cluster_id, Person.id)


def person_by_key(*, session: Session, key: str) -> Person:
    source, sep, ident = key.partition(":")
    person = session.scalar(
        select(Person).where(Person.source == source, Person.source_id == ident)
    )
    if not sep or person is None:
        raise NotFoundError(f"no person with key {key!r}")
    return person


def cluster_of(*, session: Session, person_id: int) -> int:
    found = session.scalar(
        select(PersonCluster.cluster_id).where(PersonCluster.person_id == person_id)
    )
    return found if found is not None else person_id


def cluster_person_ids(*, session: Session, person_id: int) -> list[int]:
    """Every person id in the same cluster as ``person_id``, itself included, ascending."""
    cluster = cluster_of(session=session, person_id=person_id)
    members = session.scalars(
        select(PersonCluster.person_id).where(PersonCluster.cluster_id == cluster)
    ).all()
    return sorted(set(members) | {person_id})


def cluster_people(*, session: Session, person_id: int) -> list[Person]:
    ids = cluster_person_ids(session=session, person_id=person_id)
    return list(session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)))


def clusters_of(*, session: Session, person_ids: Iterable[int]) -> dict[int, int]:
    """person id -> cluster id, for many people at once."""
    ids = list(set(person_ids))
    result = {pid: pid for pid in ids}
    for i in range(0, len(ids), 900):
        chunk = ids[i : i + 900]
        rows = session.execute(
            select(PersonCluster.person_id, PersonCluster.cluster_id).where(
                PersonCluster.person_id.in_(chunk)
            )
        )
        result.update(dict(rows.all()))
    return result


def keys_by_cluster(*, session: Session) -> dict[int, list[str]]:
    """Every cluster with the source keys of its members, keys sorted."""
    rows = session.execute(
        select(cluster_id_of(), Person.source, Person.source_id)
        .select_from(Person)
        .outerjoin(PersonCluster, PersonCluster.person_id == Person.id)
        .order_by(Person.id)
    )
    clusters: dict[int, list[str]] = {}
    for cluster, source, ident in rows:
        clusters.setdefault(cluster, []).append(f"{source}:{ident}")
    return {c: sorted(keys) for c, keys in clusters.items()}


def ids_for_keys(*, session: Session, keys: Iterable[str]) -> dict[str, int]:
    """The person id of each key found ("source:id"; anything else is no key and not found)."""
    pairs = [tuple(k.split(":", 1)) for k in keys if ":" in k]
    found: dict[str, int] = {}
    for i in range(0, len(pairs), 500):
        rows = session.execute(
            select(Person.id, Person.source, Person.source_id).where(
                tuple_(Person.source, Person.source_id).in_(pairs[i : i + 500])
            )
        )
        found.update({f"{s}:{ident}": pid for pid, s, ident in rows})
    return found
