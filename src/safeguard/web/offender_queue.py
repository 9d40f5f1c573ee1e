"""The offender manager's queue: registered sex offenders whose ARMS assessment or visit is
overdue or falls due soon. The due dates are the risk engine's own (``review_clocks`` of the
RSO_REVIEW_OVERDUE rule, from the force policy), so an overdue line here is an alert there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from safeguard.pole.models import Flag
from safeguard.risk.policy import Policy
from safeguard.risk.rules.offenders import review_clocks
from safeguard.risk.scope import ScopeLoader

# How far ahead the queue looks: a month's notice to arrange a visit or an assessment.
DUE_WITHIN = timedelta(days=28)


@dataclass
class OffenderDue:
    key: str
    name: str
    level: str
    last_visit: datetime | None
    visit_due: datetime
    visit_overdue: bool
    last_arms: datetime | None
    arms_due: datetime
    arms_overdue: bool

    @property
    def next_due(self) -> datetime:
        return min(self.visit_due, self.arms_due)


def offenders_due(
    *, session: Session, as_of: datetime, policy: Policy
) -> tuple[list[OffenderDue], int]:
    """Offenders with a visit or ARMS assessment overdue or due within DUE_WITHIN, soonest
    first; and how many offenders are managed in all."""
    pids = set(
        session.scalars(
            select(Flag.person_id)
            .where(Flag.kind == "registered_sex_offender", Flag.since <= as_of)
            .where(or_(Flag.until.is_(None), Flag.until > as_of))
        )
    )
    if not pids:
        return [], 0
    loader = ScopeLoader(session=session, as_of=as_of, policy=policy)
    facts = loader.load_scope(pids, core=pids)
    horizon = as_of + DUE_WITHIN
    offenders = {loader.cid(pid) for pid in pids}
    due: list[OffenderDue] = []
    for cid in sorted(offenders):
        clocks = review_clocks(facts, cid)
        if clocks is None:
            continue
        if clocks.arms_due.in_time(horizon) and clocks.visit_due.in_time(horizon):
            continue  # neither falls due within the horizon
        person = facts.person(cid)
        due.append(
            OffenderDue(
                key=person.keys[0],
                name=person.name,
                level=clocks.level or "none",
                last_visit=clocks.visits[-1].at if clocks.visits else None,
                visit_due=clocks.visit_due.due,
                visit_overdue=clocks.visit_due.passed(as_of),
                last_arms=clocks.arms[-1].at if clocks.arms else None,
                arms_due=clocks.arms_due.due,
                arms_overdue=clocks.arms_due.passed(as_of),
            )
        )
    return sorted(due, key=lambda o: (o.next_due, o.key)), len(offenders)
