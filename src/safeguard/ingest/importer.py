"""Streaming import of exchange-format files (spec/exchange-format.md, "Bad input").

One pass over the input parses and validates each line once and appends the valid ones to
staging tables (``staging.py``); memory stays flat whatever the file size. The store then takes
them by level (people, places, objects and officers; then links, flags and events; then
actions), so that a reference always points at something already stored whatever order the
file is in; keys are resolved by joins (``merge.py``). All-or-nothing unless ``partial``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_
from sqlalchemy.orm import Session

from safeguard.ingest.errors import ImportRejectedError, ImportReport, LineError
from safeguard.ingest.merge import Merge
from safeguard.ingest.parse import (
    Parsed,
    Progress,
    Rejection,
    as_text,
    line_texts,
    parse_line,
    record_lines,
)
from safeguard.ingest.rows import RowMaker, event_people
from safeguard.ingest.schemas import LEVEL, RECORD_SCHEMAS, EventIn, detail_references
from safeguard.ingest.staging import (
    DETAIL_REFS,
    EVENT_PEOPLE,
    Staging,
    file_and_line,
    seq_of,
    staged_data_columns,
)
from safeguard.timeutil import now_utc


def keys_match(model: Any, pairs: list[tuple[str, str]]) -> ColumnElement[bool]:
    """``(source, source_id) in pairs``, grouped by source so that the unique index is used."""
    by_source: dict[str, list[str]] = {}
    for source, ident in pairs:
        by_source.setdefault(source, []).append(ident)
    return or_(
        *(and_(model.source == src, model.source_id.in_(ids)) for src, ids in by_source.items())
    )


# SQLite's page caches during an import, in KiB (2 MiB by default): the merge reads the
# staging tables and the store's indexes over and over. Bounded, so memory stays flat.
SQLITE_CACHE_KIB = 65536


@contextmanager
def sqlite_cache(connection: Connection) -> Iterator[None]:
    """Larger page caches of the store and the temporary tables for the block, then the
    connection's own again (it goes back to the pool)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    schemas = ("main", "temp")
    before = [connection.exec_driver_sql(f"PRAGMA {s}.cache_size").scalar_one() for s in schemas]
    for schema in schemas:
        connection.exec_driver_sql(f"PRAGMA {schema}.cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        for schema, size in zip(schemas, before, strict=True):
            connection.exec_driver_sql(f"PRAGMA {schema}.cache_size = {int(size)}")


class Importer:
    """One import of one or more files into the session's transaction."""

    def __init__(self, *, session: Session, progress: Progress | None = None) -> None:
        self.session = session
        self.progress = progress
        self.report = ImportReport()
        # (type, key) -> line of each rejected line that names a key, for the lines naming it
        self.rejected: dict[tuple[str, str], int] = {}
        self.files: list[str] = []
        self.makers: dict[str, RowMaker] = {}

    def run(self, paths: list[Path], *, partial: bool) -> ImportReport:
        """All-or-nothing within a savepoint, so the caller's transaction is left as it was."""
        self.files = [str(p) for p in paths]
        savepoint = self.session.begin_nested()
        connection = self.session.connection()
        with sqlite_cache(connection):
            self._run(connection, paths)
        if self.report.errors and not partial:
            savepoint.rollback()
            raise ImportRejectedError(self.report)
        savepoint.commit()
        return self.report

    def _run(self, connection: Connection, paths: list[Path]) -> None:
        staging = Staging(connection)
        self.makers = {
            rtype: RowMaker(
                rtype, staged_data_columns(rtype), staging.processor, staging.dialect.name
            )
            for rtype in RECORD_SCHEMAS
        }
        for file_no, path in enumerate(paths):
            self._stage_file(staging, file_no, path)
        staging.finish()
        merge = Merge(
            connection=connection,
            staging=staging,
            files=self.files,
            rejected=self.rejected,
            report=self._merge_error,
            now=now_utc(),
        )
        self._merge(staging, merge)
        staging.drop()
        self._complete_errors()

    # ---- reading -----------------------------------------------------------------------
    def _stage_file(self, staging: Staging, file_no: int, path: Path) -> None:
        for number, raw in record_lines(path, self.progress):
            result = parse_line(raw)
            if isinstance(result, Rejection):
                text = as_text(raw)
                for fld, reason in result.problems:
                    self.report.errors.append(LineError(str(path), number, fld, reason, text))
                if result.key:
                    self.rejected.setdefault(result.key, number)
            else:
                self._stage(staging, seq_of(file_no, number), result)

    def _stage(self, staging: Staging, seq: int, parsed: Parsed) -> None:
        rtype, rec, payload, payload_hash = parsed
        staging.add(rtype, self.makers[rtype](seq, rec, payload, payload_hash))
        if rtype not in ("event", "action"):
            return
        if isinstance(rec, EventIn):
            for person in event_people(rec):
                staging.add(EVENT_PEOPLE, (seq, *person))
        for fld, target, key in detail_references(rec):
            source, _, ident = key.partition(":")
            staging.add(DETAIL_REFS, (seq, LEVEL[rtype], fld, target, source, ident))

    # ---- writing -----------------------------------------------------------------------
    def _merge(self, staging: Staging, merge: Merge) -> None:
        staged = [rtype for rtype in RECORD_SCHEMAS if staging.has(rtype)]
        for rtype in staged:
            merge.drop_repeats(rtype)
        for level in (0, 1, 2):
            rtypes = [rtype for rtype in staged if LEVEL[rtype] == level]
            if rtypes and level:
                merge.reject_bad_references(level, rtypes)
            for rtype in rtypes:
                added, changed, unchanged = merge.write(rtype)
                for counter, n in (
                    (self.report.stored, added),
                    (self.report.updated, changed),
                    (self.report.unchanged, unchanged),
                ):
                    if n:
                        counter[rtype] += n

    # ---- errors ------------------------------------------------------------------------
    def _merge_error(self, seq: int, fld: str, reason: str) -> None:
        file_no, line = file_and_line(seq)
        self.report.errors.append(LineError(self.files[file_no], line, fld, reason, ""))

    def _complete_errors(self) -> None:
        """Errors in file and line order, each with the text of its line."""
        order = {name: i for i, name in enumerate(self.files)}
        errors = sorted(self.report.errors, key=lambda e: (order[e.file], e.line))
        missing: dict[str, set[int]] = {}
        for err in errors:
            if not err.text:
                missing.setdefault(err.file, set()).add(err.line)
        texts = {name: line_texts(Path(name), lines) for name, lines in missing.items()}
        self.report.errors = [
            replace(e, text=texts[e.file][e.line]) if e.file in texts and not e.text else e
            for e in errors
        ]


def import_files(
    *, session: Session, paths: list[Path], partial: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Import exchange-format files; raises ImportRejectedError unless ``partial``."""
    return Importer(session=session, progress=progress).run(paths, partial=partial)
