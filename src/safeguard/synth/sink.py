"""Streaming writers: one JSON Lines file per source system, and the truth file."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import IO, Any

SOURCES = ("hr", "storm", "ppu", "custody", "visor", "lcs")
TRUTH_FILE = "truth.jsonl"

Rec = dict[str, Any]


class Sink:
    """Writes records to ``<out>/<source>.jsonl`` as they are made; nothing is held."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.out = out
        self._files: dict[str, IO[str]] = {
            s: (out / f"{s}.jsonl").open("w", encoding="utf-8", newline="\n") for s in SOURCES
        }
        self._truth = (out / TRUTH_FILE).open("w", encoding="utf-8", newline="\n")
        self.counts: Counter[tuple[str, str]] = Counter()

    def write(self, rec: Rec) -> None:
        self._files[rec["source"]].write(json.dumps(rec) + "\n")
        self.counts[(rec["source"], rec["record"])] += 1

    def truth(self, rec: Rec) -> None:
        self._truth.write(json.dumps(rec) + "\n")

    def paths(self) -> list[Path]:
        return [self.out / f"{s}.jsonl" for s in SOURCES]

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._truth.close()

    def __enter__(self) -> Sink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
