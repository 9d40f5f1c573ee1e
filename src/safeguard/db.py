"""Engine, sessions and the one-transaction-per-command unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """A zone-aware time stored as UTC; SQLite keeps no zone, so it is restored on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a zone-aware column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """An engine for the URL; SQLite gets WAL and foreign keys on every connection.

    ``pool_size``: connections kept open (as many again may be opened at busy times); a
    server sizes it to the requests it runs at once, so none waits for a connection."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    pool: dict[str, Any] = {}
    if pool_size is not None and not url.startswith("sqlite:///:memory:") and url != "sqlite://":
        pool = {"pool_size": pool_size, "max_overflow": pool_size, "pool_pre_ping": False}
    engine = create_engine(url, future=True, **pool)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error, always close."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def for_dialect(dialect: str) -> Callable[..., bool]:
    """An Alembic ``include_object`` filter: leaves out the model's indexes made only on
    another database (``Index(...).ddl_if(dialect=...)``), which Alembic would otherwise
    compare everywhere."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
        if type_ == "index" and name in _expression_indexes():
            return False  # Alembic cannot match an index on an expression to the database's
        only = getattr(obj, "_ddl_if", None) if type_ == "index" and not reflected else None
        return only is None or only.dialect in (None, dialect)

    return include


def _expression_indexes() -> set[str]:
    """The names of the model's indexes on an expression (SQL text) rather than columns."""
    return {
        str(index.name)
        for table in Base.metadata.tables.values()
        for index in table.indexes
        if any(not isinstance(e, Column) for e in index.expressions)
    }


def migrations_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "migrations"


def newest_revision() -> str:
    """The last migration's revision: revisions are numbered and each file's name starts with
    its number (tests/test_migrations.py checks both)."""
    return max(
        p.name[:4] for p in (migrations_dir() / "versions").glob("[0-9][0-9][0-9][0-9]_*.py")
    )


def schema_revision(engine: Engine) -> str | None:
    """The revision the store's schema is at; None for a store not made yet."""
    try:
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            return version.scalar()
    except DBAPIError:
        return None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with Alembic: the only way the schema changes.

    A store already at the last migration is left without loading Alembic, which would take
    longer than a small import."""
    if revision == "head" and schema_revision(engine) == newest_revision():
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
