"""The linkage floor and the hard rules, on the store (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from safeguard.linkage import service
from safeguard.pole.people import cluster_person_ids, person_by_key
from tests.factories import key, load, person


def linked(session: Session, a: str, b: str) -> bool:
    pa = person_by_key(session=session, key=a)
    pb = person_by_key(session=session, key=b)
    return pb.id in cluster_person_ids(session=session, person_id=pa.id)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Gemma", "Smith"), ("Gemma", "Smyth")),  # family names share a metaphone code
        (("Steven", "Jackson"), ("Steve", "Jackson")),  # known nickname
        (("Jayden", "Rowe"), ("Jaden", "Rowe")),  # same primary metaphone
        (("Katherine", "Birkett"), ("Kate", "Birket")),  # nickname, family within JW 0.8
        (("Callum", "Thwaite"), ("Callum", "Thwaites")),
    ],
)
def test_floor_links_same_dob_and_close_names(
    session: Session, first: tuple[str, str], second: tuple[str, str]
) -> None:
    a = person(*first, "2004-03-09", sex="M", source="storm")
    b = person(*second, "2004-03-09", source="ppu")
    load(session, [a, b])
    service.run_link(session=session)
    assert linked(session, key(a), key(b))


def test_floor_does_not_link_a_different_sex(session: Session) -> None:
    a = person("Jo", "Hodgson", "2004-03-09", sex="F", source="storm")
    b = person("Jo", "Hodgson", "2004-03-09", sex="M", source="ppu")
    load(session, [a, b])
    service.run_link(session=session)
    assert not linked(session, key(a), key(b))
    queued = {frozenset((i.a, i.b)): i for i in service.review_queue(session=session)}
    item = queued[frozenset((key(a), key(b)))]
    assert item.reason == "known sexes differ"


def test_never_joins_dobs_more_than_five_years_apart(session: Session) -> None:
    # Everything but the year agrees: a strong model score, still not joined.
    a = person("Gemma", "Hall", "1990-04-04", sex="F", source="storm")
    b = person("Gemma", "Hall", "1996-04-05", sex="F", source="ppu")
    load(session, [a, b])
    service.run_link(session=session)
    assert not linked(session, key(a), key(b))


def test_different_dob_and_different_names_stay_apart(session: Session) -> None:
    a = person("Noah", "Hall", "2011-11-11", sex="M", source="storm")
    b = person("Jason", "Bragg", "1988-08-08", sex="M", source="storm")
    c = person("Noah", "Hall", "2009-06-23", sex="M", source="ppu")
    load(session, [a, b, c])
    service.run_link(session=session)
    assert not linked(session, key(a), key(b))
    assert not linked(session, key(a), key(c))  # different dob: the floor does not apply


def test_a_third_key_does_not_chain_two_sexes_together(session: Session) -> None:
    a = person("Alex", "Ward", "2001-05-05", sex="F", source="storm")
    b = person("Alex", "Ward", "2001-05-05", source="ppu")  # sex unknown
    c = person("Alex", "Ward", "2001-05-05", sex="M", source="lcs")
    load(session, [a, b, c])
    service.run_link(session=session)
    assert not linked(session, key(a), key(c))


def test_shared_identifier_links_despite_spelling(session: Session) -> None:
    a = person("Ruby", "Jackson", "2007-01-01", source="storm", identifiers={"pnc": "07/123X"})
    b = person("Rubi", "Jaxon", "2007-10-01", source="custody", identifiers={"pnc": "07/123x"})
    load(session, [a, b])
    service.run_link(session=session)
    assert linked(session, key(a), key(b))


def test_twins_at_one_home_are_not_joined() -> None:
    """Same family name, date of birth, sex and home, different given names: two children.
    Address and postcode are one fact, counted once, so the home cannot outweigh the
    different given names (among a thousand other people: in a store of two keys any
    agreement would do)."""
    from datetime import date

    from safeguard.linkage.features import PersonRow, feature_table
    from safeguard.linkage.pipeline import UPPER_WEIGHT, link_table
    from safeguard.linkage.synthetic import generate

    people = generate(1000, seed=4).people
    n = len(people)
    home = {"address": "27 Springfield Road, Carlisle", "postcode": "CA1 9PY"}
    people += [
        PersonRow(n + 1, "storm:B", "Brian", "Brough", date(2011, 7, 1), "M", **home),
        PersonRow(n + 2, "storm:E", "Ethan", "Brough", date(2011, 7, 1), "M", **home),
    ]
    outcome = link_table(feature_table(people))
    twins = [e for e in outcome.edges if (e.a, e.b) == (n + 1, n + 2)]
    assert twins and twins[0].weight < UPPER_WEIGHT
    assert "postcode" not in twins[0].evidence  # the home weighed once, as address
    assert n + 1 not in outcome.clusters
