"""External benchmark: Curtois & Qu shift-scheduling instances through the asx
roster engine (same rule families, same CP-SAT model, same independent checker).

    python benchmarks/nrp.py --instances 1-4 --time-limit 60 --workers 2
    python benchmarks/nrp.py --instances 1 --solution /tmp/Instance1.csv

Prints per instance: staff/days/shifts, penalty (scored by asx.roster.checker),
best known upper bound (nrp.yml), gap = (penalty - ub) / ub, hard violations,
solver status and time, and for the wall-clock mode (default) what the
large-neighbourhood search did (asx/roster/lns.py: start penalty from CP-SAT,
final penalty, steps and improvements per neighbourhood kind).  Instances come
from --dir (default $ASX_NRP_DIR or /work/shared/fixtures/nrp).  The machine's
load average is printed at the start and the end: on a shared machine the
wall-clock figures depend on it; --dtime caps the work in CP-SAT
deterministic time for comparisons that do not.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from asx.roster.checker import check  # noqa: E402
from asx.roster.nrp import read_nrp, solution_csv  # noqa: E402
from nrp_score import best_known  # noqa: E402  (the one reader of nrp.yml; nrp_score.py uses no asx code)
from asx.roster.solver import solve  # noqa: E402


def parse_range(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            out += list(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", default="1-4", help="e.g. 1-4 or 1,3,5-8")
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance (wall clock)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--deterministic", action="store_true",
                    help="use the deterministic portfolio instead of wall-clock multi-threaded CP-SAT")
    ap.add_argument("--dtime", type=float, default=None,
                    help="also stop after this much CP-SAT deterministic time (load-independent budget; "
                         "--time-limit stays the wall-clock cap)")
    ap.add_argument("--solution", help="write the roster CSV here ({name} is replaced by the instance name)")
    ap.add_argument("--dir", default=os.environ.get("ASX_NRP_DIR", str(Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "nrp")))
    args = ap.parse_args(argv)
    directory = Path(args.dir)
    missing = [f"Instance{k}.txt" for k in parse_range(args.instances) if not (directory / f"Instance{k}.txt").exists()]
    if missing:  # one line, not a traceback (a clone that is not beside shared/ has no default)
        ap.error(f"{directory}: no {', '.join(missing[:3])}{' …' if len(missing) > 3 else ''}; "
                 "give --dir or ASX_NRP_DIR (the benchmark's instances, e.g. shared/fixtures/nrp)")
    ubs = best_known(directory)
    header = f"{'instance':<11}{'staff':>6}{'days':>5}{'shifts':>7}{'penalty':>9}{'best':>8}{'gap%':>8}{'hard':>5}" \
             f"  {'status':<9}{'first_s':>8}{'time_s':>8}"
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; "
          f"time limit {args.time_limit:g} s, workers {args.workers}")
    print(header)
    print("-" * len(header))
    for k in parse_range(args.instances):
        name = f"Instance{k}"
        problem = read_nrp(directory / f"{name}.txt")
        t0 = time.perf_counter()
        res = solve(problem, time_limit=args.time_limit, seed=args.seed, workers=args.workers,
                    deterministic=args.deterministic, max_dtime=args.dtime)
        wall = time.perf_counter() - t0
        ub = ubs.get(name)
        if res.roster is None:
            print(f"{name:<11}{len(problem.agents):>6}{problem.days:>5}{len(problem.shifts):>7}"
                  f"{'-':>9}{ub or '-':>8}{'-':>8}{'-':>5}  {res.status:<9}{'-':>8}{wall:>8.1f}")
            for line in res.explanation:
                print("   ", line)
            continue
        rep = check(problem, res.roster)
        gap = f"{100 * (rep.penalty - ub) / ub:.2f}" if ub else "-"
        first = res.stats.get("first_solution_time")
        print(f"{name:<11}{len(problem.agents):>6}{problem.days:>5}{len(problem.shifts):>7}{rep.penalty:>9}"
              f"{ub or '-':>8}{gap:>8}{rep.hard_count:>5}  {res.status:<9}"
              f"{first if first is not None else '-':>8}{wall:>8.1f}  dtime {res.stats.get('deterministic_time')}",
              flush=True)
        # machine-readable: the penalty against the best known bound (the baseline), and the time
        print(f"BENCH name=nrp_{name}_penalty value={rep.penalty} unit=points target=- baseline={ub or '-'}")
        print(f"BENCH name=nrp_{name}_time value={wall:.3g} unit=s target={args.time_limit:g} baseline=-", flush=True)
        if res.stats.get("constructed") is not None:
            print(f"    start: no roster from CP-SAT in its share of the time; constructed one agent's line at a "
                  f"time (asx/roster/construct.py), penalty {res.stats['constructed']:g}")
        lns = res.stats.get("lns")
        if lns:
            print(f"    lns: {lns['start_objective']:g} -> {lns['objective']:g} in {lns['steps']} steps, "
                  f"{lns['improvements']} improvements; by kind (steps, improvements) {lns['by_kind']}")
        if rep.penalty != res.objective:
            print(f"    note: solver objective {res.objective} != checker penalty {rep.penalty}")
        if args.solution:
            out = Path(args.solution.replace("{name}", name))
            out.parent.mkdir(parents=True, exist_ok=True)  # `--solution 'out/{name}.csv'` from a fresh clone
            out.write_text(solution_csv(res.roster), encoding="utf-8")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
