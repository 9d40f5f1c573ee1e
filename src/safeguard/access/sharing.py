"""Sharing a case, or its referral and strategy discussion, with a partner organisation.

Partner users (children's social care) see only what is shared with them. A share names the
organisation (and optionally one of its users), the lawful basis and the purpose, and may
expire; making it is a disclosure and revoking it an alteration in the processing log (DPA 2018
s62). Working Together to Safeguard Children (2023): fear of sharing must not stand in the way
of protecting children; the sharer records why, so the partner's views are justified by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access import processing_log, restrictions
from safeguard.access.models import PartnerShare, User
from safeguard.access.processing_log import Actor, Operation
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.access.roles import Role
from safeguard.errors import InvalidInputError, NotFoundError
from safeguard.pole.models import Action, Event, EventPerson, Person

# Who may share: the MASH (its work is multi-agency information sharing) and the public
# protection unit's investigators and supervisors (strategy discussions and joint enquiries).
SHARERS: frozenset[Role] = frozenset({Role.MASH, Role.PPU_INVESTIGATOR, Role.PPU_SUPERVISOR})
PARTNER_ROLES: frozenset[Role] = frozenset({Role.PARTNER_CSC})
# The actions that may be shared on their own; sharing the case shares every action of it.
SHAREABLE_ACTIONS = ("referral_to_csc", "strategy_discussion")
MIN_PURPOSE = 10


class LawfulBasis(StrEnum):
    CA2004_S11 = "ca2004_s11"
    CA1989_S47 = "ca1989_s47"
    CA1989_S17 = "ca1989_s17"
    DPA2018_SCH8 = "dpa2018_sch8"


LAWFUL_BASIS_TEXT: dict[LawfulBasis, str] = {
    LawfulBasis.CA2004_S11: "Children Act 2004 s11: safeguarding and promoting children's welfare",
    LawfulBasis.CA1989_S47: "Children Act 1989 s47: enquiries into likely significant harm",
    LawfulBasis.CA1989_S17: "Children Act 1989 s17: assessing a child in need",
    LawfulBasis.DPA2018_SCH8: "DPA 2018 s35 and Schedule 8: safeguarding children at risk",
}


def basis_text(value: str) -> str:
    try:
        return LAWFUL_BASIS_TEXT[LawfulBasis(value)]
    except ValueError:
        return value


def event_by_key(*, session: Session, key: str) -> Event:
    source, sep, ident = key.partition(":")
    found = session.scalar(select(Event).where(Event.source == source, Event.source_id == ident))
    if not sep or found is None:
        raise NotFoundError(f"no case with key {key!r}")
    return found


def shareable_actions(*, session: Session, event: Event) -> list[Action]:
    return list(
        session.scalars(
            select(Action)
            .where(Action.event_id == event.id, Action.kind.in_(SHAREABLE_ACTIONS))
            .order_by(Action.at, Action.id)
        )
    )


def partner_organisations(*, session: Session) -> dict[str, list[str]]:
    """Each partner organisation (the team of its active partner users) and its users."""
    rows = session.execute(
        select(User.team, User.username)
        .where(User.role.in_([r.value for r in PARTNER_ROLES]), User.disabled.is_(False))
        .order_by(User.team, User.username)
    )
    found: dict[str, list[str]] = {}
    for team, username in rows:
        found.setdefault(team, []).append(username)
    return found


@dataclass(frozen=True)
class ShareRequest:
    event_key: str
    action_keys: list[str]  # empty: the whole case
    organisation: str
    recipient: str | None
    lawful_basis: str
    purpose: str
    expires_on: date | None


def _recipients(share: PartnerShare) -> list[str]:
    return [f"{share.organisation}: {share.recipient}" if share.recipient else share.organisation]


def check(*, session: Session, req: ShareRequest, now: datetime) -> list[tuple[str, str]]:
    """Every problem with the request as (field, message)."""
    problems: list[tuple[str, str]] = []
    orgs = partner_organisations(session=session)
    if req.organisation not in orgs:
        problems.append(("organisation", "Choose a partner organisation"))
    elif req.recipient and req.recipient not in orgs[req.organisation]:
        problems.append(("recipient", f"{req.recipient} is not a user of {req.organisation}"))
    if req.lawful_basis not in set(LawfulBasis):
        problems.append(("lawful_basis", "Choose the lawful basis for sharing"))
    if len(req.purpose.strip()) < MIN_PURPOSE:
        problems.append(("purpose", "Enter why you are sharing this, for the partner and the log"))
    if req.expires_on is not None and req.expires_on <= now.date():
        problems.append(("expires_on", "The expiry date must be in the future"))
    return problems


def share(
    *, session: Session, req: ShareRequest, actor: Actor, now: datetime, expires_at: datetime | None
) -> PartnerShare:
    """Record the share and its disclosure; raises InvalidInputError naming the first bad field.

    ``expires_at`` is the end of ``req.expires_on`` in the force's time zone (the caller's)."""
    event = event_by_key(session=session, key=req.event_key)
    if problems := check(session=session, req=req, now=now):
        raise InvalidInputError("; ".join(f"{field}: {text}" for field, text in problems))
    allowed = {a.key: a for a in shareable_actions(session=session, event=event)}
    if unknown := sorted(set(req.action_keys) - set(allowed)):
        raise InvalidInputError(
            f"actions: not a referral or strategy discussion of this case: {', '.join(unknown)}"
        )
    row = PartnerShare(
        event_id=event.id,
        action_ids=sorted(allowed[k].id for k in set(req.action_keys)),
        organisation=req.organisation,
        recipient=req.recipient or None,
        lawful_basis=req.lawful_basis,
        purpose=req.purpose.strip(),
        shared_by=actor.name,
        shared_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    view = shared_view(session=session, share=row)
    processing_log.append(
        session=session,
        operation=Operation.DISCLOSE,
        actor=actor,
        records=view.record_keys,
        purpose="shared with a partner",
        justification=f"{basis_text(row.lawful_basis)}: {row.purpose}",
        recipients=_recipients(row),
        detail={
            "share": row.id,
            "scope": "actions" if row.action_ids else "case",
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return row


def revoke(*, session: Session, share_id: int, reason: str, actor: Actor, now: datetime) -> None:
    row = session.get(PartnerShare, share_id)
    if row is None:
        raise NotFoundError(f"no share {share_id}")
    if row.revoked_at is not None:
        raise InvalidInputError("this share has already been revoked")
    if len(reason.strip()) < MIN_PURPOSE:
        raise InvalidInputError("reason: enter why the share is revoked")
    row.revoked_at, row.revoked_by, row.revoke_reason = now, actor.name, reason.strip()
    processing_log.append(
        session=session,
        operation=Operation.ALTER,
        actor=actor,
        records=shared_view(session=session, share=row).record_keys,
        purpose="partner share revoked",
        justification=reason.strip(),
        recipients=_recipients(row),
        detail={"share": row.id},
    )
    session.flush()


def list_shares(*, session: Session, limit: int = 200) -> list[PartnerShare]:
    return list(session.scalars(select(PartnerShare).order_by(PartnerShare.id.desc()).limit(limit)))


def is_open(share: PartnerShare, now: datetime) -> bool:
    return share.revoked_at is None and (share.expires_at is None or share.expires_at > now)


def _reaches(share: PartnerShare, *, username: str, organisation: str) -> bool:
    return share.organisation == organisation and share.recipient in (None, username)


def shares_for(
    *, session: Session, username: str, organisation: str, now: datetime
) -> list[PartnerShare]:
    """What is open to this partner user now, newest first."""
    rows = session.scalars(
        select(PartnerShare)
        .where(PartnerShare.organisation == organisation, PartnerShare.revoked_at.is_(None))
        .order_by(PartnerShare.id.desc())
    )
    return [
        s
        for s in rows
        if is_open(s, now) and _reaches(s, username=username, organisation=organisation)
    ]


def share_for(
    *, session: Session, share_id: int, username: str, organisation: str, now: datetime
) -> PartnerShare:
    """The share if it is open to this partner user; otherwise not found (not even whether it
    exists is disclosed)."""
    row = session.get(PartnerShare, share_id)
    if row is None or not is_open(row, now):
        raise NotFoundError("nothing shared with you under that reference")
    if not _reaches(row, username=username, organisation=organisation):
        raise NotFoundError("nothing shared with you under that reference")
    return row


@dataclass(frozen=True)
class SharedPerson:
    key: str | None  # None when the person's record is restricted
    name: str
    dob: date | None
    role: str


@dataclass(frozen=True)
class SharedAction:
    key: str
    kind: str
    at: datetime
    text: str | None
    about: str | None


@dataclass(frozen=True)
class SharedView:
    """Exactly what a share discloses: the case, its people's names and dates of birth (not
    restricted records), and the shared actions."""

    share: PartnerShare
    event_key: str
    kind: str
    occurred_at: datetime
    summary: str | None
    people: list[SharedPerson]
    actions: list[SharedAction]

    @property
    def record_keys(self) -> list[str]:
        people = [p.key for p in self.people if p.key]
        return [self.event_key, *people, *(a.key for a in self.actions)]


def shared_view(*, session: Session, share: PartnerShare) -> SharedView:
    event = session.get(Event, share.event_id)
    if event is None:
        raise NotFoundError("the shared case no longer exists")
    rows = session.execute(
        select(EventPerson.role, Person)
        .join(Person, Person.id == EventPerson.person_id)
        .where(EventPerson.event_id == event.id)
        .order_by(EventPerson.role, Person.id)
    ).all()
    limits = restrictions.load(session=session)
    hidden = {p.id for _, p in rows if p.key in limits.allowed_by_key}
    people = [
        SharedPerson(None, RESTRICTED_LABEL, None, role)
        if p.id in hidden
        else SharedPerson(p.key, p.full_name, p.dob, role)
        for role, p in rows
    ]
    wanted = select(Action).where(Action.event_id == event.id)
    if share.action_ids:
        wanted = wanted.where(Action.id.in_(share.action_ids))
    names = {p.id: RESTRICTED_LABEL if p.id in hidden else p.full_name for _, p in rows}
    actions = [
        SharedAction(a.key, a.kind, a.at, a.text, names.get(a.person_id) if a.person_id else None)
        for a in session.scalars(wanted.order_by(Action.at, Action.id))
    ]
    return SharedView(
        share=share,
        event_key=event.key,
        kind=event.kind,
        occurred_at=event.occurred_at,
        summary=event.summary,
        people=people,
        actions=actions,
    )
