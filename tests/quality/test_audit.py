"""Dip samples are stratified and reproducible; agreement is Cohen's kappa worked by hand."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from safeguard.errors import InvalidInputError
from safeguard.quality.audit import agreement, cohen_kappa, draw_sample, record_audit
from safeguard.quality.report import build_context, render_html, write_pdf
from tests import factories as f


def _cases(session: Session) -> list[str]:
    records: list[f.Rec] = []
    keys = []
    for town, postcode in [("Carlisle", "CA1 1AA"), ("Kendal", "LA9 4AA")]:
        loc = f.location(f"1 High Street, {town}", postcode=postcode)
        records.append(loc)
        for i in range(5):
            child = f.person("Kid", f"{town}{i}", "2005-01-01")
            ev = f.event(
                "missing_episode" if i % 2 else "domestic_abuse",
                f"2016-03-0{i + 1}T10:00",
                [(child, "missing_person" if i % 2 else "child_present")],
                location=f.key(loc),
            )
            records += [child, ev]
            keys.append(f.key(ev))
    f.load(session, records)
    return keys


def test_sample_is_stratified_and_reproducible(session: Session) -> None:
    _cases(session)
    args = {
        "start": date(2016, 3, 1),
        "end": date(2016, 3, 31),
        "per_stratum": 2,
        "drawn_by": "analyst",
    }
    _, first = draw_sample(session=session, seed=42, **args)
    _, again = draw_sample(session=session, seed=42, **args)
    assert [c.event_key for c in first] == [c.event_key for c in again]
    strata = Counter((c.case_type, c.area) for c in first)
    assert strata == {
        ("domestic abuse", "North"): 2,
        ("domestic abuse", "South"): 2,
        ("missing children", "North"): 2,
        ("missing children", "South"): 2,
    }
    with pytest.raises(InvalidInputError):
        draw_sample(session=session, seed=1, **(args | {"per_stratum": 0}))


def test_kappa_by_hand() -> None:
    pairs = [
        ("good", "good"),
        ("good", "requires_improvement"),
        ("good", "inadequate"),
        ("requires_improvement", "requires_improvement"),
    ]
    # observed 2/4; expected (3*1 + 1*2 + 0*1)/16 = 5/16; kappa = (0.5 - 0.3125) / 0.6875
    assert cohen_kappa(pairs) == pytest.approx(0.2727, abs=1e-4)
    assert cohen_kappa([]) is None
    assert cohen_kappa([("good", "good")] * 3) == 1.0


def test_agreement_uses_latest_grades(session: Session) -> None:
    keys = _cases(session)
    for key, own, other in zip(
        keys, ["good", "good", "good"], ["good", "inadequate", "good"], strict=False
    ):
        record_audit(
            session=session,
            event_key=key,
            assessor_kind="self",
            auditor="DS A",
            grade=own,
            reasons="ok",
        )
        record_audit(
            session=session,
            event_key=key,
            assessor_kind="independent",
            auditor="HMI",
            grade=other,
            reasons="checked",
        )
    result = agreement(session=session)
    assert result.pairs == 3
    assert result.table["good"] == {"good": 2, "requires_improvement": 0, "inadequate": 1}
    assert result.observed == pytest.approx(2 / 3)
    with pytest.raises(InvalidInputError):
        record_audit(
            session=session,
            event_key=keys[0],
            assessor_kind="self",
            auditor="x",
            grade="fine",
            reasons="r",
        )


def test_commissioner_pdf_renders_with_charts(session: Session, tmp_path: Path) -> None:
    _cases(session)
    context = build_context(
        session=session, kind="commissioner", start=date(2016, 1, 1), end=date(2016, 6, 30)
    )
    html = render_html(context)
    assert html.count("<svg") >= 4
    assert "Child's views recorded" in html
    pdf = tmp_path / "report.pdf"
    write_pdf(html, pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    assert page.stat().st_size > 5000
