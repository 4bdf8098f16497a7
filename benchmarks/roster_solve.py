"""Roster benchmark: 60 agents, 3-week cycle, 5 leave requests.

    python benchmarks/roster_solve.py [--agents 60] [--time-limit 10] [--workers 2] [--seed 0]

Prints: time to the first valid roster (checked by the independent checker),
the result at the default limit (status, penalty, gap, per-family penalty),
and whether the same seed twice gives a byte-identical roster.  Also times
small teams (3–12 agents) to show when optimality is proven.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from asx.roster.checker import check  # noqa: E402
from asx.roster.model import AgentSpec, Cover, Problem, RuleSet  # noqa: E402
from asx.roster.solver import solve  # noqa: E402

START = date(2026, 11, 30)  # a Monday


def problem(n: int, leave_requests: int = 5) -> Problem:
    # about 85 % of the team works each day (6 on 1 off); D takes half, N a quarter
    rules = RuleSet(coverage={"D": Cover(min=max(1, n // 2)), "N": Cover(min=max(1, n // 4), max=max(1, n // 4) + 2)})
    leave = {}
    for k in range(min(leave_requests, n)):
        first = START + timedelta(days=(4 * k + 2) % 19)
        leave[f"agent{k:02d}"] = {first + timedelta(days=j) for j in range(1 + k % 3)}
    return Problem(start=START, days=21, agents=[AgentSpec(f"agent{k:02d}") for k in range(n)], rules=rules,
                   leave=leave)


def digest(res) -> str:
    return hashlib.sha256(json.dumps(res.roster.to_dict() if res.roster else None).encode()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=60)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--small", default="3,6,9,12", help="team sizes for the optimality table ('' to skip)")
    args = ap.parse_args(argv)

    import ortools  # noqa: F401  (import cost is not solver time)

    p = problem(args.agents)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print(f"{args.agents} agents, 21-day cycle, {sum(len(v) for v in p.leave.values())} leave days "
          f"in 5 requests, workers={args.workers}, seed={args.seed}")

    t0 = time.perf_counter()
    quick = solve(p, time_limit=0.5, seed=args.seed, workers=args.workers)
    t_quick = time.perf_counter() - t0
    rep = check(p, quick.roster) if quick.roster else None
    print(f"first valid roster: {quick.stats.get('first_solution_time_total') or quick.stats.get('first_solution_time')} s "
          f"into the solve (whole 0.5 s-limit run {t_quick:.2f} s: status {quick.status}, penalty "
          f"{rep.penalty if rep else '-'}, hard violations {rep.hard_count if rep else '-'})")

    runs = []
    for k in range(2):
        t0 = time.perf_counter()
        res = solve(p, time_limit=args.time_limit, seed=args.seed, workers=args.workers)
        wall = time.perf_counter() - t0
        rep = check(p, res.roster) if res.roster else None
        runs.append((res, wall, rep))
        print(f"run {k + 1} at --time-limit {args.time_limit:g}: status {res.status}, penalty {res.objective}, "
              f"checker penalty {rep.penalty if rep else '-'}, hard {rep.hard_count if rep else '-'}, "
              f"gap {res.gap}, wall {wall:.2f} s (first valid dated roster at "
              f"{res.stats.get('first_solution_time_total') or res.stats.get('first_solution_time')} s), "
              f"deterministic {res.stats.get('deterministic')}, "
              f"roster sha256 {digest(res)}")
        if rep:
            print(f"    penalty by family: {rep.by_family()}")
    same = digest(runs[0][0]) == digest(runs[1][0])
    print(f"same seed twice -> identical roster: {same}")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gen import bench

    first = quick.stats.get("first_solution_time_total") or quick.stats.get("first_solution_time")
    if first is not None:
        bench(f"roster_{args.agents}_first_valid", float(first), "s", 1)
    bench(f"roster_{args.agents}_default_limit", runs[0][1], "s", args.time_limit)

    if args.small:
        print("\nsmall teams (same rules, 3 weeks, no leave):")
        print(f"{'agents':>6} {'status':>9} {'penalty':>8} {'gap':>8} {'first_s':>8} {'wall_s':>7}")
        for n in [int(x) for x in args.small.split(",") if x]:
            q = problem(n, leave_requests=0)
            t0 = time.perf_counter()
            res = solve(q, time_limit=2.0, seed=args.seed, workers=args.workers)
            wall = time.perf_counter() - t0
            ok = check(q, res.roster).hard_count == 0 if res.roster else None
            first = res.stats.get("first_solution_time_total") or res.stats.get("first_solution_time")
            print(f"{n:>6} {res.status:>9} {res.objective if res.objective is not None else '-':>8} "
                  f"{res.gap if res.gap is not None else '-':>8} {first if first is not None else '-':>8} "
                  f"{wall:>7.2f}{'' if ok in (True, None) else '  HARD VIOLATIONS'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
