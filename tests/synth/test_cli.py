"""`safeguard synth` and `safeguard demo` from the command line."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from safeguard.access.models import User
from safeguard.access.roles import Role
from safeguard.cli import app
from safeguard.db import make_engine, unit_of_work
from safeguard.pole.models import Event, Person
from safeguard.synth.sink import SOURCES, TRUTH_FILE

runner = CliRunner()


def test_synth_writes_one_file_per_source_and_the_truth(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--people", "500", "--seed", "2", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for source in SOURCES:
        assert (tmp_path / f"{source}.jsonl").stat().st_size > 0, source
    assert (tmp_path / TRUTH_FILE).stat().st_size > 0


def test_demo_builds_and_summarises_a_database(db_url: str) -> None:
    result = runner.invoke(app, ["demo", "--people", "400", "--db", db_url, "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "rejected lines" in result.output
    assert "127.0.0.1:8000" not in result.output  # --no-serve
    assert "demo.control_room" in result.output
    engine = make_engine(db_url)
    with unit_of_work(engine) as session:
        names = set(session.scalars(select(User.username)))
        assert {f"demo.{role.value}" for role in Role} <= names
        assert (session.scalar(select(func.count()).select_from(Person)) or 0) > 400
        assert (session.scalar(select(func.count()).select_from(Event)) or 0) > 50
    engine.dispose()


def _people(url: str) -> int:
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        count = session.scalar(select(func.count()).select_from(Person)) or 0
    engine.dispose()
    return count


def test_demo_refuses_a_server_store_that_holds_people(db_url: str) -> None:
    first = runner.invoke(app, ["demo", "--people", "300", "--db", db_url, "--no-serve"])
    assert first.exit_code == 0, first.output
    people = _people(db_url)
    again = runner.invoke(app, ["demo", "--people", "300", "--db", db_url, "--no-serve"])
    if db_url.startswith("sqlite"):
        assert again.exit_code == 0, again.output  # a SQLite demo file starts afresh
        assert _people(db_url) == people
    else:
        assert again.exit_code == 1
        assert "already holds" in " ".join(again.output.split())
