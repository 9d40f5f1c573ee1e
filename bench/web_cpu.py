"""CPU per request of the person view and the supervisor's queue: one signed-in user, the app
driven in this process (its thread pool run inline, so all its work is on this thread and in
`time.process_time`), SQL statements counted. CPU time and statement counts hold up on a busy
machine where wall-clock latencies do not.

    python bench/web_cpu.py --store sqlite:////work/stores/web3/risk_005.db --prefix bench:P \
        --people 50000 --out bench/results/web_cpu.json

Run with PYTHONPATH=OTHER_CHECKOUT/src to measure another version of the code on the same store.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
from sqlalchemy import event

from safeguard.web.app import create_app
from safeguard.web.settings import WebSettings


async def _inline(func: Any, *args: Any, **_: Any) -> Any:
    return func(*args)


async def _measure(app: Any, paths: list[str], counted: list[int]) -> dict[str, float]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        page = (await client.get("/sign-in")).text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        data = {"username": "sup1", "password": "bench password 1", "csrf_token": token}
        assert (await client.post("/sign-in", data=data)).status_code == 303
        for path in paths[:5]:
            await client.get(path)
        counted[0] = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for path in paths:
            assert (await client.get(path)).status_code == 200, path
        n = len(paths)
        return {
            "cpu_ms": round((time.process_time() - cpu) / n * 1000, 2),
            "wall_ms": round((time.perf_counter() - wall) / n * 1000, 2),
            "statements": round(counted[0] / n, 1),
            "requests": n,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True, help="a store readied by bench/web.py")
    parser.add_argument("--prefix", default="bench:P", help="person keys: PREFIX + number")
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    anyio.to_thread.run_sync = _inline  # type: ignore[assignment]
    settings = WebSettings(db=args.store, environment="test", secret_key="c" * 40)
    app = create_app(settings, migrate=False)
    counted = [0]

    def count(*_: Any) -> None:
        counted[0] += 1

    event.listen(app.state.engine, "before_cursor_execute", count)
    rng = random.Random(3)
    people = [
        f"/people/{args.prefix}{rng.randrange(1, args.people + 1)}" for _ in range(args.requests)
    ]
    queue = ["/queues/supervision"] * max(20, args.requests // 10)
    result = {
        "person view": asyncio.run(_measure(app, people, counted)),
        "supervisor queue": asyncio.run(_measure(app, queue, counted)),
    }
    report = {
        "store": args.store,
        "code": os.environ.get("PYTHONPATH", "this checkout"),
        "command": "python " + " ".join(sys.argv),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "results": result,
    }
    print(json.dumps(report, indent=2))
    if args.out:
        runs = json.loads(args.out.read_text()) if args.out.exists() else []
        args.out.write_text(json.dumps([*runs, report], indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
