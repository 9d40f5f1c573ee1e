"""Loading the facts around some people (`assess`, changed-only sweeps): their two-step
neighbourhood, read through clusters.

One picture is a score of small indexed reads, so what costs is issuing them, not running
them: each is a fixed SQL text (`reads.py`) taking its lists of ids as one parameter, and what
one read already returned (clusters, a neighbour's events) is not read again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from safeguard.risk import reads
from safeguard.risk.clocks import add_months
from safeguard.risk.facts import Facts, OfficerF
from safeguard.risk.loader import Loader, as_list, chunks, history_start

PLACES = ("taken_to", "found_location", "seen_at")


class ScopeLoader(Loader):
    """A `Loader` for a neighbourhood; remembers every cluster it has read."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reader = reads.Reader(self.conn)
        self._resolved: set[int] = set()
        self._members: dict[int, set[int]] = defaultdict(set)
        self.officer_keys = {}
        self.officers = {}
        self.location_keys = {}
        self.locations = {}

    def _read(self, read: reads.Read, ids: Iterable[Any], **params: Any) -> list[Any]:
        ids = set(ids)
        return self.reader.rows(read, ids=ids, **params) if ids else []

    def person_id(self, key: str) -> int | None:
        """The id of the person with source key ``key`` (their cluster read with it)."""
        source, _, ident = key.partition(":")
        found = self.reader.rows(reads.PERSON_BY_KEY, source=source, source_id=ident)
        if not found:
            return None
        self._record_clusters({found[0].id}, found)
        return int(found[0].id)

    # ---- clusters and the neighbourhood --------------------------------------------------
    def _record_clusters(self, pids: set[int], rows: list[Any]) -> None:
        """Record the clusters of ``pids`` from rows giving every ``member`` of each of their
        clusters with its ``cluster_id`` (none for people without a cluster)."""
        for row in rows:
            if row.member is not None:
                self.cluster[row.member] = row.cluster_id
                self._members[row.cluster_id].add(row.member)
        self._resolved |= pids

    def _cluster_read(self, pids: set[int]) -> tuple[reads.Read, dict[str, Any]] | None:
        """The read of the clusters of ``pids`` not yet known, if any."""
        unknown = pids - self._resolved
        return (reads.CLUSTER_MEMBERS, {"ids": unknown}) if unknown else None

    def _clusters_for(self, pids: set[int], rows: list[Any] | None = None) -> set[int]:
        """Record the clusters of ``pids`` (from ``rows`` of their `_cluster_read` when read
        already); return every member of those clusters."""
        unknown = pids - self._resolved
        if rows is None:
            rows = self._read(reads.CLUSTER_MEMBERS, unknown)
        for pid, cid in rows:
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
        rows = self._read(reads.ONE_STEP, frontier)
        found = {row.person_id for row in rows}
        self._record_clusters(found, rows)
        keys = {k for row in rows if row.details for k in _named_places(row.details)}
        named = self._location_ids(keys)
        if named:
            found.update(r.person_id for r in self._read(reads.RESIDENTS_AT, named))
        episodes = self._episodes_naming({row.place for row in rows if row.place is not None})
        found.update(r.person_id for r in self._read(reads.EVENT_PEOPLE, episodes))
        return found

    def _episodes_naming(self, places: set[str]) -> set[int]:
        """The look-back's events whose details name one of ``places`` (location keys), read by
        the GIN index of the keys events name on PostgreSQL; on SQLite, among the few events
        naming a place (their partial index), those whose text holds the key; confirmed on the
        parsed details."""
        if not places:
            return set()
        lo = add_months(self.as_of, -self.policy.general.lookback_months)
        if self.reader.dialect == "postgresql":
            rows = self.reader.rows(reads.EVENTS_NAMING, keys=places)
            return {
                r.id
                for r in rows
                if lo < r.occurred_at <= self.as_of and _named_places(r.details or {}) & places
            }
        found: set[int] = set()
        for chunk in chunks(places, 200):
            quoted = {f"k{n}": f'"{key}"' for n, key in enumerate(chunk)}
            read = reads.naming_events(len(chunk))
            rows = self.reader.rows(read, lo=lo, hi=self.as_of, **quoted)
            found |= {r.id for r in rows if _named_places(r.details or {}) & places}
        return found

    def _location_ids(self, keys: set[str]) -> set[int]:
        """The ids of the locations named by source key, kept for the picture."""
        pairs = sorted(tuple(k.split(":", 1)) for k in keys if ":" in k)
        if not pairs:
            return set()
        if self.reader.dialect == "sqlite":
            rows = self.reader.rows(reads.LOCATIONS_BY_KEY, pairs=pairs)
        else:
            rows = self.reader.rows(
                reads.LOCATIONS_BY_KEY,
                sources=[p[0] for p in pairs],
                idents=[p[1] for p in pairs],
            )
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
        around = {"ids": whole, "others": members - whole, "lo": lo}
        of_members = {"ids": members}
        found, people, actions, flags, rels, ress, uses = self.reader.many(
            [
                (reads.EVENTS_FOR, around),
                (reads.EVENT_PEOPLE_FOR, around),
                (reads.EVENT_ACTIONS_FOR, around),
                (reads.FLAGS, of_members),
                (reads.RELATIONS, of_members),
                (reads.RESIDENCES, of_members | {"places": set()}),
                (reads.USES, of_members),
            ]
        )
        rows = list({r.id: r for r in found}.values())
        event_ids = {r.id for r in rows}
        # DA_CUMULATIVE_RISK groups domestic abuse by place: the others at the same places
        places = {r.location_id for r in rows if r.kind == "domestic_abuse" and r.location_id}
        same = {r.id for r in self._read(reads.ABUSE_AT, places, lo=lo)} - event_ids
        if same:
            more, more_people, more_actions = self.reader.many(
                [(read, {"ids": same}) for read in reads.EVENT_BY_ID]
            )
            rows += more
            people += more_people
            actions += more_actions
        detail_keys = {k for r in rows if r.details for k in _named_places(r.details)}
        named = self._location_ids(detail_keys)
        if named:  # and everyone who lives or lived at the places their events name
            ress += self.reader.rows(reads.RESIDENCES, ids=set(), places=named)
        spans = (
            {p[1] for p in people}
            | {r.person_id for r in ress}
            | {u.person_id for u in uses}
            | {r.a_id for r in rels}
            | {r.b_id for r in rels}
        )
        location_ids = {r.location_id for r in rows if r.location_id} | {
            r.location_id for r in ress
        }
        location_ids -= set(self.location_keys)
        batch = {
            "locations": (reads.LOCATIONS, {"ids": location_ids}) if location_ids else None,
            "clusters": self._cluster_read(spans),
            "officers": self._officer_read(rows, actions),
        }
        asked = {k: v for k, v in batch.items() if v is not None}
        got = dict(zip(asked, self.reader.many(list(asked.values())), strict=True))
        self._keep_locations(got.get("locations", []))
        self._clusters_for(spans, got.get("clusters", []))
        self._keep_officers(got.get("officers", []))
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

    def _actions_of(self, pids: set[int]) -> list[Any]:
        return self._read(reads.ACTIONS_BY, pids)

    def _officer_read(
        self, rows: list[Any], actions: list[Any]
    ) -> tuple[reads.Read, dict[str, Any]] | None:
        """The read of the officers the events and actions name: allocated, acting, or
        allocated to; None when they name none."""
        ids = {r.allocated_to_id for r in rows} | {a.by_officer_id for a in actions}
        ids.discard(None)
        keys = {
            k.split(":", 1)[1]
            for a in actions
            if a.kind == "allocation"
            for k in as_list((a.details or {}).get("officer"))
            if ":" in k
        }
        return (reads.OFFICERS, {"ids": ids, "keys": keys}) if ids or keys else None

    def _keep_officers(self, rows: list[Any]) -> None:
        for r in rows:
            key = f"{r.source}:{r.source_id}"
            self.officer_keys[r.id] = key
            self.officers[key] = OfficerF(key, r.name, list(r.specialisms or []), r.probationary)

    def _people(self, pids: Iterable[int] | None) -> Any:
        assert pids is not None
        return self._group_people(self._read(reads.PEOPLE, pids))


def _named_places(details: dict[str, Any]) -> set[str]:
    """The location keys an event's details name (where a child was taken, found or seen)."""
    return {k for name in PLACES for k in as_list(details.get(name))}
