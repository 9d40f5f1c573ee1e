"""Merging staged lines into the store, one set-based statement per step.

For each record type: drop repeated keys (reporting those whose content differs), find the
references that point at nothing (or at a rejected line), then compare with what is stored
and write: the new rows with one INSERT ... SELECT that resolves every key by a join, the
changed rows with one UPDATE after their old version is copied to the history.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    FromClause,
    String,
    Table,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from safeguard.db import UTCDateTime
from safeguard.ingest.rows import FOREIGN_KEYS
from safeguard.ingest.staging import (
    DETAIL_REFS,
    EVENT_PEOPLE,
    SEQ_FILE,
    Staging,
    data_columns,
    file_and_line,
)
from safeguard.pole.models import RECORD_MODELS, EventPerson, RecordHistory

Report = Callable[[int, str, str], None]  # (seq, field, reason)
Bad = dict[int, list[tuple[str, str]]]
CHUNK = 500


def store_table(rtype: str) -> Table:
    table: Table = RECORD_MODELS[rtype].__table__  # type: ignore[attr-defined]
    return table


class Merge:
    """Merges one import's staging tables into the store, level by level."""

    def __init__(
        self,
        *,
        connection: Connection,
        staging: Staging,
        files: list[str],
        rejected: dict[tuple[str, str], int],
        report: Report,
        now: datetime,
    ) -> None:
        self.connection = connection
        self.staging = staging
        self.files = files
        self.rejected = rejected
        self.report = report
        self.now = now

    # ---- repeated keys -------------------------------------------------------------------
    def drop_repeats(self, rtype: str) -> None:
        """Keep the first line of a key; a later one must repeat its content exactly."""
        s = self.staging.tables[rtype]
        repeated = (
            select(s.c.source, s.c.source_id)
            .group_by(s.c.source, s.c.source_id)
            .having(func.count() > 1)
            .subquery()
        )
        rows = self.connection.execute(
            select(s.c.seq, s.c.source, s.c.source_id, s.c.payload_hash)
            .join(
                repeated,
                and_(repeated.c.source == s.c.source, repeated.c.source_id == s.c.source_id),
            )
            .order_by(s.c.source, s.c.source_id, s.c.seq)
        )
        first: tuple[int, str, str, str] | None = None
        drop = []
        for seq, source, ident, digest in rows:
            if first is None or (first[1], first[2]) != (source, ident):
                first = (seq, source, ident, digest)
                continue
            drop.append(seq)
            if digest != first[3]:
                self.report(
                    seq,
                    "id",
                    f"duplicate key {source}:{ident} with different content "
                    f"(first given at {self._where(first[0], seq)})",
                )
        self._delete([rtype], drop)

    def _where(self, seq: int, current: int) -> str:
        file_no, line = file_and_line(seq)
        if file_no == file_and_line(current)[0]:
            return f"line {line}"
        return f"{Path(self.files[file_no]).name} line {line}"

    # ---- references ------------------------------------------------------------------------
    def reject_bad_references(self, level: int, rtypes: list[str]) -> None:
        """Report and drop the lines of ``rtypes`` whose references point at nothing stored,
        or whose people were born after the event."""
        bad: Bad = {}
        for rtype in rtypes:
            if rtype == "event" and self.staging.has(EVENT_PEOPLE):
                self._missing_people(bad)
            s = self.staging.tables[rtype]
            for field, col, target in FOREIGN_KEYS[rtype]:
                self._missing(bad, s, field, s.c[f"{col}_src"], s.c[f"{col}_sid"], target)
        if self.staging.has(DETAIL_REFS):
            r = self.staging.tables[DETAIL_REFS]
            targets = self.connection.scalars(
                select(r.c.rtype).where(r.c.level == level).distinct()
            )
            for target in list(targets):
                rows = select(r).where(r.c.level == level, r.c.rtype == target).subquery()
                self._missing(bad, rows, None, rows.c.src, rows.c.sid, target)
        if level == 1 and self.staging.has(EVENT_PEOPLE):
            self._born_after(bad)
        if bad:
            self._reject(rtypes, bad)

    def _missing(
        self, bad: Bad, rows: FromClause, field: str | None, src: Any, sid: Any, target: str
    ) -> None:
        t = store_table(target)
        fields = rows.c.field if field is None else literal(field, String)
        query = select(rows.c.seq, fields, src, sid).where(
            src.is_not(None), ~exists().where(t.c.source == src, t.c.source_id == sid)
        )
        for seq, name, source, ident in self.connection.execute(query):
            bad.setdefault(seq, []).append((name, self._why(target, f"{source}:{ident}")))

    def _missing_people(self, bad: Bad) -> None:
        p, person = self.staging.tables[EVENT_PEOPLE], store_table("person")
        query = select(p.c.seq, p.c.idx, p.c.person_src, p.c.person_sid).where(
            ~exists().where(person.c.source == p.c.person_src, person.c.source_id == p.c.person_sid)
        )
        for seq, idx, source, ident in self.connection.execute(query.order_by(p.c.seq, p.c.idx)):
            bad.setdefault(seq, []).append(
                (f"people[{idx}].person", self._why("person", f"{source}:{ident}"))
            )

    def _why(self, rtype: str, key: str) -> str:
        line = self.rejected.get((rtype, key))
        if line is not None:
            return f"refers to {rtype} {key}, which was rejected (line {line})"
        return f"refers to {rtype} {key}, which is neither in the file nor stored"

    def _born_after(self, bad: Bad) -> None:
        p, person = self.staging.tables[EVENT_PEOPLE], store_table("person")
        query = (
            select(p.c.seq, p.c.idx, p.c.person_src, p.c.person_sid, person.c.dob, p.c.day)
            .join(
                person,
                and_(person.c.source == p.c.person_src, person.c.source_id == p.c.person_sid),
            )
            .where(person.c.dob > p.c.day)
            .order_by(p.c.seq, p.c.idx)
        )
        for seq, idx, source, ident, dob, day in self.connection.execute(query):
            bad.setdefault(seq, []).append(
                (
                    f"people[{idx}].person",
                    f"date of birth {dob} of {source}:{ident} is after the event ({day})",
                )
            )

    def _reject(self, rtypes: list[str], bad: Bad) -> None:
        seqs = sorted(bad)
        for seq in seqs:
            for field, reason in bad[seq]:
                self.report(seq, field, reason)
        for rtype in rtypes:
            s = self.staging.tables[rtype]
            for i in range(0, len(seqs), CHUNK):
                rows = self.connection.execute(
                    select(s.c.seq, s.c.source, s.c.source_id).where(
                        s.c.seq.in_(seqs[i : i + CHUNK])
                    )
                )
                for seq, source, ident in rows:
                    self.rejected.setdefault((rtype, f"{source}:{ident}"), file_and_line(seq)[1])
        self._delete(rtypes, seqs)

    def _delete(self, rtypes: list[str], seqs: list[int]) -> None:
        if not seqs:
            return
        names = [*rtypes, *(n for n in (EVENT_PEOPLE, DETAIL_REFS) if self.staging.has(n))]
        for name in names:
            t = self.staging.tables[name]
            for i in range(0, len(seqs), CHUNK):
                self.connection.execute(delete(t).where(t.c.seq.in_(seqs[i : i + CHUNK])))

    # ---- writing ---------------------------------------------------------------------------
    def write(self, rtype: str) -> tuple[int, int, int]:
        """Store the staged rows of ``rtype``: (new, changed, unchanged) counts."""
        s, t = self.staging.tables[rtype], store_table(rtype)
        self._match(s, t)
        changed = self._count(s, s.c.old_hash != s.c.payload_hash)
        unchanged = self._count(s, s.c.old_hash == s.c.payload_hash)
        columns, values, joined = self._resolved(rtype, s)
        if changed:
            self._keep_history(rtype, s, t)
            new = select(s.c.target_id, *values).select_from(joined)
            sub = new.where(s.c.old_hash != s.c.payload_hash).subquery()
            self.connection.execute(
                update(t).values({c: sub.c[c] for c in columns}).where(t.c.id == sub.c.target_id)
            )
        query = select(*values).select_from(joined).where(s.c.target_id.is_(None))
        added = self.connection.execute(
            insert(t).from_select(columns, query.order_by(s.c.seq)),
            execution_options={"preserve_rowcount": True},
        ).rowcount
        if rtype == "event":
            self._event_people(s, t, added=added)
        if added > 1000 and self.connection.dialect.name == "postgresql":
            # later levels join against this table: the planner needs its new size
            self.connection.exec_driver_sql(f'ANALYZE "{t.name}"')
        return added, changed, unchanged

    def _match(self, s: Table, t: Table) -> None:
        """The stored row with the staged row's key, and its payload hash."""
        self.connection.execute(
            update(s)
            .values(target_id=t.c.id, old_hash=t.c.payload_hash)
            .where(t.c.source == s.c.source, t.c.source_id == s.c.source_id)
        )

    def _count(self, s: Table, condition: Any) -> int:
        return self.connection.scalar(select(func.count()).select_from(s).where(condition)) or 0

    def _resolved(self, rtype: str, s: Table) -> tuple[list[str], list[Any], FromClause]:
        """Column names and the staged values for them, references resolved by joins."""
        columns = [c.name for c in data_columns(rtype)]
        values: list[Any] = [s.c[name] for name in columns]
        joined: FromClause = s
        for i, (_, col, target) in enumerate(FOREIGN_KEYS[rtype]):
            ref = store_table(target).alias(f"ref{i}")
            joined = joined.outerjoin(
                ref,
                and_(ref.c.source == s.c[f"{col}_src"], ref.c.source_id == s.c[f"{col}_sid"]),
            )
            columns.append(col)
            values.append(ref.c.id.label(col))
        return columns, values, joined

    def _keep_history(self, rtype: str, s: Table, t: Table) -> None:
        h: Table = RecordHistory.__table__  # type: ignore[assignment]
        file_name = case(
            {i: literal(name, String) for i, name in enumerate(self.files)},
            value=s.c.seq // SEQ_FILE,
        )
        old = (
            select(
                literal(rtype, String),
                t.c.source,
                t.c.source_id,
                t.c.payload,
                literal(self.now, UTCDateTime()),
                file_name,
            )
            .select_from(s.join(t, t.c.id == s.c.target_id))
            .where(s.c.old_hash != s.c.payload_hash)
        )
        names = ["record_type", "source", "source_id", "payload", "replaced_at", "replaced_by_file"]
        self.connection.execute(insert(h).from_select(names, old))

    def _event_people(self, s: Table, t: Table, *, added: int) -> None:
        """The people of new and changed events; a changed event's list is replaced."""
        ep: Table = EventPerson.__table__  # type: ignore[assignment]
        changed = s.c.old_hash != s.c.payload_hash
        self.connection.execute(
            delete(ep).where(ep.c.event_id.in_(select(s.c.target_id).where(changed)))
        )
        if added:  # the ids of the events just stored
            self.connection.execute(
                update(s)
                .values(target_id=t.c.id)
                .where(
                    s.c.target_id.is_(None),
                    t.c.source == s.c.source,
                    t.c.source_id == s.c.source_id,
                )
            )
        if not self.staging.has(EVENT_PEOPLE):
            return
        p, person = self.staging.tables[EVENT_PEOPLE], store_table("person")
        rows = (
            select(s.c.target_id, person.c.id, p.c.role)
            .select_from(
                p.join(s, s.c.seq == p.c.seq).join(
                    person,
                    and_(person.c.source == p.c.person_src, person.c.source_id == p.c.person_sid),
                )
            )
            .where(~p.c.repeated, or_(s.c.old_hash.is_(None), changed))
        )
        self.connection.execute(insert(ep).from_select(["event_id", "person_id", "role"], rows))
