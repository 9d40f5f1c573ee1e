"""Records for the missing, custody and offender forms: a child held in custody now, and a
registered sex offender whose visit is overdue (added to the shared web scenario)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from safeguard.db import unit_of_work
from tests import factories as f
from tests.web.scenario import ago

MISSING_EPISODE = "storm:E4"  # the scenario's latest missing episode, found 9 days ago


@dataclass(frozen=True)
class FormKeys:
    detained: str
    custody: str
    offender: str
    rso_event: str
    episode: str = MISSING_EPISODE


def add_form_records(engine: Engine) -> FormKeys:
    child = f.person("Jordan", "Pike", "2010-03-04", source="custody", id="P20")
    held = f.event(
        "custody",
        ago(0.25),
        [(child, "detained_child")],
        source="custody",
        id="C20",
        details={"offence": "Burglary", "charged": False, "intoxicated": True},
    )
    offender = f.person("Derek", "Lowe", "1969-07-12", source="visor", id="V30")
    managed = f.event("rso_management", ago(400), [(offender, "subject")], source="visor", id="M30")
    records = [
        child,
        held,
        offender,
        managed,
        f.link(
            "flag",
            source="visor",
            id="F30",
            person="visor:V30",
            kind="registered_sex_offender",
            level="high",
            since=ago(400)[:10],
        ),
        f.action("rso_visit", ago(120), managed, who=offender, source="visor", id="A31"),
        f.action("arms_assessment", ago(300), managed, who=offender, source="visor", id="A32"),
    ]
    with unit_of_work(engine) as session:
        f.load(session, records)
    return FormKeys(
        detained="custody:P20", custody="custody:C20", offender="visor:V30", rso_event="visor:M30"
    )
