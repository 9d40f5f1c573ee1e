"""`safeguard link`, `link review/confirm/split` and `clusters --json` on both databases."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from safeguard.cli import app
from tests.factories import person, write_jsonl

runner = CliRunner()


def run(db_url: str, *args: str) -> str:
    result = runner.invoke(app, ["--db", db_url, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_link_and_clusters_json(db_url: str, tmp_path: Path) -> None:
    records = [
        person("Gemma", "Smith", "2003-04-05", sex="F", source="storm", id="P1"),
        person("Gemma", "Smyth", "2003-04-05", source="ppu", id="A9"),
        person("Noah", "Hall", "2011-11-11", sex="M", source="storm", id="P2"),
        person("Jo", "Ward", "1999-01-01", sex="F", source="storm", id="P3"),
        person("Jo", "Ward", "1999-01-01", sex="M", source="lcs", id="W1"),
    ]
    run(db_url, "import", str(write_jsonl(tmp_path / "people.jsonl", records)))
    run(db_url, "link")
    clusters = json.loads(run(db_url, "clusters", "--json"))
    assert clusters == [["lcs:W1"], ["ppu:A9", "storm:P1"], ["storm:P2"], ["storm:P3"]]

    review = json.loads(run(db_url, "link", "review", "--json"))
    assert [(r["a"], r["b"], r["reason"]) for r in review] == [
        ("storm:P3", "lcs:W1", "known sexes differ")
    ]
    run(db_url, "link", "split", "storm:P1", "ppu:A9", "--by", "DS Birkett", "--reason", "twins")
    run(db_url, "link", "confirm", "storm:P3", "lcs:W1", "--by", "PC Dale", "--reason", "miskeyed")
    run(db_url, "link")
    clusters = json.loads(run(db_url, "clusters", "--json"))
    assert clusters == [["lcs:W1", "storm:P3"], ["ppu:A9"], ["storm:P1"], ["storm:P2"]]
    assert json.loads(run(db_url, "link", "review", "--json")) == []
    explained = json.loads(run(db_url, "link", "explain", "storm:P3", "--json"))
    assert explained["cluster"] == ["lcs:W1", "storm:P3"]
    assert [d["decision"] for d in explained["decisions"]] == ["same"]
    text = run(db_url, "link", "explain", "storm:P1")
    assert "storm:P1: one person with 1 keys" in text and "refused" in text
