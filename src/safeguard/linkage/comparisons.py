"""The Splink model's comparisons and blocking rules, written once for DuckDB and Spark.

Each comparison is a list of (label, SQL condition) levels, strongest first; the labels are
what a link's evidence shows ("given: nickname, dob: day and month transposed").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Dialect:
    name: str
    jw: str
    overlap: str
    common: str  # the number of elements two lists share, with {l} and {r}
    size: str

    def jaro_winkler(self, col: str) -> str:
        return f"{self.jw}({col}_l, {col}_r)"

    def lists_overlap(self, col: str) -> str:
        return f"{self.overlap}({col}_l, {col}_r)"

    def jaccard_at_least(self, col: str, tenths: int) -> str:
        """Words in common over words in either, of two lists of distinct words, at
        least tenths/10 (multiplied out: no division in the SQL)."""
        common = self.common.format(l=f"{col}_l", r=f"{col}_r")
        either = f"({self.size}({col}_l) + {self.size}({col}_r) - {common})"
        return f"{common} * 10 >= {tenths} * {either}"


DIALECTS = {
    # list_intersect is five times slower in DuckDB than filtering one list by the other
    "duckdb": Dialect(
        "duckdb",
        "jaro_winkler_similarity",
        "list_has_any",
        "len(list_filter({l}, lambda x: list_contains({r}, x)))",
        "len",
    ),
    "spark": Dialect(
        "spark", "jaro_winkler", "arrays_overlap", "size(array_intersect({l}, {r}))", "size"
    ),
}

TF_COLUMNS = ("given", "family", "postcode")
PARTLY_SWAPPED = "given_l = family_r or family_l = given_r"


def _null(col: str) -> str:
    return f"{col}_l is null or {col}_r is null"


def _swapped(d: Dialect) -> str:
    """Given and family names exchanged, each perhaps with a typo."""
    jw = d.jw
    return f"{jw}(given_l, family_r) >= 0.92 and {jw}(family_l, given_r) >= 0.92"


def comparison_levels(d: Dialect) -> dict[str, list[tuple[str, str]]]:
    """Comparison name -> [(label, sql)], the first being the null level, else last."""
    return {
        "given": [
            ("null", _null("given")),
            ("exact", "given_l = given_r"),
            ("swapped with family", _swapped(d)),
            ("jaro-winkler 0.92", f"{d.jaro_winkler('given')} >= 0.92"),
            ("nickname", d.lists_overlap("nick")),
            ("in the family name's place", PARTLY_SWAPPED),
            ("metaphone", "given_dm_l = given_dm_r"),
            ("jaro-winkler 0.8", f"{d.jaro_winkler('given')} >= 0.8"),
            ("initial", "substr(given_l, 1, 1) = substr(given_r, 1, 1)"),
            ("else", "ELSE"),
        ],
        "family": [
            # A swap is one fact, weighed once (in given): not again here.
            ("null", f"{_null('family')} or ({_swapped(d)})"),
            ("exact", "family_l = family_r"),
            ("jaro-winkler 0.92", f"{d.jaro_winkler('family')} >= 0.92"),
            ("metaphone", "family_dm_l = family_dm_r"),
            ("jaro-winkler 0.8", f"{d.jaro_winkler('family')} >= 0.8"),
            ("else", "ELSE"),
        ],
        "dob": [
            ("null", _null("dob")),
            ("exact", "dob_l = dob_r"),
            (
                "day and month transposed",
                "substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"
                " and substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
                " and substr(dob_l, 9, 2) = substr(dob_r, 6, 2)",
            ),
            # A slip in the day (same year and month) is far rarer between two people than
            # a digit off anywhere (a year's digit moves ten years).
            (
                "day one digit off",
                "substr(dob_l, 1, 8) = substr(dob_r, 1, 8) and levenshtein(dob_l, dob_r) <= 1",
            ),
            ("one digit off", "levenshtein(dob_l, dob_r) <= 1"),
            ("two digits off", "levenshtein(dob_l, dob_r) <= 2"),
            ("else", "ELSE"),
        ],
        "sex": [
            ("null", _null("sex")),
            ("exact", "sex_l = sex_r"),
            ("else", "ELSE"),
        ],
        "postcode": [
            # The same address is where someone lives, weighed once (in address): a
            # household's twins must not count their home twice.
            ("null", f"{_null('postcode')} or address_l = address_r"),
            ("exact", "postcode_l = postcode_r"),
            # Two neighbouring characters swapped is a keying slip; between two people's
            # postcodes it is rarer than one character changed (neighbouring districts).
            (
                "two characters transposed",
                "levenshtein(postcode_l, postcode_r) = 2"
                " and damerau_levenshtein(postcode_l, postcode_r) = 1",
            ),
            ("one character off", "damerau_levenshtein(postcode_l, postcode_r) <= 1"),
            ("else", "ELSE"),
        ],
        "address": [
            ("null", _null("address")),
            ("exact", "address_l = address_r"),
            (
                "same number, most words",
                f"street_no_l = street_no_r and {d.jaccard_at_least('address_tokens', 6)}",
            ),
            ("most words", d.jaccard_at_least("address_tokens", 6)),
            ("similar text", f"{d.jaro_winkler('address')} >= 0.9"),
            # the same house number on a street whose name is alike ("walker crescent",
            # "walkercrescent"): the same door written differently. Alike by Jaro-Winkler,
            # not the first four letters: "5 bellchambers" is not "5 bellinger".
            (
                "same number and street",
                f"street_no_l = street_no_r and {d.jaro_winkler('street_word')} >= 0.88",
            ),
            ("some words", d.jaccard_at_least("address_tokens", 3)),
            ("same street name", "substr(street_word_l, 1, 4) = substr(street_word_r, 1, 4)"),
            ("else", "ELSE"),
        ],
        "phone": [
            ("null", _null("phones")),
            ("shared phone", d.lists_overlap("phones")),
            ("else", "ELSE"),
        ],
    }


# Blocking: every rule joins on at least two fields, so that no block grows with the
# population as a bare date of birth does (~35 keys a block at a million keys, ~2,000 at
# sixty million). A pair is compared if any rule holds: a true pair is lost only when
# every one of these combinations disagrees.
_DOB = "l.dob = r.dob"
_YEAR = "substr(l.dob, 1, 4) = substr(r.dob, 1, 4)"
_DAY_MONTH = "substr(l.dob, 6, 5) = substr(r.dob, 6, 5)"
_NAMES = "l.given_dm = r.given_dm and l.family_dm = r.family_dm"
_GIVEN_INITIAL = "substr(l.given, 1, 1) = substr(r.given, 1, 1)"
_FAMILY_INITIAL = "substr(l.family, 1, 1) = substr(r.family, 1, 1)"
_POSTCODE = "l.postcode = r.postcode"
# The postcode district (features.postcode_district): a number and a name in one district,
# for a key whose postcode, date of birth and street name all slipped.
_AREA = "l.district = r.district"
_MISSING_NUMBER_OR_DOB = (
    "l.street_no is null or r.street_no is null or l.dob is null or r.dob is null"
)

BLOCKING_RULES = (
    f"{_DOB} and l.given_dm = r.given_dm",
    f"{_DOB} and l.family_dm = r.family_dm",
    f"{_DOB} and {_GIVEN_INITIAL}",
    f"{_DOB} and {_FAMILY_INITIAL}",
    f"{_DOB} and {_POSTCODE}",
    f"{_DOB} and l.street_word = r.street_word",
    f"{_DOB} and l.street_no = r.street_no",
    f"{_DOB} and l.given_dm = r.family_dm",
    f"{_DOB} and l.family_dm = r.given_dm",
    f"{_NAMES} and {_YEAR}",
    f"{_NAMES} and {_DAY_MONTH}",
    f"{_NAMES} and {_POSTCODE}",
    f"{_NAMES} and l.street_word = r.street_word",
    f"{_NAMES} and l.street_no = r.street_no",
    f"{_NAMES} and (l.dob is null or r.dob is null)",
    # the given name exact and the family's first two letters: a street word may be "flat"
    "l.given = r.given and substr(l.family, 1, 2) = substr(r.family, 1, 2)"
    " and l.street_word = r.street_word",
    f"{_POSTCODE} and {_GIVEN_INITIAL}",
    f"{_POSTCODE} and {_FAMILY_INITIAL}",
    f"{_POSTCODE} and l.given_dm = r.family_dm",
    f"{_POSTCODE} and l.family_dm = r.given_dm",
    f"{_POSTCODE} and {_YEAR}",
    f"{_POSTCODE} and {_DAY_MONTH}",
    f"{_POSTCODE} and l.street_no = r.street_no",
    "l.given = r.family and l.family = r.given",
    "l.street = r.street and l.given_dm = r.given_dm",
    "l.street = r.street and l.family_dm = r.family_dm",
    "l.phone1 = r.phone1",
    f"l.family_dm = r.family_dm and l.street_no = r.street_no and {_AREA}",
    f"l.given_dm = r.given_dm and l.street_no = r.street_no and {_AREA}",
    f"l.given_dm = r.given_dm and {_FAMILY_INITIAL} and l.street_word = r.street_word",
    # a name replaced and the house number or date of birth missing: the street in one
    # postcode, or one door on a street in one area when the postcode slipped too
    f"{_POSTCODE} and l.street_word = r.street_word and ({_MISSING_NUMBER_OR_DOB})",
    f"l.street_no = r.street_no and l.street_word = r.street_word and {_AREA}",
    # one numbered door written the same way: a block the size of a household (a hostel at
    # most); "no fixed abode" and the like carry no number and would be one huge block
    "l.address = r.address and l.street_no is not null",
)

# Parameters per comparison and level label: {"m": ..., "u": ...}
Params = dict[str, dict[str, dict[str, float]]]
# A level newer than a stored model takes the values of the level it was split from.
SPLIT_FROM = {
    "day one digit off": "one digit off",
    "same number and street": "some words",
    "same street name": "else",
    "two characters transposed": "one character off",
}


def gamma_labels(d: Dialect) -> dict[str, dict[int, str]]:
    """Splink's gamma value of each level (null -1, else 0, the strongest highest)."""
    result = {}
    for name, levels in comparison_levels(d).items():
        non_null = levels[1:]
        result[name] = {len(non_null) - 1 - i: label for i, (label, _) in enumerate(non_null)}
        result[name][-1] = "null"
    return result


def settings(
    d: Dialect, *, prior: float, params: Params | None, term_frequencies: bool
) -> dict[str, Any]:
    comparisons = []
    for name, levels in comparison_levels(d).items():
        out = []
        for label, sql in levels:
            level: dict[str, Any] = {"sql_condition": sql, "label_for_charts": label}
            if label == "null":
                level["is_null_level"] = True
            if term_frequencies and label == "exact" and name in TF_COLUMNS:
                level["tf_adjustment_column"] = name
                level["tf_adjustment_weight"] = 1.0
            stored = (params or {}).get(name, {})
            trained = stored.get(label) or stored.get(SPLIT_FROM.get(label, ""))
            if trained and label != "null":
                level["m_probability"] = trained["m"]
                level["u_probability"] = trained["u"]
            out.append(level)
        comparisons.append({"output_column_name": name, "comparison_levels": out})
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule, "sql_dialect": d.name} for rule in BLOCKING_RULES
        ],
        "comparisons": comparisons,
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": [],
    }


def params_from_settings(trained: dict[str, Any]) -> Params:
    """The m and u of each level of a trained Splink settings dict, keyed by label."""
    result: Params = {}
    for comparison in trained["comparisons"]:
        levels = result.setdefault(comparison["output_column_name"], {})
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is not None and u is not None:
                levels[level["label_for_charts"]] = {"m": float(m), "u": float(u)}
    return result
