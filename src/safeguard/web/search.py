"""Finding people (name, fuzzily; date of birth; address; phone) and addresses.

Results are whole people: every key of a cluster is gathered into one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import jellyfish
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from safeguard.access import restrictions
from safeguard.access.restrictions import RESTRICTED_LABEL
from safeguard.errors import InvalidInputError
from safeguard.linkage.names import are_nicknames, name_sound, nickname_names
from safeguard.pole.models import Location, Person, PoleObject, Residence, Uses
from safeguard.pole.people import clusters_of
from safeguard.web.picture import marker_counts

CANDIDATE_LIMIT = 5000
RESULT_LIMIT = 50
NAME_THRESHOLD = 0.85
SOUND_SCORE = 0.9
NICKNAME_SCORE = 0.9


@dataclass
class PersonHit:
    cluster: int
    key: str
    names: list[str] = field(default_factory=list)
    dob: date | None = None
    keys: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    score: float = 1.0


@dataclass(frozen=True)
class PersonQuery:
    name: str = ""
    dob: date | None = None
    address: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        for field_name in ("name", "address", "phone"):
            if "\x00" in getattr(self, field_name):
                raise InvalidInputError(
                    f"{field_name}: contains a NUL character (%00), which no record holds"
                )

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.dob or self.address.strip() or self.phone.strip())


def parse_dob(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError("date of birth must be a real date, like 2007-03-21") from None


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^a-z']+", text.lower()) if t]


def _name_score(query: list[str], person: Person) -> float:
    """Mean over the words asked for of the best match among the person's names: Jaro-Winkler,
    or SOUND_SCORE where the two sound alike, or NICKNAME_SCORE for a known short form."""
    names = _tokens(" ".join([person.full_name, *person.aliases]))
    if not names:
        return 0.0
    return sum(max(_word_score(q, n) for n in names) for q in query) / len(query)


def _word_score(asked: str, name: str) -> float:
    score = jellyfish.jaro_winkler_similarity(asked, name)
    if score < SOUND_SCORE and name_sound(asked) == name_sound(name):
        score = SOUND_SCORE
    if score < NICKNAME_SCORE and are_nicknames(asked, name):
        score = NICKNAME_SCORE
    return score


def _like_prefix(text: str) -> str:
    return text.replace("\\", "").replace("%", "").replace("_", "")[:3] + "%"


def _given_like(token: str) -> ColumnElement[bool]:
    spellings = {token, *nickname_names(token)}
    return or_(
        func.lower(Person.given_name).like(_like_prefix(token)),
        Person.given_sound.in_(sorted({s for s in map(name_sound, spellings) if s})),
    )


def _family_like(token: str) -> ColumnElement[bool]:
    return or_(
        func.lower(Person.family_name).like(_like_prefix(token)),
        Person.family_sound == name_sound(token),
    )


def _name_filter(tokens: list[str]) -> ColumnElement[bool]:
    """One word may be either name; with two or more words, one must be the family name and
    another the given name (either order), so "Callum Smith" does not list every Smith."""
    if len(tokens) == 1:
        return or_(_given_like(tokens[0]), _family_like(tokens[0]))
    return and_(or_(*(_family_like(t) for t in tokens)), or_(*(_given_like(t) for t in tokens)))


def search_people(*, session: Session, query: PersonQuery, as_of: datetime) -> list[PersonHit]:
    if query.empty:
        return []
    stmt = select(Person)
    if query.dob:
        stmt = stmt.where(Person.dob == query.dob)
    tokens = _tokens(query.name)
    if tokens:
        stmt = stmt.where(_name_filter(tokens))
    if query.address.strip():
        needle = f"%{query.address.strip().lower()}%"
        at_address = (
            select(Residence.person_id)
            .join(Location, Location.id == Residence.location_id)
            .where(
                or_(
                    func.lower(Location.address).like(needle),
                    func.lower(Location.postcode).like(needle),
                )
            )
        )
        stmt = stmt.where(Person.id.in_(at_address))
    digits = re.sub(r"\D", "", query.phone)
    if digits:
        phones = (
            select(Uses.person_id)
            .join(PoleObject, PoleObject.id == Uses.object_id)
            .where(
                PoleObject.kind == "phone",
                func.replace(PoleObject.value, " ", "").like(f"%{digits}%"),
            )
        )
        stmt = stmt.where(Person.id.in_(phones))
    people = list(session.scalars(stmt.limit(CANDIDATE_LIMIT)))
    scored = [(p, _name_score(tokens, p) if tokens else 1.0) for p in people]
    scored = [(p, s) for p, s in scored if s >= NAME_THRESHOLD]
    return _group(session, scored, as_of)


def search_people_as(
    *, session: Session, username: str, query: PersonQuery, as_of: datetime
) -> list[PersonHit]:
    """``search_people`` as ``username`` may see it: restricted people lose name and birth date."""
    hits = search_people(session=session, query=query, as_of=as_of)
    limits = restrictions.load(session=session)
    for hit in hits:
        if limits.hides(username, hit.keys):
            hit.names, hit.dob = [RESTRICTED_LABEL], None
    return hits


def _group(
    session: Session, scored: list[tuple[Person, float]], as_of: datetime
) -> list[PersonHit]:
    clusters = clusters_of(session=session, person_ids=[p.id for p, _ in scored])
    members = _members(session, set(clusters.values()))
    markers = marker_counts(session, [p.id for ps in members.values() for p in ps], as_of)
    hits: dict[int, PersonHit] = {}
    for person, score in scored:
        cluster = clusters[person.id]
        hit = hits.get(cluster)
        if hit is None:
            everyone = members.get(cluster, [person])
            hit = hits[cluster] = PersonHit(
                cluster=cluster,
                key=min(everyone, key=lambda p: p.id).key,
                names=sorted({p.full_name for p in everyone if p.full_name}),
                dob=next((p.dob for p in everyone if p.dob), None),
                keys=sorted(p.key for p in everyone),
                markers=sorted(markers.get(cluster, [])),
                score=score,
            )
        hit.score = max(hit.score, score)
    return sorted(hits.values(), key=lambda h: (-h.score, h.names))[:RESULT_LIMIT]


def _members(session: Session, clusters: set[int]) -> dict[int, list[Person]]:
    from safeguard.pole.models import PersonCluster

    result: dict[int, list[Person]] = {}
    if not clusters:
        return result
    linked = select(PersonCluster.person_id).where(PersonCluster.cluster_id.in_(clusters))
    rows = session.scalars(
        select(Person).where(or_(Person.id.in_(clusters), Person.id.in_(linked)))
    )
    people = list(rows)
    of = clusters_of(session=session, person_ids=[p.id for p in people])
    for person in people:
        result.setdefault(of[person.id], []).append(person)
    return result


def search_locations(*, session: Session, text: str, limit: int = 50) -> list[Location]:
    text = text.strip().lower()
    if not text:
        return []
    needle = f"%{text}%"
    return list(
        session.scalars(
            select(Location)
            .where(
                or_(
                    func.lower(Location.address).like(needle),
                    func.lower(Location.postcode).like(needle),
                )
            )
            .order_by(Location.address)
            .limit(limit)
        )
    )
