"""`safeguard serve`."""

from __future__ import annotations

from typing import Annotated

import typer

from safeguard.cli_support import state


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Serve the web application and its API."""
    import uvicorn

    from safeguard.web.app import create_app
    from safeguard.web.settings import build_web_settings

    settings = state(ctx).settings
    app = create_app(build_web_settings(db=settings.db))
    uvicorn.run(app, host=host, port=port, proxy_headers=False, server_header=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
