"""Sharing with partners: who a share reaches, what it discloses, expiry and revocation, and
the processing-log entries, on both databases."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access import processing_log, restrictions, service, sharing
from safeguard.access.models import LogEntry
from safeguard.access.processing_log import Actor
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.access.sharing import LawfulBasis, ShareRequest
from safeguard.errors import InvalidInputError, NotFoundError
from safeguard.timeutil import now_utc
from tests import factories as f

CSC = "County children's social care"
OTHER = "Other county children's social care"
MASH = Actor("ds.mash", "mash")


def _users(session: Session) -> None:
    for name, team in (("sw.ann", CSC), ("sw.bob", CSC), ("sw.cat", OTHER)):
        service.add_user(
            session=session,
            username=name,
            display_name=name,
            role="partner_csc",
            team=team,
            area="force",
            password=None,
        )


def _case(session: Session) -> None:
    child = f.person("Mia", "Stone", "2014-03-04", id="SP1")
    other = f.person("Noah", "Quill", "2012-06-07", id="SP2")
    adult = f.person("Rob", "Vance", "1979-01-01", id="SP3")
    concern = f.event(
        "child_concern",
        "2026-10-01T10:00:00",
        [(child, "subject"), (adult, "suspect")],
        id="SE1",
        summary="Child found alone",
    )
    elsewhere = f.event("child_concern", "2026-10-02T10:00:00", [(other, "subject")], id="SE2")
    f.load(
        session,
        [
            child,
            other,
            adult,
            concern,
            elsewhere,
            f.action("referral_to_csc", "2026-10-01T12:00:00", concern, who=child, id="SA1"),
            f.action("strategy_discussion", "2026-10-02T09:00:00", concern, id="SA2"),
            f.action("allocation", "2026-10-02T09:30:00", concern, id="SA3", text="To DC Hale"),
        ],
    )
    _users(session)


def _req(**changes: object) -> ShareRequest:
    req = ShareRequest(
        event_key="storm:SE1",
        action_keys=["storm:SA1"],
        organisation=CSC,
        recipient=None,
        lawful_basis=LawfulBasis.CA2004_S11.value,
        purpose="Referral: child found alone at night",
        expires_on=None,
    )
    return dataclasses.replace(req, **changes)  # type: ignore[arg-type]


def _share(session: Session, **changes: object) -> int:
    req = _req(**changes)
    row = sharing.share(session=session, req=req, actor=MASH, now=now_utc(), expires_at=None)
    return row.id


def test_a_shared_referral_discloses_the_case_its_people_and_only_that_action(
    session: Session,
) -> None:
    _case(session)
    share_id = _share(session)
    row = sharing.share_for(
        session=session, share_id=share_id, username="sw.ann", organisation=CSC, now=now_utc()
    )
    view = sharing.shared_view(session=session, share=row)
    assert [a.key for a in view.actions] == ["storm:SA1"]
    assert view.actions[0].about == "Mia Stone"
    assert {(p.name, p.dob, p.role) for p in view.people} == {
        ("Mia Stone", date(2014, 3, 4), "subject"),
        ("Rob Vance", date(1979, 1, 1), "suspect"),
    }
    assert "storm:SP2" not in view.record_keys  # the other child is not part of it


def test_sharing_the_whole_case_shares_every_action(session: Session) -> None:
    _case(session)
    share_id = _share(session, action_keys=[])
    row = sharing.share_for(
        session=session, share_id=share_id, username="sw.bob", organisation=CSC, now=now_utc()
    )
    kinds = [a.kind for a in sharing.shared_view(session=session, share=row).actions]
    assert kinds == ["referral_to_csc", "strategy_discussion", "allocation"]


def test_a_share_is_a_disclosure_naming_recipient_basis_and_purpose(session: Session) -> None:
    _case(session)
    share_id = _share(session, recipient="sw.ann")
    entry = session.scalars(select(LogEntry).order_by(LogEntry.seq.desc())).first()
    assert entry is not None
    assert entry.operation == "disclose"
    assert entry.actor == "ds.mash"
    assert entry.recipients == [f"{CSC}: sw.ann"]
    assert "Children Act 2004 s11" in (entry.justification or "")
    assert "child found alone at night" in (entry.justification or "")
    assert set(entry.records) == {"storm:SE1", "storm:SP1", "storm:SP3", "storm:SA1"}
    assert entry.detail["share"] == share_id
    count, problems = processing_log.verify(session=session)
    assert count >= 1 and problems == []


def test_a_share_reaches_its_organisation_or_only_its_named_user(session: Session) -> None:
    _case(session)
    everyone = _share(session)
    only_ann = _share(session, recipient="sw.ann")
    now = now_utc()

    def ids(user: str, org: str) -> set[int]:
        found = sharing.shares_for(session=session, username=user, organisation=org, now=now)
        return {s.id for s in found}

    assert ids("sw.ann", CSC) == {everyone, only_ann}
    assert ids("sw.bob", CSC) == {everyone}
    assert ids("sw.cat", OTHER) == set()
    for user, org in (("sw.bob", CSC), ("sw.cat", OTHER)):
        with pytest.raises(NotFoundError):
            sharing.share_for(
                session=session, share_id=only_ann, username=user, organisation=org, now=now
            )


def test_a_revoked_or_expired_share_is_no_longer_seen_and_revoking_is_logged(
    session: Session,
) -> None:
    _case(session)
    revoked = _share(session)
    now = now_utc()
    sharing.revoke(
        session=session, share_id=revoked, reason="Strategy meeting held", actor=MASH, now=now
    )
    entry = session.scalars(select(LogEntry).order_by(LogEntry.seq.desc())).first()
    assert entry is not None and entry.operation == "alter"
    assert entry.purpose == "partner share revoked" and entry.recipients == [CSC]
    with pytest.raises(InvalidInputError, match="already"):
        sharing.revoke(
            session=session, share_id=revoked, reason="Again and again", actor=MASH, now=now
        )
    tomorrow = (now + timedelta(days=1)).date()
    req = _req(expires_on=tomorrow)
    expiring = sharing.share(
        session=session, req=req, actor=MASH, now=now, expires_at=now + timedelta(days=1)
    )
    later = now + timedelta(days=2)
    assert sharing.shares_for(session=session, username="sw.ann", organisation=CSC, now=now) == [
        expiring
    ]
    assert sharing.shares_for(session=session, username="sw.ann", organisation=CSC, now=later) == []
    with pytest.raises(NotFoundError):
        sharing.share_for(
            session=session, share_id=revoked, username="sw.ann", organisation=CSC, now=now
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organisation": "Nobody's social care"}, "organisation"),
        ({"recipient": "sw.cat"}, "recipient"),
        ({"lawful_basis": "because"}, "lawful_basis"),
        ({"purpose": "  why  "}, "purpose"),
        ({"expires_on": date(2020, 1, 1)}, "expires_on"),
    ],
)
def test_a_share_needs_a_known_partner_a_lawful_basis_and_a_purpose(
    session: Session, changes: dict[str, object], field: str
) -> None:
    _case(session)
    with pytest.raises(InvalidInputError, match=field):
        _share(session, **changes)


def test_only_referrals_and_strategy_discussions_are_shared_alone(session: Session) -> None:
    _case(session)
    with pytest.raises(InvalidInputError, match="storm:SA3"):
        _share(session, action_keys=["storm:SA3"])
    with pytest.raises(NotFoundError):
        _share(session, event_key="storm:NOPE")


def test_a_restricted_person_is_not_disclosed(session: Session) -> None:
    _case(session)
    restrictions.restrict(
        session=session,
        key="storm:SP3",
        allowed=["sw.ann"],
        reason="Member of staff: restricted",
        actor=MASH,
    )
    share_id = _share(session)
    row = sharing.share_for(
        session=session, share_id=share_id, username="sw.ann", organisation=CSC, now=now_utc()
    )
    view = sharing.shared_view(session=session, share=row)
    assert RESTRICTED_LABEL in [p.name for p in view.people]
    assert "Rob Vance" not in [p.name for p in view.people]
    assert "storm:SP3" not in view.record_keys
