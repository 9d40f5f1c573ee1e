"""The address comparison's levels, evaluated by DuckDB as Splink evaluates them."""

from __future__ import annotations

import duckdb

from safeguard.linkage.comparisons import DIALECTS, comparison_levels


def same_number_and_street(left: tuple[str, str], right: tuple[str, str]) -> bool:
    levels = dict(comparison_levels(DIALECTS["duckdb"])["address"])
    sql = (
        "select " + levels["same number and street"] + " from (select"
        " ? as street_no_l, ? as street_word_l, ? as street_no_r, ? as street_word_r)"
    )
    row = duckdb.connect().execute(sql, [*left, *right]).fetchall()
    return bool(row[0][0])


def test_one_door_written_two_ways_is_the_same_number_and_street() -> None:
    assert same_number_and_street(("5", "walker"), ("5", "walkercrescent"))
    assert same_number_and_street(("31", "kennewell"), ("31", "kennewellp"))


def test_streets_that_only_start_alike_are_not() -> None:
    assert not same_number_and_street(("5", "bellchambers"), ("5", "bellinger"))
    assert not same_number_and_street(("4", "walker"), ("5", "walker"))


def postcode_level(left: str, right: str) -> str:
    """The first postcode level (after null and exact) whose condition holds."""
    levels = comparison_levels(DIALECTS["duckdb"])["postcode"]
    con = duckdb.connect()
    for label, sql in levels[2:]:
        if sql == "ELSE":
            return label
        query = f"select {sql} from (select ? as postcode_l, ? as postcode_r)"  # nosec B608
        if con.execute(query, [left, right]).fetchall()[0][0]:
            return label
    raise AssertionError("no else level")


def test_two_characters_swapped_in_a_postcode_is_its_own_level() -> None:
    assert postcode_level("2134", "2143") == "two characters transposed"
    assert postcode_level("LS6 2AB", "LS6 2BA") == "two characters transposed"
    # a neighbouring district, one character changed: the weaker level
    assert postcode_level("2134", "2135") == "one character off"
    assert postcode_level("LS6 2AB", "LS6 3AB") == "one character off"
    # two characters swapped that are not neighbours are two edits
    assert postcode_level("2134", "4132") == "else"
