"""The demo's steps after import: link the person keys, then sweep and keep the alerts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func, select

from safeguard.db import unit_of_work
from safeguard.linkage.service import run_link
from safeguard.risk.models import AlertRecord
from safeguard.risk.policy import load_policy
from safeguard.risk.service import sweep


@dataclass
class StepResult:
    name: str
    status: str
    detail: str = ""
    counts: Counter[str] = field(default_factory=Counter)


def _run_linkage(engine: Engine) -> StepResult:
    with unit_of_work(engine) as session:
        summary = run_link(session=session)
    detail = (
        f"{summary.keys} keys, {summary.clusters_with_several_keys} people with several keys, "
        f"{summary.review_pairs} pairs for review"
    )
    return StepResult("linkage", "done", detail)


def _run_risk(engine: Engine, as_of: datetime, policy_file: str | None) -> StepResult:
    with unit_of_work(engine) as session:
        summary = sweep(session=session, as_of=as_of, policy=load_policy(policy_file))
        rows = session.execute(
            select(AlertRecord.code, func.count())
            .where(AlertRecord.status != "resolved")
            .group_by(AlertRecord.code)
        )
        counts = Counter({str(code): int(n) for code, n in rows})
    return StepResult("risk sweep", "done", summary.text(), counts)


def link_and_sweep(
    *, engine: Engine, as_of: datetime, policy_file: str | None = None
) -> list[StepResult]:
    """Link the imported keys, then compute and keep alerts as of the force's data end."""
    return [_run_linkage(engine), _run_risk(engine, as_of, policy_file)]
