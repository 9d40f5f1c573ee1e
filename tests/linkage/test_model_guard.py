"""EM's m values that contradict themselves are replaced by the stored model's."""

from __future__ import annotations

from typing import Any

from safeguard.linkage.model import implausible_m_replaced, self_consistent_shift


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
