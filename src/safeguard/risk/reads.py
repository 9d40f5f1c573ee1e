"""The reads of a neighbourhood (`scope.py`) as fixed SQL run on the driver's cursor.

A picture is a score of small indexed reads. Through SQLAlchemy, rendering an expanding ``IN``
and processing each row cost several times what the database spends, so each read here is one
SQL text per dialect, rendered once: a list of values is a single parameter (a JSON array read
by ``json_each`` on SQLite, an array compared with ``= ANY`` on PostgreSQL), so the text never
changes and the drivers reuse their prepared statements. Values come back as the models' types
give them through SQLAlchemy (times zone-aware in UTC, JSON parsed, dates, booleans), so that
the facts are exactly those the ORM would give.

In the SQL, ``IN :name`` is "in the list ``name``" and ``:name`` a single value.
"""

from __future__ import annotations

import json
import re
from collections import namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache, partial
from typing import Any

from sqlalchemy import Connection

from safeguard.pole.models import NAMES_PLACE, PLACE_KEYS_PG

Convert = Callable[[Any], Any]


def _sqlite_time(value: str) -> datetime:
    return datetime.fromisoformat(value + "+00:00")  # stored naive in UTC


def _pg_time(value: datetime) -> datetime:
    return value.astimezone(UTC)


# how each dialect's driver returns what the models' types turn into Python values
CONVERT: dict[str, dict[str, Convert]] = {
    "sqlite": {"time": _sqlite_time, "json": json.loads, "date": date.fromisoformat, "bool": bool},
    "postgresql": {"time": _pg_time},
}
_LIST = {"sqlite": r"IN (SELECT value FROM json_each(:\1))", "postgresql": r"= ANY(:\1)"}
_LIST_MARK = re.compile(r"\bIN :(\w+)")
_VALUE_MARK = re.compile(r"(?<![:\w]):(\w+)")


@dataclass(frozen=True, eq=False)  # hashed by identity: each is a module constant
class Read:
    """A SELECT: its SQL (one for both dialects, or one per dialect), the names of the columns
    it returns and the kind of those needing conversion (``time``, ``json``, ``date``,
    ``bool``)."""

    sql: str | dict[str, str]
    columns: tuple[str, ...]
    kinds: dict[str, str] = field(default_factory=dict)

    def text(self, dialect: str) -> str:
        sql = self.sql if isinstance(self.sql, str) else self.sql[dialect]
        sql = _LIST_MARK.sub(_LIST[dialect], sql)
        return sql if dialect == "sqlite" else _VALUE_MARK.sub(r"%(\1)s", sql)


@cache
def _prepared(read: Read, dialect: str) -> tuple[str, Callable[[Any], Any], list[Convert | None]]:
    row = namedtuple("row", read.columns)  # type: ignore[misc]
    convert = CONVERT[dialect]
    steps = [convert.get(read.kinds.get(name, "")) for name in read.columns]
    return read.text(dialect), partial(tuple.__new__, row), steps


class Reader:
    """Runs `Read` statements on the cursor of a SQLAlchemy connection (its transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.dialect = conn.dialect.name
        self.cursor = conn.connection.cursor()

    def param(self, value: Any) -> Any:
        """A parameter as the driver takes it: lists as JSON text on SQLite; times in UTC
        (naive on SQLite, as the models store them)."""
        if isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
            if self.dialect != "sqlite":
                return items
            if all(type(v) is int for v in items):
                return f"[{','.join(map(str, items))}]"
            return json.dumps(items)
        if isinstance(value, datetime):
            value = value.astimezone(UTC)
            if self.dialect == "sqlite":
                return value.replace(tzinfo=None).isoformat(" ", "microseconds")
            return value
        return value

    def plan(self, read: Read, **params: Any) -> str:
        """The database's plan for ``read`` (which indexes it uses), as one line."""
        sql, _, _ = _prepared(read, self.dialect)
        explain = "EXPLAIN QUERY PLAN " if self.dialect == "sqlite" else "EXPLAIN "
        self.cursor.execute(explain + sql, {k: self.param(v) for k, v in params.items()})
        return " ".join(str(r[-1]) for r in self.cursor.fetchall())

    def rows(self, read: Read, **params: Any) -> list[Any]:
        return self.many([(read, params)])[0]

    def many(self, calls: Sequence[tuple[Read, dict[str, Any]]]) -> list[list[Any]]:
        """The rows of several reads that do not depend on each other. On PostgreSQL they are
        sent together in pipeline mode: one round trip instead of one each, which on a busy
        server is most of what a small read costs."""
        texts = [(_prepared(read, self.dialect), params) for read, params in calls]
        if self.dialect != "postgresql" or len(calls) < 2:
            found = []
            for (sql, _, _), params in texts:
                self.cursor.execute(sql, {k: self.param(v) for k, v in params.items()})
                found.append(self.cursor.fetchall())
        else:
            connection = self.cursor.connection
            cursors = [connection.cursor() for _ in texts]
            with connection.pipeline():
                for cursor, ((sql, _, _), params) in zip(cursors, texts, strict=True):
                    cursor.execute(sql, {k: self.param(v) for k, v in params.items()})
            found = [cursor.fetchall() for cursor in cursors]
            for cursor in cursors:
                cursor.close()
        return [
            _made(rows, make, steps)
            for rows, ((_, make, steps), _) in zip(found, texts, strict=True)
        ]


def _made(
    found: Sequence[Any], make: Callable[[Any], Any], steps: list[Convert | None]
) -> list[Any]:
    if not any(steps):
        return [make(r) for r in found]
    return [
        make([v if f is None or v is None else f(v) for f, v in zip(steps, r, strict=True)])
        for r in found
    ]


# ---- the reads --------------------------------------------------------------------------

_EVENT_COLUMNS = (
    "id",
    "source",
    "source_id",
    "kind",
    "occurred_at",
    "reported_at",
    "location_id",
    "details",
    "allocated_to_id",
    "closed_at",
    "risk_level",
    "summary",
)
_EVENT_KINDS = {
    "occurred_at": "time",
    "reported_at": "time",
    "closed_at": "time",
    "details": "json",
}
_ACTION_COLUMNS = (
    "id",
    "source",
    "source_id",
    "kind",
    "at",
    "event_id",
    "person_id",
    "details",
    "by_officer_id",
    "text",
)
_ACTION_KINDS = {"at": "time", "details": "json"}
_SPAN_KINDS = {"since": "time", "until": "time"}
_LOCATION_COLUMNS = ("id", "source", "source_id", "kind", "address")
# the details of an event only when they can name a place (the test of its partial index)
_PLACE_DETAILS = {d: f"CASE WHEN ({names}) THEN e.details END" for d, names in NAMES_PLACE.items()}

# a person by key, with the members of their cluster (none when they have no cluster row)
PERSON_BY_KEY = Read(
    "SELECT p.id, pc2.person_id AS member, pc2.cluster_id FROM person p"
    " LEFT JOIN person_cluster pc1 ON pc1.person_id = p.id"
    " LEFT JOIN person_cluster pc2 ON pc2.cluster_id = pc1.cluster_id"
    " WHERE p.source = :source AND p.source_id = :source_id",
    ("id", "member", "cluster_id"),
)
CLUSTER_MEMBERS = Read(
    "SELECT pc2.person_id, pc2.cluster_id FROM person_cluster pc1"
    " JOIN person_cluster pc2 ON pc2.cluster_id = pc1.cluster_id WHERE pc1.person_id IN :ids",
    ("person_id", "cluster_id"),
)
# the members of the cluster of each ``n.person_id``: on PostgreSQL in a lateral subquery, by
# the index for each person, which a join would read whole for a hash join (as SQLite would not)
_MEMBERS_OF_N = {
    "sqlite": "LEFT JOIN person_cluster pc1 ON pc1.person_id = n.person_id"
    " LEFT JOIN person_cluster pc2 ON pc2.cluster_id = pc1.cluster_id",
    "postgresql": "LEFT JOIN LATERAL (SELECT pc2.person_id, pc2.cluster_id"
    " FROM person_cluster pc1 JOIN person_cluster pc2 ON pc2.cluster_id = pc1.cluster_id"
    " WHERE pc1.person_id = n.person_id) pc2 ON true",
}
# everyone one link from a set of people: in an event with them (with the event's details
# when they name places), related, sharing a home (with the place's key) or an object; each
# with the members of their cluster (``member`` and ``cluster_id``, none without a cluster),
# so that the next step needs no read of clusters
ONE_STEP = Read(
    {
        # built from module constants only (the dialect's test of a place); values are bound
        dialect: "SELECT n.person_id, n.details, n.place, pc2.person_id AS member,"  # nosec B608
        " pc2.cluster_id FROM ("
        f"SELECT ep2.person_id, {details} AS details, NULL AS place"
        " FROM event_person ep1 JOIN event e ON e.id = ep1.event_id"
        " JOIN event_person ep2 ON ep2.event_id = ep1.event_id WHERE ep1.person_id IN :ids"
        " UNION ALL SELECT b_id, NULL, NULL FROM relation WHERE a_id IN :ids"
        " UNION ALL SELECT a_id, NULL, NULL FROM relation WHERE b_id IN :ids"
        " UNION ALL SELECT r2.person_id, NULL, l.source || ':' || l.source_id"
        " FROM residence r1 JOIN residence r2 ON r2.location_id = r1.location_id"
        " JOIN location l ON l.id = r1.location_id WHERE r1.person_id IN :ids"
        " UNION ALL SELECT u2.person_id, NULL, NULL"
        " FROM uses u1 JOIN uses u2 ON u2.object_id = u1.object_id WHERE u1.person_id IN :ids"
        f") n {_MEMBERS_OF_N[dialect]}"
        for dialect, details in _PLACE_DETAILS.items()
    },
    ("person_id", "details", "place", "member", "cluster_id"),
    {"details": "json"},
)
_HOLDS = {
    "sqlite": "instr(e.details, :k{n}) > 0",
    "postgresql": "strpos(e.details::text, :k{n}) > 0",
}


@cache
def naming_events(places: int) -> Read:
    """The events of a window (``lo``, ``hi``) whose details name one of ``places`` places
    (location keys in quotes, ``k0``, ``k1``...), among the few naming a place at all (their
    partial index). A text per count: ``instr`` on each key costs half a ``json_each``."""
    return Read(
        {
            # built from module constants and the count only; the keys are bound
            dialect: f"SELECT e.id, e.details FROM event e WHERE e.occurred_at > :lo"  # nosec B608
            f" AND e.occurred_at <= :hi AND ({NAMES_PLACE[dialect]}) AND ("
            + " OR ".join(holds.format(n=n) for n in range(places))
            + ")"
            for dialect, holds in _HOLDS.items()
        },
        ("id", "details"),
        {"details": "json"},
    )


# PostgreSQL: the events naming one of some ``keys`` of places, by the GIN index of the keys
# events name (`naming_events` reads every event of a window naming some place). The window is
# left to the caller: with it in the SQL, a generic plan would take the index on the time and
# test every event of the window naming some place
EVENTS_NAMING = Read(
    # built from module constants only; the keys are bound
    "SELECT e.id, e.details, e.occurred_at FROM event e"  # nosec B608
    f" WHERE ({NAMES_PLACE['postgresql']}) AND ({PLACE_KEYS_PG}) ?| CAST(:keys AS text[])",
    ("id", "details", "occurred_at"),
    {"details": "json", "occurred_at": "time"},
)
RESIDENTS_AT = Read("SELECT person_id FROM residence WHERE location_id IN :ids", ("person_id",))
# every event of the core people; the others' from the history window on
EVENTS_FOR = Read(
    "SELECT e.id, e.source, e.source_id, e.kind, e.occurred_at, e.reported_at, e.location_id,"
    " e.details, e.allocated_to_id, e.closed_at, e.risk_level, e.summary"
    " FROM event e JOIN event_person ep ON ep.event_id = e.id WHERE ep.person_id IN :ids"
    " UNION ALL"
    " SELECT e.id, e.source, e.source_id, e.kind, e.occurred_at, e.reported_at, e.location_id,"
    " e.details, e.allocated_to_id, e.closed_at, e.risk_level, e.summary"
    " FROM event e JOIN event_person ep ON ep.event_id = e.id"
    " WHERE ep.person_id IN :others AND e.occurred_at > :lo",
    _EVENT_COLUMNS,
    _EVENT_KINDS,
)
EVENT_ROWS = Read(
    "SELECT e.id, e.source, e.source_id, e.kind, e.occurred_at, e.reported_at, e.location_id,"
    " e.details, e.allocated_to_id, e.closed_at, e.risk_level, e.summary"
    " FROM event e WHERE e.id IN :ids",
    _EVENT_COLUMNS,
    _EVENT_KINDS,
)
# the events of EVENTS_FOR, for reading their people and actions in the same round trip
_EVENT_IDS_FOR = (
    "SELECT ep.event_id FROM event_person ep WHERE ep.person_id IN :ids"
    " UNION SELECT ep.event_id FROM event_person ep JOIN event e ON e.id = ep.event_id"
    " WHERE ep.person_id IN :others AND e.occurred_at > :lo"
)
EVENT_PEOPLE_FOR = Read(
    "SELECT event_id, person_id, role FROM event_person"  # nosec B608: a module constant
    f" WHERE event_id IN ({_EVENT_IDS_FOR})",
    ("event_id", "person_id", "role"),
)
EVENT_ACTIONS_FOR = Read(
    "SELECT id, source, source_id, kind, at, event_id, person_id, details, by_officer_id, text"
    f" FROM action WHERE event_id IN ({_EVENT_IDS_FOR})",  # nosec B608: a module constant
    _ACTION_COLUMNS,
    _ACTION_KINDS,
)
# the domestic abuse at some places (DA_CUMULATIVE_RISK groups it by place)
ABUSE_AT = Read(
    "SELECT e.id FROM event e WHERE e.location_id IN :ids"
    " AND e.kind = 'domestic_abuse' AND e.occurred_at > :lo",
    ("id",),
)
EVENT_PEOPLE = Read(
    "SELECT event_id, person_id, role FROM event_person WHERE event_id IN :ids",
    ("event_id", "person_id", "role"),
)
EVENT_ACTIONS = Read(
    "SELECT id, source, source_id, kind, at, event_id, person_id, details, by_officer_id, text"
    " FROM action WHERE event_id IN :ids",
    _ACTION_COLUMNS,
    _ACTION_KINDS,
)
# an event's row, people and actions, by its id
EVENT_BY_ID = (EVENT_ROWS, EVENT_PEOPLE, EVENT_ACTIONS)
ACTIONS_BY = Read(
    "SELECT id, source, source_id, kind, at, event_id, person_id, details, by_officer_id, text"
    " FROM action WHERE person_id IN :ids",
    _ACTION_COLUMNS,
    _ACTION_KINDS,
)
LOCATIONS = Read(
    "SELECT id, source, source_id, kind, address FROM location WHERE id IN :ids", _LOCATION_COLUMNS
)
LOCATIONS_BY_KEY = Read(
    {
        "sqlite": "SELECT id, source, source_id, kind, address FROM location"
        " WHERE (source, source_id) IN"
        " (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')"
        " FROM json_each(:pairs))",
        "postgresql": "SELECT id, source, source_id, kind, address FROM location"
        " WHERE (source, source_id) IN"
        " (SELECT * FROM unnest(CAST(:sources AS text[]), CAST(:idents AS text[])))",
    },
    _LOCATION_COLUMNS,
)
PEOPLE = Read(
    "SELECT id, source, source_id, given_name, family_name, dob, sex FROM person WHERE id IN :ids",
    ("id", "source", "source_id", "given_name", "family_name", "dob", "sex"),
    {"dob": "date"},
)
OFFICERS = Read(
    "SELECT id, source, source_id, name, specialisms, probationary FROM officer"
    " WHERE id IN :ids OR source_id IN :keys",
    ("id", "source", "source_id", "name", "specialisms", "probationary"),
    {"specialisms": "json", "probationary": "bool"},
)
FLAGS = Read(
    "SELECT source, source_id, person_id, kind, since, until, level FROM flag"
    " WHERE person_id IN :ids",
    ("source", "source_id", "person_id", "kind", "since", "until", "level"),
    _SPAN_KINDS,
)
RELATIONS = Read(
    "SELECT source, source_id, a_id, b_id, kind, since, until FROM relation WHERE a_id IN :ids"
    " UNION ALL"
    " SELECT source, source_id, a_id, b_id, kind, since, until FROM relation WHERE b_id IN :ids",
    ("source", "source_id", "a_id", "b_id", "kind", "since", "until"),
    _SPAN_KINDS,
)
# everyone who lives or lived at their homes, or at the places named in their events
RESIDENCES = Read(
    "SELECT source, source_id, person_id, location_id, since, until FROM residence"
    " WHERE location_id IN"
    " (SELECT r1.location_id FROM residence r1 WHERE r1.person_id IN :ids)"
    " UNION ALL SELECT source, source_id, person_id, location_id, since, until FROM residence"
    " WHERE location_id IN :places",
    ("source", "source_id", "person_id", "location_id", "since", "until"),
    _SPAN_KINDS,
)
# everyone who uses or used their phones and other objects
USES = Read(
    "SELECT u.source, u.source_id, u.person_id, o.source AS object_source,"
    " o.source_id AS object_source_id, u.since, u.until"
    " FROM uses u JOIN pole_object o ON o.id = u.object_id"
    " WHERE u.object_id IN (SELECT u1.object_id FROM uses u1 WHERE u1.person_id IN :ids)",
    ("source", "source_id", "person_id", "object_source", "object_source_id", "since", "until"),
    _SPAN_KINDS,
)
