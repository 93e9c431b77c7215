"""The livestream benchmark's pieces work together: a real run at the smallest size.

`python -m bench.livestream.run` with 20 viewers for 5 s: its own database (a SQLite file
here, or a database of its own next to TRADEHALL_TEST_DATABASE_URL's on PostgreSQL), the bare
ceiling and one TradeHall node each started as a process, one load-generator process holding
every viewer. No timing thresholds: every chat line accepted reached every viewer, likes and
stats went through, nothing was refused or cut — and no process of the run outlived it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from app import PROJECT_ROOT
from tests.bench import throwaway_database_url

VIEWERS = 20


def _processes_marked(mark: str) -> list[int]:
    """Processes whose environment carries `mark` (every child of the run inherits it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if mark.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_every_chat_line_reaches_every_viewer(tmp_path: Path) -> None:
    out = tmp_path / "livestream.json"
    mark = f"livestream-smoke-{uuid.uuid4().hex}"
    database_url = throwaway_database_url(tmp_path, "tradehall_bench_livestream")
    completed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.livestream.run", "--servers", "ceiling,tradehall-memory",
         "--viewers", str(VIEWERS), "--senders", "5", "--chat-rate", "5", "--like-rate", "10",
         "--seconds", "5", "--warmup-seconds", "0", "--drain-seconds", "10",
         "--idle-wait-seconds", "5", "--quiet-wait", "0",
         "--database-url", database_url, "--out", str(out)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=240, check=False,
        env={**os.environ, "BENCH_SMOKE_MARK": mark},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    runs = {run["server"]: run for run in json.loads(out.read_text())["runs"]}
    assert set(runs) == {"ceiling", "tradehall-memory"}
    for name, run in runs.items():
        assert run["error"] == "", name
        assert run["connected"] == VIEWERS, name
        [main] = run["steps"]
        assert main["chat_sent"] > 0, name
        assert main["accepted"] == main["chat_sent"], name
        assert main["delivered"] == main["expected"] == main["accepted"] * VIEWERS, name
        assert main["likes_sent"] > 0, name
        assert main["errors"] == {}, name
        assert main["lost_connections"] == 0, name
        assert main["viewers_shown"] > 0, name
    # TradeHall acknowledged each line (its reply to chat.send); the ceiling answers nothing.
    assert runs["tradehall-memory"]["steps"][0]["ack_p99_ms"] is not None
    assert runs["ceiling"]["steps"][0]["ack_p99_ms"] is None
    assert not (tmp_path / "bench.db").exists()  # the run removed its database
    assert _processes_marked(mark) == []
