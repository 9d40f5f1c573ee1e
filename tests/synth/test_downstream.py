"""The demo links the imported keys and keeps the swept alerts."""

from __future__ import annotations

from safeguard.db import make_engine, upgrade
from safeguard.synth.downstream import link_and_sweep
from safeguard.synth.rates import AS_OF


def test_both_steps_run_on_an_empty_store(db_url: str) -> None:
    # db_url, not the shared engine: the steps commit.
    engine = make_engine(db_url)
    upgrade(engine)
    steps = {s.name: s for s in link_and_sweep(engine=engine, as_of=AS_OF)}
    engine.dispose()
    assert steps["linkage"].status == "done"
    assert steps["linkage"].detail.startswith("0 keys")
    assert steps["risk sweep"].status == "done"
    assert not steps["risk sweep"].counts
