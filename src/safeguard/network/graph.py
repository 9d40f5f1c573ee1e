"""The network around a person (for the CSE and missing coordinator): people, places and phones
up to two links out, read from the same facts as the risk picture (`risk.picture.assess`).

A step is a link of the risk picture: a relation, a shared home, a shared phone or other
object, or being in the same event. The person asked about and everyone one step out are
expanded (their relations, homes and everyone living there, phones and everyone using them,
events and everyone in them); people two steps out are shown but not expanded. Places named
in a missing episode (where a child was found, taken or seen) are shown too. People whose
record is hidden from the viewer are named only as restricted, and not expanded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.errors import NotFoundError
from safeguard.ingest.importer import keys_match
from safeguard.pole.models import Person, PoleObject
from safeguard.risk.engine import facts_around
from safeguard.risk.facts import EventF, Facts, SpanF
from safeguard.risk.picture import iso
from safeguard.risk.policy import Policy

Json = dict[str, Any]
Hides = Callable[[list[str]], bool]

MAX_NODES = 150  # beyond this a picture is unreadable: the table says it was cut short
SUSPECT_ROLES = frozenset({"suspect"})
RELATION_WORDS = {
    "parent_of": "parent of",
    "carer_of": "carer of",
    "partner": "partner of",
    "ex_partner": "ex-partner of",
    "sibling": "sibling of",
    "household_member": "household member with",
    "associate": "associate of",
}
PLACE_WORDS = {"found_location": "found at", "taken_to": "taken to", "seen_at": "seen at"}


@dataclass
class _Graph:
    facts: Facts
    hides: Hides
    nodes: dict[str, Json] = field(default_factory=dict)
    edges: dict[str, Json] = field(default_factory=dict)
    truncated: bool = False

    # ---- nodes ---------------------------------------------------------------------------
    def _add(self, key: str, make: Callable[[], Json]) -> str | None:
        """The node ``key``, added by ``make`` if new and there is room."""
        if key in self.nodes:
            return key
        if len(self.nodes) >= MAX_NODES:
            self.truncated = True
            return None
        self.nodes[key] = {"id": key} | make()
        return key

    def person(self, cid: int, step: int) -> str | None:
        person = self.facts.person(cid)
        if not person.keys:
            return None

        def make() -> Json:
            at = self.facts.as_of
            hidden = self.hides(person.keys)
            return {
                "keys": person.keys,
                "type": "person",
                "kind": "restricted" if hidden else self._kind(cid),
                "label": RESTRICTED_LABEL if hidden else person.name,
                "age": None if hidden else self.facts.age(cid, at),
                "flags": sorted(
                    {f.kind for f in self.facts.flags_of.get(cid, []) if f.in_force(at)}
                ),
                "step": step,
                "restricted": hidden,
                "href": f"/people/{person.keys[0]}",
            }

        return self._add(person.keys[0], make)

    def _kind(self, cid: int) -> str:
        if self.facts.is_child_at(cid, self.facts.as_of):
            return "child"
        events = self.facts.events_of.get(cid, [])
        return "suspect" if any(e.roles_of(cid) & SUSPECT_ROLES for e in events) else "adult"

    def place(self, key: str, step: int) -> str | None:
        found = self.facts.locations.get(key)
        return self._add(
            key,
            lambda: {
                "type": "place",
                "kind": found.kind if found else None,
                "label": found.address if found else key,
                "flags": [],
                "step": step,
                "href": f"/addresses/{key}",
            },
        )

    def thing(self, key: str, step: int) -> str | None:
        # kind and label are filled from the store once the network is complete
        return self._add(
            key,
            lambda: {
                "type": "object",
                "kind": None,
                "label": key,
                "flags": [],
                "step": step,
                "href": None,
            },
        )

    def hidden(self, key: str) -> bool:
        return bool(self.nodes[key].get("restricted"))

    # ---- edges ---------------------------------------------------------------------------
    def edge(self, a: str | None, b: str | None, relation: str, label: str, **more: Any) -> None:
        if a is None or b is None or a == b:
            return
        ident = f"{a}|{relation}|{b}"
        if ident not in self.edges:
            self.edges[ident] = {
                "id": ident,
                "source": a,
                "target": b,
                "relation": relation,
                "label": label,
            } | more
        elif "events" in more:  # the same link seen in another event
            known = self.edges[ident]
            known["events"] = sorted({*known["events"], *more["events"]})
            known["since"] = min(known["since"], more["since"])

    def span(self, span: SpanF) -> Json:
        at = self.facts.as_of
        return {"current": span.current(at), "since": iso(span.since), "until": iso(span.until)}

    # ---- expanding one person ------------------------------------------------------------
    def expand(self, cid: int, step: int) -> set[int]:
        """Add everything one step from ``cid`` (at ``step``); return the people reached."""
        me = self.person(cid, step - 1)
        if me is None or self.hidden(me):
            return set()
        reached: set[int] = set()
        for rel in self.facts.relations_of.get(cid, []):
            self._relation(rel, step)
            reached.add(rel.b if rel.a == cid else rel.a)
        for res in self.facts.residences_of.get(cid, []):
            place = self.place(res.b, step)
            for other in self.facts.residents_at.get(res.b, []):
                self._lives(other, place, step)
                reached.add(other.a)
        for use in self.facts.uses_of.get(cid, []):
            thing = self.thing(use.b, step)
            for other in self.facts.users_of.get(use.b, []):
                who = self.person(other.a, step)
                current = other.current(self.facts.as_of)
                self.edge(who, thing, "uses", "uses" if current else "used", **self.span(other))
                reached.add(other.a)
        for event in self.facts.events_of.get(cid, []):
            reached |= self._event(event, cid, me, step)
        return reached - {cid}

    def _relation(self, rel: SpanF, step: int) -> None:
        a, b = self.person(rel.a, step), self.person(rel.b, step)
        words = RELATION_WORDS.get(rel.kind, rel.kind.replace("_", " "))
        current = rel.current(self.facts.as_of)
        label = words if current else f"{words} (ended)"
        self.edge(a, b, rel.kind, label, **self.span(rel))

    def _lives(self, res: SpanF, place: str | None, step: int) -> None:
        who = self.person(res.a, step)
        current = res.current(self.facts.as_of)
        self.edge(who, place, "lives_at", "lives at" if current else "lived at", **self.span(res))

    def _event(self, event: EventF, cid: int, me: str, step: int) -> set[int]:
        words = event.kind.replace("_", " ").replace("cse", "CSE")
        seen = {"events": [event.key], "current": True, "since": iso(event.occurred_at)}
        reached: set[int] = set()
        for other in sorted(event.cids() - {cid}):
            them = self.person(other, step)
            if them is None:
                continue
            # one edge per pair and kind of event, whichever of the two was expanded first
            (a, ra), (b, rb) = sorted([(me, event.roles_of(cid)), (them, event.roles_of(other))])
            roles = f"{'/'.join(sorted(ra))} and {'/'.join(sorted(rb))}"
            if self.hidden(them):  # what a restricted person did is theirs to hide
                roles = "/".join(sorted(event.roles_of(cid)))
            kind = f"co_present:{event.kind}"
            self.edge(a, b, kind, f"co-present at {words}", roles=roles, until=None, **seen)
            reached.add(other)
        if event.kind == "missing_episode" and "missing_person" in event.roles_of(cid):
            for name, words_at in PLACE_WORDS.items():
                for key in _as_keys(event.details.get(name)):
                    self.edge(me, self.place(key, step), name, words_at, until=None, **seen)
        return reached


def _as_keys(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and ":" in v]


def network_around(
    *,
    session: Session,
    key: str,
    as_of: datetime,
    policy: Policy,
    hides: Hides | None = None,
) -> Json:
    """The network two steps around the person ``key``: nodes and edges, for a picture and a
    table. ``hides(keys)`` says whose record the viewer may not see."""
    source, _, ident = key.partition(":")
    person_id = session.scalar(
        select(Person.id).where(Person.source == source, Person.source_id == ident)
    )
    if person_id is None:
        raise NotFoundError(f"no person with key {key!r}")
    facts, loader = facts_around(
        session=session, person_ids=[person_id], as_of=as_of, policy=policy
    )
    graph = _Graph(facts=facts, hides=hides or (lambda keys: False))
    subject = loader.cid(person_id)
    first = graph.expand(subject, 1)
    for cid in sorted(first, key=lambda c: facts.person(c).keys):
        graph.expand(cid, 2)
    _name_objects(session, graph.nodes)
    home = facts.person(subject).keys[0]
    nodes = sorted(graph.nodes.values(), key=lambda n: (n["step"], n["type"], n["label"], n["id"]))
    return {
        "subject": home,
        "as_of": iso(as_of),
        "view": "restricted" if graph.hidden(home) else "full",
        "nodes": nodes,
        "edges": sorted(graph.edges.values(), key=lambda e: e["id"]),
        "truncated": graph.truncated,
        "max_nodes": MAX_NODES,
    }


def _name_objects(session: Session, nodes: dict[str, Json]) -> None:
    """Phones and other objects by their kind and value (the facts hold only their keys)."""
    wanted = [n for n in nodes.values() if n["type"] == "object"]
    if not wanted:
        return
    pairs = [tuple(n["id"].split(":", 1)) for n in wanted]
    found = session.execute(
        select(PoleObject.source, PoleObject.source_id, PoleObject.kind, PoleObject.value).where(
            keys_match(PoleObject, pairs)
        )
    )
    for src, ident, kind, value in found:
        node = nodes[f"{src}:{ident}"]
        node["type"] = "phone" if kind == "phone" else "object"
        node["kind"], node["label"] = kind, value


def people_in(network: Json) -> list[str]:
    """Every key of the people the network shows (for the processing log)."""
    return [k for n in network["nodes"] if n["type"] == "person" for k in n["keys"]]
