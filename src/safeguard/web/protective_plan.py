"""The protective plan for a child in a case: the measures that keep the child safe, who is
responsible for each, and when the plan is reviewed.

One plan per child per case, stored as a ``protective_plan`` action naming the child. A
revision stores the same record again with the new measures (the importer keeps the earlier
version in its history) and keeps the plan's first ``at``, which the NO_PROTECTIVE_PLAN clock
reads.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime

from starlette.datastructures import FormData

from safeguard.pole.models import Event
from safeguard.timeutil import UK
from safeguard.web.form_rows import Errors, real_date, row_count, text
from safeguard.web.records import SOURCE, Rec, new_id, stamp

MEASURE_ROWS, MOST_ROWS = 3, 20


@dataclass
class Measure:
    index: int
    measure: str = ""
    responsible: str = ""

    @property
    def used(self) -> bool:
        return bool(self.measure or self.responsible)


@dataclass
class Plan:
    child: str = ""
    measures: list[Measure] = field(default_factory=list)
    review_date: str = ""


def blank(child: str = "") -> Plan:
    return Plan(child=child, measures=[Measure(i) for i in range(1, MEASURE_ROWS + 1)])


def parse(form: FormData) -> Plan:
    rows = row_count(form, "measure", MEASURE_ROWS, MOST_ROWS) + (text(form, "add") == "measure")
    return Plan(
        child=text(form, "child"),
        measures=[
            Measure(i, text(form, f"measure{i}_text"), text(form, f"measure{i}_responsible"))
            for i in range(1, rows + 1)
        ],
        review_date=text(form, "review_date"),
    )


def from_record(rec: Rec) -> Plan:
    """A stored plan as the form shows it (to revise it, or as another person saved it)."""
    details = rec.get("details") or {}
    listed = [m for m in details.get("measures") or [] if isinstance(m, dict)]
    measures = [
        Measure(i, str(m.get("measure", "")), str(m.get("responsible", "")))
        for i, m in enumerate(listed, start=1)
    ]
    measures += [Measure(i) for i in range(len(measures) + 1, MEASURE_ROWS + 1)]
    return Plan(
        child=str(rec.get("person", "")),
        measures=measures,
        review_date=str(details.get("review_date", "")),
    )


def validate(
    plan: Plan, *, children: list[str], now: datetime, planned: frozenset[str] = frozenset()
) -> Errors:
    """``planned``: the children who already have a plan in the case (a new plan only)."""
    errors: Errors = []
    if plan.child not in children:
        errors.append({"text": "Select the child the plan protects", "href": "#child"})
    elif plan.child in planned:
        errors.append(
            {"text": "This child already has a plan in this case: revise it", "href": "#child"}
        )
    used = [m for m in plan.measures if m.used]
    if not used:
        errors.append({"text": "Enter at least one protective measure", "href": "#measure1_text"})
    for m in used:
        if not m.measure:
            errors.append(
                {"text": f"Enter protective measure {m.index}", "href": f"#measure{m.index}_text"}
            )
        if not m.responsible:
            errors.append(
                {
                    "text": f"Enter who is responsible for measure {m.index}",
                    "href": f"#measure{m.index}_responsible",
                }
            )
    review = real_date(plan.review_date)
    if review is None:
        errors.append(
            {"text": "Enter the date the plan is reviewed, like 2026-12-01", "href": "#review_date"}
        )
    elif review < now.astimezone(UK).date():
        errors.append({"text": "The review date must be today or later", "href": "#review_date"})
    return errors


def to_records(
    plan: Plan, *, event: Event, now: datetime, by: str, existing: Rec | None = None
) -> list[Rec]:
    """The plan as a record: a new one, or ``existing`` revised."""
    measures = [
        {"measure": m.measure, "responsible": m.responsible} for m in plan.measures if m.used
    ]
    text_ = "; ".join(f"{m['measure']} ({m['responsible']})" for m in measures)
    if existing is not None:
        rec = copy.deepcopy(existing)
        details = rec.setdefault("details", {})
        details["revision"] = int(details.get("revision", 1)) + 1
        details["revised_by"], details["revised_at"] = by, stamp(now)
    else:
        rec = {
            "record": "action",
            "source": SOURCE,
            "id": new_id("PP"),
            "kind": "protective_plan",
            "at": stamp(now),
            "event": event.key,
            "person": plan.child,
            "details": {"revision": 1, "recorded_by": by},
        }
        details = rec["details"]
    details["measures"], details["review_date"] = measures, plan.review_date
    rec["text"] = f"Measures: {text_}. Review by {plan.review_date}."
    return [rec]
