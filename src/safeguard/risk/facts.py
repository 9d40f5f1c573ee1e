"""The records the rules read, as plain objects, with every person reference read through its
cluster (one real person). Loaded in bulk by `loader.py`; the rules never query the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from safeguard.risk.clocks import add_months, age_on
from safeguard.risk.policy import Policy
from safeguard.timeutil import uk_date

CHILD_ROLES = frozenset({"child_present", "missing_person", "detained_child"})
CHILD_PARTS = frozenset({"victim", "subject", "child_present", "missing_person", "detained_child"})
CARER_KINDS = frozenset({"parent_of", "carer_of"})
PARTNER_KINDS = frozenset({"partner", "ex_partner"})


@dataclass(slots=True)
class PersonF:
    cid: int
    keys: list[str]
    name: str
    dob: date | None
    sex: str | None


@dataclass(slots=True)
class ActionF:
    id: int
    key: str
    kind: str
    at: datetime
    event_id: int
    person: int | None
    details: dict[str, Any]
    by: str | None
    text: str | None


@dataclass(slots=True)
class EventF:
    id: int
    key: str
    kind: str
    occurred_at: datetime
    reported_at: datetime | None
    location: str | None
    details: dict[str, Any]
    allocated_to: str | None
    closed_at: datetime | None
    risk_level: str | None
    summary: str | None
    people: list[tuple[int, str]] = field(default_factory=list)
    actions: list[ActionF] = field(default_factory=list)

    @property
    def made_at(self) -> datetime:
        return self.reported_at or self.occurred_at

    @property
    def label(self) -> str:
        """How a message names the event: "sexual offence storm:E12", "CSE concern storm:E3"."""
        return f"{self.kind.replace('_', ' ').replace('cse ', 'CSE ')} {self.key}"

    @property
    def title(self) -> str:
        """The label starting a sentence: "Sexual offence storm:E12"."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def report_time(self) -> datetime:
        return self.reported_at or self.occurred_at

    def with_role(self, *roles: str) -> list[int]:
        return sorted({cid for cid, role in self.people if role in roles})

    def roles_of(self, cid: int) -> set[str]:
        return {role for c, role in self.people if c == cid}

    def cids(self) -> set[int]:
        return {cid for cid, _ in self.people}

    def actions_of(self, *kinds: str) -> list[ActionF]:
        return [a for a in self.actions if a.kind in kinds]

    def first(self, kind: str, person: int | None = None) -> ActionF | None:
        """The earliest action of ``kind`` (naming ``person`` when given)."""
        for action in self.actions:
            if action.kind == kind and (person is None or action.person == person):
                return action
        return None

    def latest(self, kind: str) -> ActionF | None:
        found = [a for a in self.actions if a.kind == kind]
        return found[-1] if found else None

    def detail_locations(self) -> list[str]:
        """Where a child was taken, found or seen (details ``taken_to``, ``found_location``,
        ``seen_at``): location keys."""
        keys: list[str] = []
        for name in ("taken_to", "found_location", "seen_at"):
            value = self.details.get(name)
            values = value if isinstance(value, list) else [value]
            keys += [v for v in values if isinstance(v, str) and v]
        return list(dict.fromkeys(keys))


@dataclass(slots=True)
class FlagF:
    key: str
    cid: int
    kind: str
    since: datetime
    until: datetime | None
    level: str | None

    def in_force(self, at: datetime) -> bool:
        return self.since <= at and (self.until is None or self.until > at)


@dataclass(slots=True)
class SpanF:
    """A relation (``a``, ``b``), residence (``a`` at ``b``) or use (``a`` uses ``b``)."""

    key: str
    a: int
    b: Any
    kind: str
    since: datetime | None
    until: datetime | None

    def current(self, at: datetime) -> bool:
        return (self.since is None or self.since <= at) and (self.until is None or self.until > at)

    def begun(self, at: datetime) -> bool:
        return self.since is None or self.since <= at


@dataclass(slots=True)
class LocationF:
    key: str
    kind: str | None
    address: str


@dataclass(slots=True)
class OfficerF:
    key: str
    name: str
    specialisms: list[str]
    probationary: bool


@dataclass
class Facts:
    """Everything loaded for one evaluation as of ``as_of``."""

    as_of: datetime
    policy: Policy
    people: dict[int, PersonF] = field(default_factory=dict)
    events: dict[int, EventF] = field(default_factory=dict)
    flags: list[FlagF] = field(default_factory=list)
    relations: list[SpanF] = field(default_factory=list)
    residences: list[SpanF] = field(default_factory=list)
    uses: list[SpanF] = field(default_factory=list)
    locations: dict[str, LocationF] = field(default_factory=dict)
    officers: dict[str, OfficerF] = field(default_factory=dict)
    offender_actions: list[ActionF] = field(default_factory=list)
    offender_action_people: dict[int, set[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.events:
            self.index()

    def index(self) -> None:
        """Build the lookups the rules use; call again after filling the lists."""
        self.events_of: dict[int, list[EventF]] = defaultdict(list)
        for event in sorted(self.events.values(), key=lambda e: (e.occurred_at, e.key)):
            event.actions.sort(key=lambda a: (a.at, a.key))
            for cid in event.cids():
                self.events_of[cid].append(event)
        self.flags_of: dict[int, list[FlagF]] = defaultdict(list)
        for flag in self.flags:
            self.flags_of[flag.cid].append(flag)
        self.relations_of: dict[int, list[SpanF]] = defaultdict(list)
        for rel in self.relations:
            self.relations_of[rel.a].append(rel)
            if rel.b != rel.a:
                self.relations_of[rel.b].append(rel)
        self.residences_of: dict[int, list[SpanF]] = defaultdict(list)
        self.residents_at: dict[str, list[SpanF]] = defaultdict(list)
        for res in self.residences:
            self.residences_of[res.a].append(res)
            self.residents_at[res.b].append(res)
        self.uses_of: dict[int, list[SpanF]] = defaultdict(list)
        self.users_of: dict[str, list[SpanF]] = defaultdict(list)
        for use in self.uses:
            self.uses_of[use.a].append(use)
            self.users_of[use.b].append(use)
        self._carers: dict[int, set[int]] = {}
        self._child_now: dict[int, bool] = {}
        self._today = uk_date(self.as_of)
        self.lookback_start = add_months(self.as_of, -self.policy.general.lookback_months)
        self._lookback = sorted(
            (e for e in self.events.values() if self.in_lookback(e)),
            key=lambda e: (e.occurred_at, e.key),
        )
        self._lookback_by_kind: dict[str, list[EventF]] = defaultdict(list)
        for event in self._lookback:
            self._lookback_by_kind[event.kind].append(event)

    # ---- people ------------------------------------------------------------------------
    def person(self, cid: int) -> PersonF:
        return self.people.get(cid) or PersonF(cid, [], f"person {cid}", None, None)

    def keys(self, cids: set[int] | list[int]) -> list[str]:
        return sorted({k for cid in cids for k in self.person(cid).keys})

    def age(self, cid: int, at: datetime) -> int | None:
        dob = self.person(cid).dob
        if dob is None:
            return None
        return age_on(dob, self._today if at == self.as_of else uk_date(at))

    def is_child_at(self, cid: int, at: datetime) -> bool:
        """Under 18 at ``at``; with no date of birth, a child once seen in a child's role."""
        if at == self.as_of:
            known = self._child_now.get(cid)
            if known is None:
                known = self._child_now[cid] = self._is_child_at(cid, at)
            return known
        return self._is_child_at(cid, at)

    def _is_child_at(self, cid: int, at: datetime) -> bool:
        age = self.age(cid, at)
        if age is not None:
            return age < self.policy.general.child_age
        return any(
            role in CHILD_ROLES for e in self.events_of.get(cid, []) for role in e.roles_of(cid)
        )

    def is_adult_at(self, cid: int, at: datetime) -> bool:
        age = self.age(cid, at)
        return (
            age >= self.policy.general.child_age
            if age is not None
            else not self.is_child_at(cid, at)
        )

    def is_child_in(self, event: EventF, cid: int) -> bool:
        """A child at the time of the event; with no date of birth, by a child's role in it."""
        age = self.age(cid, event.occurred_at)
        if age is not None:
            return age < self.policy.general.child_age
        return bool(event.roles_of(cid) & CHILD_ROLES)

    def children_in(self, event: EventF, *roles: str) -> list[int]:
        wanted = roles or tuple(CHILD_PARTS)
        return [cid for cid in event.with_role(*wanted) if self.is_child_in(event, cid)]

    def describe(self, cid: int, at: datetime | None = None) -> str:
        """ "Callum Rowe (12)": the name and, when known, the age at ``at`` (WHEN by default)."""
        person = self.person(cid)
        age = self.age(cid, at or self.as_of)
        return f"{person.name} ({age})" if age is not None else person.name

    # ---- flags, carers, links ------------------------------------------------------------
    def flag(self, cid: int, kind: str, at: datetime | None = None) -> FlagF | None:
        when = at or self.as_of
        found = [f for f in self.flags_of.get(cid, []) if f.kind == kind and f.in_force(when)]
        return max(found, key=lambda f: (f.since, f.key)) if found else None

    def carers_of(self, child: int, at: datetime | None = None) -> set[int]:
        if at is None and child in self._carers:
            return self._carers[child]
        when = at or self.as_of
        found = {
            r.a
            for r in self.relations_of.get(child, [])
            if r.kind in CARER_KINDS and r.b == child and r.current(when)
        }
        if at is None:
            self._carers[child] = found
        return found

    def is_carer(self, person: int, child: int, event: EventF | None = None) -> bool:
        if person in self.carers_of(child):
            return True
        return event is not None and "parent_or_carer" in event.roles_of(person)

    def current_homes(self, cid: int, at: datetime | None = None) -> set[str]:
        when = at or self.as_of
        return {r.b for r in self.residences_of.get(cid, []) if r.current(when)}

    def residents(self, location: str, at: datetime | None = None) -> set[int]:
        when = at or self.as_of
        return {r.a for r in self.residents_at.get(location, []) if r.current(when)}

    def in_lookback(self, event: EventF) -> bool:
        return self.lookback_start < event.occurred_at <= self.as_of

    def lookback_events(self, *kinds: str) -> list[EventF]:
        if len(kinds) == 1:
            return list(self._lookback_by_kind.get(kinds[0], []))
        return [e for e in self._lookback if e.kind in kinds]

    def lookback_all(self) -> list[EventF]:
        return list(self._lookback)

    def is_closed(self, event: EventF) -> bool:
        return event.closed_at is not None and event.closed_at <= self.as_of
