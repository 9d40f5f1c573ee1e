"""Why a person key is in its cluster: every stored pair and decision touching the cluster."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from safeguard.linkage.models import LinkDecision, LinkPair
from safeguard.linkage.schemas import Explanation, LinkEvidence
from safeguard.pole.models import Person
from safeguard.pole.people import cluster_person_ids, person_by_key


def _keys(session: Session, ids: set[int]) -> dict[int, str]:
    wanted = sorted(ids)
    keys: dict[int, str] = {}
    for i in range(0, len(wanted), 900):
        rows = session.execute(
            select(Person.id, Person.source, Person.source_id).where(
                Person.id.in_(wanted[i : i + 900])
            )
        )
        keys.update({pid: f"{source}:{ident}" for pid, source, ident in rows})
    return keys


def explain(*, session: Session, key: str) -> Explanation:
    """The key's cluster, each pair of the last run that touches it (linked, waiting for
    review, or refused, with match weight and the fields that agreed), and the decisions."""
    person = person_by_key(session=session, key=key)
    members = set(cluster_person_ids(session=session, person_id=person.id))
    touching = or_(LinkPair.person_a_id.in_(members), LinkPair.person_b_id.in_(members))
    pairs = session.scalars(
        select(LinkPair)
        .where(touching)
        .order_by(LinkPair.status, LinkPair.person_a_id, LinkPair.person_b_id)
    ).all()
    decided = session.scalars(
        select(LinkDecision)
        .where(or_(LinkDecision.person_a_id.in_(members), LinkDecision.person_b_id.in_(members)))
        .order_by(LinkDecision.decided_at)
    ).all()
    ends = [(p.person_a_id, p.person_b_id) for p in pairs]
    ends += [(d.person_a_id, d.person_b_id) for d in decided]
    ids = members | {p for pair in ends for p in pair}
    keys = _keys(session, ids)
    return Explanation(
        key=key,
        cluster=sorted(keys[m] for m in members),
        links=[
            LinkEvidence(
                a=keys[p.person_a_id],
                b=keys[p.person_b_id],
                method=p.method,
                match_weight=p.match_weight,
                evidence=p.evidence,
                status=p.status,
                reason=p.reason,
            )
            for p in pairs
        ],
        decisions=[
            {
                "a": keys[d.person_a_id],
                "b": keys[d.person_b_id],
                "decision": d.decision,
                "by": d.decided_by,
                "reason": d.reason,
                "at": d.decided_at.isoformat(),
            }
            for d in decided
        ],
    )
