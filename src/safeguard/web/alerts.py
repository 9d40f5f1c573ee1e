"""A person's kept alerts (what the sweep keeps, with its acknowledgements), for the person view."""

from __future__ import annotations

from sqlalchemy import literal, select, union
from sqlalchemy.orm import Session

from safeguard.errors import NotFoundError
from safeguard.pole.models import Person, PersonCluster
from safeguard.risk.models import AlertRecord, AlertSubject

SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def kept_alerts(*, session: Session, person: Person) -> list[AlertRecord]:
    """The unresolved kept alerts about anyone in the person's cluster, most severe first:
    one query, the cluster's members found inside it."""
    cluster = (
        select(PersonCluster.cluster_id)
        .where(PersonCluster.person_id == person.id)
        .scalar_subquery()
    )
    members = union(
        select(PersonCluster.person_id).where(PersonCluster.cluster_id == cluster),
        select(literal(person.id)),
    )
    about = select(AlertSubject.alert_id).where(AlertSubject.person_id.in_(members))
    rows = session.scalars(
        select(AlertRecord).where(AlertRecord.id.in_(about), AlertRecord.status != "resolved")
    )
    return sorted(rows, key=lambda a: (SEVERITY_ORDER.get(a.severity, 9), a.code, a.id))


def kept_alert_of(*, session: Session, person: Person, alert_id: int) -> AlertRecord:
    """One of the person's kept alerts; an alert about someone else is not found here."""
    for alert in kept_alerts(session=session, person=person):
        if alert.id == alert_id:
            return alert
    raise NotFoundError(f"no open kept alert {alert_id} about {person.key}")
