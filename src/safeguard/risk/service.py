"""Keeping alerts: reconcile computed alerts with the kept ones, acknowledge, re-evaluate.

A full sweep judges everyone (time alone opens alerts as limits pass). After an import, a
``changed_only`` sweep judges only the people whose records arrived or changed since the last
sweep (found from each table's high-water mark and the record history), with the neighbourhood
their rules need, and reconciles only the kept alerts about those people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from safeguard.errors import NotFoundError
from safeguard.pole.models import (
    Action,
    Event,
    EventPerson,
    Flag,
    Person,
    PersonCluster,
    RecordHistory,
    Relation,
    Residence,
    Uses,
)
from safeguard.pole.people import ids_for_keys
from safeguard.risk.alert import Alert
from safeguard.risk.engine import alerts_about, compute_alerts, facts_around
from safeguard.risk.loader import chunks
from safeguard.risk.models import AlertHistory, AlertRecord, AlertSubject, RiskSweep
from safeguard.risk.policy import Policy
from safeguard.risk.rules import evaluate
from safeguard.timeutil import now_utc

MARKED: dict[str, Any] = {
    "person": Person,
    "event": Event,
    "action": Action,
    "flag": Flag,
    "relation": Relation,
    "residence": Residence,
    "uses": Uses,
}


@dataclass
class SweepSummary:
    alerts: int
    opened: int
    resolved: int
    people: int | None

    def text(self) -> str:
        scope = (
            "everyone: {n} alerts hold"
            if self.people is None
            else f"{self.people} people touched since the last sweep: {{n}} alerts about them hold"
        )
        return (
            f"swept {scope.format(n=self.alerts)}, {self.opened} newly opened, "
            f"{self.resolved} resolved"
        )


def _history(
    session: Session,
    alert_id: int,
    at: datetime,
    change: str,
    status: str,
    by: str | None = None,
    reason: str | None = None,
) -> None:
    session.add(
        AlertHistory(alert_id=alert_id, at=at, change=change, status=status, by=by, reason=reason)
    )


def reconcile(
    *, session: Session, alerts: list[Alert], as_of: datetime, about: set[int] | None = None
) -> tuple[int, int]:
    """Open new alerts, refresh held ones, resolve kept ones that no longer hold (only those
    about ``about`` person ids, when given). Returns (opened, resolved)."""
    query = select(AlertRecord).where(AlertRecord.status != "resolved")
    if about is not None:
        ids: set[int] = set()
        for chunk in chunks(about):
            ids.update(
                session.scalars(
                    select(AlertSubject.alert_id).where(AlertSubject.person_id.in_(chunk))
                )
            )
        kept = [
            r
            for chunk in chunks(ids)
            for r in session.scalars(query.where(AlertRecord.id.in_(chunk)))
        ]
    else:
        kept = list(session.scalars(query))
    by_print = {r.fingerprint: r for r in kept}
    found = {a.fingerprint for a in alerts}
    existing = {
        r.fingerprint: r
        for chunk in chunks(found)
        for r in session.scalars(select(AlertRecord).where(AlertRecord.fingerprint.in_(chunk)))
    }
    person_ids = ids_for_keys(session=session, keys={k for a in alerts for k in a.subjects})
    opened = resolved = 0
    for alert in alerts:
        row = existing.get(alert.fingerprint)
        fields = {
            "computed_status": alert.status,
            "severity": alert.severity,
            "subjects": alert.subjects,
            "events": alert.events,
            "evidence": alert.evidence,
            "message": alert.message,
            "rule": alert.rule,
            "policy": alert.policy,
            "last_seen_at": as_of,
        }
        if row is None:
            row = AlertRecord(
                fingerprint=alert.fingerprint,
                code=alert.code,
                status=alert.status,
                first_seen_at=as_of,
                **fields,
            )
            session.add(row)
            session.flush()
            _history(session, row.id, as_of, "opened", alert.status)
            opened += 1
        else:
            for name, value in fields.items():
                setattr(row, name, value)
            if row.status == "resolved":
                row.status, row.resolved_at = alert.status, None
                _history(session, row.id, as_of, "reopened", alert.status)
                opened += 1
            elif row.status != "acknowledged" and row.status != alert.status:
                row.status = alert.status
                _history(session, row.id, as_of, "updated", alert.status)
        have = set(
            session.scalars(select(AlertSubject.person_id).where(AlertSubject.alert_id == row.id))
        )
        want = {person_ids[k] for k in alert.subjects if k in person_ids}
        session.add_all(AlertSubject(alert_id=row.id, person_id=p) for p in sorted(want - have))
    for fingerprint, row in by_print.items():
        if fingerprint not in found:
            row.status, row.resolved_at = "resolved", as_of
            _history(
                session, row.id, as_of, "resolved", "resolved", reason="condition no longer holds"
            )
            resolved += 1
    session.flush()
    return opened, resolved


def _marks(session: Session) -> dict[str, int]:
    marks = {
        name: session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0
        for name, model in MARKED.items()
    }
    # linkage rewrites clusters: any change to them means a full sweep
    marks["clusters"] = int(
        session.scalar(
            select(
                func.coalesce(
                    func.sum(PersonCluster.person_id * 7919 + PersonCluster.cluster_id), 0
                )
                + func.count()
            )
        )
        or 0
    )
    return marks


def touched_people(*, session: Session, since: RiskSweep) -> set[int]:
    """Person ids whose records arrived (id above the last sweep's mark) or changed since."""
    marks = since.marks
    people: set[int] = set(
        session.scalars(select(Person.id).where(Person.id > marks.get("person", 0)))
    )
    event_ids = set(session.scalars(select(Event.id).where(Event.id > marks.get("event", 0))))
    event_ids.update(
        session.scalars(select(Action.event_id).where(Action.id > marks.get("action", 0)))
    )
    changed = session.execute(
        select(RecordHistory.record_type, RecordHistory.source, RecordHistory.source_id).where(
            RecordHistory.replaced_at > since.ran_at
        )
    ).all()
    by_type: dict[str, list[tuple[str, str]]] = {}
    for rtype, source, ident in changed:
        by_type.setdefault(rtype, []).append((source, ident))
    for rtype, pairs in by_type.items():
        model = MARKED.get(rtype)
        if model is None:
            continue
        for chunk in chunks(pairs):
            where = tuple_(model.source, model.source_id).in_(chunk)
            if rtype == "event":
                event_ids.update(session.scalars(select(model.id).where(where)))
            elif rtype == "action":
                event_ids.update(session.scalars(select(model.event_id).where(where)))
            elif rtype == "person":
                people.update(session.scalars(select(model.id).where(where)))
    for chunk in chunks(event_ids):
        people.update(
            session.scalars(select(EventPerson.person_id).where(EventPerson.event_id.in_(chunk)))
        )
    for name, cols in (
        ("flag", (Flag.person_id,)),
        ("residence", (Residence.person_id,)),
        ("uses", (Uses.person_id,)),
        ("relation", (Relation.a_id, Relation.b_id)),
    ):
        model = MARKED[name]
        for col in cols:
            people.update(session.scalars(select(col).where(model.id > marks.get(name, 0))))
    return people


def persist(*, session: Session, alerts: list[Alert], as_of: datetime) -> tuple[int, int]:
    """Keep the alerts of a full evaluation, and remember the sweep."""
    marks = _marks(session)
    opened, resolved = reconcile(session=session, alerts=alerts, as_of=as_of)
    _record(session, as_of, marks, opened, resolved, changed_only=False)
    return opened, resolved


def _record(
    session: Session,
    as_of: datetime,
    marks: dict[str, int],
    opened: int,
    resolved: int,
    *,
    changed_only: bool,
) -> None:
    session.add(
        RiskSweep(
            as_of=as_of,
            ran_at=now_utc(),
            changed_only=changed_only,
            marks=marks,
            opened=opened,
            resolved=resolved,
        )
    )
    session.flush()


def sweep(
    *, session: Session, as_of: datetime, policy: Policy, changed_only: bool = False
) -> SweepSummary:
    """Evaluate and keep: everyone, or (``changed_only``) the people touched since the last
    sweep, falling back to everyone when there was none or linkage changed the clusters."""
    last = session.scalars(select(RiskSweep).order_by(RiskSweep.id.desc()).limit(1)).first()
    marks = _marks(session)
    if changed_only and last is not None and last.marks.get("clusters") == marks["clusters"]:
        people = touched_people(session=session, since=last)
        alerts: list[Alert] = []
        about: set[int] = set()
        if people:
            facts, loader = facts_around(
                session=session, person_ids=people, as_of=as_of, policy=policy
            )
            cids = {loader.cid(p) for p in people}
            alerts = alerts_about(evaluate(facts), cids)
            about = {pid for pid, cid in loader.cluster.items() if cid in cids} | people
        opened, resolved = reconcile(session=session, alerts=alerts, as_of=as_of, about=about)
        _record(session, as_of, marks, opened, resolved, changed_only=True)
        return SweepSummary(len(alerts), opened, resolved, len(people))
    alerts = compute_alerts(session=session, as_of=as_of, policy=policy)
    opened, resolved = reconcile(session=session, alerts=alerts, as_of=as_of)
    _record(session, as_of, marks, opened, resolved, changed_only=False)
    return SweepSummary(len(alerts), opened, resolved, None)


def acknowledge(
    *, session: Session, alert_id: str, by: str, reason: str, at: datetime
) -> AlertRecord:
    where = (
        AlertRecord.id == int(alert_id)
        if alert_id.isdigit()
        else AlertRecord.fingerprint == alert_id
    )
    row = session.scalars(select(AlertRecord).where(where)).first()
    if row is None:
        raise NotFoundError(f"no kept alert {alert_id!r}")
    row.status = "acknowledged"
    row.acknowledged_by, row.acknowledged_reason, row.acknowledged_at = by, reason, at
    _history(session, row.id, at, "acknowledged", "acknowledged", by=by, reason=reason)
    session.flush()
    return row


def kept(*, session: Session, include_resolved: bool = False) -> list[dict[str, Any]]:
    query = select(AlertRecord).order_by(AlertRecord.code, AlertRecord.id)
    if not include_resolved:
        query = query.where(AlertRecord.status != "resolved")
    return [
        {
            "id": r.id,
            "fingerprint": r.fingerprint,
            "code": r.code,
            "status": r.status,
            "computed_status": r.computed_status,
            "severity": r.severity,
            "subjects": r.subjects,
            "events": r.events,
            "evidence": r.evidence,
            "message": r.message,
            "first_seen_at": r.first_seen_at.isoformat(),
            "last_seen_at": r.last_seen_at.isoformat(),
            "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
            "acknowledged_by": r.acknowledged_by,
            "acknowledged_reason": r.acknowledged_reason,
        }
        for r in session.scalars(query)
    ]


def history(*, session: Session, alert_id: int) -> list[AlertHistory]:
    return list(
        session.scalars(
            select(AlertHistory).where(AlertHistory.alert_id == alert_id).order_by(AlertHistory.id)
        )
    )


def subjects_of(*, session: Session, alert_ids: Iterable[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for chunk in chunks(alert_ids):
        rows = session.execute(
            select(AlertSubject.alert_id, AlertSubject.person_id).where(
                AlertSubject.alert_id.in_(chunk)
            )
        )
        for alert_id, pid in rows:
            found.setdefault(alert_id, set()).add(pid)
    return found
