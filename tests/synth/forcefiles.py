"""Reading a generated force back: every record by key, and the truth file."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from safeguard.synth.sink import SOURCES, TRUTH_FILE
from safeguard.timeutil import parse_time

Rec = dict[str, Any]


@dataclass
class ForceFiles:
    records: dict[tuple[str, str], Rec] = field(default_factory=dict)  # (record, key) -> record
    actions: dict[str, list[Rec]] = field(default_factory=lambda: defaultdict(list))
    truth: list[Rec] = field(default_factory=list)

    def of(self, record: str) -> list[Rec]:
        return [r for (t, _), r in self.records.items() if t == record]

    def event(self, key: str) -> Rec:
        return self.records[("event", key)]

    def acts(self, event: str, kind: str, person: str | None = None) -> list[datetime]:
        return sorted(
            parse_time(a["at"])
            for a in self.actions[event]
            if a["kind"] == kind and (person is None or a.get("person") == person)
        )

    def alerts(self, code: str) -> list[Rec]:
        return [t for t in self.truth if t["truth"] == "alert" and t["code"] == code]

    def people(self) -> list[Rec]:
        return [t for t in self.truth if t["truth"] == "person"]


def read_force(out: Path) -> ForceFiles:
    files = ForceFiles()
    for source in SOURCES:
        with (out / f"{source}.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                key = f"{rec['source']}:{rec['id']}"
                files.records[(rec["record"], key)] = rec
                if rec["record"] == "action":
                    files.actions[rec["event"]].append(rec)
    with (out / TRUTH_FILE).open(encoding="utf-8") as fh:
        files.truth = [json.loads(line) for line in fh]
    return files
