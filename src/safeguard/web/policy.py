"""Deny by default: every route declares, with one Policy dependency, the roles that may use it.

The app factory refuses to build if any route lacks one, and the route x role matrix test reads
the declared roles back from each route.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute, Mount

from safeguard.access.roles import ALL_ROLES, Role
from safeguard.access.service import Principal
from safeguard.errors import PermissionDeniedError
from safeguard.web.auth import NotSignedInError, resolve_principal
from safeguard.web.deps import begin_writing, db_session


@dataclass(frozen=True, eq=False)
class Policy:
    """Who may call a route: roles, or anyone (``public``); ``api`` routes take tokens only."""

    name: str
    roles: frozenset[Role]
    public: bool = False
    api: bool = False
    shows_personal_data: bool = False  # every response writes a processing-log entry

    def __call__(
        self, request: Request, session: Annotated[Session, Depends(db_session, scope="function")]
    ) -> Principal | None:
        if request.method not in ("GET", "HEAD"):
            begin_writing(session)  # this request changes something: take SQLite's write lock
        principal = resolve_principal(request=request, session=session, api=self.api)
        request.state.principal = principal
        if self.public:
            return principal
        if principal is None:
            raise NotSignedInError(api=self.api)
        if principal.role not in self.roles:
            raise PermissionDeniedError(f"your role ({principal.role.value}) cannot use this page")
        return principal


def allow(
    name: str,
    roles: frozenset[Role] | set[Role],
    *,
    api: bool = False,
    personal_data: bool = False,
) -> Policy:
    return Policy(name=name, roles=frozenset(roles), api=api, shows_personal_data=personal_data)


def public(name: str) -> Policy:
    return Policy(name=name, roles=ALL_ROLES, public=True)


def policy_of(route: APIRoute) -> list[Policy]:
    """The Policy dependencies declared on a route (directly or on its router)."""
    found: list[Policy] = []
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, Policy):
            found.append(dep.call)
        stack.extend(dep.dependencies)
    return found


STATIC_MOUNTS = ("/assets", "/static/")


def check_every_route_has_a_policy(routes: list[BaseRoute]) -> None:
    """Refuse any route that is not a static mount or an APIRoute with exactly one policy."""
    for route in routes:
        if isinstance(route, Mount) and route.path.startswith(STATIC_MOUNTS):
            continue
        if not isinstance(route, APIRoute):
            raise RuntimeError(f"route {route!r} cannot be checked for an access policy")
        policies = {id(p): p for p in policy_of(route)}
        if len(policies) != 1:
            raise RuntimeError(
                f"route {sorted(route.methods or ())} {route.path} must declare exactly one access "
                f"policy (has {len(policies)})"
            )
