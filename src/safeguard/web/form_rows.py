"""Small helpers shared by the case-work forms: times and dates typed in, repeated rows."""

from __future__ import annotations

from datetime import date, datetime

from starlette.datastructures import FormData

from safeguard.timeutil import UK

Errors = list[dict[str, str]]


def text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def row_count(form: FormData, prefix: str, shown: int, most: int) -> int:
    """How many rows to show again: those posted (up to ``most``), at least ``shown``."""
    posted = [
        int(name.removeprefix(prefix).split("_")[0])
        for name in form
        if name.startswith(prefix) and name.removeprefix(prefix).split("_")[0].isdigit()
    ]
    return min(max([shown, *posted]), most)


def local_time(value: str) -> datetime | None:
    """A time typed as 2026-11-25T14:30 (UK time unless it says otherwise), or None."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UK)


def real_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
