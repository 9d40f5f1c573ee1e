"""Bulk loading of `Facts`: the whole store for a sweep, or a neighbourhood for `assess`.

Every query is set-wise (one per table, chunked `IN` lists for a neighbourhood), so that a
sweep reads each table once and `assess` reads a handful of indexed rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, tuple_
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


def chunks(ids: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(set(ids))
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


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

    def _clusters_for(self, pids: set[int]) -> set[int]:
        """Record the clusters of ``pids``; return every member of those clusters."""
        found: dict[int, int] = {}
        for chunk in chunks(pids):
            q = select(PersonCluster.person_id, PersonCluster.cluster_id)
            found.update(self.conn.execute(q.where(PersonCluster.person_id.in_(chunk))).all())
        members = set(pids)
        for chunk in chunks(set(found.values())):
            q = select(PersonCluster.person_id, PersonCluster.cluster_id)
            rows = self.conn.execute(q.where(PersonCluster.cluster_id.in_(chunk))).all()
            found.update(rows)
        self.cluster.update(found)
        return members | set(found)

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
        self.officer_keys = {
            r[0]: f"{r[1]}:{r[2]}"
            for r in self.conn.execute(select(Officer.id, Officer.source, Officer.source_id))
        }
        self.location_keys: dict[int | None, str] = {}
        self.locations: dict[str, LocationF] = {}

    def _load_locations(self, ids: Iterable[int] | None, keys: Iterable[str] = ()) -> None:
        cols = (Location.id, Location.source, Location.source_id, Location.kind, Location.address)
        rows: list[Any] = []
        if ids is None:
            rows = list(self.conn.execute(select(*cols)))
        else:
            for chunk in chunks(ids):
                rows += self.conn.execute(select(*cols).where(Location.id.in_(chunk))).all()
            pairs = [tuple(k.split(":", 1)) for k in set(keys) if ":" in k]
            for chunk in chunks(pairs):
                where = tuple_(Location.source, Location.source_id).in_(chunk)
                rows += self.conn.execute(select(*cols).where(where)).all()
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
        self._load_locations(None)
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
        self._spans(facts, None)
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

    # ---- a neighbourhood -------------------------------------------------------------
    def load_scope(self, pids: set[int], core: set[int] | None = None) -> Facts:
        """The records of the people ``pids`` and the people, places and objects they name:
        every event of the ``core`` people (all when None), whenever it occurred; the events
        of the others from the history window on (all that a rule can read)."""
        self._reference_tables()
        members = self._clusters_for(pids)
        whole = members if core is None else self._clusters_for(core)
        lo = history_start(self.as_of, self.policy)
        event_ids: set[int] = set()
        for chunk in chunks(whole):
            q = select(EventPerson.event_id).where(EventPerson.person_id.in_(chunk))
            event_ids.update(self.conn.execute(q).scalars())
        for chunk in chunks(members - whole):
            q = (
                select(EventPerson.event_id)
                .join(Event, Event.id == EventPerson.event_id)
                .where(EventPerson.person_id.in_(chunk), Event.occurred_at > lo)
            )
            event_ids.update(self.conn.execute(q).scalars())
        event_ids |= self._same_place(event_ids)
        rows: list[Any] = []
        people: list[Any] = []
        actions: list[Any] = []
        for chunk in chunks(event_ids):
            rows += self.conn.execute(select(*self._EVENT_COLS).where(Event.id.in_(chunk))).all()
            people += self.conn.execute(
                select(EventPerson.event_id, EventPerson.person_id, EventPerson.role).where(
                    EventPerson.event_id.in_(chunk)
                )
            ).all()
            actions += self.conn.execute(
                select(*self._ACTION_COLS).where(Action.event_id.in_(chunk))
            ).all()
        self._clusters_for({p[1] for p in people})
        detail_keys = {
            k
            for r in rows
            for name in ("taken_to", "found_location", "seen_at")
            for k in as_list((r.details or {}).get(name))
        }
        self._load_locations({r.location_id for r in rows if r.location_id}, detail_keys)
        events = self._events(rows)
        self._attach(events, people, actions)
        facts = Facts(as_of=self.as_of, policy=self.policy, events=events)
        self._spans(facts, members, frozenset(detail_keys))
        self._offender_actions(facts, members)
        referenced = (
            members  # the people asked about, even with no events, places or flags
            | {p[1] for p in people}
            | {s.a for s in facts.residences + facts.uses + facts.relations}
            | {s.b for s in facts.relations}
            | {f.cid for f in facts.flags}
        )
        facts.people = self._people(self._clusters_for(referenced))
        facts.locations, facts.officers = self.locations, self.officers
        facts.index()
        return facts

    def _same_place(self, event_ids: set[int]) -> set[int]:
        """Domestic abuse events at the places of these (DA_CUMULATIVE_RISK groups by place)."""
        lo = history_start(self.as_of, self.policy)
        places: set[int] = set()
        for chunk in chunks(event_ids):
            q = select(Event.location_id).where(
                Event.id.in_(chunk), Event.kind == "domestic_abuse", Event.location_id.is_not(None)
            )
            places.update(p for p in self.conn.execute(q).scalars() if p is not None)
        found: set[int] = set()
        for chunk in chunks(places):
            same = select(Event.id, Event.kind, Event.occurred_at).where(
                Event.location_id.in_(chunk)
            )
            found.update(
                r.id
                for r in self.conn.execute(same)
                if r.kind == "domestic_abuse" and r.occurred_at > lo
            )
        return found

    # ---- flags, relations, residences, uses -----------------------------------------------
    def _spans(
        self, facts: Facts, members: set[int] | None, keys: frozenset[str] = frozenset()
    ) -> None:
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
        flags: list[Any] = []
        rels: list[Any] = []
        ress: list[Any] = []
        uses: list[Any] = []
        if members is None:
            flags = list(self.conn.execute(select(*flag_cols)))
            rels = list(self.conn.execute(select(*rel_cols)))
            ress = list(self.conn.execute(select(*res_cols)))
            uses = list(self.conn.execute(uses_q))
        else:
            for chunk in chunks(members):
                flags += self.conn.execute(select(*flag_cols).where(Flag.person_id.in_(chunk)))
                rels += self.conn.execute(select(*rel_cols).where(Relation.a_id.in_(chunk)))
                rels += self.conn.execute(select(*rel_cols).where(Relation.b_id.in_(chunk)))
                ress += self.conn.execute(select(*res_cols).where(Residence.person_id.in_(chunk)))
                uses += self.conn.execute(uses_q.where(Uses.person_id.in_(chunk)))
            # who else lives at their addresses and at the places named in their events
            place_ids = {r.location_id for r in ress}
            by_key = {k: i for i, k in self.location_keys.items() if k in keys and i is not None}
            place_ids |= set(by_key.values())
            for chunk in chunks(place_ids):
                ress += self.conn.execute(select(*res_cols).where(Residence.location_id.in_(chunk)))
            self._load_locations(place_ids - set(self.location_keys))
            objects = {(u[3], u[4]) for u in uses}
            for chunk in chunks(objects):
                where = tuple_(PoleObject.source, PoleObject.source_id).in_(chunk)
                uses += self.conn.execute(uses_q.where(where))
            self._clusters_for({r.person_id for r in ress} | {u[2] for u in uses})
            self._clusters_for({r.a_id for r in rels} | {r.b_id for r in rels})
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
        base = select(*self._ACTION_COLS).where(
            Action.kind.in_(OFFENDER_ACTIONS), Action.at >= lo, Action.at <= self.as_of
        )
        rows: list[Any] = []
        if members is None:
            rows = list(self.conn.execute(base))
        else:
            offenders = {f.cid for f in facts.flags if f.kind == "registered_sex_offender"}
            named = {p for p in members if self.cid(p) in offenders}
            # by the person and event indexes; kind and time are checked here, not in SQL
            every = select(*self._ACTION_COLS)
            for chunk in chunks(named):
                rows += self.conn.execute(every.where(Action.person_id.in_(chunk)))
            event_ids = {e.id for e in facts.events.values() if e.cids() & offenders}
            for chunk in chunks(event_ids):
                rows += self.conn.execute(
                    every.where(Action.event_id.in_(chunk), Action.person_id.is_(None))
                )
            rows = [r for r in rows if r.kind in OFFENDER_ACTIONS and lo <= r.at <= self.as_of]
        unnamed = {r.event_id for r in rows if r.person_id is None}
        participants: dict[int, set[int]] = defaultdict(set)
        for chunk in chunks(unnamed):
            q = select(EventPerson.event_id, EventPerson.person_id)
            for event_id, pid in self.conn.execute(q.where(EventPerson.event_id.in_(chunk))):
                participants[event_id].add(self.cid(pid))
        facts.offender_actions = sorted(
            {r.id: self._action(r) for r in rows}.values(), key=lambda a: (a.at, a.key)
        )
        facts.offender_action_people = dict(participants)


def as_list(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v]
