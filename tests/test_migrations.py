"""The migrations build, from empty, exactly the schema the models describe, on both databases."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

import safeguard.models  # noqa: F401
from safeguard.db import Base, for_dialect, migrations_dir


def test_migrations_match_models(engine: Engine) -> None:
    """`engine` was built from an empty database by running every migration."""
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_object": for_dialect(conn.dialect.name)}
        context = MigrationContext.configure(conn, opts=opts)
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migrations_are_numbered_and_linear() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    script = ScriptDirectory.from_config(cfg)
    assert len(script.get_heads()) == 1, "migrations must form one line"
    revisions = list(script.walk_revisions())
    numbers = sorted(int(r.revision) for r in revisions)
    assert numbers == list(range(1, len(numbers) + 1))
    files = sorted(p.name for p in (migrations_dir() / "versions").glob("*.py"))
    assert [f[:4] for f in files] == [f"{n:04d}" for n in numbers]
    assert Path(migrations_dir() / "versions").is_dir()
