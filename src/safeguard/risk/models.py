"""Kept alerts: each with a stable identity, a status a person can act on, and its history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from safeguard.db import Base, UTCDateTime


class AlertRecord(Base):
    """An alert as kept: ``status`` is open, late, acknowledged or resolved."""

    __tablename__ = "risk_alert"
    __table_args__ = (Index("ix_risk_alert_code_status", "code", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    computed_status: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    subjects: Mapped[list[str]] = mapped_column(JSON)
    events: Mapped[list[str]] = mapped_column(JSON)
    evidence: Mapped[list[str]] = mapped_column(JSON)
    message: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(Text)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    acknowledged_reason: Mapped[str | None] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertSubject(Base):
    """Which person keys an alert is about, so a re-evaluation can find them."""

    __tablename__ = "risk_alert_subject"
    __table_args__ = (Index("ix_risk_alert_subject_person", "person_id"),)

    alert_id: Mapped[int] = mapped_column(
        ForeignKey("risk_alert.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )


class AlertHistory(Base):
    """Every change of a kept alert: opened, updated, acknowledged, resolved, reopened."""

    __tablename__ = "risk_alert_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(
        ForeignKey("risk_alert.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    change: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16))
    by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)


class RiskSweep(Base):
    """A sweep: when it ran, as of when, and the high-water marks of the store it saw."""

    __tablename__ = "risk_sweep"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_only: Mapped[bool] = mapped_column(Boolean)
    marks: Mapped[dict[str, int]] = mapped_column(JSON)
    opened: Mapped[int] = mapped_column(Integer)
    resolved: Mapped[int] = mapped_column(Integer)
