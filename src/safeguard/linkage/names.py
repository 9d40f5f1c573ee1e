"""Name normalisation, phonetic codes and nicknames: the vocabulary every linkage rule uses."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from importlib import resources

from metaphone import doublemetaphone

_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


@cache
def normalise_name(name: str | None) -> str | None:
    """Lower case, accents and punctuation removed, hyphens as spaces, single spaces."""
    if not name:
        return None
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("-", " ")
    cleaned = _SPACES.sub(" ", _NOT_LETTER.sub("", folded)).strip()
    return cleaned or None


@cache
def primary_metaphone(name: str | None) -> str | None:
    """The primary Double Metaphone code of a normalised name (spaces ignored)."""
    if not name:
        return None
    code: str = doublemetaphone(name.replace(" ", ""))[0]
    return code or None


def name_sound(name: str | None) -> str | None:
    """The phonetic code a name is searched by: its primary metaphone, at most 32 letters."""
    code = primary_metaphone(normalise_name(name))
    return code[:32] if code else None


@cache
def _nickname_groups() -> tuple[tuple[str, ...], ...]:
    text = resources.files("safeguard.linkage").joinpath("nicknames.json").read_text("utf-8")
    return tuple(tuple(group) for group in json.loads(text)["groups"])


@cache
def _nickname_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for group in _nickname_groups():
        label = group[0]
        for name in group:
            index.setdefault(name, []).append(label)
    return {name: tuple(sorted(set(labels))) for name, labels in index.items()}


@cache
def nickname_groups(given: str | None) -> tuple[str, ...]:
    """Labels of the nickname groups a normalised given name belongs to (first token)."""
    if not given:
        return ()
    return _nickname_index().get(given.split(" ")[0], ())


@cache
def _nickname_members() -> dict[str, tuple[str, ...]]:
    members: dict[str, set[str]] = {}
    for group in _nickname_groups():
        for name in group:
            members.setdefault(name, set()).update(group)
    return {name: tuple(sorted(names - {name})) for name, names in members.items()}


def nickname_names(given: str) -> tuple[str, ...]:
    """Every other name that shares a nickname group with ``given`` ("becky": "rebecca", ...)."""
    return _nickname_members().get(given, ())


def are_nicknames(a: str | None, b: str | None) -> bool:
    return bool(set(nickname_groups(a)) & set(nickname_groups(b)))


def damerau_levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from ``a`` to ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


@cache
def given_vocabulary() -> frozenset[str]:
    """Given names known to be names (every name in the nickname list)."""
    return frozenset(name for group in _nickname_groups() for name in group)


def _established(name: str, other: str, counts: Mapping[str, int]) -> bool:
    """A known name, or one carried by at least a tenth as many keys as ``other`` (and two):
    the same slip is seldom made often ("noah" 58 keys, "noaj" 2)."""
    if name in given_vocabulary():
        return True
    seen = counts.get(name, 0)
    return seen >= 2 and seen * 10 >= counts.get(other, 0)


def given_name_slipped(a: str, b: str, *, counts: Mapping[str, int]) -> bool:
    """Whether two normalised given names that differ are one name written twice (an
    initial, a dropped middle name, a keying slip) rather than two people's names.

    A slip is one or two edits (two on names of three letters or more) that leave at least
    one of the two names not established (``_established``), and keeps the first letter
    unless it swapped places with the second: twins are given two names in use, and
    parents who rhyme them (Jayden and Hayden, Mason and Jason) change the first letter."""
    first_a, first_b = a.split(" ")[0], b.split(" ")[0]
    if first_a[0] == first_b[0] and (len(first_a) == 1 or len(first_b) == 1):
        return True  # an initial
    words_a, words_b = set(a.split(" ")), set(b.split(" "))
    if first_a[0] == first_b[0] and (words_a <= words_b or words_b <= words_a):
        return True  # a middle name dropped
    if _established(a, b, counts) and _established(b, a, counts):
        return False
    edits = damerau_levenshtein(a, b)
    if first_a[0] != first_b[0]:
        return edits == 1 and a[:2] == b[1::-1]  # the first two letters swapped
    return edits <= 1 or (edits == 2 and min(len(a), len(b)) >= 3)
