"""Night turns over consecutive cycles at the engine level (issue 19 item 3; R-ROS-4, R-ROS-10).

18 agents, four or five on nights a day, three consecutive 3-week cycles: each next cycle is solved
with the counters before it as history (nights, runs of nights, weekend rests) and the previous
cycle's last week pinned as context, as `asx roster generate` does. Deterministic limits."""

from __future__ import annotations

from datetime import date, timedelta

from asx.roster.checker import check
from asx.roster.model import AgentSpec, Cover, Problem, RuleSet
from asx.roster.problem import relax_context
from asx.roster.solver import solve

START = date(2027, 3, 1)  # a Monday; no holidays in the chain
NAMES = [f"A{k:02d}" for k in range(18)]
RULES = RuleSet(coverage={"D": Cover(min=9), "N": Cover(min=4, max=6)})


def _runs(cells) -> list[int]:
    """Nights of each run (a rest does not end a run, another shift does)."""
    out, prev = [], None
    for v in cells:
        if v is None:
            continue
        if v == "N":
            if prev != "N":
                out.append(0)
            out[-1] += 1
        prev = "N" if v == "N" else "D"
    return out


def _history(cells) -> dict:
    h = {"nights": sum(1 for v in cells if v == "N"), "night_turns": len(_runs(cells)),
         "night_open": int(bool(cells) and cells[-1] == "N"),
         "weekend_rests": sum(1 for i, v in enumerate(cells)
                              if v is None and (START + timedelta(days=i)).weekday() >= 5)}
    return {k: v for k, v in h.items() if v}


def chain(cycles: int, rules=RULES, names=NAMES, start0=START, holidays=frozenset(), time_limit=2.0,
          workers=1, seed=0):
    """``cycles`` consecutive cycles as `asx roster generate` solves them: the counters before each
    as history (holiday rests too), the previous cycle's last week pinned. Returns the cells per
    agent, the runs of nights per agent after each cycle, and each solve's ``stats["night_plan"]``."""
    seq: dict[str, list] = {a: [] for a in names}
    turns_after, plans = [], []

    def history(cells):
        h = _history(cells)
        rests = sum(1 for i, v in enumerate(cells) if v is None and start0 + timedelta(days=i) in holidays)
        return {**h, "holiday_rests": rests} if rests else h

    for c in range(cycles):
        start = start0 + timedelta(days=21 * c)
        first = start - timedelta(days=7) if c else start
        ctx = (start - first).days
        past = 21 * c - ctx
        p = Problem(start=first, days=21 + ctx, rules=relax_context(rules, first, start),
                    agents=[AgentSpec(a, history=history(seq[a][:past])) for a in names],
                    holidays={d for d in holidays if first <= d < start + timedelta(days=21)},
                    pinned={(a, first + timedelta(days=k)): seq[a][past + k] for a in names for k in range(ctx)})
        res = solve(p, time_limit=time_limit, seed=seed, workers=workers)
        assert res.roster is not None, res.explanation
        assert check(p, res.roster).hard_count == 0
        plans.append(res.stats.get("night_plan"))
        for a in names:
            seq[a] += [res.roster.get(a, d) for d in p.dates[ctx:]]
        turns_after.append({a: len(_runs(seq[a])) for a in names})
    return seq, turns_after, plans


def _chain(cycles: int, seed: int = 0) -> dict[str, list]:
    return chain(cycles, seed=seed)[0]


def test_runs_of_nights_are_turns_not_marathons_and_the_same_seed_repeats():
    # R-ROS-4 makes nights come in runs; R-ROS-10 by turns: a run is one week of nights (with its
    # Saturday), nobody does a second run before every agent has had one
    seq = _chain(2)
    runs = {a: _runs(c) for a, c in seq.items()}
    assert max(max(r, default=0) for r in runs.values()) <= 8, runs
    counts = [len(r) for r in runs.values()]
    assert not (max(counts) >= 2 and min(counts) == 0), runs
    assert seq == _chain(2)

