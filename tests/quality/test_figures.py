"""Each figure against values worked out by hand on small fixtures."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from safeguard.quality.service import compute_figures
from tests import factories as f

PERIOD = {"start": date(2016, 5, 1), "end": date(2016, 6, 30)}


def _value(session: Session, code: str, **kw: str) -> float | None:
    (result,) = compute_figures(session=session, codes=[code], **PERIOD)
    return result.value(**kw)


def test_referral_within_one_working_day_across_a_bank_holiday(session: Session) -> None:
    # Friday 27 May 2016; Monday 30 May was the spring bank holiday: due by end of Tuesday 31 May.
    a, b = f.person("Ava", "Bell", "2008-01-01"), f.person("Leo", "Bell", "2009-01-01")
    loc = f.location("3 Fisher Street, Carlisle", postcode="CA3 8RR")
    e1 = f.event("child_concern", "2016-05-27T16:00", [(a, "subject")], location=f.key(loc))
    e2 = f.event("child_concern", "2016-05-27T16:00", [(b, "subject")], location=f.key(loc))
    f.load(
        session,
        [
            a,
            b,
            loc,
            e1,
            e2,
            f.action("referral_to_csc", "2016-05-31T23:30", e1, who=a),
            f.action("referral_to_csc", "2016-06-01T00:10", e2, who=b),
        ],
    )
    assert _value(session, "referral_1wd") == 0.5
    assert _value(session, "referral_1wd", area="North") == 0.5
    assert _value(session, "referral_1wd", area="West") is None


def test_voice_counts_views_only_from_age_four(session: Session) -> None:
    mum, older, baby = (
        f.person("Kim", "Ray", "1985-01-01"),
        f.person("Ty", "Ray", "2007-01-01"),
        f.person("Bo", "Ray", "2015-01-01"),
    )
    ev = f.event(
        "domestic_abuse",
        "2016-05-02T21:00",
        [(mum, "victim"), (older, "child_present"), (baby, "child_present")],
        closed_at="2016-05-10T10:00",
    )
    f.load(
        session,
        [
            mum,
            older,
            baby,
            ev,
            f.action("child_views", "2016-05-03T10:00", ev, who=older),
            f.action("child_demeanour", "2016-05-03T10:00", ev, who=older),
            f.action("outcome", "2016-05-09T10:00", ev, who=baby),
        ],
    )
    assert _value(session, "voice_views") == 1.0  # only the 9-year-old counts
    assert _value(session, "voice_demeanour") == 0.5  # 1 of 2 children
    assert _value(session, "voice_outcome") == 0.5
    assert _value(session, "voice_informed") == 0.0  # nobody told


def test_return_interview_71_and_73_hours(session: Session) -> None:
    a, b = f.person("Zoe", "Hunt", "2003-01-01"), f.person("Max", "Hunt", "2004-01-01")
    e1 = f.event(
        "missing_episode",
        "2016-06-01T20:00",
        [(a, "missing_person")],
        details={"found_at": "2016-06-02T08:00"},
    )
    e2 = f.event(
        "missing_episode",
        "2016-06-01T20:00",
        [(b, "missing_person")],
        details={"found_at": "2016-06-02T08:00"},
    )
    f.load(
        session,
        [
            a,
            b,
            e1,
            e2,
            f.action("return_interview", "2016-06-05T07:00", e1, who=a),
            f.action("return_interview", "2016-06-05T09:00", e2, who=b),
        ],
    )
    assert _value(session, "return_interview_72h") == 0.5


def test_custody_hours_and_la_accommodation(session: Session) -> None:
    c1, c2 = f.person("Jay", "Cole", "2001-01-01"), f.person("Ash", "Cole", "2000-06-01")
    e1 = f.event(
        "custody",
        "2016-06-01T10:00",
        [(c1, "detained_child")],
        closed_at="2016-06-01T20:00",
        details={"charged": True},
    )
    e2 = f.event(
        "custody",
        "2016-06-02T10:00",
        [(c2, "detained_child")],
        closed_at="2016-06-03T06:00",
        details={"charged": True},
    )
    f.load(
        session,
        [
            c1,
            c2,
            e1,
            e2,
            f.action("bail_decision", "2016-06-01T12:00", e1, who=c1, details={"denied": True}),
            f.action("bail_decision", "2016-06-02T12:00", e2, who=c2, details={"denied": True}),
            f.action("la_accommodation_request", "2016-06-01T12:30", e1, who=c1),
        ],
    )
    assert _value(session, "custody_hours") == 15.0
    assert _value(session, "custody_charged") == 2.0
    assert _value(session, "custody_la_requested") == 0.5


def test_specialist_allocation(session: Session) -> None:
    expert = f.officer("DC Expert", "South PPU", specialisms=["scaidp"])
    rookie = f.officer("PC New", "South PPU", specialisms=["scaidp"], probationary=True)
    v1, v2 = f.person("Eve", "Lamb", "2004-01-01"), f.person("Ivy", "Lamb", "2005-01-01")
    e1 = f.event("sexual_offence", "2016-06-01T10:00", [(v1, "victim")], allocated_to=f.key(expert))
    e2 = f.event("sexual_offence", "2016-06-01T10:00", [(v2, "victim")], allocated_to=f.key(rookie))
    f.load(session, [expert, rookie, v1, v2, e1, e2])
    assert _value(session, "specialist_allocation") == 0.5
    assert _value(session, "specialist_allocation", area="South") == 0.5


def test_open_alerts_counted_with_their_age(session: Session) -> None:
    from datetime import datetime

    from safeguard.quality.fig_alerts import by_code_and_age
    from safeguard.risk.policy import default_policy
    from safeguard.risk.service import sweep
    from safeguard.timeutil import UK

    child = f.person("Zoe", "Hunt", "2003-01-01")
    ep = f.event(
        "missing_episode",
        "2016-06-01T20:00",
        [(child, "missing_person")],
        details={"found_at": "2016-06-02T08:00"},
    )
    f.load(session, [child, ep, f.action("safe_and_well_check", "2016-06-02T09:00", ep, who=child)])
    sweep(session=session, as_of=datetime(2016, 6, 10, 12, 0, tzinfo=UK), policy=default_policy())
    (result,) = compute_figures(session=session, codes=["open_alerts"], **PERIOD)
    codes = [u.keys[0] for u in result.units]
    assert codes == ["RETURN_INTERVIEW_OVERDUE"]
    # swept (first seen) 10 June 12:00; the period ends 30 June 23:59:59: about 20.5 days open
    assert result.value() is not None and abs(result.value() - 20.5) < 0.01
    assert by_code_and_age(result.units) == {
        "RETURN_INTERVIEW_OVERDUE": {"under a week": 0, "1 to 4 weeks": 1, "over 4 weeks": 0}
    }
