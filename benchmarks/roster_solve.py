"""Roster benchmark: 60 agents, 3-week cycle, 5 leave requests.

    python benchmarks/roster_solve.py [--agents 60] [--time-limit 10] [--workers 2] [--seed 0] [--cycles 4]
                                      [--no-plan-nights]

Prints: time to the first valid roster (checked by the independent checker),
the result at the default limit (status, penalty, gap, per-family penalty),
and whether the same seed twice gives a byte-identical roster.  Then
``--cycles`` consecutive 3-week cycles with the fairness history carried from
each into the next (issue 19 item 3, R-ROS-10): after each cycle the spread
(max − min) of nights, runs of nights (turns), weekend rests and holiday rests,
and how many agents still wait for their first run of nights while another has
a second; the whole chain is run twice with the same seed and compared.  Beside it, the same
figures of a 4-week rotation built by hand (:func:`reference`: no leave, no holidays), which
shows the spread the rules allow.  Also
times small teams (3–12 agents) to show when optimality is proven.
``--no-plan-nights`` solves as ``roster.plan_nights = false`` does: the cycle's lines as handed out
(:func:`asx.roster.solver.by_turns`) instead of runs of nights in night-queue order (:mod:`asx.roster.night_plan`).
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
from asx.roster.model import AgentSpec, Cover, Problem, Roster, RuleSet  # noqa: E402
from asx.roster.solver import solve  # noqa: E402

START = date(2026, 11, 30)  # a Monday
PLAN_NIGHTS = True  # --no-plan-nights: False


def problem(n: int, leave_requests: int = 5) -> Problem:
    # about 85 % of the team works each day (6 on 1 off); D takes half, N a quarter
    rules = RuleSet(coverage={"D": Cover(min=max(1, n // 2)), "N": Cover(min=max(1, n // 4), max=max(1, n // 4) + 2)},
                    plan_nights=PLAN_NIGHTS)
    leave = {}
    for k in range(min(leave_requests, n)):
        first = START + timedelta(days=(4 * k + 2) % 19)
        leave[f"agent{k:02d}"] = {first + timedelta(days=j) for j in range(1 + k % 3)}
    return Problem(start=START, days=21, agents=[AgentSpec(f"agent{k:02d}") for k in range(n)], rules=rules,
                   leave=leave)


# New Year 2027 as configured dates (the holiday package has no 2027; assumed, like asx.toml [calendar])
CONFIGURED_HOLIDAYS = {date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)}


def history_of(cells: list, first: date) -> dict:
    """Fairness counters of ``cells`` (days from ``first``): what asx.roster.problem.history reads
    from the stored roster (R-ROS-10, R-ROS-6; runs of nights for the turns, R-ROS-4)."""
    h = {"nights": 0, "weekend_rests": 0, "holiday_rests": 0, "night_turns": _runs(cells), "night_open": 0,
         "last_night": 0}
    for k, v in enumerate(cells):
        d = first + timedelta(days=k)
        if v == "N":
            h["nights"] += 1
            h["last_night"] = d.toordinal()
        elif v is None:
            h["weekend_rests"] += int(d.weekday() >= 5)
            h["holiday_rests"] += int(d in CONFIGURED_HOLIDAYS)
    h["night_open"] = int(bool(cells) and cells[-1] == "N")
    return {k: v for k, v in h.items() if v}


def chain(n: int, cycles: int, *, time_limit: float, seed: int, workers: int):
    """``cycles`` consecutive cycles, history carried (R-ROS-10, R-ROS-6); per-cycle lines and a digest.

    Like ``asx roster generate`` for the next cycle: the previous cycle's last week is kept as
    pinned context (R-ROS-4: the Sunday–Friday switch group spans the boundary) and the counters
    before it are the history."""
    from asx.roster.problem import relax_context

    base = problem(n, leave_requests=0)
    names = [a.name for a in base.agents]
    seq: dict[str, list] = {a: [] for a in names}
    lines, h = [], hashlib.sha256()
    for c in range(cycles):
        start = START + timedelta(days=21 * c)
        first = start - timedelta(days=7) if c else start
        ctx = (start - first).days
        past = len(seq[names[0]]) - ctx
        p = Problem(start=first, days=21 + ctx, rules=relax_context(base.rules, first, start),
                    agents=[AgentSpec(a, history=history_of(seq[a][:past], START)) for a in names],
                    holidays={d for d in CONFIGURED_HOLIDAYS if first <= d < start + timedelta(days=21)},
                    pinned={(a, first + timedelta(days=k)): seq[a][past + k] for a in names for k in range(ctx)})
        t0 = time.perf_counter()
        res = solve(p, time_limit=time_limit, seed=seed, workers=workers)
        wall = time.perf_counter() - t0
        if res.roster is None:
            lines.append(f"cycle {c + 1}: {res.status} ({wall:.1f} s)")
            break
        rep = check(p, res.roster)
        h.update(json.dumps(res.roster.to_dict()).encode())
        for a in names:
            for i, d in enumerate(p.dates[ctx:]):
                seq[a].append(res.roster.get(a, d))
        hist = {a: history_of(seq[a], START) for a in names}
        turns = {a: hist[a].get("night_turns", 0) for a in names}
        spread = {k: max(x.get(k, 0) for x in hist.values()) - min(x.get(k, 0) for x in hist.values())
                  for k in ("nights", "weekend_rests", "holiday_rests")}
        waiting = sum(1 for a in names if turns[a] == 0)
        seconds = sum(1 for a in names if turns[a] >= 2)
        first_t = res.stats.get("first_solution_time_total") or res.stats.get("first_solution_time")
        plan = f" (night plan: {res.stats['night_plan']})" if "night_plan" in res.stats else ""
        lines.append(f"cycle {c + 1} ({start} – {p.end}): {res.status}{plan}, penalty {rep.penalty}, hard "
                     f"{rep.hard_count}, first valid {first_t} s, wall {wall:.1f} s | after it: nights spread "
                     f"{spread['nights']}, night runs {min(turns.values())}–{max(turns.values())} "
                     f"(no run yet: {waiting}, second run: {seconds}), weekend rests spread "
                     f"{spread['weekend_rests']}, holiday rests spread {spread['holiday_rests']}; penalty by family "
                     f"{rep.by_family()}")
    return lines, h.hexdigest()[:16]


# A 4-week rotation of a team in four groups (issue 19 item 3): in each week one group works the
# night run from Saturday to Friday and one group rests on each of Wednesday, Thursday, Friday and
# Saturday, so every agent has one weekend rest and seven nights in four weeks.  Days: Mon … Sun.
REFERENCE_WEEKS = ("DDDD-NN",  # Friday rest, the night run starts on Saturday
                   "NNNNN-D",  # the run ends on Friday, Saturday rest (the weekend rest)
                   "DD-DDDD",  # Wednesday rest
                   "DDD-DDD")  # Thursday rest (seven days in a row at most between rests)


def reference(n: int, weeks: int = 12) -> tuple[Problem, Roster]:
    """A hand-built roster for :func:`problem` ``(n)`` without leave or holidays, ``n`` a multiple of 4:
    agent k is in group k // (n/4) and works ``REFERENCE_WEEKS[(week - group) % 4]``.  It shows what
    the rules allow: weekend rests and nights exactly equal, no penalty (R-ROS-1..4, R-ROS-8, R-ROS-10)."""
    if n % 4:
        raise ValueError("the reference rotation needs a team of a multiple of 4")
    base = problem(n, leave_requests=0)
    p = Problem(start=START, days=7 * weeks, agents=base.agents, rules=base.rules)
    r = Roster(p.start, p.days, tuple(a.name for a in p.agents))
    for k, a in enumerate(p.agents):
        group = k // (n // 4)
        for i in range(p.days):
            c = REFERENCE_WEEKS[(i // 7 - group) % 4][i % 7]
            r.cells[(a.name, p.day(i))] = None if c == "-" else c
    return p, r


def reference_line(n: int, weeks: int = 12) -> str:
    p, r = reference(n, weeks)
    rep = check(p, r)
    wr = [sum(1 for i in range(p.days) if p.is_weekend(i) and r.at(a, i) is None) for a in r.agents]
    nights = [sum(1 for i in range(p.days) if r.at(a, i) == "N") for a in r.agents]
    return (f"reference: a 4-week rotation built by hand, {weeks} weeks, no leave, no holidays: weekend rests "
            f"{min(wr)}–{max(wr)} (spread {max(wr) - min(wr)}), nights {min(nights)}–{max(nights)}, checker "
            f"penalty {rep.penalty}, hard {rep.hard_count}")


def _runs(cells: list) -> int:
    """Runs of nights (a rest inside a run does not end it, another shift does)."""
    runs, prev = 0, None
    for v in cells:
        if v is None or v == "LEAVE":
            continue
        if v == "N" and prev != "N":
            runs += 1
        prev = v
    return runs


def digest(res) -> str:
    return hashlib.sha256(json.dumps(res.roster.to_dict() if res.roster else None).encode()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agents", type=int, default=60)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--small", default="3,6,9,12", help="team sizes for the optimality table ('' to skip)")
    ap.add_argument("--cycles", type=int, default=4, help="consecutive cycles with history carried (0 to skip)")
    ap.add_argument("--no-plan-nights", action="store_true", help="as roster.plan_nights = false (the lines as handed out)")
    args = ap.parse_args(argv)
    global PLAN_NIGHTS
    PLAN_NIGHTS = not args.no_plan_nights

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

    if args.cycles:
        print(f"\n{args.cycles} consecutive cycles, history carried (R-ROS-10 by turns), --time-limit "
              f"{args.time_limit:g} each:")
        lines, d1 = chain(args.agents, args.cycles, time_limit=args.time_limit, seed=args.seed,
                          workers=args.workers)
        for line in lines:
            print("  " + line)
        _lines2, d2 = chain(args.agents, args.cycles, time_limit=args.time_limit, seed=args.seed,
                            workers=args.workers)
        print(f"same seed twice -> identical {args.cycles}-cycle chain: {d1 == d2} (sha256 {d1})")
        if args.agents % 4 == 0:
            print("  " + reference_line(args.agents, 3 * args.cycles))

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
