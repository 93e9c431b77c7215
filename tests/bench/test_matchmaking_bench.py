"""The matchmaking benchmark's harness works end to end at its smallest size.

`python -m bench.matchmaking.run` on the small instance S, greedy and TradeHall's scheduler,
each in its own process, without HiGHS (`--lp-seconds 0`: the tests do not install the bench
extra, scipy). No timing thresholds: every process saw the same instance, no schedule breaks
a rule, and the bounds are bounds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app import PROJECT_ROOT


def test_small_run_is_feasible_and_within_its_bounds(tmp_path: Path) -> None:
    out = tmp_path / "matchmaking.json"
    completed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.matchmaking.run", "--instances", "S", "--repeats", "2",
         "--methods", "greedy,tradehall", "--lp-seconds", "0", "--lagrange-iterations", "20",
         "--out", str(out)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "| S | tradehall |" in completed.stdout
    report = json.loads(out.read_text())
    small = report["instances"]["S"]
    bounds = small["bounds"]
    assert "lp" not in bounds
    for method, runs in small["runs"].items():
        assert len(runs) == 2, method
        assert {r["fingerprint"] for r in runs} == {small["fingerprint"]}
        assert all(r["violations"] == 0 for r in runs), method
        assert all(r["objective"] <= bounds["lagrangian"] for r in runs), method
    ours = small["medians"]["tradehall"]
    # S is generated from a fixed seed and both methods are deterministic.
    assert ours["objective"] > small["medians"]["greedy"]["objective"]
    assert bounds["with_requests"] is not None
    assert ours["objective"] <= bounds["with_requests"]
