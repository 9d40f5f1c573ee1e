"""What linkage commands return."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class LinkSummary(BaseModel):
    keys: int
    clusters_with_several_keys: int
    linked_pairs: int
    review_pairs: int
    joins: int
    splits: int
    timings: dict[str, float] = {}


class ReviewItem(BaseModel):
    a: str
    b: str
    method: str
    match_weight: float | None
    evidence: dict[str, Any]
    reason: str | None


class LinkEvidence(BaseModel):
    """One stored pair touching a person's cluster: how it was found and what became of it."""

    a: str
    b: str
    method: str
    match_weight: float | None
    evidence: dict[str, Any]
    status: str
    reason: str | None


class Explanation(BaseModel):
    key: str
    cluster: list[str]
    links: list[LinkEvidence]
    decisions: list[dict[str, Any]]
