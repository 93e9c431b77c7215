"""The entry point every benchmark runner shares: limits, signals, exit code, cleanup."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Awaitable, Callable, Collection
from typing import NoReturn

from bench.ws.loadgen import raise_nofile_limit, run_fast
from bench.ws.procs import kill_leftovers


def _sigterm(signum: int, frame: object) -> None:
    del signum, frame
    raise KeyboardInterrupt


def run_harness(main_async: Callable[[], Awaitable[int]]) -> NoReturn:
    """Run `main_async` on the fast loop and exit with its code (130 if interrupted); every
    process group the run started is killed on the way out, whatever happened."""
    raise_nofile_limit()
    signal.signal(signal.SIGTERM, _sigterm)
    # Ctrl-C must stop the run even when it was started with SIGINT ignored (`cmd &`).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    code = 1
    result: list[int] = []

    async def body() -> None:
        result.append(await main_async())

    try:
        run_fast(body())
        code = result[0] if result else 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    finally:
        killed = kill_leftovers()
        if killed:
            print(f"killed leftover process groups: {killed}", file=sys.stderr)
    sys.exit(code)


def names_from(known: Collection[str]) -> Callable[[str], list[str]]:
    """An argparse `type` for a comma-separated list of names out of `known` (servers)."""

    def names(text: str) -> list[str]:
        found = [n.strip() for n in text.split(",") if n.strip()]
        unknown = [n for n in found if n not in known]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown servers {unknown}; known: {list(known)}")
        return found

    return names
