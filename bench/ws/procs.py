"""Processes the harness starts (always stopped again), free ports, CPU and RSS from /proc.

Linux-only by design: CPU is user+sys ticks from /proc/PID/stat and RSS from
/proc/PID/statm, summed over the process and its descendants (so a server that forks
workers is measured whole).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def descendants(pid: int) -> list[int]:
    """pid and all its descendants (via /proc/PID/task/TID/children)."""
    found = [pid]
    index = 0
    while index < len(found):
        current = found[index]
        index += 1
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                text = (task / "children").read_text()
                found.extend(int(child) for child in text.split())
        except OSError:
            continue
    return found


def cpu_seconds(pids: Sequence[int], *, tree: bool = True) -> float:
    """user+sys CPU seconds of these processes (and, with `tree`, their descendants)."""
    total = 0
    for root in pids:
        for pid in descendants(root) if tree else [root]:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / _TICK


def rss_bytes(pids: Sequence[int]) -> int:
    total = 0
    for root in pids:
        for pid in descendants(root):
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
            except OSError:
                continue
    return total


def pids_named(name: str) -> list[int]:
    """Processes whose comm is `name` (read-only: used to measure a shared Redis)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, all cores, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # guest time is already in user/nice
    return (total - idle) / _TICK, total / _TICK


@dataclass
class CpuMeter:
    """CPU used by some processes between `start()` and `read()`."""

    pids: Sequence[int]
    tree: bool = True
    _cpu0: float = 0.0
    _wall0: float = 0.0

    def start(self) -> None:
        self._cpu0 = cpu_seconds(self.pids, tree=self.tree)
        self._wall0 = time.monotonic()

    def read(self) -> tuple[float, float]:
        """(cpu seconds, wall seconds) since start()."""
        return cpu_seconds(self.pids, tree=self.tree) - self._cpu0, time.monotonic() - self._wall0


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """PR_SET_PDEATHSIG(SIGKILL): the child dies even if the harness is SIGKILLed."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


_started: set[int] = set()
"""Process groups started here and not yet stopped (for `kill_leftovers`)."""


def kill_leftovers() -> list[int]:
    """Last resort (synchronous, for the runner's outermost `finally`): SIGKILL every process
    group this module started that was not stopped cleanly. Returns their ids."""
    killed = []
    for pgid in sorted(_started):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
            killed.append(pgid)
    _started.clear()
    return killed


class Managed:
    """A child process in its own session; `stop()` ends its whole process group."""

    def __init__(self, name: str, proc: asyncio.subprocess.Process) -> None:
        self.name = name
        self.proc = proc

    @property
    def pid(self) -> int:
        return self.proc.pid

    async def stop(self, grace: float = 5.0) -> None:
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), grace)
            except TimeoutError:
                pass
        # Whatever the leader did, no member of the group may outlive the harness.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc.returncode is None:
            await self.proc.wait()


@contextlib.asynccontextmanager
async def managed(
    name: str,
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    pipes: bool = False,
) -> AsyncIterator[Managed]:
    """Start argv; stop it (and its group) on exit, including on errors and Ctrl-C."""
    log_file = log.open("ab") if log is not None else None
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE if pipes else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE if pipes else (log_file or asyncio.subprocess.DEVNULL),
            stderr=log_file or asyncio.subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,
            preexec_fn=_die_with_parent,  # the harness is single-threaded
            # A report line (e.g. the storm's per-client results) can pass asyncio's 64 KiB.
            limit=64 * 1024 * 1024,
        )
        handle = Managed(name, proc)
        _started.add(proc.pid)
        try:
            yield handle
        finally:
            await handle.stop()
            _started.discard(proc.pid)
    finally:
        if log_file is not None:
            log_file.close()


async def wait_listening(
    handle: Managed, port: int, timeout: float, host: str = "127.0.0.1"
) -> None:
    """Poll until `port` accepts TCP connections; fail early if the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if handle.proc.returncode is not None:
            code = handle.proc.returncode
            raise RuntimeError(f"{handle.name} exited with {code} before listening")
        try:
            _, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return
    raise TimeoutError(f"{handle.name} not listening on {port} after {timeout}s")
