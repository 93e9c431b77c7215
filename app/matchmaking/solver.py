"""Where a scheduling job's CPU work runs: a worker process (default) or a worker thread.

Measured (bench/matchmaking_jobs/loop_lag.py, docs/architecture.md): on a 1,000 × 2,000 ×
12-slot session the solver in a thread still holds the interpreter long enough to delay the
event loop by 160 ms at the 99th percentile (every request waits that long); in a process the
loop's delays stay under 30 ms, for about a second more of wall time. So jobs solve in one
spawned worker process, shared by the jobs of this server process and started at the first
one; ``TRADEHALL_MATCHMAKING_SOLVER=thread`` keeps everything in one process.

Progress crosses back through a queue the worker gets when it starts: a thread here reads
it and calls the waiting job's callback. A worker that dies (out of memory, killed) fails
the job it ran, and the next job starts a new worker.
"""

from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from app.matchmaking.problem import Built, Inputs, compute
from app.matchmaking.scheduler import Schedule

Progress = Callable[[str, float], None]
Result = tuple[Built, Schedule]

# In the worker process: where progress goes.
_worker_queue: Any = None


def _start_worker(queue: Any) -> None:
    global _worker_queue
    _worker_queue = queue


def _solve_in_worker(key: int, inputs: Inputs, polish_seconds: float) -> Result:
    def progress(phase: str, fraction: float) -> None:
        _worker_queue.put((key, phase, fraction))

    return compute(inputs, progress, polish_seconds)


class ProcessSolver:
    """One spawned worker process; jobs wait their turn for it."""

    def __init__(self) -> None:
        # spawn, not fork: this process runs an event loop and threads, which fork would
        # copy in whatever state they are.
        context = multiprocessing.get_context("spawn")
        self._queue = context.Queue()
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                         initializer=_start_worker, initargs=(self._queue,))
        self._listeners: dict[int, Progress] = {}
        self._reader = threading.Thread(target=self._relay, name="solver-progress",
                                        daemon=True)
        self._reader.start()
        self.broken = False

    def _relay(self) -> None:
        while True:
            try:
                item = self._queue.get()
            except (EOFError, OSError, ValueError):
                # At interpreter exit multiprocessing's own finalizers may close the queue's
                # pipe before our atexit hook sends the sentinel: nothing is left to relay.
                return
            if item is None:
                return
            key, phase, fraction = item
            listener = self._listeners.get(key)
            if listener is not None:
                listener(phase, fraction)

    async def run(self, key: int, inputs: Inputs, progress: Progress,
                  polish_seconds: float) -> Result:
        """``progress`` is called from the relay thread: it must be thread-safe."""
        self._listeners[key] = progress
        try:
            future = self._pool.submit(_solve_in_worker, key, inputs, polish_seconds)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self.broken = True
            raise RuntimeError("the solver's worker process stopped; run the schedule "
                               "again") from None
        finally:
            self._listeners.pop(key, None)

    def close(self, *, wait_for_relay: bool = False) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._queue.put(None)
        if wait_for_relay:
            # At exit: let the relay take the sentinel and end before multiprocessing's own
            # exit hooks close the queue's pipe under it (which printed a half traceback of
            # "Exception in thread solver-progress" as the interpreter went down).
            self._reader.join(timeout=5)


_shared: ProcessSolver | None = None
_lock = threading.Lock()


def _close_shared() -> None:
    if _shared is not None:
        _shared.close(wait_for_relay=True)


def process_solver() -> ProcessSolver:
    """This process's solver worker, started at first use (again after one died)."""
    global _shared  # one worker per server process, shared by its apps
    with _lock:
        if _shared is None or _shared.broken:
            first = _shared is None
            if _shared is not None:
                _shared.close()
            _shared = ProcessSolver()
            if first:
                # Registered once the first queue exists, hence after multiprocessing's own
                # exit hook: atexit runs hooks last-in first-out, so this one runs first.
                atexit.register(_close_shared)
        return _shared


async def run(mode: str, key: int, inputs: Inputs, progress: Progress,
              polish_seconds: float) -> Result:
    """Score and solve off the event loop, in a worker process or a thread (``mode``)."""
    if mode == "process":
        return await process_solver().run(key, inputs, progress, polish_seconds)
    return await asyncio.to_thread(compute, inputs, progress, polish_seconds)
