"""`safeguard import` and `safeguard export`."""

from __future__ import annotations

import gc
import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import Engine

from safeguard.access.processing_log import Actor, Operation, append
from safeguard.cli_support import console, state
from safeguard.db import unit_of_work
from safeguard.ingest.errors import ImportRejectedError, ImportReport
from safeguard.ingest.export import write_export
from safeguard.ingest.importer import import_files


def _report_errors(report: ImportReport, limit: int = 200) -> None:
    for err in report.errors[:limit]:
        console.print(f"[red]rejected[/red] {err}", highlight=False, soft_wrap=True)
    if len(report.errors) > limit:
        console.print(f"... and {len(report.errors) - limit} more")


def import_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    partial: Annotated[
        bool,
        typer.Option("--partial", help="Keep the good lines; write rejected ones beside the file."),
    ] = False,
) -> None:
    """Import exchange-format files (all-or-nothing unless --partial)."""
    engine = state(ctx).engine()
    # the objects made so far outlive the import: frozen, the collector does not walk them
    # again and again while the lines go by
    gc.freeze()
    try:
        _import(engine, files, partial=partial)
    finally:
        gc.unfreeze()


def _import(engine: Engine, files: list[Path], *, partial: bool) -> None:
    total = sum(f.stat().st_size for f in files)
    show = sys.stderr.isatty()
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not show,
    ) as bar:
        task = bar.add_task("import", total=total)
        try:
            with unit_of_work(engine) as session:
                report = import_files(
                    session=session,
                    paths=files,
                    partial=partial,
                    progress=(lambda _stage, n: bar.advance(task, n)) if show else None,
                )
                append(
                    session=session,
                    operation=Operation.COLLECT,
                    actor=_cli_actor(),
                    records=[],
                    purpose="import from source systems",
                    justification="collection of records from the force's source systems",
                    detail={
                        "files": [str(f) for f in files],
                        "stored": dict(report.stored),
                        "updated": dict(report.updated),
                        "rejected_lines": report.rejected_lines,
                    },
                )
        except ImportRejectedError as exc:
            _report_errors(exc.report)
            console.print(f"nothing stored: {exc.report.rejected_lines} lines rejected")
            raise typer.Exit(1) from None
    if report.errors:
        _report_errors(report)
        for path in report.write_rejected():
            console.print(f"rejected lines written to {path}")
    typer.echo(report.summary())
    if report.errors:
        raise typer.Exit(1)


def _cli_actor() -> Actor:
    return Actor(name=f"cli:{getpass.getuser()}", role="system")


def export_command(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: stdout)")
    ] = None,
    recipient: Annotated[
        str | None, typer.Option("--recipient", help="Who receives the export (logged)")
    ] = None,
    reason: Annotated[
        str, typer.Option("--reason", help="Why the store is exported (logged)")
    ] = "export of the store in the exchange format",
) -> None:
    """Export the whole store in the exchange format (a disclosure, logged)."""
    engine = state(ctx).engine()
    with unit_of_work(engine) as session:
        append(
            session=session,
            operation=Operation.DISCLOSE,
            actor=_cli_actor(),
            records=[],
            purpose="export",
            justification=reason,
            recipients=[recipient or (f"file:{out}" if out else "stdout")],
            detail={"out": str(out) if out else "stdout"},
        )
        if out is None:
            count = write_export(session=session, out=sys.stdout)
        else:
            with out.open("w", encoding="utf-8") as fh:
                count = write_export(session=session, out=fh)
    console.print(f"exported {count} records")


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)
