"""Scoring pairs with Splink: trained by EM on enough data, else the stored model.

The stored model (``stored_model.json``) holds m and u for every comparison level, keyed by
level label, and the number of duplicates per key seen in training. On a small store the
prior is rebuilt from that rate for the store's size, and term-frequency adjustments are
off (frequencies counted in ten records say nothing about how common a name is).
"""

from __future__ import annotations

import copy
import json
import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from safeguard.linkage.clusters import Edge
from safeguard.linkage.comparisons import (
    DIALECTS,
    Dialect,
    Params,
    comparison_levels,
    params_from_settings,
    settings,
)

MIN_KEYS_FOR_EM = 5000
DETERMINISTIC_RULES = (
    "l.given = r.given and l.family = r.family and l.dob = r.dob",
    "l.given_dm = r.given_dm and l.family_dm = r.family_dm and l.dob = r.dob"
    " and l.postcode = r.postcode",
)
# Each EM session trains the comparisons its block leaves free; each block is narrow enough
# to stay near-linear in the number of keys (a bare date of birth is not, at national scale).
EM_BLOCKS = (
    "l.dob = r.dob and l.given_dm = r.given_dm",
    "l.dob = r.dob and l.postcode = r.postcode",  # names free: swaps, nicknames, typos
    "l.given_dm = r.given_dm and l.family_dm = r.family_dm and l.postcode = r.postcode",
)
STORED_MODEL = "stored_model.json"
U_PAIRS = 1e6  # random pairs sampled for u
# A prior found this many bits off once the pairs are scored is refitted, u and all.
PRIOR_REFIT_BITS = 0.5
# Levels too rare for random sampling to measure (a whole address written the same way: a
# household's, or one person's twice), counted over every pair instead (``counted_u``).
COUNTED_LEVEL = ("address", "exact")
COUNTED_PAIRS_SQL = (
    "select coalesce(sum(n * (n - 1) / 2), 0) from"
    " (select count(*) as n from features where address is not null group by address)"
)
# A comparison's strongest level must favour a match, and its weakest count against one,
# by at least this Bayes factor (one bit), or EM is taken to have learnt something else.
PLAUSIBLE = 2.0


@dataclass(frozen=True)
class StoredModel:
    duplicates_per_key: float
    params: Params

    @classmethod
    def load(cls) -> StoredModel:
        text = resources.files("safeguard.linkage").joinpath(STORED_MODEL).read_text("utf-8")
        data = json.loads(text)
        return cls(float(data["duplicates_per_key"]), data["params"])

    def save(self, path: Path) -> None:
        body = {"duplicates_per_key": self.duplicates_per_key, "params": self.params}
        path.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    def prior(self, n_keys: int) -> float:
        return min(0.5, max(1e-12, self.duplicates_per_key / max(n_keys - 1, 1)))


@contextmanager
def _quiet_splink() -> Iterator[None]:
    """Splink's warnings here are expected, not news: each EM block leaves some levels
    unobserved ("unable to train m value"), and u is sampled from a million pairs on purpose
    (U_PAIRS, not its suggested 1e8). Printed by every `link` and `demo`, they buried the
    summary an officer needs; errors still show."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@dataclass
class TrainedLinker:
    linker: Any
    trained_by_em: bool
    # EM's model with u as random sampling measured it (matches and all), and the table:
    # to make the linker again at a better prior (``at_prior``).
    measured: dict[str, Any] | None = None
    table: Any = None
    counted_u: float | None = None

    def at_prior(self, prior: float, *, counted_u: float | None = None) -> TrainedLinker:
        """The same model with this prior, and u values with that share of matches taken
        out (``u_without_matches``); the counted level's u as counted, if it has been."""
        from splink import Linker

        assert self.measured is not None
        model = copy.deepcopy(self.measured)
        model["probability_two_random_records_match"] = prior
        u_without_matches(model, pairs=U_PAIRS)
        counted_u = counted_u if counted_u is not None else self.counted_u
        if counted_u is not None:
            _set_u(model, COUNTED_LEVEL, counted_u)
        with _quiet_splink():
            linker = Linker(self.table, model, log_level=None)
        return TrainedLinker(linker, self.trained_by_em, self.measured, self.table, counted_u)


def make_linker(
    table: Any, *, dialect: Dialect, db_api: Any, n_keys: int, stored: StoredModel | None
) -> TrainedLinker:
    """A Splink linker over ``table`` (registered with ``db_api``), trained or loaded."""
    from splink import Linker

    big = n_keys >= MIN_KEYS_FOR_EM or stored is None
    params = stored.params if stored else None
    prior = stored.prior(n_keys) if stored else 1e-4
    with _quiet_splink():
        sdf = db_api.register(table, table_name="safeguard_features")
        linker = Linker(
            sdf,
            settings(dialect, prior=prior, params=params, term_frequencies=big),
            log_level=None,
        )
        if big:
            linker.training.estimate_probability_two_random_records_match(
                list(DETERMINISTIC_RULES), recall=0.8
            )
            linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=1)
            for block in EM_BLOCKS:
                _em(linker, block)
            measured = linker.misc.save_model_to_json()
            if stored is not None:
                implausible_m_replaced(measured, stored.params)
            prior = float(measured["probability_two_random_records_match"])
            return TrainedLinker(None, True, measured, sdf).at_prior(prior)
    return TrainedLinker(linker, False)


def implausible_m_replaced(trained: dict[str, Any], stored: Params) -> list[str]:
    """Comparisons whose EM-trained m values are implausible, given the stored model's m.

    EM finds what separates the pairs of its blocks into two groups; where most such pairs
    are relatives rather than the same person (a household sharing a name and a postcode),
    it can learn that disagreeing counts for a match, or that the strongest agreement
    counts against one. Such a comparison keeps its u (from random pairs, reliable) and
    takes its m from the stored model. Returns the names of the comparisons repaired."""
    repaired = []
    for comparison in trained["comparisons"]:
        name = comparison["output_column_name"]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        if not levels or name not in stored:
            continue
        strongest, weakest = levels[0], levels[-1]
        if _bayes(strongest) > PLAUSIBLE and _bayes(weakest) < 1 / PLAUSIBLE:
            continue
        for level in levels:
            known = stored[name].get(level["label_for_charts"])
            if known:
                level["m_probability"] = known["m"]
        repaired.append(name)
    if repaired:
        logging.getLogger(__name__).warning("EM's m replaced by the stored model's: %s", repaired)
    return repaired


def u_without_matches(trained: dict[str, Any], *, pairs: float) -> None:
    """Take the true matches out of the u values estimated from random pairs.

    A random pair is a match with probability lambda (the prior), so what random sampling
    measures for a level is lambda * m + (1 - lambda) * u, not u. Where matches are rare
    (a force's keys) the difference is nothing; where they are not (two files of the same
    people) the rarest agreements, a whole address or a date of birth, are seen mostly in
    matches, and their u and with it their weight come out far too low. Solved for u, and
    floored at one pair in those sampled (the rarest a level can be measured to be).
    """
    prior = float(trained["probability_two_random_records_match"])
    floor = 1.0 / pairs
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if level.get("is_null_level") or m is None or u is None:
                continue
            level["u_probability"] = max((float(u) - prior * float(m)) / (1 - prior), floor)


def _set_u(model: dict[str, Any], where: tuple[str, str], u: float) -> None:
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] == where[0]:
            for level in comparison["comparison_levels"]:
                if level.get("label_for_charts") == where[1]:
                    level["u_probability"] = u


def _u_of(model: dict[str, Any], where: tuple[str, str]) -> float:
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] == where[0]:
            for level in comparison["comparison_levels"]:
                if level.get("label_for_charts") == where[1]:
                    return float(level["u_probability"])
    raise KeyError(where)


def counted_u(*, agreeing_pairs: int, expected_matches: float, n_keys: int) -> float:
    """The u of a level rarer than random sampling can measure, from every pair in it.

    Random sampling sees an exact address in a handful of its million pairs, most of them
    matches; what is left once ``prior * m`` is taken out is noise, and floored. Counted
    over every pair (a group-by: cheap) and less the matches the scored model expects among
    those very pairs (the sum of their match probabilities), the rest are the pairs of two
    people at one address: many in a force's households, hardly any where the files hold
    no households. One EM step on this u alone, as ``self_consistent_shift`` is on the
    prior; floored at one pair in all."""
    pairs = n_keys * (n_keys - 1) / 2
    return max(agreeing_pairs - expected_matches, 1.0) / max(pairs, 1.0)


def _bayes(level: dict[str, Any]) -> float:
    m, u = level.get("m_probability"), level.get("u_probability")
    return float(m) / float(u) if m and u else 1.0


def _em(linker: Any, block: str) -> None:
    """One EM session; a session that diverges (a level whose m underflows) is skipped, so
    the comparisons it would have trained keep their stored values."""
    # Splink drops the block's comparisons from the linker's own settings for the session
    # and puts them back only when it succeeds: a failed session must not lose them.
    before = linker._settings_obj.core_model_settings.copy()
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(block)
    except ValueError as err:
        linker._settings_obj.core_model_settings = before
        logging.getLogger(__name__).warning("EM blocked on %s skipped: %s", block, err)


def trained_model(trained: TrainedLinker, n_keys: int) -> StoredModel:
    model = trained.linker.misc.save_model_to_json()
    prior = float(model["probability_two_random_records_match"])
    params = {
        name: {
            label: {"m": max(v["m"], 1e-6), "u": max(v["u"], 1e-6)} for label, v in levels.items()
        }
        for name, levels in params_from_settings(model).items()
    }
    return StoredModel(prior * max(n_keys - 1, 1), params)


def level_weights(trained: TrainedLinker) -> dict[str, list[tuple[str, float]]]:
    """Each comparison's levels with their match weight, as trained."""
    model = trained.linker.misc.save_model_to_json()
    result: dict[str, list[tuple[str, float]]] = {}
    for comparison in model["comparisons"]:
        levels = result.setdefault(comparison["output_column_name"], [])
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else 0.0
            levels.append((level["label_for_charts"], weight))
    return result


def _label(levels: list[tuple[str, float]], weight: float | None) -> str:
    """The level a per-comparison weight came from (Splink's mw_ columns leave out term
    frequency adjustments, so this is the level's own weight)."""
    if weight is None:
        return "null"
    return min(levels, key=lambda lw: abs(lw[1] - weight))[0]


def predicted_edges(
    trained: TrainedLinker,
    *,
    dialect: Dialect,
    min_weight: float,
    n_keys: int,
    counted_pairs: int | None = None,
) -> list[Edge]:
    names = list(comparison_levels(dialect))
    rows = _predict(trained, names, min_weight)
    shift = 0.0
    if trained.trained_by_em:
        prior = _prior(trained)
        shift = self_consistent_shift([float(r[2]) for r in rows], n_keys=n_keys, prior=prior)
        logging.getLogger(__name__).info("prior %.3g, weights shifted by %.2f", prior, shift)
        if abs(shift) > PRIOR_REFIT_BITS and trained.measured is not None:
            # A prior this far off also took the wrong share of matches out of u: again,
            # from the better prior.
            odds = 2 ** (_log_odds(prior) + shift)
            trained = trained.at_prior(odds / (1 + odds))
            rows = _predict(trained, names, min_weight)
            prior = _prior(trained)
            shift = self_consistent_shift([float(r[2]) for r in rows], n_keys=n_keys, prior=prior)
            logging.getLogger(__name__).info("prior %.3g, then shifted by %.2f", prior, shift)
        if counted_pairs is not None and trained.measured is not None:
            trained, rows, shift = _with_counted_u(
                trained,
                rows,
                shift,
                names=names,
                min_weight=min_weight,
                n_keys=n_keys,
                counted_pairs=counted_pairs,
            )
    levels = level_weights(trained)
    edges = []
    for row in rows:
        a, b, weight = int(row[0]), int(row[1]), float(row[2]) + shift
        if weight < min_weight:
            continue
        evidence = {
            n: _label(levels[n], mw) for n, mw in zip(names, row[3:], strict=True) if mw != 0
        }
        edges.append(Edge(min(a, b), max(a, b), round(weight, 3), "model", evidence))
    return edges


def _with_counted_u(
    trained: TrainedLinker,
    rows: list[tuple[Any, ...]],
    shift: float,
    *,
    names: list[str],
    min_weight: float,
    n_keys: int,
    counted_pairs: int,
) -> tuple[TrainedLinker, list[tuple[Any, ...]], float]:
    """The counted level's u from every pair in it (``counted_u``); the pairs scored again
    if that moves its weight by more than PRIOR_REFIT_BITS. Pairs scored below the lowest
    weight kept are counted as two people."""
    comparison, label = COUNTED_LEVEL
    levels = level_weights(trained)[comparison]
    column = 3 + names.index(comparison)
    expected = sum(
        1 / (1 + 2 ** -(float(r[2]) + shift)) for r in rows if _label(levels, r[column]) == label
    )
    u = counted_u(agreeing_pairs=counted_pairs, expected_matches=expected, n_keys=n_keys)
    before = _u_of(trained.linker.misc.save_model_to_json(), COUNTED_LEVEL)
    logging.getLogger(__name__).info(
        "%s %s: %d pairs, %.1f matches expected, u %.3g -> %.3g",
        comparison,
        label,
        counted_pairs,
        expected,
        before,
        u,
    )
    if abs(math.log2(before / u)) <= PRIOR_REFIT_BITS:
        return trained, rows, shift
    trained = trained.at_prior(_prior(trained), counted_u=u)
    rows = _predict(trained, names, min_weight)
    weights = [float(r[2]) for r in rows]
    shift = self_consistent_shift(weights, n_keys=n_keys, prior=_prior(trained))
    return trained, rows, shift


def _prior(trained: TrainedLinker) -> float:
    model = trained.linker.misc.save_model_to_json()
    return float(model["probability_two_random_records_match"])


def _predict(trained: TrainedLinker, names: list[str], min_weight: float) -> list[tuple[Any, ...]]:
    with _quiet_splink():
        # Scored a little below min_weight: the prior may yet move weights up.
        predictions = trained.linker.inference.predict(threshold_match_weight=min_weight - 2)
        columns = "unique_id_l, unique_id_r, match_weight" + "".join(f", mw_{n}" for n in names)
        sql = f"select {columns} from {predictions.physical_name}"  # nosec B608
    return _fetch(predictions.db_api, sql)


def _log_odds(p: float) -> float:
    return math.log2(p / (1 - p))


def self_consistent_shift(weights: list[float], *, n_keys: int, prior: float) -> float:
    """How far to move every match weight so that the prior agrees with the model.

    The prior (the chance that two random keys are one person) is first guessed from how
    many pairs the deterministic rules find, assuming they find 80% of true pairs. Once the
    pairs are scored, the expected number of true pairs is the sum of their match
    probabilities; that over the number of possible pairs is a better prior. Iterated to a
    fixed point (one EM step on the prior alone). Pairs below the lowest weight scored add
    next to nothing."""
    pairs = n_keys * (n_keys - 1) / 2
    current = prior
    shift = 0.0
    for _ in range(20):
        shift = _log_odds(current) - _log_odds(prior)
        expected = sum(1 / (1 + 2 ** -(w + shift)) for w in weights)
        updated = min(0.5, max(1e-12, expected / pairs))
        if abs(_log_odds(updated) - _log_odds(current)) < 0.01:
            return _log_odds(updated) - _log_odds(prior)
        current = updated
    return shift


def _fetch(db_api: Any, sql: str) -> list[tuple[Any, ...]]:
    if db_api.sql_dialect.sql_dialect_str == "duckdb":
        con: duckdb.DuckDBPyConnection = db_api._con
        return con.execute(sql).fetchall()
    return [tuple(r) for r in db_api.spark.sql(sql).collect()]


def score(
    con: duckdb.DuckDBPyConnection, *, n_keys: int, min_weight: float, engine: str = "duckdb"
) -> list[Edge]:
    """Pairs scored at or above ``min_weight`` from the ``features`` table in ``con``."""
    stored = StoredModel.load()
    counted = int(con.execute(COUNTED_PAIRS_SQL).fetchall()[0][0])
    if engine == "spark":
        from safeguard.linkage.spark import spark_linker

        trained = spark_linker(con, n_keys=n_keys, stored=stored)
        return predicted_edges(
            trained,
            dialect=DIALECTS["spark"],
            min_weight=min_weight,
            n_keys=n_keys,
            counted_pairs=counted,
        )
    from splink import DuckDBAPI

    trained = make_linker(
        "features",
        dialect=DIALECTS["duckdb"],
        db_api=DuckDBAPI(connection=con),
        n_keys=n_keys,
        stored=stored,
    )
    return predicted_edges(
        trained,
        dialect=DIALECTS["duckdb"],
        min_weight=min_weight,
        n_keys=n_keys,
        counted_pairs=counted,
    )
