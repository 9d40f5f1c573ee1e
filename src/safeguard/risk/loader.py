"""Bulk loading of `Facts`: the whole store for a sweep, or a neighbourhood for `assess`.

Every query is set-wise (one per table; for a neighbourhood, the fixed SQL of `reads.py`
taking each list of ids as one parameter), so that a sweep reads each table once and `assess`
reads a handful of indexed rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from safeguard.pole.models import (
    Action,
    Event,
    EventPerson,
    Flag,
    Location,
    Officer,
    Person,
    PersonCluster,
    PoleObject,
    Relation,
    Residence,
    Uses,
)
from safeguard.risk.clocks import add_months
from safeguard.risk.facts import ActionF, EventF, Facts, FlagF, LocationF, OfficerF, PersonF, SpanF
from safeguard.risk.policy import Policy

CHUNK = 900
OFFENDER_ACTIONS = ("arms_assessment", "rso_visit")


def chunks(ids: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    items = sorted(set(ids))
    for i in range(0, len(items), size):
        yield items[i : i + size]


def history_start(as_of: datetime, policy: Policy) -> datetime:
    """Earliest occurrence a rule can need: the look-back plus the history before an episode."""
    months = policy.general.lookback_months + max(
        policy.missing.risk_history_months, policy.cse.going_missing_months
    )
    return add_months(as_of, -months)


class Loader:
    def __init__(self, *, session: Session, as_of: datetime, policy: Policy) -> None:
        self.session = session
        self.conn = session.connection()
        self.as_of = as_of.astimezone(UTC)
        self.policy = policy
        self.cluster: dict[int, int] = {}

    # ---- clusters and people ---------------------------------------------------------
    def _clusters_all(self) -> None:
        rows = self.conn.execute(select(PersonCluster.person_id, PersonCluster.cluster_id))
        self.cluster = {int(p): int(c) for p, c in rows}

    def cid(self, pid: int) -> int:
        return self.cluster.get(pid, pid)

    def _people(self, pids: Iterable[int] | None) -> dict[int, PersonF]:
        cols = (
            Person.id,
            Person.source,
            Person.source_id,
            Person.given_name,
            Person.family_name,
            Person.dob,
            Person.sex,
        )
        rows: list[Sequence[Any]] = []
        if pids is None:
            rows = list(self.conn.execute(select(*cols)))
        else:
            for chunk in chunks(pids):
                rows += self.conn.execute(select(*cols).where(Person.id.in_(chunk))).all()
        return self._group_people(rows)

    def _group_people(self, rows: Sequence[Sequence[Any]]) -> dict[int, PersonF]:
        grouped: dict[int, list[Sequence[Any]]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: r[0]):
            grouped[self.cid(row[0])].append(row)
        people = {}
        for cid, members in grouped.items():
            names = [" ".join(p for p in (r[3], r[4]) if p) for r in members]
            dobs = Counter(r[5] for r in members if r[5] is not None)
            dob = max(dobs, key=lambda d: dobs[d]) if dobs else None
            people[cid] = PersonF(
                cid=cid,
                keys=sorted(f"{r[1]}:{r[2]}" for r in members),
                name=next((n for n in names if n), "unnamed person"),
                dob=dob,
                sex=next((r[6] for r in members if r[6]), None),
            )
        return people

    # ---- events and actions ----------------------------------------------------------
    def _events(self, rows: Iterable[Any]) -> dict[int, EventF]:
        events = {}
        for row in rows:
            event = EventF(
                id=row.id,
                key=f"{row.source}:{row.source_id}",
                kind=row.kind,
                occurred_at=row.occurred_at,
                reported_at=row.reported_at,
                location=None,
                details=row.details or {},
                allocated_to=self.officer_keys.get(row.allocated_to_id),
                closed_at=row.closed_at,
                risk_level=row.risk_level,
                summary=row.summary,
            )
            event.location = self.location_keys.get(row.location_id)
            if event.made_at <= self.as_of:
                events[row.id] = event
        return events

    _EVENT_COLS = (
        Event.id,
        Event.source,
        Event.source_id,
        Event.kind,
        Event.occurred_at,
        Event.reported_at,
        Event.location_id,
        Event.details,
        Event.allocated_to_id,
        Event.closed_at,
        Event.risk_level,
        Event.summary,
    )
    _ACTION_COLS = (
        Action.id,
        Action.source,
        Action.source_id,
        Action.kind,
        Action.at,
        Action.event_id,
        Action.person_id,
        Action.details,
        Action.by_officer_id,
        Action.text,
    )

    _actions_by_person = select(*_ACTION_COLS).where(
        Action.person_id.in_(bindparam("ids", expanding=True))
    )

    def _actions_of(self, pids: set[int]) -> list[Any]:
        """The actions naming some people (by the person index)."""
        rows: list[Any] = []
        for chunk in chunks(pids):
            rows += self.conn.execute(self._actions_by_person, {"ids": chunk})
        return rows

    def _action(self, row: Any) -> ActionF:
        return ActionF(
            id=row.id,
            key=f"{row.source}:{row.source_id}",
            kind=row.kind,
            at=row.at,
            event_id=row.event_id,
            person=None if row.person_id is None else self.cid(row.person_id),
            details=row.details or {},
            by=self.officer_keys.get(row.by_officer_id),
            text=row.text,
        )

    def _attach(self, events: dict[int, EventF], people: Iterable[Any], actions: Any) -> None:
        cluster = self.cluster
        for event_id, pid, role in people:
            event = events.get(event_id)
            if event is not None:
                event.people.append((cluster.get(pid, pid), role))
        for row in actions:
            if row.event_id in events and row.at <= self.as_of:
                events[row.event_id].actions.append(self._action(row))
        for event in events.values():
            event.people = sorted(set(event.people))

    # ---- the whole store -----------------------------------------------------------------
    def _reference_tables(self) -> None:
        self.officers = {
            f"{r.source}:{r.source_id}": OfficerF(
                f"{r.source}:{r.source_id}", r.name, list(r.specialisms or []), r.probationary
            )
            for r in self.conn.execute(
                select(
                    Officer.id,
                    Officer.source,
                    Officer.source_id,
                    Officer.name,
                    Officer.specialisms,
                    Officer.probationary,
                )
            )
        }
        self.officer_keys: dict[int | None, str] = {
            r[0]: f"{r[1]}:{r[2]}"
            for r in self.conn.execute(select(Officer.id, Officer.source, Officer.source_id))
        }
        self.location_keys: dict[int | None, str] = {}
        self.locations: dict[str, LocationF] = {}

    def _load_locations(self) -> None:
        cols = (Location.id, Location.source, Location.source_id, Location.kind, Location.address)
        self._keep_locations(self.conn.execute(select(*cols)))

    def _keep_locations(self, rows: Iterable[Any]) -> None:
        for r in rows:
            key = f"{r.source}:{r.source_id}"
            self.location_keys[r.id] = key
            self.locations[key] = LocationF(key, r.kind, r.address)

    def load_all(self) -> Facts:
        """Every record a rule can need as of WHEN: the events of the look-back, and before
        it (to the start of the history window) the events of the children missing in it,
        which their missing risk reads."""
        self._reference_tables()
        self._clusters_all()
        self._load_locations()
        recent_lo = add_months(self.as_of, -self.policy.general.lookback_months)
        recent = (Event.occurred_at > recent_lo, Event.occurred_at <= self.as_of)
        rows = self.conn.execute(select(*self._EVENT_COLS).where(*recent)).all()
        people = self.conn.execute(
            select(EventPerson.event_id, EventPerson.person_id, EventPerson.role)
            .join(Event, Event.id == EventPerson.event_id)
            .where(*recent)
        ).all()
        actions = self.conn.execute(
            select(*self._ACTION_COLS)
            .join(Event, Event.id == Action.event_id)
            .where(*recent, Action.at <= self.as_of)
        ).all()
        band_rows, band_people = self._history_of_missing(rows, people, recent_lo)
        events = self._events([*rows, *band_rows])
        self._attach(events, [*people, *band_people], actions)
        facts = Facts(as_of=self.as_of, policy=self.policy, events=events)
        self._spans(facts)
        self._offender_actions(facts, None)
        facts.people = self._people(None)
        facts.locations, facts.officers = self.locations, self.officers
        facts.index()
        return facts

    def _history_of_missing(
        self, rows: Sequence[Any], people: Sequence[Any], recent_lo: datetime
    ) -> tuple[list[Any], list[Any]]:
        """Events before the look-back (in the history window) of children missing in it,
        every key of their clusters included; fetched by the person index."""
        episodes = {r.id for r in rows if r.kind == "missing_episode"}
        kids = {
            self.cid(pid)
            for eid, pid, role in people
            if eid in episodes and role == "missing_person"
        }
        members: dict[int, list[int]] = defaultdict(list)
        for pid, cid in self.cluster.items():
            if cid in kids:
                members[cid].append(pid)
        pids = kids | {pid for ids in members.values() for pid in ids}
        lo = history_start(self.as_of, self.policy)
        band = (Event.occurred_at > lo, Event.occurred_at <= recent_lo)
        event_ids: set[int] = set()
        for chunk in chunks(pids):
            q = (
                select(EventPerson.event_id)
                .join(Event, Event.id == EventPerson.event_id)
                .where(EventPerson.person_id.in_(chunk), *band)
            )
            event_ids.update(self.conn.execute(q).scalars())
        band_rows: list[Any] = []
        band_people: list[Any] = []
        for chunk in chunks(event_ids):
            band_rows += self.conn.execute(select(*self._EVENT_COLS).where(Event.id.in_(chunk)))
            band_people += self.conn.execute(
                select(EventPerson.event_id, EventPerson.person_id, EventPerson.role).where(
                    EventPerson.event_id.in_(chunk)
                )
            )
        return band_rows, band_people

    # ---- flags, relations, residences, uses -----------------------------------------------
    def _spans(self, facts: Facts) -> None:
        flag_cols = (
            Flag.source,
            Flag.source_id,
            Flag.person_id,
            Flag.kind,
            Flag.since,
            Flag.until,
            Flag.level,
        )
        rel_cols = (
            Relation.source,
            Relation.source_id,
            Relation.a_id,
            Relation.b_id,
            Relation.kind,
            Relation.since,
            Relation.until,
        )
        res_cols = (
            Residence.source,
            Residence.source_id,
            Residence.person_id,
            Residence.location_id,
            Residence.since,
            Residence.until,
        )
        use_cols = (
            Uses.source,
            Uses.source_id,
            Uses.person_id,
            PoleObject.source,
            PoleObject.source_id,
            Uses.since,
            Uses.until,
        )
        uses_q = select(*use_cols).join(PoleObject, PoleObject.id == Uses.object_id)
        self._fill_spans(
            facts,
            list(self.conn.execute(select(*flag_cols))),
            list(self.conn.execute(select(*rel_cols))),
            list(self.conn.execute(select(*res_cols))),
            list(self.conn.execute(uses_q)),
        )

    def _fill_spans(
        self, facts: Facts, flags: list[Any], rels: list[Any], ress: list[Any], uses: list[Any]
    ) -> None:
        facts.flags = [
            FlagF(
                f"{f.source}:{f.source_id}",
                self.cid(f.person_id),
                f.kind,
                f.since,
                f.until,
                f.level,
            )
            for f in flags
            if f.since <= self.as_of
        ]
        facts.relations = list(
            {
                f"{r.source}:{r.source_id}": SpanF(
                    f"{r.source}:{r.source_id}",
                    self.cid(r.a_id),
                    self.cid(r.b_id),
                    r.kind,
                    r.since,
                    r.until,
                )
                for r in rels
            }.values()
        )
        facts.residences = list(
            {
                f"{r.source}:{r.source_id}": SpanF(
                    f"{r.source}:{r.source_id}",
                    self.cid(r.person_id),
                    self.location_keys.get(r.location_id, str(r.location_id)),
                    "residence",
                    r.since,
                    r.until,
                )
                for r in ress
            }.values()
        )
        facts.uses = list(
            {
                f"{u[0]}:{u[1]}": SpanF(
                    f"{u[0]}:{u[1]}", self.cid(u[2]), f"{u[3]}:{u[4]}", "uses", u[5], u[6]
                )
                for u in uses
            }.values()
        )

    def _offender_actions(self, facts: Facts, members: set[int] | None) -> None:
        """ARMS assessments and visits of the look-back, whenever their event occurred."""
        pol = self.policy.offenders
        months = max(
            pol.arms_months,
            pol.visit_months_high,
            pol.visit_months_medium,
            pol.visit_months_none,
            pol.visit_months_low,
        )
        lo = add_months(self.as_of, -months)
        participants: dict[int, set[int]] = defaultdict(set)
        if members is None:
            base = select(*self._ACTION_COLS).where(
                Action.kind.in_(OFFENDER_ACTIONS), Action.at >= lo, Action.at <= self.as_of
            )
            rows = list(self.conn.execute(base))
            unnamed = {r.event_id for r in rows if r.person_id is None}
            for chunk in chunks(unnamed):
                q = select(EventPerson.event_id, EventPerson.person_id)
                for event_id, pid in self.conn.execute(q.where(EventPerson.event_id.in_(chunk))):
                    participants[event_id].add(self.cid(pid))
            found = [self._action(r) for r in rows]
        else:
            offenders = {f.cid for f in facts.flags if f.kind == "registered_sex_offender"}
            named = {p for p in members if self.cid(p) in offenders}
            # by the person index; kind and time are checked here, not in SQL
            rows = self._actions_of(named)
            found = [
                self._action(r)
                for r in rows
                if r.kind in OFFENDER_ACTIONS and lo <= r.at <= self.as_of
            ]
            # actions on the offenders' events that name no one are loaded with the events
            for event in facts.events.values() if offenders else ():
                if event.cids() & offenders:
                    on_event = [
                        a
                        for a in event.actions
                        if a.person is None and a.kind in OFFENDER_ACTIONS and lo <= a.at
                    ]
                    if on_event:
                        found += on_event
                        participants[event.id] = event.cids()
        facts.offender_actions = sorted(
            {a.id: a for a in found}.values(), key=lambda a: (a.at, a.key)
        )
        facts.offender_action_people = dict(participants)


def as_list(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v]
