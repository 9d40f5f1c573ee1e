"""The alert catalogue of spec/alerts.md: one function per code, grouped by area."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from safeguard.risk.alert import Alert
from safeguard.risk.facts import Facts
from safeguard.risk.rules import children, custody, domestic, missing, offenders, protection

Rule = Callable[[Facts], Iterable[Alert]]

RULES: dict[str, Rule] = {
    **missing.RULES,
    **domestic.RULES,
    **protection.RULES,
    **children.RULES,
    **custody.RULES,
    **offenders.RULES,
}


def evaluate(facts: Facts, codes: Iterable[str] | None = None) -> list[Alert]:
    """Every alert as of ``facts.as_of``, deduplicated by identity and sorted."""
    found: dict[str, Alert] = {}
    for code in codes or RULES:
        for alert in RULES[code](facts):
            found.setdefault(alert.fingerprint, alert)
    return sorted(found.values(), key=Alert.sort_key)
