"""What linkage stores: scored pairs with their evidence, people's decisions, and history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safeguard.db import Base, UTCDateTime


class LinkPair(Base):
    """A pair of person keys the last run found alike: how (method), how strongly (the
    model's match weight), which fields agreed (evidence), and what became of it (status:
    ``linked``, ``review`` for a person to decide, ``refused`` by a hard rule or decision)."""

    __tablename__ = "link_pair"
    __table_args__ = (
        UniqueConstraint("person_a_id", "person_b_id"),
        Index("ix_link_pair_status", "status"),
        Index("ix_link_pair_b", "person_b_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_a_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    person_b_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(16))
    match_weight: Mapped[float | None] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LinkDecision(Base):
    """A person's decision that two keys are (``same``) or are not (``different``) one
    person. It holds in every later run until another decision on the pair replaces it."""

    __tablename__ = "link_decision"
    __table_args__ = (UniqueConstraint("person_a_id", "person_b_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_a_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    person_b_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LinkHistory(Base):
    """Every combination and separation of keys (``join``, ``split``) and every decision
    (``confirm``, ``reject``): who, when, why, and which keys."""

    __tablename__ = "link_history"
    __table_args__ = (Index("ix_link_history_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(16))
    keys: Mapped[list[str]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
