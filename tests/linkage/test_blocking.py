"""Pairs whose date of birth, postcode and street name all slipped are still compared."""

from __future__ import annotations

from datetime import date

import duckdb

from safeguard.linkage.comparisons import BLOCKING_RULES
from safeguard.linkage.features import PersonRow, feature_table
from safeguard.linkage.pipeline import link_table

STRANGERS = [
    PersonRow(10, "storm:S1", "Priya", "Okafor", date(1970, 3, 3), "F", address="2 Mill Lane"),
    PersonRow(11, "storm:S2", "Tom", "Birch", date(1999, 9, 9), "M", address="8 Elm Road"),
]


def compared(a: PersonRow, b: PersonRow) -> set[tuple[int, int]]:
    outcome = link_table(feature_table([a, b, *STRANGERS]))
    return {(e.a, e.b) for e in outcome.edges}


def test_a_family_name_and_house_number_in_one_postcode_area() -> None:
    """Postcode keyed with two digits swapped, no date of birth, street name split."""
    a = PersonRow(
        1,
        "storm:1",
        None,
        "Campton",
        date(1903, 4, 16),
        None,
        address="31 Kennewell Place Palms Lodge Coolbellup",
        postcode="4171",
    )
    b = PersonRow(
        2,
        "ppu:1",
        None,
        "Campton",
        None,
        None,
        address="31 Kennewellp Lace Palms Lodge Coolbellup",
        postcode="4711",
    )
    assert (1, 2) in compared(a, b)


def test_a_given_name_family_initial_and_street() -> None:
    a = PersonRow(
        1,
        "storm:1",
        "Riley",
        "Breheny",
        None,
        None,
        address="42 Barritt Street Rosetta Village",
        postcode="5086",
    )
    b = PersonRow(
        2,
        "ppu:1",
        "Riley",
        "Bteheny",
        None,
        None,
        address="14 Barritt Street Rosetta Vllage",
        postcode="0586",
    )
    assert (1, 2) in compared(a, b)


def test_the_same_address_whatever_the_names() -> None:
    a = PersonRow(
        1,
        "storm:1",
        None,
        "Della Verde",
        date(1901, 2, 17),
        None,
        address="113 Rivett Street Glen Eden",
        postcode="2606",
    )
    b = PersonRow(
        2,
        "ppu:1",
        None,
        "Della Veede",
        None,
        None,
        address="113 Rivett Street Glen Eden",
        postcode="2660",
    )
    assert (1, 2) in compared(a, b)


def blocked_pairs(people: list[PersonRow]) -> set[tuple[int, int]]:
    """The pairs any blocking rule puts together, evaluated over the feature table."""
    con = duckdb.connect()
    con.register("features", feature_table(people))
    rules = " or ".join(f"({rule})" for rule in BLOCKING_RULES)
    sql = (
        "select l.unique_id, r.unique_id from features l join features r"  # nosec B608
        f" on l.unique_id < r.unique_id and ({rules})"
    )
    return {(a, b) for a, b in con.execute(sql).fetchall()}


def test_a_numbered_door_is_a_block_and_no_fixed_abode_is_not() -> None:
    people = [
        PersonRow(1, "storm:1", "Amy", "Cole", date(1980, 1, 1), "F", address="12 Mill Lane"),
        PersonRow(2, "ppu:1", "Zoe", "Hart", date(1961, 6, 9), "F", address="12 Mill Lane"),
        PersonRow(3, "storm:2", "Ian", "Bell", date(1975, 2, 2), "M", address="No Fixed Abode"),
        PersonRow(4, "storm:3", "Tom", "Reed", date(1990, 3, 3), "M", address="No Fixed Abode"),
    ]
    assert blocked_pairs(people) == {(1, 2)}


def test_a_street_in_one_postcode_and_a_door_in_one_area() -> None:
    people = [
        # given name replaced, no family name, house number or second date of birth
        PersonRow(
            1,
            "storm:1",
            "Joel",
            None,
            date(1915, 4, 12),
            None,
            address="Coane Street Mountview Thornlands",
            postcode="2548",
        ),
        PersonRow(
            2,
            "ppu:1",
            "Charlee",
            None,
            None,
            None,
            address="Coane Street Mount Ivew Thornlands",
            postcode="2548",
        ),
        # both names replaced, postcode keyed with two digits swapped: one door, one area
        PersonRow(
            3,
            "storm:2",
            "Talyah",
            "Hewson",
            None,
            None,
            address="16 Helen Mayo Crescent Paradome",
            postcode="3189",
        ),
        PersonRow(
            4,
            "ppu:2",
            "Gabrielle",
            "Patience",
            None,
            None,
            address="16 Helen Mayo Crescent Paradone",
            postcode="3198",
        ),
        # the same door number and street in another area: not a block
        PersonRow(
            5,
            "storm:3",
            "Ava",
            "Lund",
            None,
            None,
            address="16 Helen Mayo Crescent Kambah",
            postcode="5189",
        ),
    ]
    assert blocked_pairs(people) == {(1, 2), (3, 4)}
