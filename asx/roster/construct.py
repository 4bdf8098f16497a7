"""A constructed start roster, one agent after another (issue 19 item 4: "a start from a
constructed feasible roster").

When every hard rule of a problem is one agent's own — rest days, runs, successions, limits,
leave, pins (R-ROS-1, R-ROS-2, R-ROS-4, R-ROS-7) — and coverage (R-ROS-3) is soft, a roster is
feasible as soon as each agent's line is.  :func:`construct` then builds one line at a time with
the same model (:class:`asx.roster.solver._Build` of a one-agent :class:`Problem`): the coverage
each agent sees is what the agents before it left uncovered (``target`` and ``max`` less the
agents already there), so later agents fill the gaps.  It is a start for the large-neighbourhood
search (:mod:`asx.roster.lns`) where CP-SAT finds no roster of the whole model in time (the large
Curtois & Qu instances); asx's own rosters have a hard coverage minimum, so :func:`decomposable`
is false for them and nothing here runs.

OR-Tools is imported only inside :mod:`asx.roster.solver`'s functions.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace

from asx.roster.model import LEAVE, Cover, Problem, Roster


def decomposable(p: Problem) -> bool:
    """True when no hard rule ties agents together: no hard coverage minimum or maximum
    (R-ROS-3) and no rotation of a wrapped cycle (R-ROS-5: an agent works another's line a week
    later).  Every other hard family is per agent."""
    r = p.rules
    if p.wrap and r.rotation and r.cycle_weeks >= 2 and p.days == 7 * r.cycle_weeks:
        return False
    hard_min = p.rules.family("coverage_min").hard
    hard_max = p.rules.family("coverage_max").hard
    for i in range(p.days):
        for s in p.shifts:
            c = p.cover(i, s.id)
            if c is None:
                continue
            if (hard_min and c.min > 0) or (hard_max and c.max is not None):
                return False
    return True


def _residual(c: Cover, have: int) -> Cover:
    """The cover an agent sees when ``have`` agents already work the shift: the marginal cost of one
    more is the same as in the whole problem (under the target it saves ``under_weight``, above it
    or above the maximum it costs ``over_weight`` / the maximum's weight)."""
    return Cover(min=max(0, c.min - have),
                 target=None if c.target is None else max(0, c.target - have),
                 max=None if c.max is None else max(0, c.max - have),
                 under_weight=c.under_weight, over_weight=c.over_weight)


def one_agent(p: Problem, name: str, have: dict[tuple[int, str], int]) -> Problem:
    """The problem of one agent's line, coverage reduced by ``have`` ((day, shift) -> agents)."""
    dates: dict = {}
    for i in range(p.days):
        row = {}
        for s in p.shifts:
            c = p.cover(i, s.id)
            if c is not None:
                row[s.id] = _residual(c, have.get((i, s.id), 0))
        if row:
            dates[p.day(i)] = row
    rules = replace(p.rules, coverage={}, coverage_weekday={}, coverage_holiday={}, coverage_workday={},
                    coverage_dates=dates)
    return replace(p, agents=[a for a in p.agents if a.name == name], rules=rules,
                   leave={name: p.leave[name]} if name in p.leave else {},
                   pinned={k: v for k, v in p.pinned.items() if k[0] == name},
                   requests=[r for r in p.requests if r.agent == name],
                   previous=None, use_cycle=False)


def construct(p: Problem, *, seconds_each: float = 0.5, deadline: float | None = None,
              seed: int = 0, workers: int = 2) -> Roster | None:
    """Each rostered agent's line in turn (problem order), solved alone by CP-SAT on ``workers``
    threads (at least two) for at most ``seconds_each`` (less when ``deadline``, a ``time.perf_counter()`` value,
    is near).  Two threads, not one: a line of 182 days with a band of total minutes, runs of 2–5
    days and at most 13 weekends (Instance20) is found in 0.1 s by CP-SAT's two-worker portfolio
    (its feasibility-jump worker) and not in 10 s by one default worker.
    Returns None when the problem is not :func:`decomposable`, an agent's line has no solution in
    its time, or the deadline passes."""
    from asx.roster.solver import _Build

    if not decomposable(p):
        return None
    agents = p.rostered()
    out = Roster(p.start, p.days, tuple(a.name for a in agents))
    have: dict[tuple[int, str], int] = defaultdict(int)
    for k, a in enumerate(agents):
        limit = seconds_each
        if deadline is not None:
            left = deadline - time.perf_counter()
            if left <= 0.05:
                return None
            limit = min(limit, max(0.05, left / max(1, len(agents) - k)))
        b = _Build(one_agent(p, a.name, have))
        solver = b.cp_model.CpSolver()
        prm = solver.parameters
        prm.num_workers = max(2, workers)
        prm.random_seed = seed
        prm.max_time_in_seconds = limit
        st = solver.solve(b.m)
        if st == b.cp_model.UNKNOWN:  # no line in the time: any line will do, for longer
            prm.stop_after_first_solution = True
            prm.max_time_in_seconds = max(2.0, 10 * limit) if deadline is None else max(
                0.05, deadline - time.perf_counter())
            st = solver.solve(b.m)
        if st not in (b.cp_model.OPTIMAL, b.cp_model.FEASIBLE):
            return None
        line = b.decode(solver)
        for i, d in enumerate(p.dates):
            v = line.get(a.name, d)
            out.cells[(a.name, d)] = v
            if v is not None and v != LEAVE:
                have[(i, v)] += 1
    return out
