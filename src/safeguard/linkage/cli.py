"""`safeguard link` (and its review, confirm, split) and `safeguard clusters`."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from safeguard.cli_support import console, state
from safeguard.db import unit_of_work
from safeguard.errors import SafeguardError
from safeguard.linkage import service
from safeguard.linkage.explain import explain

link_app = typer.Typer(
    help="Join person keys that are the same real person; review and decide pairs.",
    invoke_without_command=True,
    no_args_is_help=False,
)

Actor = Annotated[str, typer.Option("--by", help="Who decides (recorded in the history)")]
Reason = Annotated[str, typer.Option("--reason", help="Why (recorded in the history)")]


class LinkEngine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


@link_app.callback()
def link_command(
    ctx: typer.Context,
    engine: Annotated[
        LinkEngine, typer.Option("--engine", help="Splink backend: duckdb, or spark")
    ] = LinkEngine.duckdb,
) -> None:
    """Link every person key in the store (keeps every decision people made)."""
    if ctx.invoked_subcommand is not None:
        return
    with unit_of_work(state(ctx).engine()) as session:
        summary = service.run_link(session=session, engine=engine.value)
    typer.echo(
        f"{summary.keys} keys: {summary.clusters_with_several_keys} people with several keys, "
        f"{summary.linked_pairs} pairs linked, {summary.review_pairs} for review "
        f"({summary.joins} joins, {summary.splits} splits)"
    )


@link_app.command("review")
def review_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """The pairs waiting for a person to decide."""
    with unit_of_work(state(ctx).engine()) as session:
        items = service.review_queue(session=session)
    if as_json:
        typer.echo(json.dumps([i.model_dump() for i in items], indent=1))
        return
    for item in items:
        agreed = ", ".join(f"{k}: {v}" for k, v in sorted(item.evidence.items()))
        weight = "-" if item.match_weight is None else f"{item.match_weight:.1f}"
        why = f" [{item.reason}]" if item.reason else ""
        typer.echo(f"{item.a}  {item.b}  weight {weight}  {agreed}{why}")
    console.print(f"{len(items)} pairs for review")


def _decide(ctx: typer.Context, a: str, b: str, *, same: bool, by: str, reason: str) -> None:
    try:
        with unit_of_work(state(ctx).engine()) as session:
            service.decide(session=session, a=a, b=b, same=same, actor=by, reason=reason)
    except SafeguardError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(1) from None
    typer.echo(f"{'confirmed' if same else 'split'}: {a} {b}")


@link_app.command("confirm")
def confirm_command(ctx: typer.Context, a: str, b: str, by: Actor, reason: Reason) -> None:
    """Decide that two keys are the same person (holds in every later run)."""
    _decide(ctx, a, b, same=True, by=by, reason=reason)


@link_app.command("split")
def split_command(ctx: typer.Context, a: str, b: str, by: Actor, reason: Reason) -> None:
    """Decide that two keys are different people: they are never joined again."""
    _decide(ctx, a, b, same=False, by=by, reason=reason)


@link_app.command("explain")
def explain_command(
    ctx: typer.Context,
    key: str,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """A key's cluster and every link touching it: match weight and the fields that agreed."""
    try:
        with unit_of_work(state(ctx).engine()) as session:
            found = explain(session=session, key=key)
    except SafeguardError as err:
        console.print(f"[red]{err}[/red]")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(found.model_dump_json(indent=1))
        return
    typer.echo(f"{found.key}: one person with {len(found.cluster)} keys: {' '.join(found.cluster)}")
    for link in found.links:
        agreed = ", ".join(f"{k}: {v}" for k, v in sorted(link.evidence.items()))
        weight = "" if link.match_weight is None else f" weight {link.match_weight:.1f}"
        why = f" [{link.reason}]" if link.reason else ""
        typer.echo(f"  {link.status:8} {link.a}  {link.b}  {link.method}{weight}  {agreed}{why}")
    for d in found.decisions:
        typer.echo(f"  decided {d['decision']}: {d['a']} {d['b']} by {d['by']} ({d['reason']})")


def clusters_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON")] = False,
) -> None:
    """Every person as the list of source keys linked to it."""
    with unit_of_work(state(ctx).engine()) as session:
        clusters = service.clusters_as_keys(session=session)
    if as_json:
        typer.echo(json.dumps(clusters))
        return
    for keys in clusters:
        typer.echo(" ".join(keys))


def register(app: typer.Typer) -> None:
    app.add_typer(link_app, name="link")
    app.command("clusters")(clusters_command)
