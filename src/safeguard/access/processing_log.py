"""The processing log of DPA 2018 s62: append, verify the hash chain, and query.

Each entry's hash is SHA-256 over a canonical JSON of its content and the previous entry's hash.
Appending first bumps the single head row, which takes a write lock on both SQLite and
PostgreSQL, so concurrent writers queue instead of forking the chain; the lock is held only for
the few statements that follow and the commit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from safeguard.access.models import LogEntry, LogHead, LogRecordKey
from safeguard.errors import InvalidInputError
from safeguard.timeutil import now_utc

GENESIS = "0" * 64


class Operation(StrEnum):
    COLLECT = "collect"
    ALTER = "alter"
    CONSULT = "consult"
    DISCLOSE = "disclose"
    COMBINE = "combine"
    ERASE = "erase"


@dataclass(frozen=True)
class Actor:
    """Who is processing: a user name (or system name) and the role they act in."""

    name: str
    role: str


def entry_hash(
    *,
    seq: int,
    at: datetime,
    operation: str,
    actor: str,
    actor_role: str,
    records: list[str],
    justification: str | None,
    recipients: list[str],
    purpose: str,
    break_glass: bool,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    content = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "operation": operation,
        "actor": actor,
        "actor_role": actor_role,
        "records": records,
        "justification": justification,
        "recipients": recipients,
        "purpose": purpose,
        "break_glass": break_glass,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _hash_of(entry: LogEntry) -> str:
    return entry_hash(
        seq=entry.seq,
        at=entry.at,
        operation=entry.operation,
        actor=entry.actor,
        actor_role=entry.actor_role,
        records=entry.records,
        justification=entry.justification,
        recipients=entry.recipients,
        purpose=entry.purpose,
        break_glass=entry.break_glass,
        detail=entry.detail,
        prev_hash=entry.prev_hash,
    )


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


# Built once: each append runs them as plain statements on the session's connection.
_HEAD = _table(LogHead)
_CLAIM = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(seq=_HEAD.c.seq + 1)
    .returning(_HEAD.c.seq, _HEAD.c.hash)
)
_SET_HASH = update(_HEAD).where(_HEAD.c.id == 1).values(hash=bindparam("new_hash"))
_ADD_ENTRY = insert(_table(LogEntry))
_ADD_KEYS = insert(_table(LogRecordKey))


def _claim_next(connection: Connection) -> tuple[int, str]:
    """Lock the chain's head and claim the next sequence number: (seq, previous hash).

    One UPDATE ... RETURNING takes the row lock (PostgreSQL) or needs the write lock
    (SQLite) and reads the head, so the lock is held from here to the commit and no longer."""
    claimed = connection.execute(_CLAIM).one_or_none()
    if claimed is not None:
        return claimed.seq, claimed.hash
    # No head yet (the chain's first entry): make it from the last entry, unless another
    # writer made it meanwhile (it waits for theirs to commit), then claim it like any other.
    last = connection.execute(
        select(LogEntry.seq, LogEntry.hash).order_by(LogEntry.seq.desc()).limit(1)
    ).one_or_none()
    seq, last_hash = (last.seq, last.hash) if last else (0, GENESIS)
    dialect_insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    head = dialect_insert(_HEAD).values(id=1, seq=seq, hash=last_hash)
    connection.execute(head.on_conflict_do_nothing(index_elements=[_HEAD.c.id]))
    claimed = connection.execute(_CLAIM).one()
    return claimed.seq, claimed.hash


def append(
    *,
    session: Session,
    operation: Operation,
    actor: Actor,
    records: list[str],
    purpose: str,
    justification: str | None,
    recipients: list[str] | None = None,
    break_glass: bool = False,
    detail: dict[str, Any] | None = None,
) -> LogEntry:
    """Add one entry at the end of the chain, in the caller's transaction (which commits).

    Written with three plain statements after the head is locked, not through the unit of
    work, so that concurrent writers wait on the lock as briefly as possible."""
    if operation is Operation.DISCLOSE and not recipients:
        raise InvalidInputError("a disclosure must name its recipients")
    if break_glass and not (justification and justification.strip()):
        raise InvalidInputError("opening a record beyond your role needs a recorded reason")
    content: dict[str, Any] = {
        "at": now_utc(),
        "operation": operation.value,
        "actor": actor.name,
        "actor_role": actor.role,
        "records": sorted(set(records)),
        "justification": justification,
        "recipients": sorted(set(recipients or [])),
        "purpose": purpose,
        "break_glass": break_glass,
        "detail": detail or {},
    }
    session.flush()  # the caller's pending changes first, before the lock is taken
    connection = session.connection()
    seq, prev_hash = _claim_next(connection)
    fields = content | {"seq": seq, "prev_hash": prev_hash}
    fields["hash"] = entry_hash(**fields)
    keys = [{"seq": seq, "record_key": k} for k in fields["records"]]
    if connection.dialect.name == "postgresql":
        # one round trip for the entry, its index rows and the new head, while the lock is held
        write = update(_HEAD).where(_HEAD.c.id == 1).values(hash=fields["hash"])
        write = write.add_cte(insert(_table(LogEntry)).values(**fields).cte("entry"))
        if keys:
            write = write.add_cte(insert(_table(LogRecordKey)).values(keys).cte("record_keys"))
        connection.execute(write)
        return LogEntry(**fields)
    connection.execute(_ADD_ENTRY, fields)
    if keys:
        connection.execute(_ADD_KEYS, keys)
    connection.execute(_SET_HASH, {"new_hash": fields["hash"]})
    return LogEntry(**fields)


@dataclass(frozen=True)
class Problem:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.reason}"


def verify(*, session: Session) -> tuple[int, list[Problem]]:
    """Walk the chain from the start: returns the number of entries and every break found."""
    problems: list[Problem] = []
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for entry in session.scalars(select(LogEntry).order_by(LogEntry.seq)).yield_per(1000):
        count += 1
        if entry.seq != expected_seq:
            problems.append(Problem(entry.seq, f"expected entry {expected_seq}: removed entries"))
        if entry.prev_hash != prev_hash:
            problems.append(Problem(entry.seq, "does not follow the entry before it"))
        if _hash_of(entry) != entry.hash:
            problems.append(Problem(entry.seq, "content does not match its hash: edited"))
        prev_hash, expected_seq = entry.hash, entry.seq + 1
    problems.extend(_verify_index(session))
    head = session.get(LogHead, 1, populate_existing=True)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        problems.append(Problem(head.seq, "the chain's head does not match its last entry"))
    if head is None and count:
        problems.append(Problem(0, "the chain's head is missing"))
    return count, problems


def _verify_index(session: Session) -> list[Problem]:
    """The record-key index (used by who_viewed) must list exactly each entry's hashed records,
    or a view could be hidden from "who has looked at this child" without breaking the chain."""
    indexed: dict[int, set[str]] = {}
    for seq, key in session.execute(select(LogRecordKey.seq, LogRecordKey.record_key)):
        indexed.setdefault(seq, set()).add(key)
    problems = []
    for seq, records in session.execute(select(LogEntry.seq, LogEntry.records)):
        if indexed.pop(seq, set()) != set(records):
            problems.append(Problem(seq, "its record index does not match its records"))
    problems.extend(Problem(seq, "index rows with no entry") for seq in sorted(indexed))
    return problems


def who_viewed(*, session: Session, keys: list[str]) -> list[LogEntry]:
    """Every entry that concerned any of these record keys, oldest first."""
    seqs = select(LogRecordKey.seq).where(LogRecordKey.record_key.in_(keys))
    return list(
        session.scalars(select(LogEntry).where(LogEntry.seq.in_(seqs)).order_by(LogEntry.seq))
    )


def break_glass_entries(*, session: Session, limit: int = 200) -> list[LogEntry]:
    return list(
        session.scalars(
            select(LogEntry)
            .where(LogEntry.break_glass.is_(True))
            .order_by(LogEntry.seq.desc())
            .limit(limit)
        )
    )
