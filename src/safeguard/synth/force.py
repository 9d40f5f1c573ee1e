"""The generator's working context: random stream, ids, the sink, and record builders.

Builders drop anything made after the data end (``AS_OF``): the force's files are an export
taken at that moment, so an action not yet done is simply absent.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from safeguard.synth import clock
from safeguard.synth.identity import Human, varied
from safeguard.synth.rates import AS_OF
from safeguard.synth.sink import Rec, Sink

Role = tuple[str, str]  # (person key, role)


@dataclass(frozen=True)
class Officer:
    key: str
    area: str
    role: str
    specialisms: tuple[str, ...]
    probationary: bool


class Force:
    def __init__(self, *, seed: int, sink: Sink) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
        self.sink = sink
        self._ids: Counter[str] = Counter()
        self.officers: dict[tuple[str, str], list[Officer]] = {}
        self.events: Counter[str] = Counter()
        self.pending: list[Human] = []
        self.next_pid = 1
        self.alerts = 0
        self.missing_children = 0

    # ---- ids and records ----------------------------------------------------------------
    def new_id(self, source: str, prefix: str) -> str:
        self._ids[source + prefix] += 1
        return f"{prefix}{self._ids[source + prefix]}"

    def write(self, record: str, source: str, prefix: str, **fields: Any) -> str:
        ident = self.new_id(source, prefix)
        rec: Rec = {"record": record, "source": source, "id": ident}
        rec.update({k: v for k, v in fields.items() if v is not None})
        self.sink.write(rec)
        return f"{source}:{ident}"

    # ---- people -------------------------------------------------------------------------
    def human(
        self, given: str, family: str, sex: str, dob: Any, maiden: str | None = None
    ) -> Human:
        h = Human(self.next_pid, given, family, sex, dob, maiden)
        self.next_pid += 1
        self.pending.append(h)
        self.key(h, "storm")
        return h

    def key(self, h: Human, source: str, *, duplicate: bool = False) -> str:
        """The person's key in a source, writing its person record the first time."""
        if source in h.keys and not duplicate:
            return h.keys[source]
        first = source == "storm" and not h.keys
        given, family = h.given, h.family
        dob: str | None = h.dob.isoformat()
        applied: list[str] = []
        if not first:
            given, family, dob, applied = varied(self.rng, h)
        prefix = {"storm": "P", "ppu": "N", "custody": "D", "visor": "V", "lcs": "C"}[source]
        key = self.write(
            "person", source, prefix, given_name=given, family_name=family, dob=dob, sex=h.sex
        )
        h.keys.setdefault(source, key)
        h.variations[key] = applied + (["duplicate"] if duplicate else [])
        return key

    def flush_people(self) -> None:
        for h in self.pending:
            self.sink.truth(
                {"truth": "person", "id": h.tid, "keys": h.all_keys(), "variations": h.variations}
            )
        self.pending = []

    # ---- events and actions --------------------------------------------------------------
    def event(
        self,
        source: str,
        kind: str,
        occurred: datetime,
        people: list[Role],
        *,
        reported: datetime | None = None,
        closed: datetime | None = None,
        **fields: Any,
    ) -> str:
        assert occurred <= AS_OF, "events are made before the data end"
        self.events[kind] += 1
        prefix = {"storm": "E", "ppu": "K", "custody": "CU", "visor": "M", "lcs": "LE"}[source]
        return self.write(
            "event",
            source,
            prefix,
            kind=kind,
            occurred_at=clock.text(occurred),
            reported_at=clock.text(reported) if reported and reported <= AS_OF else None,
            people=[{"person": k, "role": r} for k, r in people],
            closed_at=clock.text(closed) if closed and closed <= AS_OF else None,
            **fields,
        )

    def action(
        self,
        kind: str,
        at: datetime,
        event: str,
        *,
        person: str | None = None,
        by: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> str | None:
        if at > AS_OF:
            return None
        source = event.split(":", 1)[0]
        return self.write(
            "action",
            source,
            "A",
            kind=kind,
            at=clock.text(at),
            event=event,
            person=person,
            by=by,
            details=details or None,
        )

    # ---- officers -------------------------------------------------------------------------
    def officer(self, area: str, role: str, *, specialist: bool | None = None) -> Officer:
        pool = self.officers[(area, role)]
        if specialist is not None:
            pool = [
                o for o in pool if ("scaidp" in o.specialisms and not o.probationary) == specialist
            ] or pool
        return self.rng.choice(pool)

    # ---- truth ------------------------------------------------------------------------------
    def expect(
        self,
        code: str,
        fires: bool,
        about: list[Human],
        events: list[str],
        *,
        status: str = "open",
        note: str = "",
    ) -> None:
        self.alerts += 1
        self.sink.truth(
            {
                "truth": "alert",
                "code": code,
                "expect": fires,
                "status": status if fires else None,
                "subjects": sorted({k for h in about for k in h.all_keys()}),
                "people": [h.tid for h in about],
                "events": events,
                "note": note,
            }
        )
