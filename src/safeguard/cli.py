"""The `safeguard` command line. Each domain registers its own commands.

A domain's module is imported only when one of its commands runs (or the help lists them):
`safeguard import` need not load DuckDB, PyArrow, the bank-holiday calendars or the web app,
which took longer than importing a small file.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer
from typer import _click as click
from typer.core import TyperGroup

from safeguard.cli_support import AppState
from safeguard.config import load_settings

# command -> module whose ``register(app)`` adds it, in the order the help lists them
COMMANDS = {
    "import": "safeguard.ingest.cli",
    "export": "safeguard.ingest.cli",
    "figures": "safeguard.quality.cli",
    "report": "safeguard.quality.cli",
    "case-audit": "safeguard.quality.cli",
    "link": "safeguard.linkage.cli",
    "clusters": "safeguard.linkage.cli",
    "synth": "safeguard.synth.cli",
    "demo": "safeguard.synth.cli",
    "alerts": "safeguard.risk.cli",
    "assess": "safeguard.risk.cli",
    "share": "safeguard.access.cli",
    "users": "safeguard.access.cli",
    "audit": "safeguard.access.cli",
    "retention": "safeguard.access.cli",
    "serve": "safeguard.web.cli",
}


def domain_commands(module: str) -> dict[str, click.Command]:
    """The click commands that the module's ``register`` adds to an app."""
    domain = typer.Typer()
    importlib.import_module(module).register(domain)
    # a callback makes Typer build a group even for a module with one command
    domain.callback()(lambda: None)
    group = typer.main.get_command(domain)
    assert isinstance(group, TyperGroup)
    return dict(group.commands)


class LazyGroup(TyperGroup):
    """The root group: a command's module is imported when the command is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(dict.fromkeys([*COMMANDS, *super().list_commands(ctx)]))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands.update(domain_commands(COMMANDS[cmd_name]))
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in COMMANDS and args[0] not in self.commands:
            # an unknown name: suggestions are made from every command
            for module in dict.fromkeys(COMMANDS.values()):
                self.commands.update(domain_commands(module))
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="safeguard",
    cls=LazyGroup,
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


def main() -> None:
    app()
