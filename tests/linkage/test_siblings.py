"""Two given names in one family are two people until a person says otherwise."""

from __future__ import annotations

from sqlalchemy.orm import Session

from safeguard.linkage import service
from safeguard.linkage.clusters import SIBLINGS, SLIP, Edge, Known, build_clusters, slips_marked
from safeguard.linkage.names import damerau_levenshtein, given_name_slipped
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


def test_a_slipped_given_name_in_one_family_links_at_home(session: Session) -> None:
    home = location("11 Terry Close, Naremburn", postcode="LA14 3UG")
    ridley = person("Ridley", "Dumbrell", "1987-01-16", sex="M", source="storm")
    rifey = person("Rifey", "Dumbrell", "1987-01-16", sex="M", source="ppu")
    homes = [link("residence", person=key(p), location=key(home)) for p in (ridley, rifey)]
    load(session, [home, ridley, rifey, *homes])

    service.run_link(session=session)

    assert linked(session, key(ridley), key(rifey))


def test_slips_are_marked_and_two_names_are_not() -> None:
    given = {1: "toby", 2: "tobp", 3: "stephen", 4: "stuart", 5: "noah", 6: "noaj"}
    counts = {"toby": 12, "tobp": 1, "stephen": 9, "stuart": 7, "noah": 58, "noaj": 2}
    edges = [
        Edge(1, 2, 20.0, "model", {**TWINS, "given": "jaro-winkler 0.8"}),
        Edge(3, 4, 20.0, "model", {**TWINS, "given": "else"}),
        Edge(5, 6, 20.0, "model", {**TWINS, "given": "jaro-winkler 0.8"}),
    ]

    marked = slips_marked(edges, given=given, counts=counts)
    clusters, refused = build_clusters(edges=marked, known={})

    assert [e.evidence["given"] for e in marked] == [SLIP, "else", SLIP]
    assert clusters == {1: 1, 2: 1, 5: 5, 6: 5}
    assert [(e.a, e.b, why) for e, why in refused] == [(3, 4, SIBLINGS)]


def test_the_same_slip_many_times_over_is_a_name() -> None:
    assert given_name_slipped("noah", "noaj", counts={"noah": 58, "noaj": 2})
    assert not given_name_slipped("aria", "arya", counts={"aria": 30, "arya": 30})


def test_initials_middle_names_and_swapped_first_letters_are_one_name() -> None:
    counts = {"jack": 40, "kyle": 20}
    assert given_name_slipped("j", "jack", counts=counts)
    assert given_name_slipped("mary jane", "mary", counts=counts)
    assert given_name_slipped("ykle", "kyle", counts=counts)
    assert given_name_slipped("jsk", "jack", counts=counts)


def test_rhyming_and_different_names_are_two_people() -> None:
    counts: dict[str, int] = {}
    assert not given_name_slipped("jayden", "hayden", counts=counts)  # first letter
    assert not given_name_slipped("ella", "ellie", counts=counts)  # both known names
    assert not given_name_slipped("benjamin", "blake", counts=counts)  # initial level only
    assert not given_name_slipped("j", "kate", counts=counts)


def test_edits_are_counted_with_swaps_as_one() -> None:
    assert damerau_levenshtein("kyle", "ykle") == 1
    assert damerau_levenshtein("ridley", "rifey") == 2
    assert damerau_levenshtein("", "ab") == 2
    assert damerau_levenshtein("jamie", "jamie") == 0
