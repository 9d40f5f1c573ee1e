"""Evaluating the catalogue: over the whole store (a sweep) or around some people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from safeguard.risk.alert import Alert
from safeguard.risk.facts import Facts
from safeguard.risk.loader import Loader
from safeguard.risk.policy import Policy
from safeguard.risk.rules import evaluate
from safeguard.risk.scope import ScopeLoader
from safeguard.timeutil import now_utc


def all_facts(*, session: Session, as_of: datetime, policy: Policy) -> Facts:
    return Loader(session=session, as_of=as_of, policy=policy).load_all()


def compute_alerts(*, session: Session, as_of: datetime, policy: Policy) -> list[Alert]:
    """Every open and late alert as of ``as_of``, for the whole store."""
    return evaluate(all_facts(session=session, as_of=as_of, policy=policy))


def neighbourhood(*, session: Session, person_ids: Iterable[int], steps: int = 2) -> set[int]:
    """The people within ``steps`` links of ``person_ids``, clusters included."""
    loader = ScopeLoader(session=session, as_of=now_utc(), policy=Policy())
    return loader.neighbourhood(person_ids, steps)


def facts_around(
    *, session: Session, person_ids: Iterable[int], as_of: datetime, policy: Policy
) -> tuple[Facts, Loader]:
    """Facts enough to judge every alert about ``person_ids``: their neighbourhood."""
    core = set(person_ids)
    loader = ScopeLoader(session=session, as_of=as_of, policy=policy)
    scope = loader.neighbourhood(core)
    return loader.load_scope(scope, core=core), loader


def alerts_about(alerts: Iterable[Alert], cids: set[int]) -> list[Alert]:
    return [a for a in alerts if cids & set(a.subject_cids)]
