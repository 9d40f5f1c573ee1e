"""Users, API tokens, sign-in attempts and the processing log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safeguard.db import Base, UTCDateTime


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    # matched to an identity provider's email claim by single sign-on; optional
    email: Mapped[str | None] = mapped_column(String(200), index=True, unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    team: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A token for a system calling /api/v1: only its SHA-256 is stored; it acts with one role."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class SignInAttempt(Base):
    """Failed sign-ins, counted to throttle guessing by user name and by client address."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_username_at", "username", "at"),
        Index("ix_sign_in_attempt_client_at", "client", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class LogEntry(Base):
    """One entry of the processing log. Append-only: each entry's hash covers its content and
    the previous entry's hash, so editing, removing or reordering any entry breaks the chain."""

    __tablename__ = "processing_log"
    __table_args__ = (Index("ix_processing_log_at", "at"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    operation: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(40))
    records: Mapped[list[str]] = mapped_column(JSON)
    justification: Mapped[str | None] = mapped_column(Text)
    recipients: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(String(200))
    break_glass: Mapped[bool] = mapped_column(Boolean, default=False)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class LogRecordKey(Base):
    """Which record keys an entry concerns, indexed so "who has looked at this child" is quick."""

    __tablename__ = "processing_log_record"
    __table_args__ = (Index("ix_processing_log_record_key", "record_key"),)

    seq: Mapped[int] = mapped_column(
        ForeignKey("processing_log.seq", ondelete="CASCADE"), primary_key=True
    )
    record_key: Mapped[str] = mapped_column(String(300), primary_key=True)


class LogHead(Base):
    """The chain's head: the last sequence number and hash. Updating this single row first
    serialises writers, and it lets `audit verify` notice entries cut from the end."""

    __tablename__ = "processing_log_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class RetentionReview(Base):
    """A MoPI review decision about a person (all their linked keys): retain or erase, why."""

    __tablename__ = "retention_review"
    __table_args__ = (Index("ix_retention_review_person_key", "person_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_key: Mapped[str] = mapped_column(String(300))
    keys: Mapped[list[str]] = mapped_column(JSON)
    group: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Restriction(Base):
    """A restricted record (for example a member of staff as victim): only the named users may
    open it without breaking glass. One row per person key."""

    __tablename__ = "restriction"

    person_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    allowed: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class PartnerShare(Base):
    """A case, or chosen actions of it, shared with a partner organisation (or one of its users)
    under a recorded lawful basis and purpose; open until it expires or is revoked."""

    __tablename__ = "partner_share"
    __table_args__ = (Index("ix_partner_share_organisation", "organisation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    action_ids: Mapped[list[int]] = mapped_column(JSON)  # empty: the whole case
    organisation: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str | None] = mapped_column(String(100))  # one user of it, or anyone in it
    lawful_basis: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(Text)
    shared_by: Mapped[str] = mapped_column(String(100))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
