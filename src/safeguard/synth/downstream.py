"""INTEGRATION POINT for `safeguard demo`: linkage and the risk sweep, when those modules exist.

They are built in parallel (branches `linkage` and `risk`); this file is the one place the
demo calls them. Each step looks for its module with ``importlib.util.find_spec`` and, if it
is there, calls the entry point those branches exposed when this was written:

- linkage: ``safeguard.linkage.service.run_link(session=...)`` -> ``LinkSummary``
- risk: ``safeguard.risk.service.sweep(session=..., as_of=..., policy=...)`` with
  ``safeguard.risk.policy.load_policy(path)`` (``None``: the defaults), then the kept alerts
  counted by code from ``safeguard.risk.models.AlertRecord``.

If a module is absent the step says so; if its entry point is not there (renamed), it says
"not wired". Nothing here invents a result. The lead adjusts the two ``_run_*`` functions at
merge if the APIs moved.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from safeguard.db import unit_of_work

LINKAGE_MODULE = "safeguard.linkage.service"
RISK_MODULE = "safeguard.risk.service"


@dataclass
class StepResult:
    name: str
    status: str  # "done", "absent" (module not built yet), "not wired" (entry point not found)
    detail: str = ""
    counts: Counter[str] = field(default_factory=Counter)


def _module(name: str) -> Any | None:
    try:
        if importlib.util.find_spec(name) is None:
            return None
    except ModuleNotFoundError:
        return None
    return importlib.import_module(name)


def _run_linkage(engine: Engine) -> StepResult:
    service = _module(LINKAGE_MODULE)
    if service is None:
        return StepResult("linkage", "absent", f"{LINKAGE_MODULE} is not built yet")
    run_link = getattr(service, "run_link", None)
    if not callable(run_link):
        return StepResult("linkage", "not wired", f"{LINKAGE_MODULE}.run_link not found")
    with unit_of_work(engine) as session:
        summary = run_link(session=session)
    detail = (
        f"{getattr(summary, 'keys', '?')} keys, "
        f"{getattr(summary, 'clusters_with_several_keys', '?')} people with several keys, "
        f"{getattr(summary, 'review_pairs', '?')} pairs for review"
    )
    return StepResult("linkage", "done", detail)


def _run_risk(engine: Engine, as_of: datetime, policy_file: str | None) -> StepResult:
    service = _module(RISK_MODULE)
    policies = _module("safeguard.risk.policy")
    models = _module("safeguard.risk.models")
    if service is None or policies is None:
        return StepResult("risk sweep", "absent", f"{RISK_MODULE} is not built yet")
    sweep = getattr(service, "sweep", None)
    load_policy = getattr(policies, "load_policy", None)
    if not (callable(sweep) and callable(load_policy)):
        return StepResult("risk sweep", "not wired", "risk.service.sweep or load_policy not found")
    with unit_of_work(engine) as session:
        summary = sweep(session=session, as_of=as_of, policy=load_policy(policy_file))
        counts: Counter[str] = Counter()
        record = getattr(models, "AlertRecord", None) if models else None
        if record is not None:
            rows = session.execute(
                select(record.code, func.count())
                .where(record.status != "resolved")
                .group_by(record.code)
            )
            counts.update({str(code): int(n) for code, n in rows})
    text = getattr(summary, "text", None)
    return StepResult("risk sweep", "done", text() if callable(text) else str(summary), counts)


def link_and_sweep(
    *, engine: Engine, as_of: datetime, policy_file: str | None = None
) -> list[StepResult]:
    """Link the imported keys, then compute and keep alerts as of the force's data end."""
    return [_run_linkage(engine), _run_risk(engine, as_of, policy_file)]
