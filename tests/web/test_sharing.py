"""Sharing pages: the MASH shares a strategy discussion; the partner sees it and nothing else."""

from __future__ import annotations

from sqlalchemy import select

from safeguard.access.models import LogEntry, PartnerShare
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from tests.web.conftest import Web, csrf_of, share_case
from tests.web.scenario import ACTION_NOTE, PARTNER_ORG, SPECIALIST_NOTE, username


def _last_entry(web: Web) -> LogEntry:
    with unit_of_work(web.engine) as session:
        entry = session.scalars(select(LogEntry).order_by(LogEntry.seq.desc())).first()
        assert entry is not None
        session.expunge(entry)
        return entry


def _share_form(web: Web, fields: dict[str, object]) -> tuple[int, str]:
    mash = web.sign_in(Role.MASH)
    page = mash.get(f"/cases/{web.scenario.case}/share")
    assert page.status_code == 200 and "Strategy discussion" in page.text
    data = {"csrf_token": csrf_of(page.text)} | fields
    resp = mash.post(f"/cases/{web.scenario.case}/share", data=data)
    return resp.status_code, resp.text


def test_mash_shares_a_strategy_discussion_and_the_partner_sees_only_it(web: Web) -> None:
    status, _ = _share_form(
        web,
        {
            "share": "ppu:A1",
            "organisation": PARTNER_ORG,
            "lawful_basis": "ca1989_s47",
            "purpose": "Strategy discussion: joint s47 enquiry",
        },
    )
    assert status == 303
    disclosed = _last_entry(web)
    assert disclosed.operation == "disclose" and disclosed.recipients == [PARTNER_ORG]
    assert "Children Act 1989 s47" in (disclosed.justification or "")

    partner = web.sign_in(Role.PARTNER_CSC)
    listing = partner.get("/shared")
    assert listing.status_code == 200 and "Calum Rowe" in listing.text
    with unit_of_work(web.engine) as session:
        share_id = session.scalars(select(PartnerShare.id)).one()
    record = partner.get(f"/shared/{share_id}")
    assert record.status_code == 200
    assert ACTION_NOTE in record.text  # the shared strategy discussion
    assert SPECIALIST_NOTE in record.text  # the case summary
    assert "Gary Nixon" in record.text and "2 February 1980" in record.text
    assert "Allocation" not in record.text  # an action that was not shared
    viewed = _last_entry(web)
    assert (viewed.operation, viewed.actor) == ("consult", username(Role.PARTNER_CSC))
    assert "shared by user.mash" in (viewed.justification or "")
    assert set(viewed.records) == {"ppu:E1", "ppu:C7", "storm:P2", "ppu:A1"}

    for path in (
        f"/people/{web.scenario.child}",
        f"/people/{web.scenario.adult}",
        "/people?name=Rowe",
        f"/addresses/{web.scenario.home}",
        "/queues/triage",
        "/linkage/review",
        "/figures",
        "/sharing",
        f"/cases/{web.scenario.case}/share",
        "/audit/who-viewed",
    ):
        assert partner.get(path).status_code == 403, path
    token = web.token(Role.PARTNER_CSC)
    api = web.client().get(
        f"/api/v1/people/{web.scenario.child}", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 403


def test_a_share_for_another_partner_or_revoked_is_not_found(web: Web) -> None:
    with unit_of_work(web.engine) as session:
        share_id = share_case(session, web.scenario.case).id
        elsewhere = share_case(session, web.scenario.case, recipient=None).id
        session.get(PartnerShare, elsewhere).organisation = "Another council"  # type: ignore[union-attr]
    partner = web.sign_in(Role.PARTNER_CSC)
    assert partner.get(f"/shared/{elsewhere}").status_code == 404
    assert partner.get(f"/shared/{share_id}").status_code == 200

    mash = web.sign_in(Role.MASH)
    page = mash.get("/sharing")
    assert page.status_code == 200 and "County children" in page.text
    resp = mash.post(
        f"/sharing/{share_id}/revoke",
        data={"csrf_token": csrf_of(page.text), "reason": "Strategy discussion concluded"},
    )
    assert resp.status_code == 303
    revoked = _last_entry(web)
    assert (revoked.operation, revoked.purpose) == ("alter", "partner share revoked")
    assert partner.get(f"/shared/{share_id}").status_code == 404
    assert "Nothing has been shared with you" in partner.get("/shared").text


def test_a_share_without_basis_or_purpose_is_refused_naming_the_fields(web: Web) -> None:
    status, text = _share_form(web, {"share": ["case", "ppu:A1"], "expires_on-day": "31"})
    assert status == 400
    for message in (
        "Choose the whole case or some actions, not both",
        "Choose a partner organisation",
        "Choose the lawful basis for sharing",
        "Enter why you are sharing this",
        "Enter a real expiry date",
    ):
        assert message in text
    with unit_of_work(web.engine) as session:
        assert session.scalars(select(PartnerShare)).all() == []


def test_the_share_link_is_on_a_sharers_person_page_only(web: Web) -> None:
    link = f"/cases/{web.scenario.case.replace(':', '%3A')}/share"
    assert link in web.sign_in(Role.MASH).get(f"/people/{web.scenario.child}").text
    assert link not in web.sign_in(Role.RESPONSE).get(f"/people/{web.scenario.child}").text
