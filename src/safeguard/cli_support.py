"""What every command shares: settings, the engine (schema brought up to date), the console."""

from __future__ import annotations

from dataclasses import dataclass, field

import typer
from rich.console import Console
from sqlalchemy import Engine

from safeguard.config import Settings, load_settings
from safeguard.db import make_engine, upgrade

console = Console(stderr=True)


@dataclass
class AppState:
    settings: Settings
    _engine: Engine | None = field(default=None, init=False)

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.db)
            upgrade(self._engine)
        return self._engine


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    if not isinstance(obj, AppState):
        obj = AppState(load_settings())
        ctx.find_root().obj = obj
    return obj
