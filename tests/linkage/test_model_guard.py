"""EM's m values that contradict themselves are replaced by the stored model's."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from safeguard.linkage.model import (
    COUNTED_PAIRS_SQL,
    counted_u,
    implausible_m_replaced,
    self_consistent_shift,
    u_without_matches,
)


def _comparison(name: str, levels: list[tuple[str, float, float]]) -> dict[str, Any]:
    return {
        "output_column_name": name,
        "comparison_levels": [{"label_for_charts": "null", "is_null_level": True}]
        + [{"label_for_charts": lb, "m_probability": m, "u_probability": u} for lb, m, u in levels],
    }


def test_disagreement_that_counts_for_a_match_takes_the_stored_m() -> None:
    trained = {
        "comparisons": [
            _comparison("dob", [("exact", 0.01, 0.0001), ("else", 0.99, 0.99)]),  # else: no penalty
            _comparison("given", [("exact", 0.9, 0.01), ("else", 0.1, 0.99)]),
        ]
    }
    stored = {
        "dob": {"exact": {"m": 0.95, "u": 0.0001}, "else": {"m": 0.05, "u": 0.99}},
        "given": {"exact": {"m": 0.5, "u": 0.01}, "else": {"m": 0.5, "u": 0.99}},
    }

    assert implausible_m_replaced(trained, stored) == ["dob"]

    dob, given = (c["comparison_levels"] for c in trained["comparisons"])
    assert [lv.get("m_probability") for lv in dob[1:]] == [0.95, 0.05]
    assert [lv["u_probability"] for lv in dob[1:]] == [0.0001, 0.99]  # u kept
    assert [lv["m_probability"] for lv in given[1:]] == [0.9, 0.1]  # plausible: kept


def test_prior_moves_to_agree_with_the_scores() -> None:
    # 10 keys, 45 possible pairs; three certain pairs and nothing else: prior 3/45.
    prior = 0.001
    shift = self_consistent_shift([40.0, 40.0, 40.0], n_keys=10, prior=prior)
    odds = 2**shift * prior / (1 - prior)
    assert abs(odds / (1 + odds) - 3 / 45) < 0.001


def test_u_leaves_out_the_matches_random_sampling_also_measured() -> None:
    # Prior 1e-4: of what random pairs showed for "exact" (2e-4), half was matches (m 1.0).
    trained = {
        "probability_two_random_records_match": 1e-4,
        "comparisons": [
            _comparison(
                "address",
                [("exact", 1.0, 2e-4), ("similar", 0.5, 4e-5), ("else", 0.01, 0.9998)],
            )
        ],
    }

    u_without_matches(trained, pairs=1e6)

    levels = trained["comparisons"][0]["comparison_levels"]
    assert levels[0].get("u_probability") is None  # the null level has none
    exact, similar, other = (lv["u_probability"] for lv in levels[1:])
    assert exact == pytest.approx((2e-4 - 1e-4) / (1 - 1e-4))
    assert similar == 1e-6  # all of it matches: floored at one pair in a million sampled
    assert other == pytest.approx((0.9998 - 1e-6) / (1 - 1e-4))


def test_a_level_counted_over_every_pair_leaves_out_the_expected_matches() -> None:
    # 10,000 keys; 936 pairs share an address, the model expects 930 of them to be one
    # person: six pairs of two people at one address, out of 49,995,000.
    pairs = 10_000 * 9_999 / 2
    u = counted_u(agreeing_pairs=936, expected_matches=930.0, n_keys=10_000)
    assert u == pytest.approx(6 / pairs)
    # a force's households: most pairs at one address are two people
    assert counted_u(agreeing_pairs=5000, expected_matches=300.0, n_keys=20_000) == (
        pytest.approx(4700 / (20_000 * 19_999 / 2))
    )
    # every pair expected a match: floored at one pair in all
    assert counted_u(agreeing_pairs=10, expected_matches=10.0, n_keys=100) == 1 / 4950


def test_pairs_sharing_an_address_are_counted_and_a_missing_address_is_not_shared() -> None:
    con = duckdb.connect()
    con.execute("create table features (unique_id integer, address varchar)")
    addresses = ["1 a st", "1 a st", "1 a st", "2 b rd", "2 b rd", "3 c ave", None, None]
    con.executemany("insert into features values (?, ?)", list(enumerate(addresses)))
    # three pairs at "1 a st", one at "2 b rd"; none at "3 c ave", none between the missing
    assert con.execute(COUNTED_PAIRS_SQL).fetchall()[0][0] == 4
