"""`safeguard alerts` and `safeguard assess`."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from safeguard.cli_support import console, state
from safeguard.db import unit_of_work
from safeguard.errors import SafeguardError
from safeguard.risk import service
from safeguard.risk.engine import compute_alerts
from safeguard.risk.picture import assess
from safeguard.risk.policy import Policy, load_policy
from safeguard.timeutil import now_utc, parse_as_of

alerts_app = typer.Typer(help="Alerts of the catalogue (spec/alerts.md).", no_args_is_help=False)
out = Console()

AsOf = Annotated[
    str | None, typer.Option("--as-of", help="A time, or a date meaning the end of that day.")
]
PolicyOpt = Annotated[
    str | None, typer.Option("--policy", help="Force policy TOML (default: built-in defaults).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _policy(ctx: typer.Context, path: str | None) -> Policy:
    return load_policy(path or state(ctx).settings.policy_file)


def _fail(exc: SafeguardError) -> typer.Exit:
    console.print(f"[red]error[/red] {exc}")
    return typer.Exit(2)


def _print_alerts(alerts: list[dict[str, Any]]) -> None:
    table = Table("code", "status", "severity", "subjects", "message", show_lines=True)
    for a in alerts:
        table.add_row(a["code"], a["status"], a["severity"], "\n".join(a["subjects"]), a["message"])
    out.print(table)
    out.print(f"{len(alerts)} alerts")


@alerts_app.callback(invoke_without_command=True)
def alerts_command(
    ctx: typer.Context,
    as_of: AsOf = None,
    as_json: JsonOpt = False,
    policy: PolicyOpt = None,
    persist: Annotated[
        bool, typer.Option("--persist", help="Also keep them: open, update and resolve.")
    ] = False,
) -> None:
    """List the alerts as of WHEN (default now)."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        when = parse_as_of(as_of) if as_of else now_utc()
        pol = _policy(ctx, policy)
        with unit_of_work(state(ctx).engine()) as session:
            alerts = compute_alerts(session=session, as_of=when, policy=pol)
            if persist:
                service.persist(session=session, alerts=alerts, as_of=when)
    except SafeguardError as exc:
        raise _fail(exc) from None
    rows = [a.as_json() for a in alerts]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        _print_alerts(rows)


@alerts_app.command("sweep")
def sweep_command(
    ctx: typer.Context,
    as_of: AsOf = None,
    policy: PolicyOpt = None,
    changed_only: Annotated[
        bool,
        typer.Option(
            "--changed-only", help="Re-evaluate only people touched since the last sweep."
        ),
    ] = False,
) -> None:
    """Evaluate and keep the alerts: new ones open, gone ones resolved."""
    try:
        when = parse_as_of(as_of) if as_of else now_utc()
        pol = _policy(ctx, policy)
        with unit_of_work(state(ctx).engine()) as session:
            summary = service.sweep(
                session=session, as_of=when, policy=pol, changed_only=changed_only
            )
    except SafeguardError as exc:
        raise _fail(exc) from None
    typer.echo(summary.text())


@alerts_app.command("acknowledge")
def acknowledge_command(
    ctx: typer.Context,
    alert_id: Annotated[str, typer.Argument(help="The alert id (from `alerts list`).")],
    reason: Annotated[str, typer.Option("--reason", help="Why; kept in the alert's history.")],
    by: Annotated[str, typer.Option("--by", help="Who decided.")] = "unknown",
) -> None:
    """Record a person's decision about a kept alert."""
    try:
        with unit_of_work(state(ctx).engine()) as session:
            service.acknowledge(
                session=session, alert_id=alert_id, by=by, reason=reason, at=now_utc()
            )
    except SafeguardError as exc:
        raise _fail(exc) from None
    typer.echo(f"acknowledged {alert_id}")


@alerts_app.command("list")
def list_command(
    ctx: typer.Context,
    as_json: JsonOpt = False,
    include_resolved: Annotated[bool, typer.Option("--all", help="Include resolved.")] = False,
) -> None:
    """The kept alerts, with their status and decisions."""
    with unit_of_work(state(ctx).engine()) as session:
        rows = service.kept(session=session, include_resolved=include_resolved)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        _print_alerts(rows)


def assess_command(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="A person key, source:id.")],
    as_of: AsOf = None,
    as_json: JsonOpt = False,
    policy: PolicyOpt = None,
) -> None:
    """One person's risk picture, from every key linked to them."""
    try:
        when = parse_as_of(as_of) if as_of else now_utc()
        pol = _policy(ctx, policy)
        with unit_of_work(state(ctx).engine()) as session:
            picture = assess(session=session, key=key, as_of=when, policy=pol)
    except SafeguardError as exc:
        raise _fail(exc) from None
    if as_json:
        typer.echo(json.dumps(picture, indent=2, ensure_ascii=False))
        return
    from safeguard.risk.render import render_picture

    render_picture(out, picture)


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
    app.command("assess")(assess_command)
