"""The demo's integration point reports honestly what it could run."""

from __future__ import annotations

import importlib.util

from safeguard.db import make_engine, upgrade
from safeguard.synth.downstream import LINKAGE_MODULE, RISK_MODULE, link_and_sweep
from safeguard.synth.rates import AS_OF


def _present(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def test_steps_say_absent_until_the_modules_exist(db_url: str) -> None:
    # db_url, not the shared engine: once wired, the steps commit.
    engine = make_engine(db_url)
    upgrade(engine)
    steps = {s.name: s for s in link_and_sweep(engine=engine, as_of=AS_OF)}
    engine.dispose()
    for name, module in (("linkage", LINKAGE_MODULE), ("risk sweep", RISK_MODULE)):
        if _present(module):
            assert steps[name].status in {"done", "not wired"}
        else:
            assert steps[name].status == "absent"
            assert not steps[name].counts
