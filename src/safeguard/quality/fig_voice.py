"""The child's voice: demeanour, views, outcome, and whether the child was told."""

from __future__ import annotations

from collections.abc import Iterator

from safeguard.quality.records import Records
from safeguard.quality.registry import Period, Unit, figure, month_of


def _voice(records: Records, period: Period, kind: str, min_age: int) -> Iterator[Unit]:
    for case in records.cases:
        if not case.is_child_centred or case.closed_at is None or not period.holds(case.closed_at):
            continue
        for child in case.children():
            if child.age is not None and child.age < min_age:
                continue
            act = case.first(kind, child.person_id)
            keys = (case.key, child.key) + ((act.key,) if act else ())
            yield Unit(case.area, month_of(case.closed_at), keys, met=act is not None)


@figure("voice_demeanour", "Child's voice", "Child's demeanour recorded", "share")
def demeanour(records: Records, period: Period) -> Iterator[Unit]:
    """Of children in child-centred events closed in the period: the share whose demeanour is
    recorded."""
    return _voice(records, period, "child_demeanour", 0)


@figure("voice_views", "Child's voice", "Child's views recorded (aged 4 or over)", "share")
def views(records: Records, period: Period) -> Iterator[Unit]:
    """Of children aged 4 or over (or of unknown age) in child-centred events closed in the
    period: the share whose views are recorded."""
    return _voice(records, period, "child_views", 4)


@figure("voice_outcome", "Child's voice", "Outcome for the child recorded", "share")
def outcome(records: Records, period: Period) -> Iterator[Unit]:
    """Of children in child-centred events closed in the period: the share with an outcome
    recorded for them."""
    return _voice(records, period, "outcome", 0)


@figure("voice_informed", "Child's voice", "Child told of decisions (aged 4 or over)", "share")
def informed(records: Records, period: Period) -> Iterator[Unit]:
    """Of children aged 4 or over (or of unknown age) in child-centred events closed in the
    period: the share recorded as told of the decisions made."""
    return _voice(records, period, "child_informed", 4)
