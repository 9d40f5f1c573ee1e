"""Test fixtures: a real SQLite file and the real PostgreSQL server, schema built by migrations.

Each test runs inside a transaction that is rolled back (SQLAlchemy's "join a session into an
external transaction" recipe), so tests never see each other's rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from safeguard.db import make_engine, upgrade

# ../shared beside the checkout; SAFEGUARD_SHARED or /work/shared for a clone made elsewhere
_SHARED_PLACES = [
    Path(os.environ.get("SAFEGUARD_SHARED", "")),
    Path(__file__).resolve().parents[2] / "shared",
    Path("/work/shared"),
]
SHARED = next((p for p in _SHARED_PLACES if (p / "spec").is_dir()), _SHARED_PLACES[1])
EXAMPLES = SHARED / "examples"
PG_ADMIN = os.environ.get(
    "SAFEGUARD_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _worker() -> str:
    """Per checkout and per xdist worker, so that parallel runs never share a database."""
    checkout = "".join(c if c.isalnum() else "_" for c in Path(__file__).resolve().parents[1].name)
    return f"{checkout}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}".lower()


def _pg_url() -> str | None:
    """A fresh PostgreSQL database for this test worker, or None if the server is unreachable."""
    name = f"safeguard_test_{_worker()}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        if os.environ.get("CI") == "true":
            raise
        return None
    finally:
        admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path = tmp_path_factory.mktemp("db") / "safeguard.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    url = _pg_url()
    if url is None:
        pytest.skip("PostgreSQL is not reachable (CI=true makes this a failure)")
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The store on each database in turn."""
    name = "sqlite_engine" if request.param == "sqlite" else "pg_engine"
    result: Engine = request.getfixturevalue(name)
    return result


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back at the end of the test."""
    connection = engine.connect()
    outer = connection.begin()
    db_session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield db_session
    finally:
        db_session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def db_url(engine: Engine, tmp_path: Path) -> Iterator[str]:
    """A database URL for command-line tests: a fresh SQLite file, or the PostgreSQL test
    database emptied afterwards (commands commit, so they cannot share a rolled-back session)."""
    if engine.dialect.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}"
        return
    url = engine.url.render_as_string(hide_password=False)
    yield url
    with engine.begin() as conn:
        tables = [
            t
            for t in conn.execute(
                text("select tablename from pg_tables where schemaname='public'")
            ).scalars()
            if t != "alembic_version"
        ]
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
