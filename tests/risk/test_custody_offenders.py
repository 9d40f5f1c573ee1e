"""Custody (CUSTODY_*) and offender management (RSO_REVIEW_OVERDUE)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.factories import Rec, action, event, key, link, person
from tests.risk.helpers import run


def detained(
    charged: bool = True, dob: str | None = "2000-02-02", **details: object
) -> tuple[Rec, Rec]:
    boy = person("Liam", "Dixon", dob)
    ev = event(
        "custody",
        "2016-06-01T10:00",
        [(boy, "detained_child")],
        details={"charged": charged, **details},
    )
    return boy, ev


def denied(ev: Rec, boy: Rec) -> Rec:
    return action("bail_decision", "2016-06-01T18:00", ev, who=boy, details={"denied": True})


def test_la_request_missing_and_present(session: Session) -> None:
    boy, ev = detained()
    alerts = run(session, [boy, ev, denied(ev, boy)], code="CUSTODY_NO_LA_REQUEST")
    assert [a.subjects for a in alerts] == [[key(boy)]]
    req = action("la_accommodation_request", "2016-06-01T18:30", ev, who=boy)
    assert run(session, [req], code="CUSTODY_NO_LA_REQUEST") == []


def test_la_request_not_needed_when_bailed_or_not_charged_or_adult(session: Session) -> None:
    boy, ev = detained(charged=False)
    bailed_boy, ev2 = detained()
    bail = action(
        "bail_decision", "2016-06-01T18:00", ev2, who=bailed_boy, details={"denied": False}
    )
    man, ev3 = detained(dob="1998-05-31")  # 18 the day before
    recs = [boy, ev, denied(ev, boy), bailed_boy, ev2, bail, man, ev3, denied(ev3, man)]
    assert run(session, recs, code="CUSTODY_NO_LA_REQUEST") == []


def test_bail_not_reviewed_after_refusal(session: Session) -> None:
    boy, ev = detained()
    refused = action(
        "la_accommodation_response", "2016-06-01T20:00", ev, who=boy, details={"provided": False}
    )
    alerts = run(session, [boy, ev, refused], code="CUSTODY_BAIL_NOT_REVIEWED")
    assert len(alerts) == 1
    early = action("bail_review", "2016-06-01T19:00", ev, who=boy)
    assert len(run(session, [early], code="CUSTODY_BAIL_NOT_REVIEWED")) == 1
    review = action("bail_review", "2016-06-01T21:00", ev, who=boy)
    assert run(session, [review], code="CUSTODY_BAIL_NOT_REVIEWED") == []


def test_certificate_needed_unless_moved(session: Session) -> None:
    boy, ev = detained()
    alerts = run(session, [boy, ev, denied(ev, boy)], code="CUSTODY_NO_CERTIFICATE")
    assert len(alerts) == 1
    moved = action(
        "la_accommodation_response", "2016-06-01T20:00", ev, who=boy, details={"provided": True}
    )
    assert run(session, [moved], code="CUSTODY_NO_CERTIFICATE") == []


def test_certificate_present(session: Session) -> None:
    boy, ev = detained()
    cert = action("detention_certificate", "2016-06-01T21:00", ev, who=boy)
    assert run(session, [boy, ev, denied(ev, boy), cert], code="CUSTODY_NO_CERTIFICATE") == []


@pytest.mark.parametrize("flag_kind", ["self_harm", "mental_health", "substance_misuse"])
def test_hcp_for_flagged_child(session: Session, flag_kind: str) -> None:
    boy, ev = detained()
    flag = link("flag", person=key(boy), kind=flag_kind, since="2015-01-01")
    assert len(run(session, [boy, ev, flag], code="CUSTODY_HCP_NOT_CONTACTED")) == 1
    hcp = action("hcp_contact", "2016-06-01T11:00", ev, who=boy)
    assert run(session, [hcp], code="CUSTODY_HCP_NOT_CONTACTED") == []


def test_hcp_for_intoxicated_not_for_other_flags(session: Session) -> None:
    boy, ev = detained(intoxicated=True)
    other, ev2 = detained()
    flag = link("flag", person=key(other), kind="violent", since="2015-01-01")
    alerts = run(session, [boy, ev, other, ev2, flag], code="CUSTODY_HCP_NOT_CONTACTED")
    assert [a.subjects for a in alerts] == [[key(boy)]]


def test_appropriate_adult(session: Session) -> None:
    boy, ev = detained(dob=None)
    assert len(run(session, [boy, ev], code="CUSTODY_NO_APPROPRIATE_ADULT")) == 1
    aa = action("appropriate_adult", "2016-06-01T11:00", ev, who=boy)
    assert run(session, [aa], code="CUSTODY_NO_APPROPRIATE_ADULT") == []


def rso(level: str | None, since: str = "2014-01-01") -> tuple[Rec, Rec, Rec]:
    man = person("Roy", "Hume", "1960-01-01")
    flag = link("flag", person=key(man), kind="registered_sex_offender", since=since)
    if level:
        flag["level"] = level
    case = event("rso_management", "2014-01-02T10:00", [(man, "subject")])
    return man, flag, case


@pytest.mark.parametrize(
    ("level", "visit", "overdue"),
    [
        ("high", "2016-04-18T09:00", False),  # 3 months exactly
        ("high", "2016-04-18T08:59", True),
        ("medium", "2016-01-18T09:00", False),
        ("medium", "2016-01-18T08:59", True),
        (None, "2016-01-18T08:59", True),
        ("low", "2015-07-18T09:00", False),
        ("low", "2015-07-18T08:59", True),
    ],
)
def test_rso_visit_interval_by_level(
    session: Session, level: str | None, visit: str, overdue: bool
) -> None:
    man, flag, case = rso(level)
    arms = action("arms_assessment", "2016-01-01T10:00", case, who=man)
    seen = action("rso_visit", visit, case, who=man)
    alerts = run(session, [man, flag, case, arms, seen], code="RSO_REVIEW_OVERDUE")
    assert bool(alerts) is overdue
    if overdue:
        assert "no visit within" in alerts[0].message and "ARMS" not in alerts[0].message


def test_rso_arms_12_months(session: Session) -> None:
    man, flag, case = rso("low")
    visit = action("rso_visit", "2016-06-01T10:00", case, who=man)
    arms = action("arms_assessment", "2015-07-18T08:59", case)  # unnamed: counts for the subject
    alerts = run(session, [man, flag, case, visit, arms], code="RSO_REVIEW_OVERDUE")
    assert len(alerts) == 1 and "ARMS" in alerts[0].message
    newer = action("arms_assessment", "2015-07-18T09:00", case, who=man)
    assert run(session, [newer], code="RSO_REVIEW_OVERDUE") == []


def test_rso_newly_flagged_clock_starts_at_since(session: Session) -> None:
    man, flag, case = rso("high", since="2016-05-01")
    assert run(session, [man, flag, case], code="RSO_REVIEW_OVERDUE") == []
    alerts = run(session, [], as_of="2016-08-01T00:01", code="RSO_REVIEW_OVERDUE")
    assert len(alerts) == 1 and "ARMS" not in alerts[0].message
