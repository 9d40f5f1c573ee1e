"""Security headers on every response."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
# For the report documents only: their inline <style> and SVG charts; no script at all.
REPORT_CSP = CSP.replace("script-src 'self'", "script-src 'none'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
STATIC_PREFIXES = ("/assets/", "/static/")


def security_headers(
    *, https: bool
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    async def add_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        headers = response.headers
        if headers.get("Content-Security-Policy") != REPORT_CSP:  # only that one relaxation
            headers["Content-Security-Policy"] = CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if not request.url.path.startswith(STATIC_PREFIXES):
            headers["Cache-Control"] = "no-store"  # pages carry personal data
        if https:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response

    return add_headers
