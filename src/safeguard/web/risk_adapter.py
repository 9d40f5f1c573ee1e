"""The one place the web reads the risk picture: the risk engine's `assess` (spec/alerts.md),
with its links and timeline laid out as the person page lists them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from safeguard.ingest.importer import keys_match
from safeguard.pole.models import Person, PoleObject
from safeguard.risk.picture import assess

Json = dict[str, Any]


def risk_picture(*, request: Request, session: Session, person: Person, as_of: datetime) -> Json:
    """The person's risk picture under the force policy the app was started with."""
    picture: Json = assess(
        session=session, key=person.key, as_of=as_of, policy=request.app.state.policy
    )
    picture["links"] = _listed_links(session, picture.get("links") or {})
    for item in picture.get("timeline") or []:
        item.setdefault("type", item.get("record"))
    picture.setdefault("engine", "risk")
    return picture


def _listed_links(session: Session, links: Json) -> list[Json]:
    listed: list[Json] = [
        {
            "type": "person",
            "key": p["keys"][0],
            "keys": p["keys"],
            "label": p["name"],
            "how": f"{p['how']} ({p['via']})",
        }
        for p in links.get("people", [])
    ]
    listed += [
        {"type": "place", "key": p["key"], "label": p.get("address") or p["key"], "how": p["how"]}
        for p in links.get("places", [])
    ]
    objects = {o["key"]: o for o in links.get("objects", [])}
    if objects:
        pairs = [(k.partition(":")[0], k.partition(":")[2]) for k in objects]
        for obj in session.scalars(select(PoleObject).where(keys_match(PoleObject, pairs))):
            current = objects[obj.key].get("current", True)
            listed.append(
                {
                    "type": obj.kind,
                    "key": obj.key,
                    "label": obj.value,
                    "how": "uses" if current else "used",
                }
            )
    return listed
