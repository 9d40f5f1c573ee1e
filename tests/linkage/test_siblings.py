"""Two given names in one family are two people until a person says otherwise."""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguard.linkage import service
from safeguard.linkage.clusters import SIBLINGS, Edge, Known, build_clusters
from tests.factories import key, link, load, location, person
from tests.linkage.test_floor_and_rules import linked

TWINS = {"given": "initial", "family": "exact", "dob": "exact", "address": "exact"}


def test_a_strong_pair_of_different_given_names_in_one_family_waits_for_review() -> None:
    known = {1: Known("F", None), 2: Known("F", None), 3: Known("F", None), 4: Known("F", None)}
    twins = Edge(1, 2, 20.0, "model", TWINS)
    slip = Edge(3, 4, 20.0, "model", {**TWINS, "given": "jaro-winkler 0.92"})

    clusters, refused = build_clusters(edges=[twins, slip], known=known)

    assert refused == [(twins, SIBLINGS)]
    assert clusters == {3: 3, 4: 3}  # a slip in the given name still links


def test_a_person_can_still_join_them() -> None:
    twins = Edge(1, 2, 20.0, "model", TWINS)
    confirmed = Edge(1, 2, 0.0, "confirmed", {})

    clusters, refused = build_clusters(edges=[confirmed, twins], known={})

    assert clusters == {1: 1, 2: 1}
    assert refused == []


def test_twins_at_home_are_not_linked(session: Session) -> None:
    home = location("17 Market Place, Barrow-in-Furness", postcode="LA14 3UG")
    stephen = person("Stephen", "Heslop", "2006-09-27", sex="M", source="storm")
    stuart = person("Stuart", "Heslop", "2006-09-27", sex="M", source="storm")
    homes = [link("residence", person=key(p), location=key(home)) for p in (stephen, stuart)]
    load(session, [home, stephen, stuart, *homes])

    service.run_link(session=session)

    assert not linked(session, key(stephen), key(stuart))
