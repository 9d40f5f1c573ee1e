"""`safeguard figures`, `safeguard report` and `safeguard case-audit`."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from safeguard.cli_support import console, state
from safeguard.db import unit_of_work
from safeguard.errors import SafeguardError
from safeguard.quality.areas import AREAS
from safeguard.quality.audit import agreement, draw_sample, record_audit
from safeguard.quality.registry import FIGURES
from safeguard.quality.report import ReportKind, build_context, render_html, write_pdf
from safeguard.quality.service import compute_figures

From = Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD")]
To = Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD")]


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=name) from None


def _shown(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    return f"{value:.0%}" if kind == "share" else f"{value:.1f}"


def figures_command(
    ctx: typer.Context,
    start: From,
    end: To,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    export: Annotated[
        str | None, typer.Option("--export", help="Figure code: write its records")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="CSV file for --export")] = None,
) -> None:
    """Performance and quality figures by area for a date range."""
    first, last = _day(start, "--from"), _day(end, "--to")
    if export and export not in FIGURES:
        raise typer.BadParameter(f"unknown figure {export!r}", param_hint="--export")
    with unit_of_work(state(ctx).engine()) as session:
        results = compute_figures(
            session=session, start=first, end=last, codes=[export] if export else None
        )
    if export:
        fh = out.open("w", newline="") if out else sys.stdout
        writer = csv.writer(fh)
        writer.writerow(["figure", "area", "month", "met", "value", "record_keys"])
        for unit in results[0].units:
            writer.writerow(
                [export, unit.area, unit.month, unit.met, unit.value, " ".join(unit.keys)]
            )
        if out:
            fh.close()
        console.print(f"exported {len(results[0].units)} units of {export}")
        return
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "code": r.figure.code,
                        "group": r.figure.group,
                        "title": r.figure.title,
                        "definition": r.figure.definition,
                        "kind": r.figure.kind,
                        "force": r.value(),
                        "areas": {a: r.value(area=a) for a in AREAS},
                        "units": len(r.units),
                    }
                    for r in results
                ],
                indent=2,
            )
        )
        return
    table = Table("figure", "force", *AREAS, "counted", title=f"Figures {first} to {last}")
    for r in results:
        table.add_row(
            r.figure.title,
            _shown(r.value(), r.figure.kind),
            *(_shown(r.value(area=a), r.figure.kind) for a in AREAS),
            str(len(r.units)),
        )
    console.print(table)


def report_command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="commissioner or area")],
    start: From,
    end: To,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write a PDF here")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML here")] = None,
) -> None:
    """The commissioner's report or the area report, as HTML and PDF."""
    if kind not in ("commissioner", "area"):
        raise typer.BadParameter("must be commissioner or area", param_hint="KIND")
    report_kind: ReportKind = "commissioner" if kind == "commissioner" else "area"
    with unit_of_work(state(ctx).engine()) as session:
        context = build_context(
            session=session, kind=report_kind, start=_day(start, "--from"), end=_day(end, "--to")
        )
    page = render_html(context)
    if html:
        html.write_text(page, encoding="utf-8")
        console.print(f"HTML written to {html}")
    if pdf:
        write_pdf(page, pdf)
        console.print(f"PDF written to {pdf}")
    if not html and not pdf:
        typer.echo(page)


audit_app = typer.Typer(help="Dip-sampling and graded case audit.", no_args_is_help=True)


@audit_app.command("sample")
def sample_command(
    ctx: typer.Context,
    start: From,
    end: To,
    per_stratum: Annotated[int, typer.Option("--per-stratum")] = 3,
    seed: Annotated[int, typer.Option("--seed")] = 1,
    by: Annotated[str, typer.Option("--by", help="Who draws the sample")] = "analyst",
) -> None:
    """Draw a stratified random sample of cases by case type and area."""
    try:
        with unit_of_work(state(ctx).engine()) as session:
            sample, cases = draw_sample(
                session=session,
                start=_day(start, "--from"),
                end=_day(end, "--to"),
                per_stratum=per_stratum,
                seed=seed,
                drawn_by=by,
            )
            sample_id = sample.id
    except SafeguardError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    table = Table("case", "case type", "area", title=f"Sample {sample_id} (seed {seed})")
    for case in cases:
        table.add_row(case.event_key, case.case_type, case.area)
    console.print(table)


@audit_app.command("grade")
def grade_command(
    ctx: typer.Context,
    event: Annotated[str, typer.Argument(help="Event key, e.g. ppu:E12")],
    grade: Annotated[str, typer.Option("--grade", help="good, requires_improvement, inadequate")],
    reasons: Annotated[str, typer.Option("--reasons")],
    auditor: Annotated[str, typer.Option("--auditor")],
    assessor: Annotated[str, typer.Option("--assessor", help="self or independent")] = "self",
    sample: Annotated[int | None, typer.Option("--sample")] = None,
) -> None:
    """Record a graded audit of one case, with reasons."""
    try:
        with unit_of_work(state(ctx).engine()) as session:
            record_audit(
                session=session,
                event_key=event,
                assessor_kind=assessor,
                auditor=auditor,
                grade=grade,
                reasons=reasons,
                sample_id=sample,
            )
    except SafeguardError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    console.print(f"recorded: {event} graded {grade} ({assessor})")


@audit_app.command("agreement")
def agreement_command(
    ctx: typer.Context,
    sample: Annotated[int | None, typer.Option("--sample")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Self-assessment against independent audit, with Cohen's kappa."""
    with unit_of_work(state(ctx).engine()) as session:
        result = agreement(session=session, sample_id=sample)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "pairs": result.pairs,
                    "table": result.table,
                    "observed": result.observed,
                    "kappa": result.kappa,
                }
            )
        )
        return
    table = Table("self \\ independent", *result.table, title="Case audit agreement")
    for grade, row in result.table.items():
        table.add_row(grade, *(str(n) for n in row.values()))
    console.print(table)
    console.print(f"{result.pairs} cases graded by both; kappa {result.kappa}")


def register(app: typer.Typer) -> None:
    app.command("figures")(figures_command)
    app.command("report")(report_command)
    app.add_typer(audit_app, name="case-audit")
