"""The supervision review: a supervisor's recorded review and direction on an open case."""

from __future__ import annotations

from datetime import datetime

from safeguard.errors import InvalidInputError
from safeguard.pole.models import Event
from safeguard.web.records import SOURCE, Rec, new_id, stamp

MIN_TEXT = 20


def to_records(*, event: Event, review: str, direction: str, now: datetime, by: str) -> list[Rec]:
    if event.closed_at is not None:
        raise InvalidInputError("this case is closed")
    return [
        {
            "record": "action",
            "source": SOURCE,
            "id": new_id("SR"),
            "kind": "supervision_review",
            "at": stamp(now),
            "event": event.key,
            "text": review,
            "details": {"direction": direction, "recorded_by": by},
        }
    ]


def validate(review: str, direction: str) -> list[dict[str, str]]:
    errors = []
    if len(review) < MIN_TEXT:
        errors.append({"text": "Enter your review of the investigation so far", "href": "#review"})
    if not direction:
        errors.append(
            {"text": "Enter your direction: what must happen next, by when", "href": "#direction"}
        )
    return errors
