"""The network of people, places and phones around a child: a picture (cytoscape.js, drawn in
the browser from the JSON route) and the same network as tables, for the specialist roles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from safeguard.access import restrictions
from safeguard.access.roles import SPECIALIST
from safeguard.access.service import Principal
from safeguard.network.graph import network_around, people_in
from safeguard.pole.people import person_by_key
from safeguard.timeutil import now_utc
from safeguard.web.deps import DbSession
from safeguard.web.logging_ import record_view
from safeguard.web.policy import allow
from safeguard.web.routes.people import glass_grant
from safeguard.web.templating import render

router = APIRouter(include_in_schema=False)

# Who is linked to whom is specialist knowledge: frontline roles see markers, not networks.
NETWORK_PAGE = allow("network picture", SPECIALIST, personal_data=True)
NETWORK_DATA = allow("network data", SPECIALIST, personal_data=True)


def _network_for(request: Request, session: Session, who: Principal, key: str) -> dict[str, Any]:
    """The network as this user may see it: records restricted to others are not opened,
    unless the user broke glass on them."""
    person = person_by_key(session=session, key=key)
    limits = restrictions.load(session=session)

    def hides(keys: list[str]) -> bool:
        if not limits.hides(who.username, keys):
            return False
        return not any(glass_grant(request, k) for k in keys)  # broke glass on this person

    return network_around(
        session=session,
        key=person.key,
        as_of=now_utc(),
        policy=request.app.state.policy,
        hides=hides,
    )


def _log(
    request: Request, session: Session, who: Principal, net: dict[str, Any], what: str
) -> None:
    reason = glass_grant(request, net["subject"])
    record_view(
        session=session,
        request=request,
        who=who,
        records=people_in(net),
        purpose=what,
        reason=reason,
        break_glass=reason is not None,
        detail={"view": net["view"], "nodes": len(net["nodes"]), "edges": len(net["edges"])},
    )


@router.get("/people/{key}/network", response_class=HTMLResponse)
def network_page(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(NETWORK_PAGE)]
) -> HTMLResponse:
    net = _network_for(request, session, who, key)
    names = {n["id"]: n["label"] for n in net["nodes"]}
    response = render(request, "network.html", {"net": net, "key": key, "names": names})
    _log(request, session, who, net, "network picture")
    return response


@router.get("/people/{key}/network.json")
def network_data(
    request: Request, key: str, session: DbSession, who: Annotated[Principal, Depends(NETWORK_DATA)]
) -> dict[str, Any]:
    net = _network_for(request, session, who, key)
    _log(request, session, who, net, "network picture (data)")
    return net
