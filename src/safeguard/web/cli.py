"""`safeguard serve`."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from safeguard.cli_support import state


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes (one per core uses every core)")
    ] = 1,
) -> None:
    """Serve the web application and its API."""
    import uvicorn

    from safeguard.db import make_engine, upgrade
    from safeguard.web.app import create_app
    from safeguard.web.server import HTTP_PROTOCOL
    from safeguard.web.settings import build_web_settings

    settings = build_web_settings(db=state(ctx).settings.db)
    options = {
        "host": host,
        "port": port,
        "proxy_headers": False,
        "server_header": False,
        "http": HTTP_PROTOCOL,
    }
    if workers == 1:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
        return
    engine = make_engine(settings.db)
    upgrade(engine)  # once, here, not racing in every worker
    engine.dispose()
    # The workers read their settings from the environment: the same database and the same
    # secret (a development secret is made once, here), so a session cookie signed by one
    # worker is good in every other.
    os.environ["SAFEGUARD_DB"] = settings.db
    os.environ["SAFEGUARD_SECRET_KEY"] = settings.secret_key.get_secret_value()
    uvicorn.run(
        "safeguard.web.app:create_worker_app",
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=120,  # a worker's first import is slow on a busy machine
        **options,  # type: ignore[arg-type]
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
