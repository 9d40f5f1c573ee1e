"""Every command brings the schema up to date first; a store already at the last migration is
recognised without loading Alembic, and a store not yet made is migrated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, inspect

from safeguard.db import make_engine, newest_revision, schema_revision, upgrade


def test_store_made_by_the_migrations_is_at_the_newest_revision(engine: Engine) -> None:
    assert schema_revision(engine) == newest_revision()


def test_a_new_store_has_no_revision_until_upgraded(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert schema_revision(engine) is None
    upgrade(engine)
    assert schema_revision(engine) == newest_revision()
    assert "person" in inspect(engine).get_table_names()
    engine.dispose()


def test_store_at_the_newest_revision_is_not_migrated_again(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    code = (
        "import sys\n"
        "from safeguard.db import make_engine, upgrade\n"
        f"upgrade(make_engine({url!r}))\n"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
