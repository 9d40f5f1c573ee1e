"""The `safeguard` command line. Each domain registers its own commands."""

from __future__ import annotations

from typing import Annotated

import typer

from safeguard.access import cli as access_cli
from safeguard.cli_support import AppState
from safeguard.config import load_settings
from safeguard.ingest import cli as ingest_cli
from safeguard.linkage import cli as linkage_cli
from safeguard.quality import cli as quality_cli
from safeguard.risk import cli as risk_cli
from safeguard.synth import cli as synth_cli
from safeguard.web import cli as web_cli

app = typer.Typer(
    name="safeguard",
    help="Safeguard: child-protection information for police forces.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database URL (default: $SAFEGUARD_DB or sqlite:///safeguard.db)"
        ),
    ] = None,
) -> None:
    ctx.obj = AppState(load_settings(db=db))


ingest_cli.register(app)
quality_cli.register(app)
linkage_cli.register(app)
synth_cli.register(app)
risk_cli.register(app)
access_cli.register(app)
web_cli.register(app)


def main() -> None:
    app()
