"""`safeguard users` and `safeguard audit` on the command line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from safeguard.access.models import LogEntry
from safeguard.cli import app
from safeguard.db import make_engine, unit_of_work

runner = CliRunner()


def _run(db_url: str, *args: str, input: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", db_url, *args], input=input)
    return result.exit_code, result.output


def test_users_add_list_disable(db_url: str) -> None:
    code, out = _run(
        db_url,
        "users",
        "add",
        "ds.birkett",
        "--role",
        "ppu_supervisor",
        "--name",
        "DS Birkett",
        "--team",
        "North PPU",
        "--area",
        "north",
        input="a long password 1\na long password 1\n",
    )
    assert code == 0, out
    code, out = _run(db_url, "users", "list")
    assert "ds.birkett\tppu_supervisor\tNorth PPU\tnorth\tactive" in out
    assert _run(db_url, "users", "disable", "ds.birkett")[0] == 0
    assert "disabled" in _run(db_url, "users", "list")[1]
    assert _run(db_url, "users", "disable", "nobody")[0] == 1


def test_audit_verify_reports_an_edited_entry(db_url: str) -> None:
    from safeguard.access.processing_log import Actor, Operation, append

    engine = make_engine(db_url)
    assert _run(db_url, "audit", "verify")[0] == 0  # creates the schema
    with unit_of_work(engine) as session:
        for i in range(3):
            append(
                session=session,
                operation=Operation.CONSULT,
                actor=Actor("a", "mash"),
                records=[f"storm:P{i}"],
                purpose="view",
                justification="duty",
            )
    code, out = _run(db_url, "audit", "verify")
    assert (code, "intact: 3 entries" in out) == (0, True)
    code, out = _run(db_url, "audit", "who-viewed", "storm:P1")
    assert code == 0 and "\tconsult\ta\tmash\tview\tduty" in out and out.count("\n") == 1
    with unit_of_work(engine) as session:
        entry = session.get(LogEntry, 2)
        assert entry is not None
        entry.justification = "something else"
    code, out = _run(db_url, "audit", "verify")
    assert code == 1 and "BROKEN" in out
    engine.dispose()


def test_users_token_prints_a_token_once(db_url: str) -> None:
    code, out = _run(
        db_url,
        "users",
        "add",
        "feed",
        "--role",
        "mash",
        "--name",
        "MASH feed",
        "--team",
        "MASH",
        input="a long password 1\na long password 1\n",
    )
    assert code == 0, out
    code, out = _run(db_url, "users", "token", "feed", "--name", "partner feed", "--days", "30")
    assert code == 0 and "sgt_" in out
    assert _run(db_url, "users", "token", "feed", "--name", "x", "--days", "999")[0] == 1


def test_users_restrict_names_who_may_open_a_record(db_url: str, tmp_path: Path) -> None:
    record = tmp_path / "p.jsonl"
    record.write_text('{"record": "person", "source": "hr", "id": "S1", "given_name": "Pat"}\n')
    assert _run(db_url, "import", str(record))[0] == 0
    for name, role in (("admin", "administrator"), ("dc.one", "ppu_investigator")):
        code, out = _run(
            db_url,
            "users",
            "add",
            name,
            "--role",
            role,
            "--name",
            name,
            "--team",
            "T",
            input="a long password 1\na long password 1\n",
        )
        assert code == 0, out
    code, out = _run(
        db_url,
        "users",
        "restrict",
        "hr:S1",
        "--allow",
        "dc.one",
        "--reason",
        "Victim is a member of staff",
        "--by",
        "admin",
    )
    assert code == 0 and "restricted hr:S1 to dc.one" in out, out
    assert (
        _run(
            db_url,
            "users",
            "restrict",
            "hr:S1",
            "--allow",
            "ghost",
            "--reason",
            "Victim is a member of staff",
            "--by",
            "admin",
        )[0]
        == 1
    )


def test_share_list_shows_each_share_and_its_status(db_url: str) -> None:
    from datetime import timedelta

    from safeguard.access import service, sharing
    from safeguard.access.processing_log import Actor
    from safeguard.access.sharing import ShareRequest
    from safeguard.timeutil import now_utc
    from tests import factories as f

    engine = make_engine(db_url)
    assert _run(db_url, "share", "list")[0] == 0  # creates the schema; nothing shared
    child = f.person("Ava", "Lark", "2015-01-01", id="CP1")
    concern = f.event("child_concern", "2026-10-01T10:00:00", [(child, "subject")], id="CE1")
    referral = f.action("referral_to_csc", "2026-10-01T12:00:00", concern, id="CA1")
    with unit_of_work(engine) as session:
        f.load(session, [child, concern, referral])
        service.add_user(
            session=session,
            username="sw.ann",
            display_name="SW Ann",
            role="partner_csc",
            team="County CSC",
            area="force",
            password=None,
        )
        now = now_utc()
        for actions, expires in ((["storm:CA1"], None), ([], now + timedelta(seconds=1))):
            req = ShareRequest(
                event_key="storm:CE1",
                action_keys=actions,
                organisation="County CSC",
                recipient=None,
                lawful_basis="ca2004_s11",
                purpose="Referral for assessment",
                expires_on=None,
            )
            sharing.share(
                session=session,
                req=req,
                actor=Actor("ds.mash", "mash"),
                now=now,
                expires_at=expires,
            )
    code, out = _run(db_url, "share", "list")
    assert code == 0, out
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert "storm:CE1\tstorm:CA1\tCounty CSC\tca2004_s11\tds.mash" in lines[1]
    assert lines[1].endswith("open")
    assert "whole case" in lines[0]
