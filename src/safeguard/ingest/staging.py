"""Temporary tables holding one import's valid lines until they are merged into the store.

One staging table per record type present in the input (its table's columns, with each
reference as the key it names instead of a primary key), plus the people of events and the
references made inside ``details``. Rows are identified by ``seq``: the file's number times
``SEQ_FILE`` plus the line number. Rows are appended with the driver's ``executemany`` (COPY
on PostgreSQL) and the bind processors of the store's column types, so that a staged value
is exactly what the store would hold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
)

from safeguard.ingest.rows import FOREIGN_KEYS
from safeguard.pole.models import RECORD_MODELS

SEQ_FILE = 1 << 32
FLUSH_ROWS = 5000
EVENT_PEOPLE = "event_person"
DETAIL_REFS = "detail_ref"

Row = tuple[Any, ...] | list[Any]


def seq_of(file_no: int, line: int) -> int:
    return file_no * SEQ_FILE + line


def file_and_line(seq: int) -> tuple[int, int]:
    return divmod(seq, SEQ_FILE)


def _seq_column() -> Column[int]:
    # an INTEGER PRIMARY KEY is SQLite's row id: no separate index
    return Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True)


def data_columns(rtype: str) -> list[Column[Any]]:
    """The columns of the record type's table that a line gives directly."""
    table: Any = RECORD_MODELS[rtype].__table__  # type: ignore[attr-defined]
    fks = {col for _, col, _ in FOREIGN_KEYS[rtype]}
    return [
        c
        for c in table.columns
        if c.name != "id" and c.name not in fks and not c.info.get("derived")
    ]


def staged_data_columns(rtype: str) -> list[Column[Any]]:
    """``data_columns`` with payload and payload_hash first: the order of a staged row."""
    columns = data_columns(rtype)
    first = [c for c in columns if c.name in ("payload", "payload_hash")]
    return first + [c for c in columns if c not in first]


def _record_table(rtype: str, metadata: MetaData) -> Table:
    refs: list[Column[Any]] = []
    for _, col, _ in FOREIGN_KEYS[rtype]:
        refs += [Column(f"{col}_src", Text), Column(f"{col}_sid", Text)]
    name = f"import_{RECORD_MODELS[rtype].__tablename__}"  # type: ignore[attr-defined]
    return Table(
        name,
        metadata,
        _seq_column(),
        *(Column(c.name, c.type) for c in staged_data_columns(rtype)),
        *refs,
        Column("target_id", Integer),
        Column("old_hash", String(64)),
        Index(f"ix_{name}_key", "source", "source_id"),
        prefixes=["TEMPORARY"],
    )


def _side_table(name: str, metadata: MetaData) -> Table:
    if name == EVENT_PEOPLE:
        columns: list[Column[Any]] = [
            Column("idx", Integer),
            Column("person_src", Text),
            Column("person_sid", Text),
            Column("role", String(32)),
            Column("day", Date),
            Column("repeated", Boolean),
        ]
    else:
        columns = [
            Column("level", Integer),
            Column("field", Text),
            Column("rtype", Text),
            Column("src", Text),
            Column("sid", Text),
        ]
    return Table(
        f"import_{name}",
        metadata,
        Column("seq", BigInteger),
        *columns,
        Index(f"ix_import_{name}_seq", "seq"),
        prefixes=["TEMPORARY"],
    )


def _empty_cached(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A JSON column's bind processor that serialises an empty list or object only once."""
    empty: dict[type, Any] = {list: process([]), dict: process({})}

    def cached(value: Any) -> Any:
        return empty[type(value)] if not value and type(value) in empty else process(value)

    return cached


class Staging:
    """The staging tables of one import, made on first use, dropped by ``drop``."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect
        self.metadata = MetaData()
        self.tables: dict[str, Table] = {}
        self._buffers: dict[str, list[Row]] = {}
        self._writers: dict[str, Callable[[list[Row]], None]] = {}

    def processor(self, column: Column[Any]) -> Callable[[Any], Any] | None:
        """The driver value of a store column's Python value, as SQLAlchemy would bind it."""
        process = column.type._cached_bind_processor(self.dialect)
        if process is not None and isinstance(column.type, JSON):
            return _empty_cached(process)
        return process

    def has(self, name: str) -> bool:
        return name in self.tables

    def name(self, name: str) -> str:
        return self.tables[name].name

    def add(self, name: str, row: Row) -> None:
        """Stage a row: a record table's row is given as the driver takes it (``processor``),
        a side table's as Python values."""
        buffer = self._buffers.get(name)
        if buffer is None:
            buffer = self._buffers[name] = []
            self._create(name)
        buffer.append(row)
        if len(buffer) >= FLUSH_ROWS:
            self._writers[name](buffer)
            buffer.clear()

    def finish(self) -> None:
        """Write what is buffered, index, and give PostgreSQL the tables' statistics."""
        for name, buffer in self._buffers.items():
            if buffer:
                self._writers[name](buffer)
                buffer.clear()
        for table in self.tables.values():
            for index in table.indexes:
                index.create(self.connection)
            if self.dialect.name == "postgresql":
                self.connection.exec_driver_sql(f"ANALYZE {table.name}")

    def drop(self) -> None:
        for table in self.tables.values():
            table.drop(self.connection)
        self.tables.clear()

    def _create(self, name: str) -> None:
        if name in (EVENT_PEOPLE, DETAIL_REFS):
            table = _side_table(name, self.metadata)
        else:
            table = _record_table(name, self.metadata)
        self.connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name}")
        # indexes are made once the rows are in (``finish``): cheaper than keeping them up
        indexes = set(table.indexes)
        table.indexes.clear()
        table.create(self.connection)
        table.indexes.update(indexes)
        self.tables[name] = table
        self._writers[name] = self._writer(table)

    def _writer(self, table: Table) -> Callable[[list[Row]], None]:
        columns = [c for c in table.columns if c.name not in ("target_id", "old_hash")]
        processors = []
        if table.name in (f"import_{EVENT_PEOPLE}", f"import_{DETAIL_REFS}"):
            processors = [
                (i, proc) for i, c in enumerate(columns) if (proc := self.processor(c)) is not None
            ]
        names = ", ".join(c.name for c in columns)
        raw: Any = self.connection.connection.driver_connection

        def bound(rows: list[Row]) -> list[Row] | list[list[Any]]:
            if not processors:
                return rows
            out = []
            for row in rows:
                values = list(row)
                for i, proc in processors:
                    values[i] = proc(values[i])
                out.append(values)
            return out

        if self.dialect.name == "postgresql":

            def copy(rows: list[Row]) -> None:
                with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as cp:
                    for values in bound(rows):
                        cp.write_row(values)

            return copy

        sql = str(
            insert(table).compile(dialect=self.dialect, column_keys=[c.name for c in columns])
        )

        def execute_many(rows: list[Row]) -> None:
            cur = raw.cursor()
            cur.executemany(sql, bound(rows))
            cur.close()

        return execute_many
