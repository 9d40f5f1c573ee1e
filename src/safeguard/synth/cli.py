"""`safeguard synth` and `safeguard demo`."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from safeguard.cli_support import console, state
from safeguard.synth.demo import DemoReport, DemoStoreNotEmptyError, build_demo
from safeguard.synth.generate import Summary, generate_force, read_truth
from safeguard.synth.sink import TRUTH_FILE

DEMO_HOST = "127.0.0.1"
DEMO_PORT = 8000


def _summary_table(summary: Summary, seconds: float) -> Table:
    table = Table(title=f"synthetic force: {summary.people:,} people, seed {summary.seed}")
    table.add_column("record")
    table.add_column("count", justify="right")
    for record, n in sorted(summary.by_record().items()):
        table.add_row(record, f"{n:,}")
    for kind, n in sorted(summary.events.items()):
        table.add_row(f"  event {kind}", f"{n:,}")
    table.add_row("truth: alert expectations", f"{summary.alerts:,}")
    table.add_row("seconds", f"{seconds:.1f}")
    return table


def synth_command(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the source files into")],
    people: Annotated[int, typer.Option("--people", min=200, help="Population")] = 499_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files")] = 1,
) -> None:
    """Generate the synthetic force: one exchange-format file per source, and truth.jsonl."""
    started = time.perf_counter()
    with console.status(f"generating {people:,} people"):
        summary = generate_force(people=people, seed=seed, out=out)
    console.print(_summary_table(summary, time.perf_counter() - started))
    console.print(f"files in {out}; truth in {out / TRUTH_FILE}")


def _demo_tables(report: DemoReport) -> list[Table]:
    counts = Table(title="demo database")
    counts.add_column("stored")
    counts.add_column("count", justify="right")
    for record, n in sorted(report.stored.items()):
        counts.add_row(record, f"{n:,}")
    counts.add_row("rejected lines", str(report.rejected))
    counts.add_row("generate seconds", f"{report.generate_seconds:.1f}")
    counts.add_row("import seconds", f"{report.import_seconds:.1f}")
    steps = Table(title="linkage and alerts")
    steps.add_column("step")
    steps.add_column("status")
    steps.add_column("detail")
    for step in report.steps:
        steps.add_row(step.name, step.status, step.detail)
    codes = Table(title="alert codes: planted in the truth file, and raised (if the sweep ran)")
    codes.add_column("code")
    codes.add_column("planted", justify="right")
    codes.add_column("raised", justify="right")
    raised: Counter[str] = Counter()
    for step in report.steps:
        raised.update(step.counts)
    for code, n in report.expected.most_common(12):
        codes.add_row(code, str(n), str(raised.get(code, "-")))
    return [counts, steps, codes]


def demo_command(
    ctx: typer.Context,
    people: Annotated[int, typer.Option("--people", min=200)] = 20_000,
    seed: Annotated[int, typer.Option("--seed")] = 1,
    db: Annotated[
        str | None, typer.Option("--db", help="Database URL (default: the default SQLite file)")
    ] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build only; do not serve")] = False,
) -> None:
    """Build a demo database from the synthetic force, link it, compute alerts, summarise.

    A SQLite database file is replaced; a server database must hold no people yet.
    """
    settings = state(ctx).settings
    url = db or settings.db
    with tempfile.TemporaryDirectory(prefix="safeguard-demo-") as tmp:
        try:
            with console.status(f"building the demo force ({people:,} people) into {url}"):
                report = build_demo(
                    url=url,
                    people=people,
                    seed=seed,
                    work=Path(tmp),
                    policy_file=settings.policy_file,
                )
        except DemoStoreNotEmptyError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from None
        expected = Counter(
            t["code"]
            for t in read_truth(Path(tmp) / TRUTH_FILE)
            if t["truth"] == "alert" and t["expect"]
        )
    report.expected = expected
    for table in _demo_tables(report):
        console.print(table)
    console.print(_users_table(report))
    if no_serve:
        console.print("--no-serve: built only")
        return
    _serve(url, settings.policy_file)


def _users_table(report: DemoReport) -> Table:
    table = Table(title="demo users: the passwords are shown only now")
    table.add_column("role")
    table.add_column("sign in as")
    table.add_column("password")
    for user in report.users:
        table.add_row(user.role, user.username, user.password)
    return table


def _serve(url: str, policy_file: str | None) -> None:
    import uvicorn

    from safeguard.web.app import create_app
    from safeguard.web.settings import build_web_settings

    app = create_app(build_web_settings(db=url, policy_file=policy_file))
    console.print(f"serving the demo on http://{DEMO_HOST}:{DEMO_PORT} (Ctrl-C to stop)")
    uvicorn.run(app, host=DEMO_HOST, port=DEMO_PORT, proxy_headers=False, server_header=False)


def register(app: typer.Typer) -> None:
    app.command("synth")(synth_command)
    app.command("demo")(demo_command)
