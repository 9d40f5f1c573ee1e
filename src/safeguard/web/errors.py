"""One registry mapping domain errors to responses: pages get GOV.UK pages, the API JSON."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.exc import DataError

from safeguard.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from safeguard.web.auth import NotSignedInError
from safeguard.web.templating import render


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, title: str, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def register_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedInError)
    async def not_signed_in(request: Request, exc: NotSignedInError) -> Response:
        if exc.api or _is_api(request):
            return JSONResponse(
                {"detail": "a valid bearer token is required"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(PermissionDeniedError)
    async def denied(request: Request, exc: PermissionDeniedError) -> Response:
        return _error(request, 403, "You cannot see this page", str(exc))

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, "Page not found", str(exc))

    @app.exception_handler(InvalidInputError)
    async def invalid(request: Request, exc: InvalidInputError) -> Response:
        return _error(request, 400, "There is a problem", str(exc))

    @app.exception_handler(DataError)
    async def unstorable(request: Request, exc: DataError) -> Response:
        # PostgreSQL cannot hold a NUL character in text (SQLite can): a request carrying one is
        # bad input, not a server fault. Any other data error stays a server error.
        if "NUL" not in str(exc.orig):
            raise exc
        fields = sorted(
            {name for name, value in request.query_params.multi_items() if "\x00" in value}
            | {name for name, value in request.path_params.items() if "\x00" in str(value)}
        )
        where = f" in {', '.join(fields)}" if fields else ""
        return _error(
            request,
            400,
            "There is a problem",
            f"The request contains a NUL character (%00){where}, which no field may hold.",
        )
