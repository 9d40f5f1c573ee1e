"""The import and export commands, end to end through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from safeguard.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()


def test_import_then_export_then_import(db_url: str, tmp_path: Path) -> None:
    example = EXAMPLES / "missing_from_care.jsonl"
    result = runner.invoke(app, ["--db", db_url, "import", str(example)])
    assert result.exit_code == 0, result.output
    assert (
        "stored 7 action, 4 event, 1 flag, 1 location, 6 officer, 1 person, 1 residence"
        in result.output
    )
    again = runner.invoke(app, ["--db", db_url, "import", str(example)])
    assert "unchanged 21" in again.output
    out = tmp_path / "export.jsonl"
    exported = runner.invoke(app, ["--db", db_url, "export", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(lines) == 21 and lines[0]["record"] == "officer"
    reimport = runner.invoke(app, ["--db", db_url, "import", str(out)])
    assert "stored nothing new; updated 0; unchanged 21" in reimport.output


def test_rejection_exits_non_zero_and_stores_nothing(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"record": "person", "source": "s", "id": "1", "given_name": "A"}\nnot json\n')
    result = runner.invoke(app, ["--db", db_url, "import", str(bad)])
    assert result.exit_code == 1
    assert "bad.jsonl:2: not valid JSON" in result.output
    assert "nothing stored" in result.output
    partial = runner.invoke(app, ["--db", db_url, "import", "--partial", str(bad)])
    assert partial.exit_code == 1
    assert "stored 1 person" in partial.output
    rejected = tmp_path / "bad.jsonl.rejected.jsonl"
    assert json.loads(rejected.read_text())["line"] == 2


def test_import_is_logged_as_collection_and_export_as_disclosure(
    db_url: str, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from safeguard.access.models import LogEntry
    from safeguard.db import make_engine, unit_of_work

    example = EXAMPLES / "siblings_views_recorded.jsonl"
    assert runner.invoke(app, ["--db", db_url, "import", str(example)]).exit_code == 0
    out = tmp_path / "export.jsonl"
    args = ["--db", db_url, "export", "--out", str(out), "--recipient", "CSC analyst"]
    assert runner.invoke(app, args).exit_code == 0
    engine = make_engine(db_url)
    with unit_of_work(engine) as session:
        entries = session.scalars(select(LogEntry).order_by(LogEntry.seq)).all()
        assert [e.operation for e in entries] == ["collect", "disclose"]
        assert entries[0].detail["stored"]["person"] == 4
        assert entries[1].recipients == ["CSC analyst"]
    engine.dispose()
