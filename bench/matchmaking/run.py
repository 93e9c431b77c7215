"""Matchmaking scheduler benchmark (issue 6): greedy, per-slot Hungarian and TradeHall's
scheduler on the same generated instances.

    .venv/bin/python -m bench.matchmaking.run --instances A,B,C --out bench/results/mm.json
    .venv/bin/python -m bench.matchmaking.run --instances S --repeats 1      # a quick smoke run

Every method runs in its own subprocess (fresh memory), which generates the instance from its
seed (bench.matchmaking.instances; the fingerprint printed proves every process saw the same
one), then times only the method: wall and CPU seconds, peak RSS (getrusage in the child, so
it includes Python, the libraries and the instance), the objective (sum of scores), the
must-meets and accepted requests placed, and `check()` violations (must be 0). Medians over
`--repeats`, interleaved (all methods, then all again).

Bounds, once per instance, in their own subprocess:
- LP: HiGHS (scipy) on the LP relaxation of the time-indexed model (bench.matchmaking.lp),
  if it has at most `--lp-max-variables` variables and finishes in `--lp-seconds`;
- Lagrangian: the same LP's Lagrangian dual by subgradient (bench.matchmaking.lagrange); valid
  at every step, used where HiGHS is not;
- with requests: the flow relaxation's best score that keeps every must-meet and accepted
  request, valid for the problem as posed when TradeHall's schedule places all of them.
Needs the `bench` extra (scipy).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from app.matchmaking.scheduler import Placement, Problem, Schedule, check, solve
from bench.matchmaking.instances import SPECS, generate

METHODS = ("greedy", "hungarian", "tradehall")
CHILD_TIMEOUT = 3600


def fingerprint(problem: Problem) -> str:
    digest = hashlib.sha256()
    for party in (*problem.buyers, *problem.suppliers):
        digest.update(f"{party.id}:{party.max_meetings}:{sorted(party.slots)};".encode())
    for cand in problem.candidates:
        digest.update(f"{cand.buyer},{cand.supplier},{cand.score},{cand.priority};".encode())
    digest.update(f"{problem.slot_count}/{problem.capacity}".encode())
    return digest.hexdigest()[:16]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _as_schedule(problem: Problem, meetings: list[Placement]) -> Schedule:
    scores = {(c.buyer, c.supplier): c.score for c in problem.candidates}
    ordered = tuple(sorted(meetings, key=lambda p: (p.slot, p.buyer, p.supplier)))
    objective = sum(scores.get((p.buyer, p.supplier), 0) for p in ordered)
    return Schedule(ordered, objective, 0, 0.0, (), {})


def run_method(method: str, instance: str) -> dict[str, Any]:
    """In the child: generate, run one method, measure."""
    from bench.matchmaking.baselines import greedy, hungarian

    problem = generate(SPECS[instance])
    runners: dict[str, Callable[[Problem], Schedule]] = {
        "greedy": lambda p: _as_schedule(p, greedy(p)),
        "hungarian": lambda p: _as_schedule(p, hungarian(p)),
        "tradehall": solve,
    }
    rss_before = _rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    schedule = runners[method](problem)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    by_pair = {(c.buyer, c.supplier): c.priority for c in problem.candidates}
    placed = [by_pair.get((m.buyer, m.supplier), 0) for m in schedule.meetings]
    result: dict[str, Any] = {
        "method": method, "instance": instance, "fingerprint": fingerprint(problem),
        "wall_s": wall, "cpu_s": cpu, "rss_mb": _rss_mb(), "rss_before_mb": rss_before,
        "objective": schedule.objective, "meetings": len(schedule.meetings),
        "must_meets_placed": placed.count(2), "requests_placed": placed.count(1),
        "must_meets": sum(c.priority == 2 for c in problem.candidates),
        "requests": sum(c.priority == 1 for c in problem.candidates),
        "violations": len(check(problem, schedule)),
    }
    if method == "tradehall":
        result["upper_bound"] = schedule.upper_bound
        result["unplaced_priority"] = len(schedule.unplaced_priority)
        result["stats"] = dict(schedule.stats)
    return result


def run_bounds(instance: str, target: float, all_requests_placed: bool, lp_seconds: float,
               lp_max_variables: int, lagrange_iterations: int) -> dict[str, Any]:
    """In the child: the upper bounds of one instance."""
    from bench.matchmaking.lagrange import lagrangian_bound, requests_bound
    from bench.matchmaking.lp import lp_bound, lp_size

    problem = generate(SPECS[instance])
    out: dict[str, Any] = {"instance": instance, "fingerprint": fingerprint(problem),
                           "lp_variables": lp_size(problem)}
    if lp_seconds > 0 and out["lp_variables"] <= lp_max_variables:
        started = time.perf_counter()
        try:
            out["lp"], info = lp_bound(problem, lp_seconds)
            out.update(info)
        except RuntimeError as exc:
            out["lp_error"] = str(exc)
        out["lp_seconds"] = time.perf_counter() - started
    else:
        out["lp_error"] = (f"skipped: {out['lp_variables']:,} variables "
                           f"(limit {lp_max_variables:,}) or --lp-seconds 0")
    started = time.perf_counter()
    out["lagrangian"], info = lagrangian_bound(problem, target, lagrange_iterations)
    out["lagrangian_seconds"] = time.perf_counter() - started
    out.update(info)
    if all_requests_placed:
        out["with_requests"] = requests_bound(problem)
    out["rss_mb"] = _rss_mb()
    return out


def _child(args: list[str], timeout: int = CHILD_TIMEOUT) -> dict[str, Any]:
    proc = subprocess.run(  # noqa: S603 - our own argv, no shell
        [sys.executable, "-m", "bench.matchmaking.run", *args],
        capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for package in ("ortools", "scipy", "numpy"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "absent"
    return out


def _conditions() -> dict[str, Any]:
    return {"date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": platform.platform(), "cpus": os.cpu_count(),
            "load_average": os.getloadavg(), "versions": _versions()}


def _pct(value: float, bound: float | None) -> str:
    return f"{100 * value / bound:.2f}" if bound else "n/a"


def table(report: dict[str, Any]) -> str:
    lines = [
        "| instance | method | wall s | CPU s | peak RSS MB | objective | % of LP bound "
        "| % of bound with requests | requests + must-meets placed | violations |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, inst in report["instances"].items():
        bounds = inst["bounds"]
        lp = bounds.get("lp") or bounds.get("lagrangian")
        plain = bounds.get("lp", bounds.get("lagrangian"))
        with_requests = bounds.get("with_requests")
        req_bound = min(plain, with_requests) if with_requests is not None else None
        for method, med in inst["medians"].items():
            placed = med["requests_placed"] + med["must_meets_placed"]
            wanted = med["requests"] + med["must_meets"]
            lines.append(
                f"| {name} | {method} | {med['wall_s']:.2f} | {med['cpu_s']:.2f} "
                f"| {med['rss_mb']:.0f} | {med['objective']:,} | {_pct(med['objective'], lp)} "
                f"| {_pct(med['objective'], req_bound)} | {placed:,} / {wanted:,} "
                f"| {med['violations']} |")
    return "\n".join(lines)


def bounds_text(report: dict[str, Any]) -> str:
    lines = ["| instance | LP variables | HiGHS LP | Lagrangian | with requests |",
             "|---|---:|---:|---:|---:|"]
    for name, inst in report["instances"].items():
        b = inst["bounds"]
        lp = f"{b['lp']:,.1f} ({b['lp_seconds']:.0f} s)" if "lp" in b else b.get("lp_error", "")
        with_requests = b.get("with_requests")
        lines.append(f"| {name} | {int(b['lp_variables']):,} | {lp} "
                     f"| {b['lagrangian']:,.1f} ({b['lagrangian_seconds']:.0f} s) "
                     f"| {'n/a' if with_requests is None else f'{with_requests:,}'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", default="A,B,C")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--lp-seconds", type=float, default=1800.0)
    parser.add_argument("--lp-max-variables", type=int, default=400_000)
    parser.add_argument("--lagrange-iterations", type=int, default=200)
    parser.add_argument("--child", choices=[*METHODS, "bounds"], help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    parser.add_argument("--target", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--all-requests-placed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "bounds":
        print(json.dumps(run_bounds(args.instance, args.target, args.all_requests_placed,
                                    args.lp_seconds, args.lp_max_variables,
                                    args.lagrange_iterations)))
        return
    if args.child:
        print(json.dumps(run_method(args.child, args.instance)))
        return

    methods = args.methods.split(",")
    report: dict[str, Any] = {"conditions": _conditions(), "repeats": args.repeats,
                              "instances": {}}
    for name in args.instances.split(","):
        spec = SPECS[name]
        print(f"== {name}: {spec.describe()}", flush=True)
        runs: dict[str, list[dict[str, Any]]] = {m: [] for m in methods}
        for repeat in range(args.repeats):
            for method in methods:
                result = _child(["--child", method, "--instance", name])
                runs[method].append(result)
                print(f"   {repeat + 1}/{args.repeats} {method}: {result['wall_s']:.2f} s wall, "
                      f"{result['cpu_s']:.2f} s CPU, objective {result['objective']:,}, "
                      f"violations {result['violations']}", flush=True)
        prints = {r["fingerprint"] for rs in runs.values() for r in rs}
        if len(prints) != 1:
            raise RuntimeError(f"instance {name} differed between processes: {prints}")
        ours = runs.get("tradehall", [])
        bound_args = ["--child", "bounds", "--instance", name,
                      "--target", str(ours[0]["objective"] if ours else 0),
                      "--lp-seconds", str(args.lp_seconds),
                      "--lp-max-variables", str(args.lp_max_variables),
                      "--lagrange-iterations", str(args.lagrange_iterations)]
        if ours and ours[0]["unplaced_priority"] == 0:
            bound_args.append("--all-requests-placed")
        print("   bounds ...", flush=True)
        bounds = _child(bound_args, timeout=int(args.lp_seconds) + CHILD_TIMEOUT)
        medians = {m: {key: statistics.median(r[key] for r in rs) if key.endswith(("_s", "_mb"))
                       else rs[0][key]
                       for key in rs[0] if key not in ("stats", "method", "instance")}
                   for m, rs in runs.items()}
        for m, rs in runs.items():
            medians[m]["violations"] = max(r["violations"] for r in rs)
            if len({r["objective"] for r in rs}) != 1:
                medians[m]["objective_varied"] = sorted({r["objective"] for r in rs})
        report["instances"][name] = {"spec": spec.describe(), "runs": runs, "bounds": bounds,
                                     "medians": medians, "fingerprint": prints.pop()}
    report["conditions"]["load_average_end"] = os.getloadavg()
    print()
    print(table(report))
    print()
    print(bounds_text(report))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=1))
        print(f"\nwritten: {args.out}")


if __name__ == "__main__":
    main()
