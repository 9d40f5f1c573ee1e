"""Streaming import of exchange-format files (spec/exchange-format.md, "Bad input").

Three passes over the input keep memory flat whatever the file size: records are written by
level (people, places, objects and officers; then links, flags and events; then actions), so
that a reference always points at something already stored, whatever order the file is in.
Only the keys seen in the file are held in memory. All-or-nothing unless ``partial``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, and_, delete, insert, or_, select, text, update
from sqlalchemy.orm import Session

from safeguard.ingest.errors import ImportRejectedError, ImportReport, LineError
from safeguard.ingest.rows import IdMap, canonical, digest, to_row
from safeguard.ingest.schemas import (
    LEVEL,
    RECORD_SCHEMAS,
    EventIn,
    PersonIn,
    Record,
    references,
)
from safeguard.pole.models import RECORD_MODELS, EventPerson, Person, RecordHistory
from safeguard.timeutil import now_utc, parse_time, uk_date

BATCH = 2000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Line:
    file: str
    number: int
    text: str


@dataclass(frozen=True)
class Parsed:
    line: Line
    rtype: str
    record: Record
    payload: str
    digest: str


def _lines(
    path: Path, progress: Progress | None, stage: str, wanted: tuple[bytearray, int] | None = None
) -> Iterator[Line]:
    """The file's record lines; with ``wanted`` (marks, mark) only lines so marked."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if progress:
                progress(stage, len(raw))
            if wanted is not None and (number >= len(wanted[0]) or wanted[0][number] != wanted[1]):
                continue
            text = raw.decode("utf-8", errors="replace").strip()
            if text and not text.startswith("#"):
                yield Line(str(path), number, text)


def keys_match(model: Any, pairs: list[tuple[str, str]]) -> ColumnElement[bool]:
    """``(source, source_id) in pairs``, grouped by source so that the unique index is used."""
    by_source: dict[str, list[str]] = {}
    for source, ident in pairs:
        by_source.setdefault(source, []).append(ident)
    return or_(
        *(and_(model.source == src, model.source_id.in_(ids)) for src, ids in by_source.items())
    )


def _where(file: str, line: int, current: str) -> str:
    return f"line {line}" if file == current else f"{Path(file).name} line {line}"


class Importer:
    """One import of one or more files into the session's transaction."""

    def __init__(self, *, session: Session, progress: Progress | None = None) -> None:
        self.session = session
        self.progress = progress
        self.report = ImportReport()
        # (type, key) -> (file, line, digest) of the accepted line in the input
        self.seen: dict[tuple[str, str], tuple[str, int, str]] = {}
        self.rejected: dict[tuple[str, str], int] = {}
        self.dobs: dict[str, date] = {}
        # per file, one byte per line: the level (plus one) of each line accepted in the first
        # pass and still to be written; later passes skip every other line without parsing it
        self.todo: dict[str, bytearray] = {}
        self.now = now_utc()
        self.written: dict[str, int] = {}
        self.analysed: dict[str, int] = {}

    # ---- pass structure -------------------------------------------------------------
    def run(self, paths: list[Path], *, partial: bool) -> ImportReport:
        """All-or-nothing within a savepoint, so the caller's transaction is left as it was."""
        savepoint = self.session.begin_nested()
        for level in (0, 1, 2):
            for path in paths:
                self._pass(path, level)
        if self.report.errors and not partial:
            savepoint.rollback()
            raise ImportRejectedError(self.report)
        savepoint.commit()
        return self.report

    def _pass(self, path: Path, level: int) -> None:
        batch: list[Parsed] = []
        wanted = None if level == 0 else (self.todo.setdefault(str(path), bytearray()), level + 1)
        for line in _lines(path, self.progress, f"level {level}", wanted):
            parsed = self._parse(line) if level == 0 else self._reparse(line)
            if parsed is None or LEVEL[parsed.rtype] != level:
                continue
            batch.append(parsed)
            if len(batch) >= BATCH:
                self._write_batch(batch)
                batch = []
        if batch:
            self._write_batch(batch)

    # ---- parsing and validation -----------------------------------------------------
    def _error(self, line: Line, fld: str, reason: str) -> None:
        self.report.errors.append(LineError(line.file, line.number, fld, reason, line.text))

    def _parse(self, line: Line) -> Parsed | None:
        """First pass: validate a line fully, reporting every problem."""
        try:
            obj = json.loads(line.text)
        except json.JSONDecodeError as exc:
            self._error(line, "", f"not valid JSON: {exc.msg} (column {exc.colno})")
            return None
        if not isinstance(obj, dict):
            self._error(line, "", "not a JSON object")
            return None
        rtype = obj.get("record")
        schema = RECORD_SCHEMAS.get(rtype) if isinstance(rtype, str) else None
        if schema is None or not isinstance(rtype, str):
            reason = "missing" if rtype is None else f"unknown record type {rtype!r}"
            self._error(line, "record", reason)
            return None
        try:
            record = schema.model_validate(obj)
        except ValidationError as exc:
            self._validation_errors(line, rtype, obj, exc)
            return None
        text = canonical(obj)
        return self._note(Parsed(line, rtype, record, text, digest(text)))

    def _reparse(self, line: Line) -> Parsed:
        """Later passes: a line the first pass accepted, rebuilt (it is known to be valid)."""
        obj = json.loads(line.text)
        rtype = obj["record"]
        record = RECORD_SCHEMAS[rtype].model_validate(obj)  # pydantic-core: cheaper than construct
        text = canonical(obj)
        return Parsed(line, rtype, record, text, digest(text))

    def _validation_errors(
        self, line: Line, rtype: str, obj: dict[str, Any], exc: ValidationError
    ) -> None:
        for err in exc.errors():
            fld = ".".join(str(p) for p in err["loc"])
            reason = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                reason = "required field is missing"
            self._error(line, fld, reason)
        if isinstance(obj.get("source"), str) and isinstance(obj.get("id"), str):
            self.rejected.setdefault((rtype, f"{obj['source']}:{obj['id']}"), line.number)

    def _note(self, parsed: Parsed) -> Parsed | None:
        """First pass: remember the key; a repeated key must repeat the same content."""
        ref = (parsed.rtype, parsed.record.key)
        earlier = self.seen.get(ref)
        if earlier is not None:
            if earlier[2] != parsed.digest:
                self._error(
                    parsed.line,
                    "id",
                    f"duplicate key {parsed.record.key} with different content "
                    f"(first given at {_where(earlier[0], earlier[1], parsed.line.file)})",
                )
            return None
        self.seen[ref] = (parsed.line.file, parsed.line.number, parsed.digest)
        level = LEVEL[parsed.rtype]
        if level:
            marks = self.todo.setdefault(parsed.line.file, bytearray())
            if len(marks) <= parsed.line.number:
                marks.extend(bytes(parsed.line.number + 1 - len(marks) + 4096))
            marks[parsed.line.number] = level + 1
        if isinstance(parsed.record, PersonIn) and parsed.record.dob:
            self.dobs[parsed.record.key] = date.fromisoformat(parsed.record.dob)
        return parsed

    # ---- references ------------------------------------------------------------------
    def _lookup(self, wanted: set[tuple[str, str]]) -> IdMap:
        ids: IdMap = {}
        by_type: dict[str, list[tuple[str, str]]] = {}
        for rtype, key in wanted:
            source, _, ident = key.partition(":")
            by_type.setdefault(rtype, []).append((source, ident))
        for rtype, pairs in by_type.items():
            model: Any = RECORD_MODELS[rtype]
            for i in range(0, len(pairs), 500):
                chunk = pairs[i : i + 500]
                rows = self.session.execute(
                    select(model.id, model.source, model.source_id).where(keys_match(model, chunk))
                )
                for pk, source, ident in rows:
                    ids[(rtype, f"{source}:{ident}")] = pk
        return ids

    def _check_refs(self, batch: list[Parsed], ids: IdMap) -> list[Parsed]:
        good = []
        for parsed in batch:
            problems = []
            for fld, rtype, key in references(parsed.record):
                if (rtype, key) in ids:
                    continue
                line = self.rejected.get((rtype, key))
                if line is not None:
                    problems.append(
                        (fld, f"refers to {rtype} {key}, which was rejected (line {line})")
                    )
                else:
                    problems.append(
                        (fld, f"refers to {rtype} {key}, which is neither in the file nor stored")
                    )
            problems += self._impossible(parsed)
            if problems:
                for fld, reason in problems:
                    self._error(parsed.line, fld, reason)
                self.rejected.setdefault((parsed.rtype, parsed.record.key), parsed.line.number)
                self.seen.pop((parsed.rtype, parsed.record.key), None)
            else:
                good.append(parsed)
        return good

    def _impossible(self, parsed: Parsed) -> list[tuple[str, str]]:
        rec = parsed.record
        if not isinstance(rec, EventIn):
            return []
        problems = []
        occurred = parse_time(rec.occurred_at)
        if rec.closed_at and parse_time(rec.closed_at) < occurred:
            problems.append(("closed_at", "closed before the event occurred"))
        store_dobs = self._store_dobs([p.person for p in rec.people if p.person not in self.dobs])
        for i, part in enumerate(rec.people):
            dob = self.dobs.get(part.person) or store_dobs.get(part.person)
            if dob and dob > uk_date(occurred):
                problems.append(
                    (
                        f"people[{i}].person",
                        f"date of birth {dob} of {part.person} is after the event "
                        f"({uk_date(occurred)})",
                    )
                )
        return problems

    def _store_dobs(self, keys: list[str]) -> dict[str, date]:
        if not keys:
            return {}
        pairs = [(k.partition(":")[0], k.partition(":")[2]) for k in keys]
        rows = self.session.execute(
            select(Person.source, Person.source_id, Person.dob).where(
                keys_match(Person, pairs), Person.dob.is_not(None)
            )
        )
        return {f"{s}:{i}": d for s, i, d in rows if d is not None}

    # ---- writing -----------------------------------------------------------------------
    def _write_batch(self, batch: list[Parsed]) -> None:
        wanted = {(rtype, key) for p in batch for _, rtype, key in references(p.record)}
        ids = self._lookup(wanted) if wanted else {}
        batch = self._check_refs(batch, ids)
        by_type: dict[str, list[Parsed]] = {}
        for parsed in batch:
            by_type.setdefault(parsed.rtype, []).append(parsed)
        for rtype, items in by_type.items():
            self._upsert(rtype, items, ids)

    def _upsert(self, rtype: str, items: list[Parsed], ids: IdMap) -> None:
        model: Any = RECORD_MODELS[rtype]
        pairs = [(p.record.source, p.record.id) for p in items]
        existing = {
            (s, i): (pk, h, payload)
            for pk, s, i, h, payload in self.session.execute(
                select(
                    model.id, model.source, model.source_id, model.payload_hash, model.payload
                ).where(keys_match(model, pairs))
            )
        }
        new_rows, changed_rows, history = [], [], []
        for parsed in items:
            row = to_row(parsed.record, parsed.payload, parsed.digest, ids)
            found = existing.get((parsed.record.source, parsed.record.id))
            if found is None:
                new_rows.append(row)
                continue
            ids[(rtype, parsed.record.key)] = found[0]
            if found[1] == row["payload_hash"]:
                self.report.unchanged[rtype] += 1
            else:
                changed_rows.append(row | {"id": found[0]})
                history.append(
                    {
                        "record_type": rtype,
                        "source": parsed.record.source,
                        "source_id": parsed.record.id,
                        "payload": found[2],
                        "replaced_at": self.now,
                        "replaced_by_file": parsed.line.file,
                    }
                )
        written = [r["id"] for r in changed_rows]
        if new_rows:
            table = model.__table__
            if rtype == "event":
                result = self.session.execute(
                    insert(table).returning(table.c.id, table.c.source, table.c.source_id),
                    new_rows,
                )
                for pk, s, i in result:
                    ids[(rtype, f"{s}:{i}")] = pk
                    written.append(pk)
            else:
                self.session.execute(insert(table), new_rows)
            self.report.stored[rtype] += len(new_rows)
            self._keep_statistics(model.__table__.name, len(new_rows))
        if changed_rows:
            self.session.execute(insert(RecordHistory), history)
            self.session.execute(update(model), changed_rows)
            self.report.updated[rtype] += len(changed_rows)
        if rtype == "event":
            self._event_people(items, ids, changed=[r["id"] for r in changed_rows], written=written)

    def _keep_statistics(self, table: str, added: int) -> None:
        """PostgreSQL plans the key lookups from table statistics, which a bulk load inside one
        transaction leaves stale (an empty table looks cheap to scan). Re-analyse a table each
        time it has doubled, so the planner keeps using the key index: O(log n) analyses."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        written = self.written.get(table, 0) + added
        self.written[table] = written
        if written >= 2 * self.analysed.get(table, 1000):
            self.session.execute(text(f'ANALYZE "{table}"'))
            self.analysed[table] = written

    def _event_people(
        self, items: list[Parsed], ids: IdMap, *, changed: list[int], written: list[int]
    ) -> None:
        """The people in new or changed events; a changed event's list is replaced."""
        if changed:
            self.session.execute(delete(EventPerson).where(EventPerson.event_id.in_(changed)))
        todo = set(written)
        rows = []
        for parsed in items:
            assert isinstance(parsed.record, EventIn)
            event_id = ids[("event", parsed.record.key)]
            if event_id not in todo:
                continue
            for person, role in dict.fromkeys((p.person, p.role) for p in parsed.record.people):
                rows.append(
                    {"event_id": event_id, "person_id": ids[("person", person)], "role": role}
                )
        if rows:
            self.session.execute(insert(EventPerson), rows)


def import_files(
    *, session: Session, paths: list[Path], partial: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import exchange-format files; raises ImportRejectedError unless ``partial``."""
    return Importer(session=session, progress=progress).run(paths, partial=partial)
