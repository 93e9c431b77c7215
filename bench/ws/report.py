"""Re-read a results file and print its summary table and per-step tables.

    .venv/bin/python -m bench.ws.report bench/results/ws-fanout-....json [--steps]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.ws.results import ServerRun, StepResult, step_table, summarize, table


def load_runs(raw: dict[str, Any]) -> list[ServerRun]:
    runs = []
    for item in raw["runs"]:
        steps = []
        for step in item.pop("steps"):
            if "span_s" not in step:  # files written before span_s existed
                old_span = step["received"] / step["delivered_per_s"] if step["received"] else 0
                step["span_s"] = max(old_span, step["published"] / step["rate"])
                step["delivered_per_s"] = (
                    step["received"] / step["span_s"] if step["span_s"] else 0.0
                )
            steps.append(StepResult(**step))
        runs.append(ServerRun(**item, steps=steps))
    return runs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", type=Path)
    parser.add_argument("--steps", action="store_true", help="also print every run's steps")
    args = parser.parse_args(argv)
    raw = json.loads(args.results.read_text())
    runs = load_runs(raw)
    print(json.dumps(raw["conditions"]))
    print(table(summarize(runs)))
    if args.steps:
        for run in runs:
            print()
            print(step_table(run))


if __name__ == "__main__":
    main()
