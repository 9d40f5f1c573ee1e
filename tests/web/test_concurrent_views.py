"""Many people viewing at once: every view is logged once, the chain stays whole, and on SQLite
the process's own write lock is free again afterwards."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from safeguard.access import processing_log
from safeguard.access.roles import Role
from safeguard.db import unit_of_work
from safeguard.web import deps
from tests.web.conftest import Web

VIEWERS = 8
VIEWS_EACH = 3


def test_concurrent_person_views_each_append_one_entry_to_a_whole_chain(web: Web) -> None:
    clients = [web.sign_in(Role.PPU_INVESTIGATOR) for _ in range(VIEWERS)]

    def view(n: int) -> list[int]:
        path = f"/people/{web.scenario.child}"
        return [clients[n].get(path).status_code for _ in range(VIEWS_EACH)]

    with ThreadPoolExecutor(max_workers=VIEWERS) as pool:
        statuses = [s for codes in pool.map(view, range(VIEWERS)) for s in codes]
    assert statuses == [200] * VIEWERS * VIEWS_EACH
    with unit_of_work(web.engine) as session:
        viewed = processing_log.who_viewed(session=session, keys=[web.scenario.child])
        assert len([e for e in viewed if e.purpose == "person view"]) == VIEWERS * VIEWS_EACH
        count, problems = processing_log.verify(session=session)
    assert problems == [] and count >= VIEWERS * VIEWS_EACH
    lock = deps._WRITE_LOCKS.get(id(web.engine))
    if web.engine.dialect.name == "sqlite":
        assert lock is not None and not lock.locked()
    else:
        assert lock is None  # PostgreSQL's row lock on the chain's head is enough
