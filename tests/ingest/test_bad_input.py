"""Each kind of malformed line is rejected with its line number, field and reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from safeguard.ingest.errors import ImportRejectedError, LineError
from safeguard.ingest.importer import import_files
from safeguard.pole.models import Person

GOOD_PERSON = {
    "record": "person",
    "source": "storm",
    "id": "P1",
    "given_name": "Ella",
    "family_name": "Stone",
    "dob": "2008-05-05",
}


def _write(tmp_path: Path, lines: list[str | dict[str, object]]) -> Path:
    path = tmp_path / "input.jsonl"
    path.write_text("".join((ln if isinstance(ln, str) else json.dumps(ln)) + "\n" for ln in lines))
    return path


def _rejected(
    session: Session, tmp_path: Path, lines: list[str | dict[str, object]]
) -> list[LineError]:
    path = _write(tmp_path, lines)
    with pytest.raises(ImportRejectedError) as info:
        import_files(session=session, paths=[path])
    return info.value.report.errors


def _only(errors: list[LineError]) -> tuple[int, str, str]:
    assert len(errors) == 1, errors
    return errors[0].line, errors[0].field, errors[0].reason


def test_not_json(session: Session, tmp_path: Path) -> None:
    errors = _rejected(session, tmp_path, [GOOD_PERSON, '{"record": "person", '])
    line, field, reason = _only(errors)
    assert (line, field) == (2, "")
    assert reason.startswith("not valid JSON")


def test_unknown_record(session: Session, tmp_path: Path) -> None:
    errors = _rejected(session, tmp_path, [{"record": "vehicle", "source": "s", "id": "1"}])
    assert _only(errors) == (1, "record", "unknown record type 'vehicle'")


def test_missing_required_field(session: Session, tmp_path: Path) -> None:
    errors = _rejected(
        session, tmp_path, ["# header", {"record": "location", "source": "s", "id": "L1"}]
    )
    assert _only(errors) == (2, "address", "required field is missing")


def test_wrong_type(session: Session, tmp_path: Path) -> None:
    bad = {
        "record": "officer",
        "source": "hr",
        "id": "O1",
        "name": "PC A",
        "team": "T",
        "probationary": "yes",
    }
    line, field, reason = _only(_rejected(session, tmp_path, [bad]))
    assert (line, field) == (1, "probationary")
    assert "boolean" in reason


def test_impossible_date(session: Session, tmp_path: Path) -> None:
    errors = _rejected(session, tmp_path, [GOOD_PERSON | {"id": "P2", "dob": "2010-02-30"}])
    assert _only(errors) == (1, "dob", "'2010-02-30' is not a real date (YYYY-MM-DD)")


def test_dangling_reference(session: Session, tmp_path: Path) -> None:
    rel = {
        "record": "residence",
        "source": "storm",
        "id": "R1",
        "person": "storm:P1",
        "location": "storm:NOPE",
    }
    errors = _rejected(session, tmp_path, [GOOD_PERSON, rel])
    assert _only(errors) == (
        2,
        "location",
        "refers to location storm:NOPE, which is neither in the file nor stored",
    )


def test_duplicate_key_with_conflicting_content(session: Session, tmp_path: Path) -> None:
    errors = _rejected(
        session, tmp_path, [GOOD_PERSON, GOOD_PERSON, GOOD_PERSON | {"dob": "2008-05-06"}]
    )
    assert _only(errors) == (
        3,
        "id",
        "duplicate key storm:P1 with different content (first given at line 1)",
    )


def test_child_born_after_the_event(session: Session, tmp_path: Path) -> None:
    event = {
        "record": "event",
        "source": "storm",
        "id": "E1",
        "kind": "child_concern",
        "occurred_at": "2007-01-01T10:00",
        "people": [{"person": "storm:P1", "role": "subject"}],
    }
    errors = _rejected(session, tmp_path, [event, GOOD_PERSON])
    assert _only(errors) == (
        1,
        "people[0].person",
        "date of birth 2008-05-05 of storm:P1 is after the event (2007-01-01)",
    )


def test_every_bad_line_reported_and_nothing_stored(session: Session, tmp_path: Path) -> None:
    errors = _rejected(
        session,
        tmp_path,
        [
            GOOD_PERSON,
            "nonsense",
            {"record": "person", "source": "storm", "id": "P9"},
            GOOD_PERSON | {"id": "P3", "sex": "Q"},
        ],
    )
    assert sorted({e.line for e in errors}) == [2, 3, 4]
    assert session.scalar(select(func.count()).select_from(Person)) == 0


def test_partial_keeps_good_lines_and_cascades(session: Session, tmp_path: Path) -> None:
    bad_person = GOOD_PERSON | {"id": "P2", "dob": "not a date"}
    flag = {
        "record": "flag",
        "source": "lcs",
        "id": "F1",
        "person": "storm:P2",
        "kind": "cse_risk",
        "since": "2016-01-01",
    }
    path = _write(tmp_path, [GOOD_PERSON, bad_person, flag])
    report = import_files(session=session, paths=[path], partial=True)
    assert report.stored["person"] == 1
    assert {(e.line, e.field) for e in report.errors} == {(2, "dob"), (3, "person")}
    assert "rejected (line 2)" in next(e for e in report.errors if e.line == 3).reason
    written = report.write_rejected()
    assert written == [tmp_path / "input.jsonl.rejected.jsonl"]
    rejected = [json.loads(ln) for ln in written[0].read_text().splitlines()]
    assert [r["line"] for r in rejected] == [2, 3]
    assert json.loads(rejected[1]["text"])["id"] == "F1"
