"""People's decisions: confirm and split hold in later runs; history is written."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.linkage import service
from safeguard.linkage.models import LinkHistory, LinkPair
from tests.factories import key, load, person
from tests.linkage.test_floor_and_rules import linked


def test_split_holds_across_runs_and_new_imports(session: Session) -> None:
    a = person("Gemma", "Smith", "2003-04-05", sex="F", source="storm")
    b = person("Gemma", "Smyth", "2003-04-05", sex="F", source="ppu")
    load(session, [a, b])
    service.run_link(session=session)
    assert linked(session, key(a), key(b))

    service.decide(
        session=session,
        a=key(a),
        b=key(b),
        same=False,
        actor="DS Birkett",
        reason="different schools",
    )
    assert not linked(session, key(a), key(b))

    c = person("Gemma", "Smith", "2003-04-05", sex="F", source="lcs")  # bridges both
    load(session, [c])
    service.run_link(session=session)
    assert not linked(session, key(a), key(b))
    assert linked(session, key(a), key(c)) != linked(session, key(b), key(c)) or not (
        linked(session, key(a), key(c))
    )
    actions = session.scalars(select(LinkHistory.action)).all()
    assert "reject" in actions and "split" in actions


def test_confirm_overrides_a_hard_rule_and_persists(session: Session) -> None:
    a = person("Callum", "Rowe", "2003-09-01", sex="M", source="storm")
    b = person("Callum", "Rowe", "2009-09-01", sex="M", source="ppu")
    load(session, [a, b])
    service.run_link(session=session)
    assert not linked(session, key(a), key(b))

    service.decide(
        session=session,
        a=key(a),
        b=key(b),
        same=True,
        actor="PC Dale",
        reason="dob miskeyed in PPU system",
    )
    assert linked(session, key(a), key(b))
    service.run_link(session=session)
    assert linked(session, key(a), key(b))
    confirm = session.scalars(select(LinkHistory).where(LinkHistory.action == "confirm")).one()
    assert confirm.actor == "PC Dale"
    assert confirm.detail["overrides_hard_rule"] == "dates of birth more than 5 years apart"


def test_each_link_keeps_its_evidence(session: Session) -> None:
    a = person("Steven", "Jackson", "1976-06-06", sex="M", source="storm")
    b = person("Steve", "Jackson", "1976-06-06", sex="M", source="ppu")
    load(session, [a, b])
    service.run_link(session=session)
    pair = session.scalars(select(LinkPair)).one()
    assert pair.status == "linked"
    assert pair.evidence["given"] == "nickname"
    assert pair.evidence["dob"] == "exact"
    assert pair.match_weight is not None and pair.match_weight > 6


def test_explain_shows_cluster_links_evidence_and_decisions(session: Session) -> None:
    from safeguard.linkage.explain import explain

    a = person("Gemma", "Smith", "2003-04-05", sex="F", source="storm")
    b = person("Gemma", "Smyth", "2003-04-05", sex="F", source="ppu")
    c = person("Gemma", "Smith", "1990-04-05", sex="F", source="lcs")  # > 5 years: refused
    load(session, [a, b, c])
    service.run_link(session=session)
    service.decide(session=session, a=key(a), b=key(c), same=False, actor="DS Birkett", reason="x")

    found = explain(session=session, key=key(b))

    assert found.cluster == sorted([key(a), key(b)])
    linked_pair = next(lk for lk in found.links if {lk.a, lk.b} == {key(a), key(b)})
    assert linked_pair.status == "linked"
    assert linked_pair.evidence["dob"] == "exact"
    assert linked_pair.evidence["given"] == "exact"
    assert [(d["decision"], d["by"]) for d in found.decisions] == [("different", "DS Birkett")]
