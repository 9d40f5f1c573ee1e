"""Every shared example's and scenario's header expectations hold, through the real command line.

The shared examples come from ``shared/examples``; ``tests/scenarios`` holds our own, written from
the alert contract: positive cases and near misses on each side of its thresholds.

Headers: ``# as_of: WHEN``; ``# expect: CODE KEY`` (an alert CODE whose subjects include KEY);
``# expect_not: CODE KEY`` (none); ``# assess: KEY PATH VALUE`` (the assess field at the dotted
PATH equals VALUE). New example files are picked up automatically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from safeguard.cli import app
from tests.conftest import EXAMPLES

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.jsonl"))
SCENARIO_FILES = sorted(SCENARIOS.glob("*.jsonl"))
runner = CliRunner()


@dataclass
class Header:
    as_of: str | None = None
    expect: list[tuple[str, str]] = field(default_factory=list)
    expect_not: list[tuple[str, str]] = field(default_factory=list)
    assess: list[tuple[str, str, str]] = field(default_factory=list)


def read_header(path: Path) -> Header:
    header = Header()
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if not text.startswith("#"):
            continue
        name, _, rest = text.lstrip("#").strip().partition(":")
        parts = rest.split()
        if name == "as_of":
            header.as_of = rest.strip()
        elif name == "expect" and len(parts) == 2:
            header.expect.append((parts[0], parts[1]))
        elif name == "expect_not" and len(parts) == 2:
            header.expect_not.append((parts[0], parts[1]))
        elif name == "assess" and len(parts) >= 3:
            header.assess.append((parts[0], parts[1], " ".join(parts[2:])))
    return header


def dig(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(obj, list):
            obj = obj[int(part)]
        else:
            assert isinstance(obj, dict) and part in obj, f"no field {part!r} in {path!r}"
            obj = obj[part]
    return obj


def same(actual: Any, expected: str) -> bool:
    """Compare numbers as numbers, booleans and null by name, anything else as text."""
    lowered = expected.lower()
    if lowered == "null":
        return actual is None
    if lowered == "none":  # a level named none (cse.level), or no value
        return actual is None or actual == "none"
    if lowered in ("true", "false"):
        return actual is (lowered == "true")
    if isinstance(actual, int | float) and not isinstance(actual, bool):
        try:
            return float(actual) == float(expected)
        except ValueError:
            return False
    return str(actual) == expected.strip('"')


def run(db_url: str, *args: str) -> str:
    result = runner.invoke(app, ["--db", db_url, *args])
    assert result.exit_code == 0, f"{args}: {result.output}"
    return result.stdout


def test_there_are_examples() -> None:
    assert EXAMPLE_FILES, f"no examples found in {EXAMPLES}"
    assert SCENARIO_FILES, f"no scenarios found in {SCENARIOS}"
    assert all(read_header(p).as_of for p in EXAMPLE_FILES + SCENARIO_FILES)


def test_header_reader() -> None:
    assert same(4, "4") and same("medium", "medium") and not same(3, "4")
    assert same(None, "null") and same(True, "true") and not same("4", "medium")
    assert same("none", "none") and same(None, "none") and not same("none", "null")


@pytest.mark.parametrize("path", EXAMPLE_FILES + SCENARIO_FILES, ids=lambda p: p.name)
def test_example(db_url: str, path: Path) -> None:
    header = read_header(path)
    assert header.as_of
    run(db_url, "import", str(path))
    run(db_url, "link")
    alerts = json.loads(run(db_url, "alerts", "--as-of", header.as_of, "--json"))
    found = failures(db_url, header, alerts)
    clusters = json.loads(run(db_url, "clusters", "--json"))
    found += unnamed(alerts, clusters, names_in(path))
    assert not found, "\n".join(found)


def names_in(path: Path) -> dict[str, str]:
    """Each person key in the file, with the name the file gives it."""
    names: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("{"):
            rec = json.loads(line)
            if rec["record"] == "person":
                name = " ".join(n for n in (rec.get("given_name"), rec.get("family_name")) if n)
                names[f"{rec['source']}:{rec['id']}"] = name
    return names


def unnamed(
    alerts: list[dict[str, Any]], clusters: list[list[str]], names: dict[str, str]
) -> list[str]:
    """Alerts whose message leaves out a person they are about (any of that person's names)."""
    person_of = {key: tuple(keys) for keys in clusters for key in keys}
    found = []
    for a in alerts:
        for keys in {person_of.get(k, (k,)) for k in a["subjects"]}:
            spellings = {names[k] for k in keys if k in names}
            if spellings and not any(n in a["message"] for n in spellings):
                found.append(
                    f"{a['code']} message does not name {sorted(spellings)}: {a['message']}"
                )
    return found


def failures(db_url: str, header: Header, alerts: list[dict[str, Any]]) -> list[str]:
    """Every header line that does not hold, so one run shows all of a scenario's misses."""
    found: list[str] = []
    for code, key in header.expect:
        if not any(a["code"] == code and key in a["subjects"] for a in alerts):
            about = [a["subjects"] for a in alerts if a["code"] == code]
            found.append(f"expected {code} about {key}; {code} is about {about}")
    for code, key in header.expect_not:
        wrong = [a for a in alerts if a["code"] == code and key in a["subjects"]]
        if wrong:
            found.append(f"unexpected {code} about {key}: {wrong}")
    pictures: dict[str, Any] = {}
    for key, dotted, value in header.assess:
        if key not in pictures:
            out = run(db_url, "assess", key, "--as-of", header.as_of or "", "--json")
            pictures[key] = json.loads(out)
        actual = dig(pictures[key], dotted)
        if not same(actual, value):
            found.append(f"assess {key} {dotted}: {actual!r} != {value!r}")
    return found
