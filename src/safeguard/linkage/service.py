"""Linkage as the rest of Safeguard sees it: run, review, confirm, split, list clusters.

Functions take the session first and never commit: one transaction per command.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from safeguard.errors import InvalidInputError
from safeguard.linkage import history
from safeguard.linkage.clusters import Edge, Known, build_clusters, pair_conflict
from safeguard.linkage.features import KNOWN_SEXES, extract_people, feature_table
from safeguard.linkage.models import LinkDecision, LinkPair
from safeguard.linkage.pipeline import UPPER_WEIGHT, Outcome, link_table, linking
from safeguard.linkage.schemas import LinkSummary, ReviewItem
from safeguard.pole.models import Person, PersonCluster
from safeguard.pole.people import ids_for_keys, keys_by_cluster, person_by_key

SYSTEM = "safeguard link"


def decisions(*, session: Session) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(confirmed pairs, rejected pairs) as people decided them."""
    rows = session.execute(
        select(LinkDecision.person_a_id, LinkDecision.person_b_id, LinkDecision.decision)
    ).all()
    same = [(a, b) for a, b, d in rows if d == "same"]
    different = [(a, b) for a, b, d in rows if d == "different"]
    return same, different


def run_link(*, session: Session, engine: str = "duckdb", actor: str = SYSTEM) -> LinkSummary:
    """Link every person key in the store, keeping every decision people made."""
    people = extract_people(session=session)
    confirmed, rejected = decisions(session=session)
    outcome = link_table(
        feature_table(people), engine=engine, confirmed=confirmed, rejected=rejected
    )
    keys = {p.id: p.key for p in people}
    return _apply(session=session, outcome=outcome, keys=keys, actor=actor, reason=None)


def _known(session: Session, ids: Iterable[int]) -> dict[int, Known]:
    wanted = sorted(set(ids))
    found: dict[int, Known] = {}
    for i in range(0, len(wanted), 900):
        rows = session.execute(
            select(Person.id, Person.sex, Person.dob).where(Person.id.in_(wanted[i : i + 900]))
        )
        for pid, sex, dob in rows:
            found[pid] = Known(sex if sex in KNOWN_SEXES else None, dob)
    return found


def recluster(*, session: Session, actor: str, reason: str | None) -> LinkSummary:
    """Clusters again from the stored pairs and the decisions, without scoring again."""
    edges = [
        Edge(a, b, w or 0.0, method, ev)
        for a, b, w, method, ev in session.execute(
            select(
                LinkPair.person_a_id,
                LinkPair.person_b_id,
                LinkPair.match_weight,
                LinkPair.method,
                LinkPair.evidence,
            )
        )
    ]
    confirmed, rejected = decisions(session=session)
    human = [Edge(a, b, 0.0, "confirmed", {}) for a, b in confirmed]
    ids = {p for e in [*edges, *human] for p in (e.a, e.b)}
    clusters, refused = build_clusters(
        edges=[*human, *(e for e in edges if linking(e, UPPER_WEIGHT))],
        known=_known(session, ids),
        rejected=rejected,
    )
    keys: dict[int, str] = {
        pid: f"{source}:{ident}"
        for pid, source, ident in session.execute(
            select(Person.id, Person.source, Person.source_id)
        )
    }
    outcome = Outcome(edges, clusters, refused)
    return _apply(session=session, outcome=outcome, keys=keys, actor=actor, reason=reason)


def _status(
    edge: Edge, clusters: Mapping[int, int], refused: Mapping[tuple[int, int], str]
) -> tuple[str, str | None]:
    same = clusters.get(edge.a, edge.a) == clusters.get(edge.b, edge.b)
    if same:
        return "linked", None
    if (edge.a, edge.b) in refused:
        return "refused", refused[(edge.a, edge.b)]
    return "review", None


def _apply(
    *,
    session: Session,
    outcome: Outcome,
    keys: Mapping[int, str],
    actor: str,
    reason: str | None,
) -> LinkSummary:
    now = datetime.now(UTC)
    before = {frozenset(ks) for ks in keys_by_cluster(session=session).values() if len(ks) > 1}
    refused = {(e.a, e.b): why for e, why in outcome.refused}
    session.execute(delete(LinkPair))
    rows: list[dict[str, Any]] = []
    for edge in outcome.edges:
        status, why = _status(edge, outcome.clusters, refused)
        rows.append(
            {
                "person_a_id": edge.a,
                "person_b_id": edge.b,
                "method": edge.method,
                "match_weight": edge.weight if edge.method == "model" or edge.weight else None,
                "evidence": dict(edge.evidence),
                "status": status,
                "reason": why,
                "scored_at": now,
            }
        )
    _insert(session, LinkPair, rows)
    session.execute(delete(PersonCluster))
    _insert(
        session,
        PersonCluster,
        [{"person_id": p, "cluster_id": c} for p, c in outcome.clusters.items()],
    )
    members: dict[int, list[str]] = {}
    for pid, cluster in outcome.clusters.items():
        members.setdefault(cluster, []).append(keys[pid])
    after = {frozenset(ks) for ks in members.values()}
    changes: list[dict[str, Any]] = [
        {"action": "join", "keys": sorted(ks), "actor": actor, "reason": reason, "detail": {}}
        for ks in sorted(after - before, key=sorted)
    ] + [
        {"action": "split", "keys": sorted(ks), "actor": actor, "reason": reason, "detail": {}}
        for ks in sorted(before - after, key=sorted)
    ]
    history.record_many(session=session, rows=changes)
    statuses = [r["status"] for r in rows]
    return LinkSummary(
        keys=len(keys),
        clusters_with_several_keys=len(members),
        linked_pairs=statuses.count("linked"),
        review_pairs=statuses.count("review") + statuses.count("refused"),
        joins=sum(1 for c in changes if c["action"] == "join"),
        splits=sum(1 for c in changes if c["action"] == "split"),
        timings=outcome.timings,
    )


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), 5000):
        session.execute(insert(model), rows[i : i + 5000])


def _waiting() -> Select[LinkPair]:
    """Pairs waiting for a person: not linked, and not decided by anyone yet."""
    decided = (
        select(LinkDecision.id)
        .where(
            LinkDecision.person_a_id == LinkPair.person_a_id,
            LinkDecision.person_b_id == LinkPair.person_b_id,
        )
        .exists()
    )
    return select(LinkPair).where(LinkPair.status.in_(["review", "refused"]), ~decided)


def review_counts(*, session: Session) -> dict[str | None, int]:
    """How many pairs wait, by why they wait: None for the grey zone, else the hard rule."""
    waiting = _waiting().subquery()
    rows = session.execute(select(waiting.c.reason, func.count()).group_by(waiting.c.reason)).all()
    return {reason: int(count) for reason, count in rows}


def review_queue(
    *,
    session: Session,
    reason: str | None = None,
    grey_zone: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[ReviewItem]:
    """Pairs waiting for a person: the grey zone and the pairs a hard rule stopped, strongest
    first; only the grey zone (``grey_zone``) or only those one rule stopped (``reason``), and
    ``limit`` of them from ``offset``."""
    query = _waiting()
    if grey_zone:
        query = query.where(LinkPair.reason.is_(None))
    elif reason is not None:
        query = query.where(LinkPair.reason == reason)
    query = query.order_by(LinkPair.match_weight.desc(), LinkPair.person_a_id, LinkPair.person_b_id)
    if limit is not None:
        query = query.limit(limit)
    return _items(session, session.scalars(query.offset(offset) if offset else query).all())


def waiting_pair(*, session: Session, a: str, b: str) -> ReviewItem | None:
    """The pair of these two keys if it waits for a person (either order), else None."""
    ids = ids_for_keys(session=session, keys=[a, b])
    if a not in ids or b not in ids or ids[a] == ids[b]:
        return None
    low, high = sorted((ids[a], ids[b]))
    query = _waiting().where(LinkPair.person_a_id == low, LinkPair.person_b_id == high)
    found = _items(session, session.scalars(query).all())
    return found[0] if found else None


def _items(session: Session, pairs: Sequence[LinkPair]) -> list[ReviewItem]:
    ids = {p for pair in pairs for p in (pair.person_a_id, pair.person_b_id)}
    keys: dict[int, str] = {}
    wanted = sorted(ids)
    for i in range(0, len(wanted), 900):
        rows = session.execute(
            select(Person.id, Person.source, Person.source_id).where(
                Person.id.in_(wanted[i : i + 900])
            )
        )
        keys.update({pid: f"{source}:{ident}" for pid, source, ident in rows})
    return [
        ReviewItem(
            a=keys[p.person_a_id],
            b=keys[p.person_b_id],
            method=p.method,
            match_weight=p.match_weight,
            evidence=p.evidence,
            reason=p.reason,
        )
        for p in pairs
    ]


def decide(
    *, session: Session, a: str, b: str, same: bool, actor: str, reason: str | None
) -> LinkSummary:
    """Record a person's decision on two keys, then cluster again: it holds in later runs."""
    pa, pb = person_by_key(session=session, key=a), person_by_key(session=session, key=b)
    if pa.id == pb.id:
        raise InvalidInputError("a key cannot be decided against itself")
    low, high = sorted((pa.id, pb.id))
    existing = session.scalar(
        select(LinkDecision).where(
            LinkDecision.person_a_id == low, LinkDecision.person_b_id == high
        )
    )
    decision = existing or LinkDecision(person_a_id=low, person_b_id=high)
    decision.decision = "same" if same else "different"
    decision.decided_by, decision.reason = actor, reason
    decision.decided_at = datetime.now(UTC)
    session.add(decision)
    session.flush()
    why = pair_conflict(Known(pa.sex, pa.dob), Known(pb.sex, pb.dob))
    history.record(
        session=session,
        action="confirm" if same else "reject",
        keys=sorted([a, b]),
        actor=actor,
        reason=reason,
        detail={"overrides_hard_rule": why} if same and why else {},
    )
    return recluster(session=session, actor=actor, reason=reason)


def clusters_as_keys(*, session: Session) -> list[list[str]]:
    """Every person as the sorted list of its keys, in a stable order."""
    return sorted(keys_by_cluster(session=session).values())
