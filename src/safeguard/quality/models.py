"""Dip samples and graded case audits (HMIC grading: good / requires improvement / inadequate)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from safeguard.db import Base, UTCDateTime


class AuditSample(Base):
    __tablename__ = "audit_sample"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seed: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    per_stratum: Mapped[int] = mapped_column(Integer)
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime)
    drawn_by: Mapped[str] = mapped_column(String(200))


class AuditSampleCase(Base):
    __tablename__ = "audit_sample_case"

    sample_id: Mapped[int] = mapped_column(
        ForeignKey("audit_sample.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    case_type: Mapped[str] = mapped_column(String(40))
    area: Mapped[str] = mapped_column(String(20))


class CaseAudit(Base):
    """One auditor's grade of one case. Self-assessment and independent audit are both kept."""

    __tablename__ = "case_audit"
    __table_args__ = (
        UniqueConstraint("event_id", "assessor_kind", "auditor", "recorded_at"),
        Index("ix_case_audit_event", "event_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    sample_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_sample.id", ondelete="SET NULL")
    )
    assessor_kind: Mapped[str] = mapped_column(String(20))  # self | independent
    auditor: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str] = mapped_column(String(30))  # good | requires_improvement | inadequate
    reasons: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
