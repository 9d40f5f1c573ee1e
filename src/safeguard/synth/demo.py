"""The demo database: generate, import into a fresh store, link, sweep."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from safeguard.access.roles import Area, Role
from safeguard.access.service import add_user
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
    users: list[DemoUser] = field(default_factory=list)


@dataclass(frozen=True)
class DemoUser:
    role: str
    username: str
    password: str


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
    with unit_of_work(engine) as session:
        users = create_demo_users(session=session)
    engine.dispose()
    return DemoReport(
        url=url,
        stored=Counter(dict(report.stored)),
        rejected=report.rejected_lines,
        generate_seconds=generated - started,
        import_seconds=imported - generated,
        steps=steps,
        users=users,
    )


def create_demo_users(*, session: Session) -> list[DemoUser]:
    """One force-wide user per role, named ``demo.<role>``, each with a fresh random password
    (shown once by the caller, stored only as a hash)."""
    users = [
        DemoUser(role=role.value, username=f"demo.{role.value}", password=secrets.token_urlsafe(15))
        for role in Role
    ]
    for user in users:
        add_user(
            session=session,
            username=user.username,
            display_name=f"Demo {user.role.replace('_', ' ')}",
            role=user.role,
            team="demo",
            area=Area.FORCE.value,
            password=user.password,
        )
    return users
