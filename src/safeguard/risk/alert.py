"""An alert as the rules raise it, and its JSON form (the contract of spec/alerts.md)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["open", "late"]


@dataclass
class Alert:
    code: str
    status: Status
    severity: str
    subject_cids: list[int]
    subjects: list[str]
    events: list[str]
    evidence: list[str]
    message: str
    rule: str
    policy: dict[str, Any] = field(default_factory=dict)
    identity: str = ""

    @property
    def fingerprint(self) -> str:
        """Stable identity: the code and what the alert is about (rule-specific anchor)."""
        basis = f"{self.code}|{self.identity or '|'.join(self.events + self.subjects)}"
        return hashlib.sha256(basis.encode()).hexdigest()[:32]

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": self.status,
            "severity": self.severity,
            "subjects": self.subjects,
            "events": self.events,
            "message": self.message,
            "evidence": self.evidence,
            "rule": self.rule,
            "policy": self.policy,
            "id": self.fingerprint,
        }

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.code, ",".join(self.subjects), ",".join(self.events), self.fingerprint)
