"""Dip-sampling and case audit: stratified, reproducible samples; graded audits; agreement
between self-assessment and independent audit (Cohen's kappa)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.errors import InvalidInputError, NotFoundError
from safeguard.pole.models import Action, Event
from safeguard.quality.models import AuditSample, AuditSampleCase, CaseAudit
from safeguard.quality.records import load_records
from safeguard.quality.service import period_of
from safeguard.timeutil import now_utc

GRADES = ("good", "requires_improvement", "inadequate")
ASSESSORS = ("self", "independent")

# The 2016 inspection's case types (domain-rules.md section 10), by the kind of event.
CASE_TYPES = {
    "domestic_abuse": "domestic abuse",
    "child_concern": "general concern referred to children's social care",
    "rso_management": "sex offender enquiry",
    "missing_episode": "missing children",
    "police_protection": "police protection",
    "cse_concern": "at risk of sexual exploitation",
    "online_abuse": "online sexual abuse",
    "custody": "child in custody",
}
S47 = "child protection enquiry (s47)"


def case_type(kind: str, has_s47: bool) -> str | None:
    return S47 if has_s47 else CASE_TYPES.get(kind)


@dataclass(frozen=True)
class SampledCase:
    event_key: str
    case_type: str
    area: str


def draw_sample(
    *, session: Session, start: date, end: date, per_stratum: int, seed: int, drawn_by: str
) -> tuple[AuditSample, list[SampledCase]]:
    """Up to ``per_stratum`` events from each (case type, area), reproducible from ``seed``."""
    if per_stratum < 1:
        raise InvalidInputError("per_stratum: must be at least 1")
    period = period_of(start, end)
    records = load_records(session=session, start=period.start, end=period.end)
    s47 = set(session.scalars(select(Action.event_id).where(Action.kind == "s47_enquiry")))
    strata: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for case in records.cases:
        kind = case_type(case.kind, case.id in s47)
        if kind and (case.kind != "child_concern" or case.first("referral_to_csc")):
            strata[(kind, case.area)].append((case.key, case.id))
    rng = random.Random(seed)  # noqa: S311  (reproducible from the seed, not secret)
    sample = AuditSample(
        seed=seed,
        period_start=start,
        period_end=end,
        per_stratum=per_stratum,
        drawn_at=now_utc(),
        drawn_by=drawn_by,
    )
    session.add(sample)
    session.flush()
    chosen: list[SampledCase] = []
    for (kind, area), members in sorted(strata.items()):
        members.sort()
        for key, event_id in rng.sample(members, min(per_stratum, len(members))):
            session.add(
                AuditSampleCase(sample_id=sample.id, event_id=event_id, case_type=kind, area=area)
            )
            chosen.append(SampledCase(key, kind, area))
    session.flush()
    return sample, chosen


def record_audit(
    *,
    session: Session,
    event_key: str,
    assessor_kind: str,
    auditor: str,
    grade: str,
    reasons: str,
    sample_id: int | None = None,
) -> CaseAudit:
    if grade not in GRADES:
        raise InvalidInputError(f"grade: must be one of {', '.join(GRADES)}")
    if assessor_kind not in ASSESSORS:
        raise InvalidInputError(f"assessor: must be one of {', '.join(ASSESSORS)}")
    if not reasons.strip():
        raise InvalidInputError("reasons: a grade needs its reasons")
    source, _, ident = event_key.partition(":")
    event = session.scalar(select(Event).where(Event.source == source, Event.source_id == ident))
    if event is None:
        raise NotFoundError(f"no event with key {event_key!r}")
    audit = CaseAudit(
        event_id=event.id,
        sample_id=sample_id,
        assessor_kind=assessor_kind,
        auditor=auditor,
        grade=grade,
        reasons=reasons.strip(),
        recorded_at=now_utc(),
    )
    session.add(audit)
    session.flush()
    return audit


@dataclass(frozen=True)
class Agreement:
    pairs: int
    table: dict[str, dict[str, int]]  # self grade -> independent grade -> count
    self_totals: dict[str, int]
    independent_totals: dict[str, int]
    observed: float | None
    kappa: float | None


def cohen_kappa(pairs: list[tuple[str, str]], categories: tuple[str, ...] = GRADES) -> float | None:
    """Cohen's kappa for two raters; None with no pairs, 1.0 when both agree on one category."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in categories) / (n * n)
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1 - expected)


def agreement(*, session: Session, sample_id: int | None = None) -> Agreement:
    """Latest self grade against latest independent grade for each case graded by both."""
    query = select(CaseAudit).order_by(CaseAudit.recorded_at, CaseAudit.id)
    if sample_id is not None:
        query = query.where(CaseAudit.sample_id == sample_id)
    latest: dict[tuple[int, str], str] = {}
    for audit in session.scalars(query):
        latest[(audit.event_id, audit.assessor_kind)] = audit.grade
    events = {e for e, _ in latest}
    pairs = [
        (latest[(e, "self")], latest[(e, "independent")])
        for e in sorted(events)
        if (e, "self") in latest and (e, "independent") in latest
    ]
    table = {g: dict.fromkeys(GRADES, 0) for g in GRADES}
    for a, b in pairs:
        table[a][b] += 1
    observed = sum(a == b for a, b in pairs) / len(pairs) if pairs else None
    return Agreement(
        pairs=len(pairs),
        table=table,
        self_totals={g: sum(table[g].values()) for g in GRADES},
        independent_totals={g: sum(table[s][g] for s in GRADES) for g in GRADES},
        observed=observed,
        kappa=cohen_kappa(pairs),
    )
