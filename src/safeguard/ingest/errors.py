"""What went wrong with an import, line by line."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from safeguard.errors import SafeguardError


@dataclass(frozen=True)
class LineError:
    file: str
    line: int
    field: str
    reason: str
    text: str

    def __str__(self) -> str:
        where = f"{Path(self.file).name}:{self.line}"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass
class ImportReport:
    stored: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    errors: list[LineError] = field(default_factory=list)

    @property
    def rejected_lines(self) -> int:
        return len({(e.file, e.line) for e in self.errors})

    def summary(self) -> str:
        stored = ", ".join(f"{n} {t}" for t, n in sorted(self.stored.items())) or "nothing new"
        return (
            f"stored {stored}; updated {sum(self.updated.values())}; "
            f"unchanged {sum(self.unchanged.values())}; rejected {self.rejected_lines} lines"
        )

    def write_rejected(self) -> list[Path]:
        """Write each file's rejected lines, with their reasons, to FILE.rejected.jsonl."""
        by_file: dict[str, dict[int, list[LineError]]] = {}
        for err in self.errors:
            by_file.setdefault(err.file, {}).setdefault(err.line, []).append(err)
        written = []
        for name, lines in by_file.items():
            path = Path(name)
            out = path.with_name(path.name + ".rejected.jsonl")
            with out.open("w", encoding="utf-8") as fh:
                for line, errs in sorted(lines.items()):
                    entry = {
                        "line": line,
                        "errors": [{"field": e.field, "reason": e.reason} for e in errs],
                        "text": errs[0].text,
                    }
                    fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            written.append(out)
        return written


class ImportRejectedError(SafeguardError):
    """An all-or-nothing import found bad lines; nothing was stored."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(f"{report.rejected_lines} lines rejected; nothing stored")
