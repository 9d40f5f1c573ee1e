"""The demo database: generate, import into a fresh store, link, sweep."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from safeguard.db import make_engine, unit_of_work, upgrade
from safeguard.errors import InvalidInputError
from safeguard.ingest.importer import import_files
from safeguard.pole.models import Person
from safeguard.synth.downstream import StepResult, link_and_sweep
from safeguard.synth.generate import generate_force
from safeguard.synth.rates import AS_OF


@dataclass
class DemoReport:
    url: str
    stored: Counter[str]
    rejected: int
    generate_seconds: float
    import_seconds: float
    steps: list[StepResult]
    expected: Counter[str] = field(default_factory=Counter)


class DemoStoreNotEmptyError(InvalidInputError):
    """The demo only builds into an empty store (a SQLite file is replaced)."""


def fresh_store(url: str) -> None:
    """Start from a fresh SQLite file; refuse a server database that already holds people."""
    parsed = make_url(url if "://" in url else f"sqlite:///{url}")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database or "")
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{extra}").unlink(missing_ok=True)
        return
    engine = make_engine(url)
    upgrade(engine)
    with unit_of_work(engine) as session:
        held = session.scalar(select(func.count()).select_from(Person)) or 0
    engine.dispose()
    if held:
        raise DemoStoreNotEmptyError(f"{url} already holds {held} people; give an empty database")


def build_demo(
    *, url: str, people: int, seed: int, work: Path, policy_file: str | None = None
) -> DemoReport:
    started = time.perf_counter()
    summary = generate_force(people=people, seed=seed, out=work)
    generated = time.perf_counter()
    fresh_store(url)
    engine = make_engine(url)
    upgrade(engine)
    with unit_of_work(engine) as session:
        report = import_files(session=session, paths=summary.files)
    imported = time.perf_counter()
    steps = link_and_sweep(engine=engine, as_of=AS_OF, policy_file=policy_file)
    engine.dispose()
    return DemoReport(
        url=url,
        stored=Counter(dict(report.stored)),
        rejected=report.rejected_lines,
        generate_seconds=generated - started,
        import_seconds=imported - generated,
        steps=steps,
    )
