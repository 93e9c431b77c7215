"""The negotiation benchmark's pieces work together: a real run at the smallest size.

`python -m bench.negotiation.run` with 2 negotiations for 2 s: its own database (a SQLite file
here, or a database of its own next to TRADEHALL_TEST_DATABASE_URL's on PostgreSQL), seeded
through the services, TradeHall and the bare ceiling each started as a process, one
load-generator process holding both sides. No timing thresholds: only that every message
sent reached the other side and came back to the sender, with no error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app import PROJECT_ROOT
from tests.bench import throwaway_database_url


def test_every_message_reaches_the_other_side(tmp_path: Path) -> None:
    out = tmp_path / "negotiation.json"
    database_url = throwaway_database_url(tmp_path, "tradehall_bench_negotiation")
    completed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.negotiation.run", "--pairs", "2", "--seconds", "2",
         "--warmup-seconds", "0", "--ladder", "", "--drain-seconds", "10",
         "--idle-wait-seconds", "10", "--database-url", database_url,
         "--out", str(out)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180, check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    runs = {run["server"]: run for run in json.loads(out.read_text())["runs"]}
    assert set(runs) == {"ceiling", "tradehall"}
    for name, run in runs.items():
        assert run["error"] == "", name
        assert run["connected"] == 4, name
        [main] = [step for step in run["steps"] if step["phase"] == "main"]
        assert main["sent"] == 2 * 2 * 2, name  # 2 negotiations x 2 sides x 2 s at 1/s
        assert main["delivered"] == main["sent"], name
        assert main["echoed"] == main["sent"], name
        assert main["errors"] == {}, name
        assert main["lost_connections"] == 0, name
    # TradeHall acknowledges every message (the `reply` to message.send); the ceiling does not.
    assert [s["acks"] for s in runs["tradehall"]["steps"]] == [8]
    assert not Path(tmp_path / "bench.db").exists()  # the run removed its database
