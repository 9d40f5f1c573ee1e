"""A small synthetic scenario for the web tests: a child with markers, linked keys, an adult,
a place and a phone; and one user per role."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from safeguard.access import service
from safeguard.access.passwords import hash_password
from safeguard.access.roles import Area, Role
from safeguard.db import unit_of_work
from safeguard.pole.models import PersonCluster
from safeguard.pole.people import person_by_key
from safeguard.timeutil import UK
from tests import factories as f

PASSWORD = "synthetic password 1"
PARTNER_ORG = "County children's social care"  # the partner users' organisation (their team)
SPECIALIST_NOTE = "Disclosed to teacher that older male gives her lifts"
ACTION_NOTE = "ABE interview planned with intermediary"


@dataclass(frozen=True)
class Scenario:
    child: str
    child_other_key: str
    adult: str
    home: str
    case: str


def username(role: Role) -> str:
    return f"user.{role.value}"


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: hash once for every test user


def add_users(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        for role in Role:
            user = service.add_user(
                session=session,
                username=username(role),
                display_name=f"Test {role.value.replace('_', ' ')}",
                role=role.value,
                team=PARTNER_ORG if role is Role.PARTNER_CSC else "Test team",
                area=Area.NORTH.value,
                password=None,
            )
            user.password_hash = _password_hash()


def ago(days: float) -> str:
    """A UK local time `days` before now, so that windows ("last 90 days") stay true."""
    return (datetime.now(UK) - timedelta(days=days)).replace(microsecond=0, tzinfo=None).isoformat()


def load_scenario(engine: Engine) -> Scenario:
    officer = f.officer("DC Thwaite", "North PPU", source="hr", id="O1", role="ppu_investigator")
    specialist = f.officer(  # for allocation: qualified for serious cases, and a probationer
        "DS Kerr",
        "North PPU",
        source="hr",
        id="O2",
        role="ppu_investigator",
        specialisms=["scaidp", "cse"],
    )
    probationer = f.officer(
        "PC Moss",
        "North PPU",
        source="hr",
        id="O3",
        role="ppu_investigator",
        specialisms=["scaidp"],
        probationary=True,
    )
    child = f.person("Callum", "Rowe", "2009-09-01", source="storm", id="P1")
    child_ppu = f.person("Calum", "Rowe", "2009-09-01", source="ppu", id="C7")
    adult = f.person("Gary", "Nixon", "1980-02-02", source="storm", id="P2")
    home = f.location(
        "Beck House, 2 Mill Road, Penrith",
        source="storm",
        id="L1",
        postcode="CA11 7AA",
        kind="children_home",
    )
    phone = {
        "record": "object",
        "source": "storm",
        "id": "T1",
        "kind": "phone",
        "value": "07700 900123",
    }
    concern = f.event(
        "cse_concern",
        ago(55),
        [(child_ppu, "victim"), (adult, "suspect")],
        source="ppu",
        id="E1",
        summary=SPECIALIST_NOTE,
        location="storm:L1",
    )
    missing = [
        f.event(
            "missing_episode",
            ago(days),
            [(child, "missing_person")],
            source="storm",
            id=f"E{n}",
            summary="Missing from Beck House overnight",
            details={"found_at": ago(days - 1), "missing_from": "care"},
        )
        for n, days in ((2, 85), (3, 40), (4, 10))
    ]
    other_child = f.person("Ellie", "Hart", "2018-05-02", source="storm", id="P3")
    concern_note = f.event(
        "child_concern",
        ago(2),
        [(other_child, "subject")],
        source="storm",
        id="E9",
        summary="Found alone at night",
        reported_at=ago(2),
    )
    records = [
        other_child,
        concern_note,
        officer,
        specialist,
        probationer,
        child,
        child_ppu,
        adult,
        home,
        phone,
        concern,
        *missing,
        f.action("strategy_discussion", ago(54), concern, source="ppu", id="A1", text=ACTION_NOTE),
        f.action(
            "allocation", ago(54), concern, source="ppu", id="A2", details={"officer": "hr:O1"}
        ),
        f.action("return_interview", ago(38), missing[1], who=child, source="storm", id="A3"),
        f.link(
            "residence",
            source="storm",
            id="R1",
            person="storm:P1",
            location="storm:L1",
            since="2024-01-01",
        ),
        f.link("uses", source="storm", id="U1", person="storm:P1", object="storm:T1"),
        f.link("relation", source="storm", id="X1", a="storm:P2", b="storm:P1", kind="associate"),
        f.link(
            "flag",
            source="ppu",
            id="F1",
            person="ppu:C7",
            kind="cse_risk",
            level="high",
            since=ago(53)[:10],
            reason="Specialist assessment: grooming indicators",
        ),
        f.link(
            "flag",
            source="storm",
            id="F2",
            person="storm:P1",
            kind="looked_after_child",
            since="2024-01-01",
        ),
    ]
    with unit_of_work(engine) as session:
        f.load(session, records)
        a = person_by_key(session=session, key="storm:P1")
        b = person_by_key(session=session, key="ppu:C7")
        cluster = min(a.id, b.id)
        session.add_all(
            [
                PersonCluster(person_id=a.id, cluster_id=cluster),
                PersonCluster(person_id=b.id, cluster_id=cluster),
            ]
        )
    return Scenario(
        child="storm:P1", child_other_key="ppu:C7", adult="storm:P2", home="storm:L1", case="ppu:E1"
    )


REFERRAL_CHILD = "Isla Brook"
REFERRAL_NOTE = "Referred to children's social care: child left alone overnight"


def load_referral(engine: Engine) -> str:
    """A case apart from the scenario's, with a referral to children's social care: the MASH
    shares the referral with the partner. Returns the case key."""
    child = f.person("Isla", "Brook", "2016-04-09", source="storm", id="P50")
    concern = f.event(
        "child_concern",
        ago(3),
        [(child, "subject")],
        source="storm",
        id="E50",
        summary="Child found at a neighbour's at 2am",
        reported_at=ago(3),
    )
    referral = f.action(
        "referral_to_csc", ago(3), concern, who=child, source="storm", id="A50", text=REFERRAL_NOTE
    )
    with unit_of_work(engine) as session:
        f.load(session, [child, concern, referral])
    return f.key(concern)
