"""The figure registry. A figure is a function decorated with ``@figure``; its docstring is the
definition shown to users, so each figure is defined once, beside the code that computes it."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from safeguard.quality.records import ActionRecord, Case, Records
from safeguard.risk.clocks import Limit
from safeguard.timeutil import UK

Kind = Literal["share", "count", "mean"]


@dataclass(frozen=True)
class Unit:
    """One thing a figure counts, with the keys of the records behind it."""

    area: str
    month: str
    keys: tuple[str, ...]
    met: bool = True
    value: float | None = None


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime  # exclusive

    def holds(self, when: datetime | None) -> bool:
        return when is not None and self.start <= when < self.end


Compute = Callable[[Records, Period], Iterable[Unit]]


@dataclass(frozen=True)
class Figure:
    code: str
    group: str
    title: str
    kind: Kind
    compute: Compute

    @property
    def definition(self) -> str:
        return " ".join((inspect.getdoc(self.compute) or "").split())


@dataclass
class Cell:
    units: int = 0
    met: int = 0
    total: float = 0.0

    def add(self, unit: Unit) -> None:
        self.units += 1
        self.met += unit.met
        self.total += unit.value or 0.0

    def value(self, kind: Kind) -> float | None:
        if kind == "count":
            return float(self.units)
        if not self.units:
            return None
        return self.met / self.units if kind == "share" else self.total / self.units


@dataclass
class Result:
    figure: Figure
    units: list[Unit] = field(default_factory=list)

    def cell(self, *, area: str | None = None, month: str | None = None) -> Cell:
        cell = Cell()
        for unit in self.units:
            if (area is None or unit.area == area) and (month is None or unit.month == month):
                cell.add(unit)
        return cell

    def value(self, *, area: str | None = None, month: str | None = None) -> float | None:
        return self.cell(area=area, month=month).value(self.figure.kind)


FIGURES: dict[str, Figure] = {}


def figure(code: str, group: str, title: str, kind: Kind) -> Callable[[Compute], Compute]:
    def register(fn: Compute) -> Compute:
        if code in FIGURES:
            raise ValueError(f"figure {code} defined twice")
        FIGURES[code] = Figure(code, group, title, kind, fn)
        return fn

    return register


# ---- helpers shared by the figure modules ---------------------------------------------------
def month_of(when: datetime) -> str:
    return when.astimezone(UK).strftime("%Y-%m")


def within(limit: Limit, done: ActionRecord | None) -> bool:
    return done is not None and limit.in_time(done.at)


def occurred_in(records: Records, period: Period) -> Iterable[Case]:
    return (c for c in records.cases if period.holds(c.occurred_at))


def case_unit(case: Case, met: bool, child_key: str | None, act: ActionRecord | None) -> Unit:
    keys = [case.key] + ([child_key] if child_key else []) + ([act.key] if act else [])
    return Unit(case.area, month_of(case.occurred_at), tuple(keys), met=met)
