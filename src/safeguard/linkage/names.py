"""Name normalisation, phonetic codes and nicknames: the vocabulary every linkage rule uses."""

from __future__ import annotations

import json
import re
import unicodedata
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
