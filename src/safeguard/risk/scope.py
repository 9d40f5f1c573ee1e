"""Loading the facts around some people (`assess`, changed-only sweeps): their two-step
neighbourhood, read through clusters.

One picture is a few dozen small indexed reads, so what costs is building statements, not
running them: every statement here is built once, with an expanding ``IN`` parameter, and
what one read already returned (clusters, a neighbour's events) is not read again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    JSON,
    BindParameter,
    ColumnElement,
    String,
    bindparam,
    cast,
    null,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased

from safeguard.pole.models import (
    NAMES_PLACE,
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
from safeguard.risk.facts import Facts, OfficerF
from safeguard.risk.loader import Loader, as_list, chunks, history_start

PLACES = ("taken_to", "found_location", "seen_at")


def _ids() -> BindParameter[Any]:
    return bindparam("ids", expanding=True)


def _in(column: Any) -> ColumnElement[bool]:
    return column.in_(_ids())  # type: ignore[no-any-return]


_PC1, _PC2 = aliased(PersonCluster), aliased(PersonCluster)
_EP1, _EP2 = aliased(EventPerson), aliased(EventPerson)
_R1, _R2 = aliased(Residence), aliased(Residence)
_U1, _U2 = aliased(Uses), aliased(Uses)

CLUSTER_MEMBERS = (
    select(_PC2.person_id, _PC2.cluster_id)
    .join(_PC1, _PC1.cluster_id == _PC2.cluster_id)
    .where(_in(_PC1.person_id))
)
# everyone one link from a set of people: in an event with them (with the event's details,
# which name places), related, sharing a home or an object (current or past)
_NO_DETAILS = cast(null(), JSON)
# (and, from the homes, the keys of the places they live or lived at)
_NO_PLACE = cast(null(), String)
_PLACE_KEY = Location.source + ":" + Location.source_id
ONE_STEP = union_all(
    select(_EP2.person_id, Event.details, _NO_PLACE)
    .select_from(_EP1)
    .join(Event, Event.id == _EP1.event_id)
    .join(_EP2, _EP2.event_id == _EP1.event_id)
    .where(_in(_EP1.person_id)),
    select(Relation.b_id, _NO_DETAILS, _NO_PLACE).where(_in(Relation.a_id)),
    select(Relation.a_id, _NO_DETAILS, _NO_PLACE).where(_in(Relation.b_id)),
    select(_R2.person_id, _NO_DETAILS, _PLACE_KEY)
    .join(_R1, _R1.location_id == _R2.location_id)
    .join(Location, Location.id == _R1.location_id)
    .where(_in(_R1.person_id)),
    select(_U2.person_id, _NO_DETAILS, _NO_PLACE)
    .join(_U1, _U1.object_id == _U2.object_id)
    .where(_in(_U1.person_id)),
)
# the events of a window that name a place (where a child was taken, found or seen), by their
# partial index, so that an adult's picture reaches the children found at their home
HOLDS = {"sqlite": "instr(details, :{}) > 0", "postgresql": "strpos(details::text, :{}) > 0"}
NAMING_EVENTS = {
    dialect: select(Event.id, Event.details).where(
        Event.occurred_at > bindparam("lo"),
        Event.occurred_at <= bindparam("hi"),
        text(f"({condition})"),
    )
    for dialect, condition in NAMES_PLACE.items()
}
# every event of the core people; the others' from the history window on
EVENTS_FOR = union_all(
    select(*Loader._EVENT_COLS)
    .join(EventPerson, EventPerson.event_id == Event.id)
    .where(_in(EventPerson.person_id)),
    select(*Loader._EVENT_COLS)
    .join(EventPerson, EventPerson.event_id == Event.id)
    .where(
        EventPerson.person_id.in_(bindparam("others", expanding=True)),
        Event.occurred_at > bindparam("lo"),
    ),
)
EVENT_ROWS = select(*Loader._EVENT_COLS).where(_in(Event.id))
EVENT_PEOPLE = select(EventPerson.event_id, EventPerson.person_id, EventPerson.role).where(
    _in(EventPerson.event_id)
)
EVENT_ACTIONS = select(*Loader._ACTION_COLS).where(_in(Action.event_id))
AT_PLACES = select(Event.id, Event.kind, Event.occurred_at).where(_in(Event.location_id))
_LOCATION_COLS = (Location.id, Location.source, Location.source_id, Location.kind, Location.address)
LOCATIONS = select(*_LOCATION_COLS).where(_in(Location.id))
LOCATIONS_BY_KEY = select(*_LOCATION_COLS).where(_in(tuple_(Location.source, Location.source_id)))
PEOPLE = select(
    Person.id,
    Person.source,
    Person.source_id,
    Person.given_name,
    Person.family_name,
    Person.dob,
    Person.sex,
).where(_in(Person.id))
OFFICERS = select(
    Officer.id,
    Officer.source,
    Officer.source_id,
    Officer.name,
    Officer.specialisms,
    Officer.probationary,
).where(_in(Officer.id) | Officer.source_id.in_(bindparam("keys", expanding=True)))
_FLAG_COLS = (Flag.source, Flag.source_id, Flag.person_id, Flag.kind, Flag.since)
FLAGS = select(*_FLAG_COLS, Flag.until, Flag.level).where(_in(Flag.person_id))
_REL_COLS = (
    Relation.source,
    Relation.source_id,
    Relation.a_id,
    Relation.b_id,
    Relation.kind,
    Relation.since,
    Relation.until,
)
RELATIONS = union_all(
    select(*_REL_COLS).where(_in(Relation.a_id)), select(*_REL_COLS).where(_in(Relation.b_id))
)
_RES_COLS = (
    Residence.source,
    Residence.source_id,
    Residence.person_id,
    Residence.location_id,
    Residence.since,
    Residence.until,
)
# everyone who lives or lived at their homes, or at the places named in their events
RESIDENCES_AT = select(Residence.person_id).where(_in(Residence.location_id))
RESIDENCES = union_all(
    select(*_RES_COLS).where(
        Residence.location_id.in_(select(_R1.location_id).where(_in(_R1.person_id)))
    ),
    select(*_RES_COLS).where(Residence.location_id.in_(bindparam("places", expanding=True))),
)
# everyone who uses or used their phones and other objects
USES = (
    select(
        Uses.source,
        Uses.source_id,
        Uses.person_id,
        PoleObject.source,
        PoleObject.source_id,
        Uses.since,
        Uses.until,
    )
    .join(PoleObject, PoleObject.id == Uses.object_id)
    .where(Uses.object_id.in_(select(_U1.object_id).where(_in(_U1.person_id))))
)


class ScopeLoader(Loader):
    """A `Loader` for a neighbourhood; remembers every cluster it has read."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._resolved: set[int] = set()
        self._members: dict[int, set[int]] = defaultdict(set)
        self.officer_keys = {}
        self.officers = {}
        self.location_keys = {}
        self.locations = {}

    def _read(self, statement: Any, ids: Iterable[Any], **params: Any) -> list[Any]:
        rows: list[Any] = []
        for chunk in chunks(ids):
            rows += self.conn.execute(statement, {"ids": chunk, **params}).all()
        return rows

    # ---- clusters and the neighbourhood --------------------------------------------------
    def _clusters_for(self, pids: set[int]) -> set[int]:
        """Record the clusters of ``pids``; return every member of those clusters."""
        unknown = pids - self._resolved
        for pid, cid in self._read(CLUSTER_MEMBERS, unknown):
            self.cluster[pid] = cid
            self._members[cid].add(pid)
        self._resolved |= unknown
        members = set(pids)
        for pid in pids:
            cid = self.cluster.get(pid)
            if cid is not None:
                members |= self._members[cid]
        self._resolved |= members
        return members

    def neighbourhood(self, person_ids: Iterable[int], steps: int = 2) -> set[int]:
        """The people within ``steps`` links of ``person_ids``, clusters included."""
        scope = self._clusters_for(set(person_ids))
        frontier = set(scope)
        for _ in range(steps):
            new = self._clusters_for(self._neighbours(frontier)) - scope
            scope |= new
            frontier = new
            if not frontier:
                break
        return scope

    def _neighbours(self, frontier: set[int]) -> set[int]:
        """People one step from ``frontier``; those living at a place named in their events;
        and the children of the look-back's episodes that name a place where they live or
        lived (where a child was taken, found or seen)."""
        rows = self._read(ONE_STEP, frontier)
        found = {row[0] for row in rows}
        keys = {k for row in rows for name in PLACES for k in as_list((row[1] or {}).get(name))}
        named = self._location_ids(keys)
        if named:
            found.update(r.person_id for r in self._read(RESIDENCES_AT, named))
        episodes = self._episodes_naming({row[2] for row in rows if row[2] is not None})
        found.update(r.person_id for r in self._read(EVENT_PEOPLE, episodes))
        return found

    def _episodes_naming(self, places: set[str]) -> set[int]:
        """The look-back's events whose details name one of ``places`` (location keys): among
        the few events naming a place (their partial index), those whose text holds the key,
        confirmed on the parsed details."""
        lo = add_months(self.as_of, -self.policy.general.lookback_months)
        dialect = self.conn.dialect.name
        found: set[int] = set()
        for chunk in chunks(places):
            quoted = {f"k{n}": f'"{key}"' for n, key in enumerate(chunk)}
            holds = " OR ".join(HOLDS[dialect].format(name) for name in quoted)
            statement = NAMING_EVENTS[dialect].where(text(f"({holds})").bindparams(**quoted))
            for event_id, details in self.conn.execute(statement, {"lo": lo, "hi": self.as_of}):
                named = {k for name in PLACES for k in as_list((details or {}).get(name))}
                if named & places:
                    found.add(event_id)
        return found

    def _location_ids(self, keys: set[str]) -> set[int]:
        """The ids of the locations named by source key, kept for the picture."""
        pairs = [tuple(k.split(":", 1)) for k in keys if ":" in k]
        rows = self._read(LOCATIONS_BY_KEY, pairs)
        self._keep_locations(rows)
        return {r.id for r in rows}

    # ---- the facts -----------------------------------------------------------------------
    def load_scope(self, pids: set[int], core: set[int] | None = None) -> Facts:
        """The records of the people ``pids`` and the people, places and objects they name:
        every event of the ``core`` people (all when None), whenever it occurred; the events
        of the others from the history window on (all that a rule can read)."""
        members = self._clusters_for(pids)
        whole = members if core is None else self._clusters_for(core)
        lo = history_start(self.as_of, self.policy)
        rows = list({r.id: r for r in self._events_for(whole, members - whole, lo)}.values())
        event_ids = {r.id for r in rows}
        # DA_CUMULATIVE_RISK groups domestic abuse by place: the others at the same places
        places = {r.location_id for r in rows if r.kind == "domestic_abuse" and r.location_id}
        same = {
            r.id
            for r in self._read(AT_PLACES, places)
            if r.kind == "domestic_abuse" and r.occurred_at > lo
        }
        rows += self._read(EVENT_ROWS, same - event_ids)
        event_ids |= same
        people = self._read(EVENT_PEOPLE, event_ids)
        actions = self._read(EVENT_ACTIONS, event_ids)
        detail_keys = {
            k for r in rows for name in PLACES for k in as_list((r.details or {}).get(name))
        }
        named = self._location_ids(detail_keys)
        flags = self._read(FLAGS, members)
        rels = self._read(RELATIONS, members)
        ress = self._read(RESIDENCES, members, places=sorted(named))
        uses = self._read(USES, members)
        self._locations(
            {r.location_id for r in rows if r.location_id} | {r.location_id for r in ress}
        )
        self._clusters_for(
            {p[1] for p in people}
            | {r.person_id for r in ress}
            | {u.person_id for u in uses}
            | {r.a_id for r in rels}
            | {r.b_id for r in rels}
        )
        self._officers(rows, actions)
        events = self._events(rows)
        self._attach(events, people, actions)
        facts = Facts(as_of=self.as_of, policy=self.policy, events=events)
        self._fill_spans(facts, flags, rels, ress, uses)
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

    def _events_for(self, whole: set[int], others: set[int], lo: Any) -> list[Any]:
        rows: list[Any] = []
        firsts, seconds = list(chunks(whole)), list(chunks(others))
        for n in range(max(len(firsts), len(seconds))):
            ids = firsts[n] if n < len(firsts) else []
            more = seconds[n] if n < len(seconds) else []
            rows += self.conn.execute(EVENTS_FOR, {"ids": ids, "others": more, "lo": lo}).all()
        return rows

    def _officers(self, rows: list[Any], actions: list[Any]) -> None:
        """The officers the events and actions name: allocated, acting, or allocated to."""
        ids = {r.allocated_to_id for r in rows} | {a.by_officer_id for a in actions}
        ids.discard(None)
        keys = {
            k.split(":", 1)[1]
            for a in actions
            if a.kind == "allocation"
            for k in as_list((a.details or {}).get("officer"))
            if ":" in k
        }
        if not ids and not keys:
            return
        for r in self.conn.execute(OFFICERS, {"ids": sorted(ids), "keys": sorted(keys)}):
            key = f"{r.source}:{r.source_id}"
            self.officer_keys[r.id] = key
            self.officers[key] = OfficerF(key, r.name, list(r.specialisms or []), r.probationary)

    def _locations(self, ids: set[int]) -> None:
        self._keep_locations(self._read(LOCATIONS, ids - set(self.location_keys)))

    def _people(self, pids: Iterable[int] | None) -> Any:
        assert pids is not None
        return self._group_people(self._read(PEOPLE, pids))
