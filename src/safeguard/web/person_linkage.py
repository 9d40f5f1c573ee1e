"""How a person's records were linked, as a person reads it: the cluster's records, each link
between them in plain words with the two records side by side, the people's decisions, and the
pairs touching the cluster that wait for review or that a hard rule stopped (the web
equivalent of `safeguard link explain`). The records and the side-by-side rows are the review
queue's (`linkage_review`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from safeguard.access.restrictions import Restrictions
from safeguard.linkage.schemas import Explanation, ReviewItem
from safeguard.web.linkage_review import FIELDS, GREY, HOW, Pair, Record, records, why
from safeguard.web.templating import uk_time

# The comparison levels' labels in a sentence ("given name a nickname, address different").
SAID = HOW | {"nickname": "a nickname", "else": "different", "shared phone": "shared"}


@dataclass(frozen=True)
class Decided:
    """A person's decision on two keys, in words."""

    a: str
    b: str
    same: bool
    words: str


@dataclass
class Link:
    """A stored pair (or a person's decision) touching the cluster: how it was found, what
    people decided about it, and whether it waits for a person."""

    pair: Pair
    found: str
    decided: list[Decided] = field(default_factory=list)
    queue: str | None = None  # the review queue filtered to why it waits, if it waits

    @property
    def waiting(self) -> bool:
        return self.queue is not None


@dataclass
class Linkage:
    key: str
    cluster: list[Record]
    links: list[Link]  # the pairs that join the cluster's keys
    others: list[Link]  # pairs with a key outside it: waiting, stopped or decided apart

    @property
    def shown_keys(self) -> list[str]:
        """Every key the page names (for the processing log)."""
        keys = [r.key for r in self.cluster]
        for link in self.others:
            keys += [k for k in (link.pair.a.key, link.pair.b.key) if k not in keys]
        return keys


def compared(evidence: dict[str, Any], names: tuple[str, ...] | None = None) -> str:
    """The fields' evidence labels as words: "given name a nickname, date of birth the same"."""
    order = list(FIELDS)
    shown = sorted(
        ((n, str(how)) for n, how in evidence.items() if names is None or n in names),
        key=lambda nh: order.index(nh[0]) if nh[0] in order else len(order),
    )
    return ", ".join(f"{FIELDS.get(n, n).lower()} {SAID.get(how, how)}" for n, how in shown)


def found_words(item: ReviewItem) -> str:
    """How linkage found the pair, in plain words."""
    if item.method == "exact":
        return "Same full name and date of birth"
    if item.method == "floor":
        alike = compared(item.evidence, ("given", "family"))
        return f"The linkage floor: same date of birth, names alike ({alike})"
    if item.method == "identifier":
        kind = str(item.evidence.get("identifier", "")).upper()
        return f"The same identifier on both records ({kind})" if kind else "A shared identifier"
    if item.method == "model" and item.match_weight is not None:
        return f"Match weight {item.match_weight:.1f}: {compared(item.evidence)}"
    if item.method == "confirmed":
        return "A person decided they are the same person"
    return f"Found by {item.method}"


def _decided(d: dict[str, Any]) -> Decided:
    same = d["decision"] == "same"
    said = "the same person" if same else "different people"
    when = uk_time(datetime.fromisoformat(str(d["at"])))
    reason = f": \u201c{d['reason']}\u201d" if d.get("reason") else ""
    return Decided(d["a"], d["b"], same, f"{d['by']} decided these are {said} on {when}{reason}")


def queue_link(reason: str | None) -> str:
    return "/linkage/review?" + urlencode({"why": GREY if reason is None else reason})


def linkage(
    *,
    session: Session,
    found: Explanation,
    as_of: datetime,
    limits: Restrictions,
    username: str,
) -> Linkage:
    """The explanation of a key's cluster as the page shows it. ``limits``: the restrictions
    as this user meets them (without the cluster's own when they opened it by breaking glass)."""
    members = set(found.cluster)
    decided: dict[frozenset[str], list[Decided]] = {}
    for d in found.decisions:
        decided.setdefault(frozenset((d["a"], d["b"])), []).append(_decided(d))
    items = [(ReviewItem(**lk.model_dump(exclude={"status"})), lk.status) for lk in found.links]
    stored = {frozenset((i.a, i.b)) for i, _ in items}
    for ends, said in decided.items():  # a decision without a stored pair: its own entry
        if ends not in stored:
            last = said[-1]
            method = "confirmed" if last.same else "decided"
            item = ReviewItem(
                a=last.a, b=last.b, method=method, match_weight=None, evidence={}, reason=None
            )
            items.append((item, "decided"))
    keys = sorted({k for i, _ in items for k in (i.a, i.b)} | members)
    shown = records(session=session, keys=keys, as_of=as_of, limits=limits, username=username)
    links: list[Link] = []
    others: list[Link] = []
    for item, status in items:
        ends = frozenset((item.a, item.b))
        said = decided.get(ends, [])
        waits = status in ("review", "refused") and not said
        link = Link(
            pair=Pair(item=item, a=shown[item.a], b=shown[item.b], why=why(item.reason)),
            found=found_words(item),
            decided=said,
            queue=queue_link(item.reason) if waits else None,
        )
        (links if ends <= members else others).append(link)
    return Linkage(
        key=found.key,
        cluster=[shown[k] for k in found.cluster],
        links=links,
        others=others,
    )
