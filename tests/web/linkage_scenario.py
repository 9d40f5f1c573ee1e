"""Synthetic people whose linkage leaves pairs for a person to review: one in the grey zone
and two that a hard rule stopped."""

from __future__ import annotations

from sqlalchemy import Engine

from safeguard.db import unit_of_work
from safeguard.linkage import service
from tests import factories as f

GREY = ("storm:S1", "ppu:S2")  # the model's weight about 2: the grey zone
SEXES = ("storm:J1", "ppu:J2")  # everything agrees but the sex
YEARS = ("storm:G1", "ppu:G2")  # born six years apart


def add_review_pairs(engine: Engine) -> None:
    """Synthetic people giving a grey-zone pair and two pairs a hard rule stopped; linked."""
    home = f.location("7 Fell View, Keswick", source="storm", id="LS1", postcode="CA12 4AB")
    other = f.location("Flat 2, 9 Lake Road, Keswick", source="ppu", id="LS2", postcode="CA12 5DE")
    phone = {
        "record": "object",
        "source": "storm",
        "id": "TS1",
        "kind": "phone",
        "value": "07700 900456",
    }
    records = [
        f.person("Sam", "Ward", "1999-03-03", source="storm", id="S1"),
        f.person("Sam", "Warde", "1999-12-03", source="ppu", id="S2"),
        f.person("Jo", "Hodgson", "2004-03-09", sex="F", source="storm", id="J1"),
        f.person("Jo", "Hodgson", "2004-03-09", sex="M", source="ppu", id="J2"),
        f.person("Gemma", "Hall", "1990-04-04", sex="F", source="storm", id="G1"),
        f.person("Gemma", "Hall", "1996-04-04", sex="F", source="ppu", id="G2"),
        home,
        other,
        phone,
        f.link("residence", source="storm", id="RS1", person="storm:S1", location="storm:LS1"),
        f.link("residence", source="ppu", id="RS2", person="ppu:S2", location="ppu:LS2"),
        f.link("uses", source="storm", id="US1", person="storm:S1", object="storm:TS1"),
    ]
    with unit_of_work(engine) as session:
        f.load(session, records)
        service.run_link(session=session)


EXACT = ("storm:Q1", "ppu:Q2")  # the same full name and date of birth
MODEL = ("storm:Q1", "cad:Q3")  # a day of the date of birth slipped, a nickname, one home
HOME_Q = "4 Tarn Close, Cockermouth"


def add_linked_people(engine: Engine) -> None:
    """Synthetic keys of one person: two joined by the exact rule, a third by the model."""
    home = f.location(HOME_Q, source="storm", id="LQ1", postcode="CA13 9QQ")
    seen = f.location(HOME_Q, source="cad", id="LQ3", postcode="CA13 9QQ")
    phone = {
        "record": "object",
        "source": "storm",
        "id": "TQ1",
        "kind": "phone",
        "value": "07700 900789",
    }
    phone3 = {
        "record": "object",
        "source": "cad",
        "id": "TQ3",
        "kind": "phone",
        "value": "07700 900789",
    }
    records = [
        f.person("Alexander", "Quayle", "2008-05-05", sex="M", source="storm", id="Q1"),
        f.person("Alexander", "Quayle", "2008-05-05", sex="M", source="ppu", id="Q2"),
        f.person("Alex", "Quayle", "2008-05-15", sex="M", source="cad", id="Q3"),
        home,
        seen,
        phone,
        phone3,
        f.link("residence", source="storm", id="RQ1", person="storm:Q1", location="storm:LQ1"),
        f.link("residence", source="cad", id="RQ3", person="cad:Q3", location="cad:LQ3"),
        f.link("uses", source="storm", id="UQ1", person="storm:Q1", object="storm:TQ1"),
        f.link("uses", source="cad", id="UQ3", person="cad:Q3", object="cad:TQ3"),
    ]
    with unit_of_work(engine) as session:
        f.load(session, records)
        service.run_link(session=session)
