"""How responsive the event loop stays while a scheduling job solves (app/matchmaking/jobs.py).

Runs the scheduler on a benchmark instance three ways -- on the loop itself (the baseline a
job must avoid), in a worker thread (``asyncio.to_thread``, what jobs do) and in a worker
process -- while a probe task asks for a 5 ms sleep over and over; the probe's overshoot is
how long a request would have waited for the loop. Prints one line per way.

    .venv/bin/python -m bench.matchmaking_jobs.loop_lag [A|B|C|S]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor

from app.matchmaking.scheduler import Problem, Schedule, solve
from bench.matchmaking.instances import SPECS, generate

TICK = 0.005


async def _probe(stop: asyncio.Event, lags: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(TICK)
        lags.append(time.perf_counter() - started - TICK)


async def _measure(name: str, run: Callable[[], Awaitable[Schedule]]) -> None:
    stop, lags = asyncio.Event(), list[float]()
    probe = asyncio.create_task(_probe(stop, lags))
    await asyncio.sleep(TICK * 4)
    started = time.perf_counter()
    schedule = await run()
    wall = time.perf_counter() - started
    stop.set()
    await probe
    lags_ms = sorted(lag * 1000 for lag in lags) or [0.0]
    p99 = lags_ms[min(len(lags_ms) - 1, int(len(lags_ms) * 0.99))]
    print(f"{name:8} solve {wall:6.2f} s  objective {schedule.objective:>9,}  loop lag: "
          f"median {statistics.median(lags_ms):6.1f} ms  p99 {p99:7.1f} ms  "
          f"max {lags_ms[-1]:7.1f} ms  ({len(lags_ms)} probes)")


async def main(spec_name: str) -> None:
    problem: Problem = generate(SPECS[spec_name])
    print(SPECS[spec_name].describe())

    async def on_loop() -> Schedule:
        return solve(problem)

    async def in_thread() -> Schedule:
        return await asyncio.to_thread(solve, problem)

    with ProcessPoolExecutor(max_workers=1) as pool:
        # Start the worker and import the solver there before timing.
        pool.submit(solve, generate(SPECS["S"])).result()

        async def in_process() -> Schedule:
            return await asyncio.get_running_loop().run_in_executor(pool, solve, problem)

        for name, run in (("on-loop", on_loop), ("thread", in_thread),
                          ("process", in_process)):
            await _measure(name, run)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "A"))
