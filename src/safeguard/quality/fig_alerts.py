"""Alerts left open: how many, of which kind, and for how long."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from safeguard.quality.records import Records
from safeguard.quality.registry import Period, Unit, figure, month_of


@figure("open_alerts", "Alerts", "Alerts open at the end of the period (average days open)", "mean")
def open_alerts(records: Records, period: Period) -> Iterator[Unit]:
    """Alerts kept by the risk sweep that were raised before the end of the period and not
    resolved by then (acknowledged ones included): counted, with the average number of days
    each has been open. The area report breaks them down by code and age."""
    at = period.end - timedelta(microseconds=1)
    for alert in records.alerts:
        if alert.first_seen_at > at or (alert.resolved_at is not None and alert.resolved_at <= at):
            continue
        days = (at - alert.first_seen_at).total_seconds() / 86400
        keys = (alert.code, *alert.subjects, *alert.events)
        yield Unit("Force", month_of(at), keys, value=days)


AGE_BANDS = ((7, "under a week"), (28, "1 to 4 weeks"), (None, "over 4 weeks"))


def by_code_and_age(units: list[Unit]) -> dict[str, dict[str, int]]:
    """code -> age band -> number of open alerts."""
    table: dict[str, dict[str, int]] = {}
    for unit in units:
        row = table.setdefault(unit.keys[0], {label: 0 for _, label in AGE_BANDS})
        days = unit.value or 0.0
        label = next(lbl for limit, lbl in AGE_BANDS if limit is None or days < limit)
        row[label] += 1
    return dict(sorted(table.items()))
