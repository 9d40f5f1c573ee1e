"""Person clusters from scored pairs, under the hard rules and people's decisions.

Pairs are joined strongest first (a person's confirmation, a shared identifier, the linkage
floor, then the model by match weight). A join that would put into one cluster two keys
whose known sexes differ, whose known dates of birth are more than five years apart, that
a person has said are different people, or (a model pair) whose family names agree and given
names are two names (not one name slipped: ``slips_marked``), is refused; the refused pair
is returned so that it can go to the review queue. Refusing the weakest link that would
merge two people a person split is what makes a split hold when a third key sits between
them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from safeguard.linkage.names import given_name_slipped

PRIORITY = {"confirmed": 0, "identifier": 1, "exact": 2, "floor": 3, "model": 4}
# Given names that are different names, not a slip, a nickname or a swap (comparison labels).
DIFFERENT_GIVEN = {"else", "initial", "jaro-winkler 0.8"}
SAME_FAMILY = {"exact", "jaro-winkler 0.92", "metaphone"}
SIBLINGS = "given names differ within one family (twins or siblings?)"
# The given level shown for names that differ by a slip, an initial or a dropped middle name
SLIP = "one name, slipped"


@dataclass(frozen=True)
class Edge:
    """A pair of person ids (a < b) believed to be one person, and why."""

    a: int
    b: int
    weight: float
    method: str
    evidence: Mapping[str, str] = field(default_factory=dict)

    def order(self) -> tuple[int, float, int, int]:
        return (PRIORITY[self.method], -self.weight, self.a, self.b)


@dataclass(frozen=True)
class Known:
    """The facts the hard rules look at."""

    sex: str | None
    dob: date | None


def years_apart_more_than(a: date, b: date, years: int) -> bool:
    low, high = min(a, b), max(a, b)
    try:
        limit = low.replace(year=low.year + years)
    except ValueError:  # 29 February
        limit = low.replace(year=low.year + years, day=28)
    return high > limit


def looks_like_siblings(edge: Edge) -> bool:
    """A scored pair whose family names agree and given names do not.

    Twins and siblings share a family name, a home and (twins) a date of birth: the model
    weighs those as independent evidence of one person, which for a household they are not.
    Two different given names in one family are two people until a person says otherwise."""
    evidence = edge.evidence
    return (
        edge.method == "model"
        and evidence.get("given") in DIFFERENT_GIVEN
        and evidence.get("family") in SAME_FAMILY
    )


def slips_marked(
    edges: Iterable[Edge], *, given: Mapping[int, str | None], counts: Mapping[str, int]
) -> list[Edge]:
    """The edges, with the given names of a model pair that the comparison called different
    but that are one name slipped ("ridley", "rifey") marked as such: the sibling rule is
    for two people's names, not for a keying error."""
    result = []
    for edge in edges:
        a, b = given.get(edge.a), given.get(edge.b)
        if (
            edge.method == "model"
            and edge.evidence.get("given") in DIFFERENT_GIVEN
            and a
            and b
            and given_name_slipped(a, b, counts=counts)
        ):
            edge = replace(edge, evidence={**edge.evidence, "given": SLIP})
        result.append(edge)
    return result


def pair_conflict(x: Known, y: Known) -> str | None:
    """Why two keys may not be joined without a person's confirmation, or None."""
    if x.sex and y.sex and x.sex != y.sex:
        return "known sexes differ"
    if x.dob and y.dob and years_apart_more_than(x.dob, y.dob, 5):
        return "dates of birth more than 5 years apart"
    return None


@dataclass
class _Component:
    smallest: int
    sexes: set[str]
    dob_min: date | None
    dob_max: date | None
    forbidden: set[int]


def _spans_more_than_five_years(x: _Component, y: _Component) -> bool:
    assert x.dob_min and x.dob_max and y.dob_min and y.dob_max
    return years_apart_more_than(x.dob_min, y.dob_max, 5) or years_apart_more_than(
        y.dob_min, x.dob_max, 5
    )


class _Clusterer:
    def __init__(self, known: Mapping[int, Known]) -> None:
        self.parent: dict[int, int] = {}
        self.comp: dict[int, _Component] = {}
        self.known = known

    def _add(self, pid: int) -> None:
        k = self.known.get(pid, Known(None, None))
        self.parent[pid] = pid
        self.comp[pid] = _Component(pid, {k.sex} if k.sex else set(), k.dob, k.dob, set())

    def find(self, pid: int) -> int:
        if pid not in self.parent:
            self._add(pid)
        root = pid
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[pid] != root:
            self.parent[pid], pid = root, self.parent[pid]
        return root

    def forbid(self, a: int, b: int) -> None:
        self.comp[self.find(a)].forbidden.add(b)
        self.comp[self.find(b)].forbidden.add(a)

    def conflict(self, rx: int, ry: int, *, hard_rules: bool) -> str | None:
        x, y = self.comp[rx], self.comp[ry]
        small, other = (x, ry) if len(x.forbidden) <= len(y.forbidden) else (y, rx)
        if any(self.find(p) == other for p in small.forbidden):
            return "a person decided these are different people"
        if not hard_rules:
            return None
        if x.sexes and y.sexes and len(x.sexes | y.sexes) > 1:
            return "known sexes differ"
        dobs_known = x.dob_min and y.dob_min and x.dob_max and y.dob_max
        if dobs_known and _spans_more_than_five_years(x, y):
            return "dates of birth more than 5 years apart"
        return None

    def union(self, rx: int, ry: int) -> None:
        x, y = self.comp[rx], self.comp.pop(ry)
        self.parent[ry] = rx
        x.smallest = min(x.smallest, y.smallest)
        x.sexes |= y.sexes
        dobs = [d for d in (x.dob_min, x.dob_max, y.dob_min, y.dob_max) if d]
        x.dob_min, x.dob_max = (min(dobs), max(dobs)) if dobs else (None, None)
        x.forbidden |= y.forbidden


def build_clusters(
    *,
    edges: Iterable[Edge],
    known: Mapping[int, Known],
    rejected: Iterable[tuple[int, int]] = (),
    hard_rules: bool = True,
) -> tuple[dict[int, int], list[tuple[Edge, str]]]:
    """Cluster id (smallest member id) of every person in a multi-member cluster, and the
    edges refused with the reason. ``hard_rules=False`` exists only to measure the model
    alone in benchmarks."""
    clusterer = _Clusterer(known)
    for a, b in rejected:
        clusterer.forbid(a, b)
    refused: list[tuple[Edge, str]] = []
    for edge in sorted(edges, key=Edge.order):
        rx, ry = clusterer.find(edge.a), clusterer.find(edge.b)
        if rx == ry:
            continue
        why = clusterer.conflict(rx, ry, hard_rules=hard_rules and edge.method != "confirmed")
        if why is None and hard_rules and looks_like_siblings(edge):
            why = SIBLINGS
        if why:
            refused.append((edge, why))
            continue
        clusterer.union(rx, ry)
    sizes: dict[int, int] = {}
    roots = {pid: clusterer.find(pid) for pid in clusterer.parent}
    for root in roots.values():
        sizes[root] = sizes.get(root, 0) + 1
    clusters = {
        pid: clusterer.comp[root].smallest for pid, root in roots.items() if sizes[root] > 1
    }
    return clusters, refused
