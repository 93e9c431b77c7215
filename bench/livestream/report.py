"""Re-print saved livestream results: the main steps and the summary, over one or several
files (e.g. two invocations' repeats together).

    .venv/bin/python -m bench.livestream.report bench/results/livestream-*.json [--warmup]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.livestream.results import ServerRun, StepResult, summary, summary_table, table


def load_runs(path: Path) -> list[ServerRun]:
    runs = []
    for item in json.loads(path.read_text())["runs"]:
        steps = [StepResult(**step) for step in item.pop("steps")]
        runs.append(ServerRun(**item, steps=steps))
    return runs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", type=Path, nargs="+")
    parser.add_argument("--warmup", action="store_true", help="also print the warm-up steps")
    args = parser.parse_args(argv)
    runs = [run for path in args.results for run in load_runs(path)]
    print(table(runs, phases=("warmup", "main") if args.warmup else ("main",)))
    print()
    print(summary_table(summary(runs)))


if __name__ == "__main__":
    main()
