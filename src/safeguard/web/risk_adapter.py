"""The one place the web reads the risk picture (spec/alerts.md `assess` shape).

The risk engine (safeguard.risk) is built separately; this imports it lazily and uses its
`assess(session=..., key=..., as_of=...)` when present. Without it, the picture is read from the
store with no alerts (never invented here).
"""

from __future__ import annotations

import functools
import importlib
import inspect
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from safeguard.pole.models import Person
from safeguard.web.picture import minimal_picture

Json = dict[str, Any]
_NEEDS = {"session", "key", "as_of"}


@functools.cache  # looked up once per process: a failed import scans sys.path every time
def _engine_assess() -> Any | None:
    try:
        module = importlib.import_module("safeguard.risk")
    except ImportError:
        return None
    assess = getattr(module, "assess", None)
    if not callable(assess):
        return None
    if not set(inspect.signature(assess).parameters) >= _NEEDS:
        return None
    return assess


def risk_picture(*, session: Session, person: Person, as_of: datetime) -> Json:
    assess = _engine_assess()
    if assess is None:
        return minimal_picture(session=session, person=person, as_of=as_of)
    picture = assess(session=session, key=person.key, as_of=as_of)
    if hasattr(picture, "model_dump"):
        picture = picture.model_dump(mode="json")
    result: Json = dict(picture)
    result.setdefault("engine", "risk")
    return result
