"""Import, export, import is the identity (property test over generated records)."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from safeguard.ingest.export import write_export
from safeguard.ingest.importer import import_files

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=12
)
dates = st.dates(
    min_value=__import__("datetime").date(1930, 1, 1),
    max_value=__import__("datetime").date(2000, 12, 31),
).map(str)
times = st.datetimes(
    min_value=__import__("datetime").datetime(2001, 1, 1),
    max_value=__import__("datetime").datetime(2020, 1, 1),
).map(lambda t: t.replace(microsecond=0).isoformat())


@st.composite
def stores(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 6))
    people = [
        {
            "record": "person",
            "source": draw(st.sampled_from(["storm", "ppu"])),
            "id": f"P{i}",
            "given_name": draw(names),
            "family_name": draw(names),
            "dob": draw(dates),
            "sex": draw(st.sampled_from(["F", "M", "X", "U"])),
            "identifiers": draw(
                st.dictionaries(st.sampled_from(["pnc", "nhs"]), names, max_size=2)
            ),
        }
        for i in range(n)
    ]
    loc = {
        "record": "location",
        "source": "storm",
        "id": "L1",
        "address": draw(names),
        "kind": "home",
    }
    records: list[dict[str, Any]] = [*people, loc]
    for i, p in enumerate(people):
        records.append(
            {
                "record": "residence",
                "source": "storm",
                "id": f"R{i}",
                "person": f"{p['source']}:{p['id']}",
                "location": "storm:L1",
            }
        )
    events = []
    for i in range(draw(st.integers(0, 4))):
        who = draw(st.lists(st.sampled_from(people), min_size=1, max_size=3, unique_by=id))
        events.append(
            {
                "record": "event",
                "source": "storm",
                "id": f"E{i}",
                "kind": draw(st.sampled_from(["domestic_abuse", "missing_episode", "other"])),
                "occurred_at": draw(times),
                "location": "storm:L1",
                "people": [{"person": f"{p['source']}:{p['id']}", "role": "subject"} for p in who],
                "details": {"dash_yes": draw(st.integers(0, 27)), "note": draw(names)},
            }
        )
    records += events
    for i, ev in enumerate(events):
        records.append(
            {
                "record": "action",
                "source": "ppu",
                "id": f"A{i}",
                "kind": "outcome",
                "at": draw(times),
                "event": f"storm:{ev['id']}",
                "text": draw(names),
            }
        )
    order = draw(st.permutations(list(range(len(records)))))
    return [records[i] for i in order]


def _export(session: Session) -> list[str]:
    out = io.StringIO()
    write_export(session=session, out=out)
    return out.getvalue().splitlines()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=stores())
def test_import_export_import_is_identity(
    engine: Engine, tmp_path_factory: Any, records: list[dict[str, Any]]
) -> None:
    tmp = tmp_path_factory.mktemp("rt")
    src = tmp / "in.jsonl"
    src.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    with engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        import_files(session=session, paths=[src])
        first = _export(session)
        assert sorted(json.dumps(json.loads(x), sort_keys=True) for x in first) == sorted(
            json.dumps(r, sort_keys=True) for r in records
        )
        again = tmp / "again.jsonl"
        again.write_text("\n".join(first) + "\n", encoding="utf-8")
        report = import_files(session=session, paths=[again])
        assert sum(report.stored.values()) == 0 and sum(report.updated.values()) == 0
        assert _export(session) == first
        session.close()
        outer.rollback()
