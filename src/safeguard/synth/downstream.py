"""INTEGRATION POINT for `safeguard demo`: linkage and the risk sweep, when those modules exist.

They are built in parallel; this file is the one place the demo calls them. Each step looks
for its module with ``importlib.util.find_spec`` and calls the first entry point it finds
(``ENTRY_POINTS``) with keyword arguments; nothing here invents a result. The lead wires the
exact calls at merge by editing ``ENTRY_POINTS`` (or the two ``_run_*`` functions).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from safeguard.db import unit_of_work

LINKAGE_MODULE = "safeguard.linkage.service"
RISK_MODULE = "safeguard.risk.service"
ENTRY_POINTS = {
    LINKAGE_MODULE: ("link_all", "link", "run_linkage"),
    RISK_MODULE: ("sweep", "run_sweep", "compute_alerts", "alerts_as_of"),
}


@dataclass
class StepResult:
    name: str
    status: str  # "done", "absent" (module not built yet), "not wired" (no known entry point)
    detail: str = ""
    counts: Counter[str] = field(default_factory=Counter)


def _present(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _entry(module: str) -> Callable[..., Any] | None:
    loaded = importlib.import_module(module)
    for name in ENTRY_POINTS[module]:
        fn = getattr(loaded, name, None)
        if callable(fn):
            return fn  # type: ignore[no-any-return]
    return None


def _codes(items: Iterable[Any]) -> Counter[str]:
    codes: Counter[str] = Counter()
    for item in items:
        code = item.get("code") if isinstance(item, dict) else getattr(item, "code", None)
        if code:
            codes[str(code)] += 1
    return codes


def _run_linkage(engine: Engine) -> StepResult:
    if not _present(LINKAGE_MODULE):
        return StepResult("linkage", "absent", f"{LINKAGE_MODULE} is not built yet")
    fn = _entry(LINKAGE_MODULE)
    if fn is None:
        return StepResult("linkage", "not wired", f"no entry point {ENTRY_POINTS[LINKAGE_MODULE]}")
    with unit_of_work(engine) as session:
        outcome = fn(session=session)
    return StepResult("linkage", "done", f"{fn.__name__}: {outcome!r}"[:200])


def _run_risk(engine: Engine, as_of: datetime) -> StepResult:
    if not _present(RISK_MODULE):
        return StepResult("risk sweep", "absent", f"{RISK_MODULE} is not built yet")
    fn = _entry(RISK_MODULE)
    if fn is None:
        return StepResult("risk sweep", "not wired", f"no entry point {ENTRY_POINTS[RISK_MODULE]}")
    with unit_of_work(engine) as session:
        outcome = fn(session=session, as_of=as_of)
        alerts = list(outcome) if isinstance(outcome, Iterable) else []
    return StepResult("risk sweep", "done", f"{len(alerts)} alerts", _codes(alerts))


def link_and_sweep(*, engine: Engine, as_of: datetime) -> list[StepResult]:
    """Link the imported keys, then compute alerts as of the force's data end."""
    return [_run_linkage(engine), _run_risk(engine, as_of)]
