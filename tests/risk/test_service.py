"""Kept alerts: opened, refreshed, acknowledged, resolved, reopened; changed-only sweeps."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from safeguard.cli import app
from safeguard.risk import service
from safeguard.risk.models import AlertRecord
from safeguard.risk.policy import default_policy
from safeguard.timeutil import parse_as_of
from tests.factories import action, event, key, person, write_jsonl
from tests.risk.helpers import AS_OF, run

POLICY = default_policy()


def _sweep(
    session: Session, as_of: str = AS_OF, changed_only: bool = False
) -> service.SweepSummary:
    return service.sweep(
        session=session, as_of=parse_as_of(as_of), policy=POLICY, changed_only=changed_only
    )


def _row(session: Session, code: str) -> AlertRecord:
    row = session.scalars(select(AlertRecord).where(AlertRecord.code == code)).one()
    return row


def test_sweep_opens_acknowledge_then_resolve_with_history(session: Session) -> None:
    child = person("Callum", "Rowe", "2003-09-01")
    ep = event(
        "missing_episode",
        "2016-07-10T20:00",
        [(child, "missing_person")],
        details={"found_at": "2016-07-10T23:50"},
    )
    run(session, [child, ep])
    first = _sweep(session)
    assert first.opened >= 2
    row = _row(session, "RETURN_INTERVIEW_OVERDUE")
    assert row.status == "open" and row.subjects == [key(child)]
    service.acknowledge(
        session=session,
        alert_id=str(row.id),
        by="DS Birkett",
        reason="interview booked for tomorrow",
        at=parse_as_of(AS_OF),
    )
    again = _sweep(session)
    assert again.opened == 0 and _row(session, "RETURN_INTERVIEW_OVERDUE").status == "acknowledged"
    run(session, [action("return_interview", "2016-07-18T10:00", ep, who=child)])
    later = _sweep(session, "2016-07-18T12:00")
    row = _row(session, "RETURN_INTERVIEW_OVERDUE")
    # recorded after the limit: the open alert becomes a late one (kept as a breach)
    assert row.computed_status == "late" and later.resolved == 0
    changes = [h.change for h in service.history(session=session, alert_id=row.id)]
    assert changes[:2] == ["opened", "acknowledged"]


def test_resolved_when_condition_stops_and_reopened(session: Session) -> None:
    child = person("Noah", "Hall", "2011-11-11")
    mum = person("Gemma", "Hall", "1990-04-04")
    ev = event("domestic_abuse", "2016-06-30T22:30", [(mum, "victim"), (child, "child_present")])
    run(session, [child, mum, ev])
    _sweep(session)
    assert _row(session, "DA_CHILD_DEMEANOUR_MISSING").status == "open"
    run(session, [action("child_demeanour", "2016-07-18T10:00", ev, who=child)])
    summary = _sweep(session, "2016-07-18T11:00")
    row = _row(session, "DA_CHILD_DEMEANOUR_MISSING")
    assert summary.resolved == 1 and row.status == "resolved" and row.resolved_at is not None
    reopened = _sweep(session, "2016-07-18T09:30")  # as of before the demeanour was recorded
    assert reopened.opened == 1 and _row(session, "DA_CHILD_DEMEANOUR_MISSING").status == "open"


def test_changed_only_sweep_touches_only_changed_people(session: Session) -> None:
    a = person("Amy", "Rowe", "2005-01-01")
    mum = person("Gemma", "Hall", "1990-04-04")
    ev_a = event("domestic_abuse", "2016-06-30T22:30", [(mum, "victim"), (a, "child_present")])
    run(session, [a, mum, ev_a])
    _sweep(session)
    b = person("Ben", "Cole", "2006-01-01")
    dad = person("Jim", "Cole", "1980-01-01")
    ev_b = event("domestic_abuse", "2016-07-01T22:30", [(dad, "victim"), (b, "child_present")])
    fix_a = action("child_demeanour", "2016-07-01T10:00", ev_a, who=a)
    run(session, [b, dad, ev_b])
    summary = _sweep(session, changed_only=True)
    assert summary.people == 2 and summary.opened == 1 and summary.resolved == 0
    run(session, [fix_a])
    summary = _sweep(session, changed_only=True)
    assert summary.resolved == 1
    kept = {(r["code"], tuple(r["subjects"])) for r in service.kept(session=session)}
    assert kept == {("DA_CHILD_DEMEANOUR_MISSING", (key(b),))}


def test_cli_sweep_list_acknowledge_and_readable_output(db_url: str, tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    child = person("Callum", "Rowe", "2003-09-01")
    ep = event(
        "missing_episode",
        "2016-07-10T20:00",
        [(child, "missing_person")],
        details={"found_at": "2016-07-10T23:50"},
    )
    path = write_jsonl(tmp_path / "f.jsonl", [child, ep])
    runner = CliRunner()
    base = ["--db", db_url]
    assert runner.invoke(app, [*base, "import", str(path)]).exit_code == 0
    swept = runner.invoke(app, [*base, "alerts", "sweep", "--as-of", AS_OF])
    assert swept.exit_code == 0 and "newly opened" in swept.stdout
    kept = json.loads(runner.invoke(app, [*base, "alerts", "list", "--json"]).stdout)
    target = next(r for r in kept if r["code"] == "SAFE_AND_WELL_MISSING")
    ack = runner.invoke(
        app,
        [
            *base,
            "alerts",
            "acknowledge",
            target["fingerprint"],
            "--reason",
            "seen by PC Dale",
            "--by",
            "PS Hodgson",
        ],
    )
    assert ack.exit_code == 0
    kept = json.loads(runner.invoke(app, [*base, "alerts", "list", "--json"]).stdout)
    acked = next(r for r in kept if r["code"] == "SAFE_AND_WELL_MISSING")
    assert acked["status"] == "acknowledged" and acked["acknowledged_reason"] == "seen by PC Dale"
    missing = runner.invoke(app, [*base, "alerts", "acknowledge", "999999", "--reason", "x"])
    assert missing.exit_code == 2
    text = runner.invoke(app, [*base, "alerts", "--as-of", AS_OF])
    assert text.exit_code == 0 and "2 alerts" in text.stdout and "RETURN_INTERVI" in text.stdout
    picture = runner.invoke(app, [*base, "assess", key(child), "--as-of", AS_OF])
    assert picture.exit_code == 0 and "Callum Rowe" in picture.stdout
    policy = tmp_path / "force.toml"
    policy.write_text("[missing]\nsafe_and_well_hours = 200\n", encoding="utf-8")
    out = runner.invoke(app, [*base, "alerts", "--as-of", AS_OF, "--json", "--policy", str(policy)])
    assert "SAFE_AND_WELL_MISSING" not in {a["code"] for a in json.loads(out.stdout)}
    unknown = runner.invoke(app, [*base, "assess", "storm:NOPE", "--as-of", AS_OF, "--json"])
    assert unknown.exit_code == 2


def test_changed_clusters_mean_a_full_sweep(session: Session) -> None:
    from safeguard.pole.models import PersonCluster
    from safeguard.pole.people import person_by_key

    a = person("Callum", "Rowe", "2003-09-01", source="storm")
    b = person("Calum", "Rowe", "2003-09-01", source="lcs")
    run(session, [a, b])
    _sweep(session)
    assert _sweep(session, changed_only=True).people == 0
    ids = sorted(person_by_key(session=session, key=key(p)).id for p in (a, b))
    session.add_all(PersonCluster(person_id=i, cluster_id=ids[0]) for i in ids)
    session.flush()
    assert _sweep(session, changed_only=True).people is None
    assert _sweep(session, changed_only=True).people == 0
