"""The notification benchmark runs at its smallest size and counts what it claims: both
ways write one event per follower, the bulk way in 2 statements, the old way in 2 each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app import PROJECT_ROOT
from tests.bench import throwaway_database_url


def test_both_ways_write_every_notification(tmp_path: Path) -> None:
    out = tmp_path / "notify.json"
    database_url = throwaway_database_url(tmp_path, "tradehall_bench_notify")
    completed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.notify.run", "--followers", "3,7", "--repeats", "2",
         "--database-url", database_url, "--out", str(out)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180, check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    rows = json.loads(out.read_text())["rows"]
    assert [(r["followers"], r["per_row_statements"], r["bulk_statements"],
             r["events_written"]) for r in rows] == [
        (3, 6, 2, 3 * 2 * 2), (7, 14, 2, 7 * 2 * 2),  # both ways, twice each
    ]
    assert "| 7 |" in completed.stdout
