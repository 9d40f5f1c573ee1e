"""The processing log: append, the hash chain, and detection of any tampering."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from safeguard.access.models import LogEntry, LogRecordKey
from safeguard.access.processing_log import Actor, Operation, append, verify, who_viewed
from safeguard.errors import InvalidInputError

ALICE = Actor("alice", "control_room")
BOB = Actor("bob", "ppu_investigator")


def _fill(session: Session, n: int = 5) -> list[LogEntry]:
    entries = []
    for i in range(n):
        entries.append(
            append(
                session=session,
                operation=Operation.CONSULT,
                actor=ALICE if i % 2 else BOB,
                records=[f"storm:P{i}", "ppu:C1"],
                purpose="person view",
                justification="duty",
                detail={"path": f"/people/storm:P{i}"},
            )
        )
    return entries


def test_an_untouched_chain_verifies(session: Session) -> None:
    _fill(session)
    count, problems = verify(session=session)
    assert count == 5
    assert problems == []


def test_entries_chain_each_to_the_one_before(session: Session) -> None:
    entries = _fill(session, 3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash


EDITS = {
    "actor": "mallory",
    "justification": "changed",
    "records": ["storm:P99"],
    "operation": "erase",
    "break_glass": True,
    "purpose": "other",
}


@pytest.mark.parametrize("column", sorted(EDITS))
def test_editing_any_field_of_any_entry_is_detected(session: Session, column: str) -> None:
    _fill(session)
    for seq in range(1, 6):
        session.execute(update(LogEntry).where(LogEntry.seq == seq).values({column: EDITS[column]}))
        session.expire_all()
        _, problems = verify(session=session)
        assert any(p.seq == seq for p in problems), (column, seq)
        _reset(session)


def _reset(session: Session) -> None:
    session.execute(delete(LogRecordKey))
    session.execute(delete(LogEntry))
    from safeguard.access.models import LogHead

    session.execute(update(LogHead).values(seq=0, hash="0" * 64))
    session.expire_all()
    _fill(session)


def test_removing_any_one_entry_is_detected(session: Session) -> None:
    _fill(session)
    for seq in range(1, 6):
        session.execute(delete(LogRecordKey).where(LogRecordKey.seq == seq))
        session.execute(delete(LogEntry).where(LogEntry.seq == seq))
        session.expire_all()
        count, problems = verify(session=session)
        assert count == 4
        assert problems, seq
        _reset(session)


def test_reordering_two_entries_is_detected(session: Session) -> None:
    _fill(session)
    first, second = session.get(LogEntry, 2), session.get(LogEntry, 3)
    assert first and second
    swap = {c: getattr(first, c) for c in ("actor", "actor_role", "records", "hash", "prev_hash")}
    for col in swap:
        setattr(first, col, getattr(second, col))
        setattr(second, col, swap[col])
    session.flush()
    _, problems = verify(session=session)
    assert {p.seq for p in problems} >= {2, 3}


def test_recomputing_one_hash_after_an_edit_still_breaks_the_next_link(session: Session) -> None:
    from safeguard.access.processing_log import entry_hash

    _fill(session)
    entry = session.get(LogEntry, 2)
    assert entry is not None
    entry.actor = "mallory"
    fields = {
        c: getattr(entry, c)
        for c in (
            "seq",
            "at",
            "operation",
            "actor",
            "actor_role",
            "records",
            "justification",
            "recipients",
            "purpose",
            "break_glass",
            "detail",
            "prev_hash",
        )
    }
    entry.hash = entry_hash(**fields)
    session.flush()
    _, problems = verify(session=session)
    assert [p.seq for p in problems] == [3]


def test_who_viewed_finds_entries_by_record_key(session: Session) -> None:
    _fill(session)
    found = who_viewed(session=session, keys=["storm:P3"])
    assert [(e.seq, e.actor) for e in found] == [(4, "alice")]
    assert len(who_viewed(session=session, keys=["ppu:C1"])) == 5


def test_disclosure_needs_recipients_and_break_glass_a_reason(session: Session) -> None:
    with pytest.raises(InvalidInputError):
        append(
            session=session,
            operation=Operation.DISCLOSE,
            actor=ALICE,
            records=["a:1"],
            purpose="export",
            justification="x",
        )
    with pytest.raises(InvalidInputError):
        append(
            session=session,
            operation=Operation.CONSULT,
            actor=ALICE,
            records=["a:1"],
            purpose="view",
            justification="  ",
            break_glass=True,
        )


def test_removing_a_row_of_the_record_index_is_detected(session: Session) -> None:
    _fill(session)
    session.execute(
        delete(LogRecordKey).where(LogRecordKey.seq == 3, LogRecordKey.record_key == "storm:P2")
    )
    assert who_viewed(session=session, keys=["storm:P2"]) == []  # hidden from the query...
    _, problems = verify(session=session)
    assert [p.seq for p in problems] == [3]  # ...but not from verify
