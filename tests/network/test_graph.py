"""The network around a child: a household, a phone shared with an adult who was with the
child when found missing, and that adult's own links, two steps out and no further."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.network.graph import network_around, people_in
from safeguard.risk.policy import default_policy
from safeguard.timeutil import parse_as_of
from tests.factories import Rec, event, key, link, load, location, person
from tests.risk.helpers import AS_OF

CHILD = person("Mia", "Lowe", "2002-03-03", id="NW1")
MOTHER = person("Jo", "Lowe", "1980-05-05", id="NW2")
BROTHER = person("Kai", "Lowe", "2006-06-06", id="NW3")
DEAN = person("Dean", "Rix", "1994-01-01", id="NW4")
LEE = person("Lee", "Dunn", "1990-02-02", id="NW5")
AMY = person("Amy", "Cole", "1991-03-03", id="NW6")  # three steps out: never shown
HOME = location("3 Fell View, Penrith", id="NWL1", kind="home")
FLAT = location("Flat 2, 9 Bridge Lane, Carlisle", id="NWL2", kind="home")
PHONE = {
    "record": "object",
    "source": "storm",
    "id": "NWT1",
    "kind": "phone",
    "value": "07700 900456",
}
MISSING = event(
    "missing_episode",
    "2016-06-10T22:00",
    [(CHILD, "missing_person"), (DEAN, "suspect")],
    id="NWE1",
    details={"found_location": key(FLAT)},
)


def _records() -> list[Rec]:
    lives = [
        link("residence", id=f"NWR{n}", person=key(p), location=key(place), since="2015-01-01")
        for n, (p, place) in enumerate(
            [(CHILD, HOME), (MOTHER, HOME), (BROTHER, HOME), (DEAN, FLAT)], start=1
        )
    ]
    return [
        CHILD,
        MOTHER,
        BROTHER,
        DEAN,
        LEE,
        AMY,
        HOME,
        FLAT,
        PHONE,
        MISSING,
        *lives,
        link("relation", id="NWX1", a=key(MOTHER), b=key(CHILD), kind="parent_of"),
        link("relation", id="NWX2", a=key(DEAN), b=key(LEE), kind="associate"),
        link("relation", id="NWX3", a=key(LEE), b=key(AMY), kind="partner"),
        link("uses", id="NWU1", person=key(CHILD), object=key(PHONE)),
        link("uses", id="NWU2", person=key(DEAN), object=key(PHONE)),
        link("flag", id="NWF1", person=key(CHILD), kind="cse_risk", since="2016-06-11"),
    ]


def _network(session: Session, **kwargs: Any) -> dict[str, Any]:
    load(session, _records())
    return network_around(
        session=session,
        key=key(CHILD),
        as_of=parse_as_of(AS_OF),
        policy=default_policy(),
        **kwargs,
    )


def _nodes(net: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (n["id"], n["type"], n["kind"], n["label"], n.get("age"), n["flags"], n["step"])
        for n in net["nodes"]
    ]


def _edges(net: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(e["source"], e["relation"], e["target"], e["label"]) for e in net["edges"]]


def test_the_network_two_steps_around_a_child(session: Session) -> None:
    net = _network(session)
    child, mother, brother = key(CHILD), key(MOTHER), key(BROTHER)
    dean, lee, home, flat, phone = key(DEAN), key(LEE), key(HOME), key(FLAT), key(PHONE)
    assert net["subject"] == child and net["view"] == "full" and not net["truncated"]
    assert _nodes(net) == [
        (child, "person", "child", "Mia Lowe", 14, ["cse_risk"], 0),
        (dean, "person", "suspect", "Dean Rix", 22, [], 1),
        (mother, "person", "adult", "Jo Lowe", 36, [], 1),
        (brother, "person", "child", "Kai Lowe", 10, [], 1),
        (phone, "phone", "phone", "07700 900456", None, [], 1),
        (home, "place", "home", "3 Fell View, Penrith", None, [], 1),
        (flat, "place", "home", "Flat 2, 9 Bridge Lane, Carlisle", None, [], 1),
        (lee, "person", "adult", "Lee Dunn", 26, [], 2),
    ]
    assert _edges(net) == sorted(
        [
            (mother, "parent_of", child, "parent of"),
            (child, "lives_at", home, "lives at"),
            (mother, "lives_at", home, "lives at"),
            (brother, "lives_at", home, "lives at"),
            (child, "uses", phone, "uses"),
            (dean, "uses", phone, "uses"),
            (child, "co_present:missing_episode", dean, "co-present at missing episode"),
            (child, "found_location", flat, "found at"),
            (dean, "lives_at", flat, "lives at"),
            (dean, "associate", lee, "associate of"),
        ],
        key=lambda e: f"{e[0]}|{e[1]}|{e[2]}",
    )
    together = next(e for e in net["edges"] if e["relation"] == "co_present:missing_episode")
    assert together["roles"] == "missing_person and suspect"
    assert together["events"] == [key(MISSING)]
    assert all(e["current"] for e in net["edges"])
    assert sorted(people_in(net)) == sorted([child, mother, brother, dean, lee])
    assert {n["href"] for n in net["nodes"] if n["type"] == "person"} == {
        f"/people/{k}" for k in people_in(net)
    }


def test_a_restricted_person_is_named_as_such_and_not_expanded(session: Session) -> None:
    dean = key(DEAN)
    net = _network(session, hides=lambda keys: dean in keys)
    shown = {n["id"]: n for n in net["nodes"]}
    assert shown[dean]["label"] == RESTRICTED_LABEL and shown[dean]["age"] is None
    assert shown[dean]["kind"] == "restricted"  # not "suspect"
    together = next(e for e in net["edges"] if e["relation"] == "co_present:missing_episode")
    assert together["roles"] == "missing_person"  # the child's part only
    assert key(LEE) not in shown  # reached only through Dean
    assert (dean, "associate", key(LEE), "associate of") not in _edges(net)
    assert (key(CHILD), "uses", key(PHONE), "uses") in _edges(net)


def test_a_restricted_child_shows_no_links(session: Session) -> None:
    child = key(CHILD)
    net = _network(session, hides=lambda keys: child in keys)
    assert net["view"] == "restricted" and net["edges"] == []
    assert _nodes(net) == [(child, "person", "restricted", RESTRICTED_LABEL, None, ["cse_risk"], 0)]
