"""The application factory: settings, engine, middleware, routes, assets."""

from __future__ import annotations

import logging
from datetime import date

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from safeguard.db import make_engine, upgrade
from safeguard.risk.clocks import is_working_day
from safeguard.risk.policy import load_policy
from safeguard.web.errors import register_error_handlers
from safeguard.web.headers import security_headers
from safeguard.web.policy import check_every_route_has_a_policy
from safeguard.web.routes import (
    addresses,
    admin,
    alerts,
    api,
    audit,
    casework,
    custody,
    figures,
    forms,
    linkage,
    missing,
    network,
    offenders,
    oidc,
    people,
    person_linkage,
    queues,
    sharing,
    signin,
)
from safeguard.web.settings import WebSettings
from safeguard.web.templating import build_templates

log = logging.getLogger(__name__)
SESSION_COOKIE = "safeguard_session"


def _mount_assets(app: FastAPI, settings: WebSettings) -> None:
    govuk = settings.node_modules / "govuk-frontend" / "dist" / "govuk"
    htmx = settings.node_modules / "htmx.org" / "dist"
    moj = settings.node_modules / "@ministryofjustice" / "frontend" / "moj"
    cytoscape = settings.node_modules / "cytoscape" / "dist"
    if not all(d.is_dir() for d in (govuk, htmx, moj, cytoscape)):
        log.warning(
            "front-end packages missing under %s: run scripts/setup.sh", settings.node_modules
        )
    else:
        assets = StaticFiles(directory=govuk / "assets")
        # MoJ Frontend's CSS also loads its icons from /assets/images: look there second.
        assets.all_directories = [govuk / "assets", moj / "assets"]
        app.mount("/assets", assets, name="assets")
        app.mount("/static/govuk", StaticFiles(directory=govuk), name="govuk")
        app.mount("/static/htmx", StaticFiles(directory=htmx), name="htmx")
        app.mount("/static/moj", StaticFiles(directory=moj), name="moj")
        app.mount("/static/cytoscape", StaticFiles(directory=cytoscape), name="cytoscape")
    from safeguard.web.templating import TEMPLATES

    app.mount("/static/app", StaticFiles(directory=TEMPLATES.parent / "static"), name="app")


def api_routes(app: FastAPI) -> list[APIRoute]:
    return [r for r in app.routes if isinstance(r, APIRoute)]


def create_app(settings: WebSettings | None = None, *, migrate: bool = True) -> FastAPI:
    """Build the app. Settings are read here (never at import time) and fail fast when unsafe."""
    settings = settings if settings is not None else WebSettings()
    engine = make_engine(settings.db, pool_size=settings.db_pool_size)
    if migrate:
        upgrade(engine)
    app = FastAPI(
        title="Safeguard",
        version="0.1.0",
        description="Child-protection information for police forces. API under /api/v1; "
        "bearer tokens only.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.policy = load_policy(settings.policy_file)
    app.state.templates = build_templates(reload=settings.environment == "development")
    # The bank-holiday calendar loads on first use (half a second): here, not in a request
    # (asked of a Monday, since weekends are answered without it).
    is_working_day(date(2024, 1, 1))
    app.middleware("http")(security_headers(https=settings.https))
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.idle_minutes * 60,  # re-signed on every response: an idle timeout
        same_site="strict",
        https_only=settings.https,
    )
    register_error_handlers(app)
    # Routes are added as they are (not through include_router, which wraps them lazily), so
    # app.routes lists every APIRoute for the policy check and the route x role matrix test.
    for module in (
        signin,
        oidc,
        people,
        alerts,
        addresses,
        figures,
        queues,
        linkage,
        person_linkage,
        forms,
        missing,
        custody,
        offenders,
        casework,
        network,
        audit,
        admin,
        sharing,
        api,
    ):
        app.router.routes.extend(module.router.routes)
    _mount_assets(app, settings)
    check_every_route_has_a_policy(app.routes)
    return app


def create_worker_app() -> FastAPI:
    """For each of several server processes: settings from the environment, which the
    parent process set, and the schema the parent already brought up to date."""
    return create_app(WebSettings(), migrate=False)
