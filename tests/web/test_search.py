"""Finding a person by a name spelt as it sounds, by a nickname, or with the names swapped."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.pole.models import Person
from safeguard.web.search import PersonQuery, search_people
from tests.factories import load, person

AS_OF = datetime(2026, 11, 25, tzinfo=UTC)


def _names(session: Session, name: str) -> set[str]:
    hits = search_people(session=session, query=PersonQuery(name=name), as_of=AS_OF)
    return {n for hit in hits for n in hit.names}


def _people(session: Session) -> None:
    load(
        session,
        [
            person("Callum", "Rowe", "2009-09-01"),
            person("Muhammad", "Khan", "2010-02-03"),
            person("Rebecca", "Smyth", "2008-05-06"),
            person("Callum", "Smith", "2011-07-08"),
            person("Zoe", "Smith", "2012-01-01"),
        ],
    )


def test_stored_people_carry_the_sound_of_their_names(session: Session) -> None:
    _people(session)
    rowe = session.scalars(select(Person).where(Person.family_name == "Rowe")).one()
    assert (rowe.given_sound, rowe.family_sound) == ("KLM", "R")


def test_a_name_spelt_as_it_sounds_finds_the_person(session: Session) -> None:
    _people(session)
    assert _names(session, "Kallum Rowe") == {"Callum Rowe"}
    assert _names(session, "Mohammed Khan") == {"Muhammad Khan"}
    assert _names(session, "Rebecca Smith") == {"Rebecca Smyth"}


def test_a_nickname_finds_the_full_given_name(session: Session) -> None:
    _people(session)
    assert _names(session, "Becky Smyth") == {"Rebecca Smyth"}


def test_two_words_need_a_given_and_a_family_name_in_either_order(session: Session) -> None:
    _people(session)
    assert _names(session, "Callum Smith") == {"Callum Smith"}
    assert _names(session, "Smith Callum") == {"Callum Smith"}
    assert _names(session, "Smith") == {"Callum Smith", "Zoe Smith", "Rebecca Smyth"}


def test_a_name_that_neither_sounds_nor_looks_alike_finds_nobody(session: Session) -> None:
    _people(session)
    assert _names(session, "Zebedee Rowe") == set()
    assert _names(session, "Kieran Khan") == set()
