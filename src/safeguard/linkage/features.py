"""The extract Splink works on: one row per person key, normalised, with phonetic codes.

Built from the store (``extract_people``) or, for benchmarks, from ``PersonRow`` objects made
directly; both end in ``feature_table``, a pyarrow table the DuckDB and Spark backends load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.linkage.names import nickname_groups, normalise_name, primary_metaphone
from safeguard.pole import contacts
from safeguard.pole.models import Person

_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"^\d+[a-z]?$")
_WORD = re.compile(r"^[a-z]{3,}$")
KNOWN_SEXES = {"F", "M"}


@dataclass
class PersonRow:
    """What linkage knows of one person key."""

    id: int
    key: str
    given: str | None
    family: str | None
    dob: date | None
    sex: str | None
    identifiers: dict[str, str] = field(default_factory=dict)
    address: str | None = None
    postcode: str | None = None
    phones: list[str] = field(default_factory=list)


def normalise_postcode(value: str | None) -> str | None:
    cleaned = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    return cleaned or None


def postcode_district(postcode: str | None) -> str | None:
    """A normalised postcode less its last three characters: in Britain the outward code
    ("CA12" of "CA12 4AB"), the district, a few thousand addresses; a force's postcodes
    share one or two area letters, so the district is the narrowest place a block can rest
    on when the full postcode slipped."""
    if postcode is None or len(postcode) < 4:
        return None
    return postcode[:-3]


def normalise_address(value: str | None) -> str | None:
    cleaned = _SPACES.sub(" ", _NON_ALNUM.sub(" ", (value or "").lower())).strip()
    return cleaned or None


def normalise_phone(value: str | None) -> str | None:
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits or None


@dataclass(frozen=True)
class AddressParts:
    """What blocking and comparison use of an address: its distinct words, the house
    number (a leading number) and the first real word (usually the street's name).
    Words rather than positions, so that a missing flat or line does not shift the rest."""

    tokens: list[str] | None
    number: str | None
    word: str | None

    @property
    def street(self) -> str | None:
        if self.word is None:
            return None
        return f"{self.number} {self.word}" if self.number else self.word


def address_parts(address: str | None) -> AddressParts:
    words = address.split(" ") if address else []
    number = words[0] if words and _NUMBER.match(words[0]) else None
    word = next((w for w in words if _WORD.match(w)), None)
    return AddressParts(sorted(set(words)) or None, number, word)


def extract_people(*, session: Session) -> list[PersonRow]:
    """Every person key in the store with its latest home and its phones."""
    rows: dict[int, PersonRow] = {}
    people = session.execute(
        select(
            Person.id,
            Person.source,
            Person.source_id,
            Person.given_name,
            Person.family_name,
            Person.dob,
            Person.sex,
            Person.identifiers,
        ).order_by(Person.id)
    )
    for pid, source, ident, given, family, dob, sex, identifiers in people:
        rows[pid] = PersonRow(
            id=pid,
            key=f"{source}:{ident}",
            given=given,
            family=family,
            dob=dob,
            sex=sex,
            identifiers=dict(identifiers or {}),
        )
    for pid, (address, postcode) in contacts.latest_homes(session=session).items():
        if pid in rows:
            rows[pid].address, rows[pid].postcode = address, postcode
    for pid, numbers in contacts.phones(session=session).items():
        if pid in rows:
            rows[pid].phones = [n for n in (normalise_phone(v) for v in numbers) if n]
    return list(rows.values())


def _feature_rows(people: Iterable[PersonRow]) -> Iterator[dict[str, object]]:
    for p in people:
        given, family = normalise_name(p.given), normalise_name(p.family)
        address = normalise_address(p.address)
        postcode = normalise_postcode(p.postcode)
        parts = address_parts(address)
        phones = sorted({ph for ph in (normalise_phone(x) for x in p.phones) if ph})
        ids = sorted(f"{k.lower()}:{str(v).strip().upper()}" for k, v in p.identifiers.items() if v)
        yield {
            "unique_id": p.id,
            "source_key": p.key,
            "given": given,
            "family": family,
            "given_dm": primary_metaphone(given),
            "family_dm": primary_metaphone(family),
            "nick": list(nickname_groups(given)) or None,
            "dob": p.dob.isoformat() if p.dob else None,
            "sex": p.sex if p.sex in KNOWN_SEXES else None,
            "postcode": postcode,
            "district": postcode_district(postcode),
            "address": address,
            "address_tokens": parts.tokens,
            "street_no": parts.number,
            "street_word": parts.word,
            "street": parts.street,
            "phones": phones or None,
            "phone1": phones[0] if phones else None,
            "identifiers": ids or None,
        }


SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("source_key", pa.string()),
        ("given", pa.string()),
        ("family", pa.string()),
        ("given_dm", pa.string()),
        ("family_dm", pa.string()),
        ("nick", pa.list_(pa.string())),
        ("dob", pa.string()),
        ("sex", pa.string()),
        ("postcode", pa.string()),
        ("district", pa.string()),
        ("address", pa.string()),
        ("address_tokens", pa.list_(pa.string())),
        ("street_no", pa.string()),
        ("street_word", pa.string()),
        ("street", pa.string()),
        ("phones", pa.list_(pa.string())),
        ("phone1", pa.string()),
        ("identifiers", pa.list_(pa.string())),
    ]
)


def feature_table(people: Iterable[PersonRow]) -> pa.Table:
    return pa.Table.from_pylist(list(_feature_rows(people)), schema=SCHEMA)
