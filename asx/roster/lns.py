"""Large-neighbourhood search around an incumbent roster (issue 19 item 4).

The model is the one :class:`asx.roster.solver._Build` makes of a Problem — the same engine for
asx rosters and the Curtois & Qu benchmark, no separate model.  Starting from an incumbent (CP-SAT's
own first solutions, or a roster given by the caller), each step frees a *neighbourhood* of shift
variables and fixes all the others to the incumbent, then re-solves that sub-model for a short
budget with the incumbent as hint and its objective as a cutoff; a better roster becomes the
incumbent.  Neighbourhoods, in an order drawn from the seed:

* ``days``   — a window of consecutive days, every agent (coverage R-ROS-3 moves freely there);
* ``agents`` — a group of agents, every day (their per-horizon limits move freely);
* ``block``  — a group of agents over a window of days;
* ``cover``  — a window of days around a day whose coverage misses its target or minimum in the
  incumbent (R-ROS-3), every agent (a plain ``days`` window when coverage is met everywhere).

The next kind is drawn (from ``seed``) in proportion to each kind's success rate so far.
Each kind has its own size (share of the shift variables set free), adapted to the outcome:
a sub-model solved to optimality without improvement grows the neighbourhood, one that ran out of
time without improvement shrinks it.

The sub-model is not rebuilt: one copy of the model's proto is kept, and fixing a variable is
setting its domain to one value (restored after the step), so a step costs a proto pass instead
of a model build.

Budgets: with ``deadline`` (wall clock, the benchmark's wall-clock mode) steps may run on several
threads, each on its own copy; with ``max_dtime`` only (CP-SAT deterministic time, one thread,
single-worker sub-solves with seeds from ``seed``), the same input and seed give the same roster —
that is how the tests run it.  OR-Tools is imported only inside functions.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from asx.roster.solver import _Sol

KINDS = ("days", "agents", "block", "cover")


@dataclass
class Outcome:
    """Best assignment found: ``values[k]`` for shift variable ``k`` of :func:`shift_vars`."""

    values: list[int]
    objective: float
    steps: int = 0
    improvements: int = 0
    dtime: float = 0.0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [steps, improvements]
    optimal: bool = False


def shift_vars(b) -> tuple[list[int], list[int], list[int]]:
    """(proto index, agent number, day index) of every shift variable of a _Build, in model order."""
    idx, agent, day = [], [], []
    names = {a.name: k for k, a in enumerate(b.agents)}
    for (name, i), cell in b.x.items():
        for v in cell.values():
            idx.append(v.index)
            agent.append(names[name])
            day.append(i)
    return idx, agent, day


def values_of(b, sol) -> list[int]:
    """Incumbent values of the shift variables from anything with ``boolean_value``."""
    return [int(sol.boolean_value(v)) for cell in b.x.values() for v in cell.values()]


def values_from_roster(b, roster) -> list[int]:
    """A roster (e.g. a constructed one) as shift-variable values; cells the model cannot take stay 0."""
    out = []
    for a in b.agents:
        for i in range(b.n):
            want = roster.at(a.name, i)
            for s in b.x[(a.name, i)]:
                out.append(1 if s == want else 0)
    # b.x is filled agent by agent, day by day (_Build._vars), the order of shift_vars
    return out


class _Sub:
    """One private copy of the model proto on which neighbourhoods are fixed and solved."""

    def __init__(self, b) -> None:
        from ortools.sat.python import cp_model

        self.cp = cp_model
        self.model = b.m.clone()
        self.proto = self.model.proto
        self.proto.clear_solution_hint()
        self.proto.assumptions.clear()

    def solve(self, idx: list[int], vals: list[int], free: set[int], *, cutoff: float | None,
              seed: int, workers: int, wall: float | None, dtime: float | None, params: dict[str, Any]):
        proto = self.proto
        vars_ = proto.variables
        fixed = []
        for k, (j, v) in enumerate(zip(idx, vals)):
            if k not in free:
                d = vars_[j].domain
                d[0] = v
                d[1] = v
                fixed.append(j)
        hint = proto.solution_hint
        hint.vars.extend(idx)
        hint.values.extend(vals)
        obj = proto.objective
        old_dom = list(obj.domain)
        scale = obj.scaling_factor or 1.0
        if cutoff is not None and scale > 0:  # objective (before offset/scaling) at most the incumbent's
            obj.domain.clear()
            obj.domain.extend([-(2**62), int(round(cutoff / scale - obj.offset))])
        solver = self.cp.CpSolver()
        prm = solver.parameters
        prm.num_workers = workers
        prm.random_seed = seed
        if wall is not None:
            prm.max_time_in_seconds = max(0.01, wall)
        if dtime is not None:
            prm.max_deterministic_time = max(0.01, dtime)
        for key, val in params.items():
            setattr(prm, key, val)
        try:
            st = solver.solve(self.model)
        finally:
            for j in fixed:  # shift variables are Booleans: back to [0, 1]
                d = vars_[j].domain
                d[0] = 0
                d[1] = 1
            obj.domain.clear()
            obj.domain.extend(old_dom)
            proto.clear_solution_hint()
        return solver, st


def short_days(b, vals: list[int]) -> list[tuple[int, int]]:
    """(day, weight) of every day whose coverage (R-ROS-3) misses its target or minimum in ``vals``."""
    p = b.p
    count: dict[tuple[int, str], int] = {}
    k = 0
    for (_name, i), cell in b.x.items():
        for s in cell:
            if vals[k]:
                count[(i, s)] = count.get((i, s), 0) + 1
            k += 1
    out = []
    for i in range(b.n):
        w = 0
        for s in p.shifts:
            c = p.cover(i, s.id)
            if c is None:
                continue
            want = max(c.min, c.target or 0)
            w += max(0, want - count.get((i, s.id), 0))
        if w:
            out.append((i, w))
    return out


def _neighbourhood(kind: str, frac: float, rng: random.Random, agent: list[int], day: list[int],
                   n_agents: int, n_days: int, short: list[tuple[int, int]] | None = None) -> set[int]:
    """Shift-variable numbers set free: about ``frac`` of all of them."""
    frac = min(1.0, max(frac, 1e-3))
    if kind in ("days", "cover"):
        span = max(1, min(n_days, round(frac * n_days)))
        if kind == "cover" and short:
            centre = rng.choices([i for i, _w in short], weights=[w for _i, w in short])[0]
            d0 = min(max(0, centre - rng.randrange(span)), n_days - span)
        else:
            d0 = rng.randrange(0, n_days - span + 1)
        return {k for k, d in enumerate(day) if d0 <= d < d0 + span}
    if kind == "agents":
        size = max(1, min(n_agents, round(frac * n_agents)))
        group = set(rng.sample(range(n_agents), size))
        return {k for k, a in enumerate(agent) if a in group}
    # block: twice the share of agents over half the share of days … about frac of the cells
    share_a = min(1.0, (frac ** 0.5) * 1.5)
    size = max(1, min(n_agents, round(share_a * n_agents)))
    span = max(1, min(n_days, round(frac / max(share_a, 1e-9) * n_days)))
    group = set(rng.sample(range(n_agents), size))
    d0 = rng.randrange(0, n_days - span + 1)
    return {k for k, (a, d) in enumerate(zip(agent, day)) if a in group and d0 <= d < d0 + span}


def improve(b, start: list[int], start_objective: float, *, seed: int = 0, deadline: float | None = None,
            max_dtime: float | None = None, threads: int = 1, sub_workers: int = 1, step_seconds: float = 1.0,
            step_dtime: float = 1.0, bound: float | None = None, params: dict[str, Any] | None = None,
            frac0: float = 0.08, trace: list | None = None) -> Outcome:
    """LNS from ``start`` (values of :func:`shift_vars`) with objective ``start_objective``.

    Stops at ``deadline`` (a ``time.perf_counter()`` value) or when ``max_dtime`` deterministic
    time has been spent by the sub-solves, whichever comes first; at least one of them is needed.
    ``threads`` > 1 only with a deadline (parallel steps are not reproducible).  Never returns a
    worse assignment than ``start``; every accepted assignment satisfies the whole model (it is a
    CP-SAT solution of the model with some variables fixed)."""
    if deadline is None and max_dtime is None:
        raise ValueError("improve needs a deadline or a max_dtime")
    if deadline is None:
        threads = 1
    idx, agent, day = shift_vars(b)
    n_agents, n_days = max(1, len(b.agents)), max(1, b.n)
    params = dict(params or {})
    best = Outcome(list(start), float(start_objective), by_kind={k: [0, 0] for k in KINDS})
    if bound is not None and best.objective <= bound + 1e-9:
        best.optimal = True
        return best
    lock = threading.Lock()
    frac = {k: frac0 for k in KINDS}
    master = random.Random(seed)
    spent = [0.0]
    stall = [0]  # steps since the last improvement: a long stall lengthens the steps

    def out_of_budget() -> bool:
        if deadline is not None and time.perf_counter() >= deadline - 0.05:
            return True
        return max_dtime is not None and spent[0] >= max_dtime - 1e-9

    def worker(t: int) -> None:
        sub = _Sub(b)
        while True:
            with lock:
                if out_of_budget() or best.optimal:
                    return
                step = best.steps
                best.steps += 1
                if step < len(KINDS):  # each kind once, then by success rate (a drawn order)
                    kind = KINDS[step]
                else:
                    kind = master.choices(KINDS, [(best.by_kind[k][1] + 1) / (best.by_kind[k][0] + 2)
                                                  for k in KINDS])[0]
                rng = random.Random(master.random())
                f = frac[kind]
                vals, obj = list(best.values), best.objective
                longer = 2 ** min(3, stall[0] // STALL_STEPS)
            short = short_days(b, vals) if kind == "cover" else None
            free = _neighbourhood(kind, f, rng, agent, day, n_agents, n_days, short)
            wall = None
            if deadline is not None:
                wall = min(step_seconds * longer, deadline - time.perf_counter())
                if wall <= 0.05:
                    return
            dt = step_dtime * longer
            if max_dtime is not None:
                dt = min(dt, max(0.01, max_dtime - spent[0]))
            solver, st = sub.solve(idx, vals, free, cutoff=obj, seed=rng.randrange(1 << 30), workers=sub_workers,
                                   wall=wall, dtime=dt, params=params)
            cp = sub.cp
            with lock:
                spent[0] += solver.deterministic_time
                best.dtime = spent[0]
                best.by_kind[kind][0] += 1
                found = st in (cp.OPTIMAL, cp.FEASIBLE)
                done = st in (cp.OPTIMAL, cp.INFEASIBLE)
                # neighbourhood size: solved to the end -> wider, ran out of time -> narrower
                frac[kind] = min(1.0, frac[kind] * (1.15 if done else 0.85))
                if trace is not None:
                    trace.append((kind, len(free), solver.status_name(st),
                                  solver.objective_value if found else None, round(solver.wall_time, 3)))
                if found and solver.objective_value < best.objective - 1e-6:
                    sol = solver.response_proto.solution
                    best.values = [int(sol[j]) for j in idx]
                    best.objective = solver.objective_value
                    best.improvements += 1
                    stall[0] = 0
                    best.by_kind[kind][1] += 1
                    if bound is not None and best.objective <= bound + 1e-9:
                        best.optimal = True
                    if len(free) == len(idx) and st == cp.OPTIMAL:
                        best.optimal = True
                else:
                    stall[0] += 1
                if done and len(free) == len(idx) and not best.optimal:
                    best.optimal = True  # the whole model has nothing below the incumbent

    if threads <= 1:
        worker(0)
    else:
        ts = [threading.Thread(target=worker, args=(t,)) for t in range(1, threads)]
        for th in ts:
            th.start()
        worker(0)
        for th in ts:
            th.join()
    return best


class Assignment(_Sol):
    """The LNS result in the shape the solver's decode/_polish read (``boolean_value``, objective):
    a :class:`asx.roster.solver._Sol` whose values come from the search, not from a CpSolver."""

    def __init__(self, b, outcome: Outcome, status, bound: float | None) -> None:
        super().__init__(None, status, outcome.objective, bound)
        self._v = {}
        k = 0
        for cell in b.x.values():
            for v in cell.values():
                self._v[v.index] = outcome.values[k]
                k += 1
        self._dtime = outcome.dtime

    def boolean_value(self, v) -> bool:
        return bool(self._v[v.index])


STALL_STEPS = 24  # steps without improvement before each doubling of the step budget (at most 8x)
INIT_SHARE = 0.1  # share of the budget for CP-SAT's own search before the LNS takes over
CONSTRUCT_SHARE = 0.6  # no roster from CP-SAT: a constructed start is given up after this share
CONSTRUCT_SECONDS = 0.2  # at most per agent's line of the constructed start


def _first(b, time_limit: float, cap: float, seed: int, workers: int, max_dtime: float | None):
    """CP-SAT on the whole model: stops at the first roster found after ``time_limit`` seconds, or
    at ``cap`` seconds."""
    cp = b.cp_model
    t0 = time.perf_counter()
    first: list[float] = []

    class _CB(cp.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:  # noqa: N802 (OR-Tools name)
            now = time.perf_counter() - t0
            if not first:
                first.append(now)
            if now >= time_limit or (max_dtime is not None
                                     and self.deterministic_time >= max_dtime * INIT_SHARE):
                self.stop_search()

    solver = cp.CpSolver()
    prm = solver.parameters
    prm.num_workers = max(1, workers)
    prm.random_seed = seed
    prm.linearization_level = 2  # stronger LP (NRP A/B tests)
    prm.max_time_in_seconds = max(0.01, cap)
    if max_dtime is not None:
        prm.max_deterministic_time = max_dtime
    st = solver.solve(b.m, _CB())
    return solver, st, first


def run(b, time_limit: float, seed: int, workers: int, *, max_dtime: float | None = None,
        init_share: float = INIT_SHARE):
    """The wall-clock mode of the solver (``deterministic=False``): CP-SAT with ``workers`` threads
    for ``init_share`` of the time (longer if it has no roster yet), then :func:`improve` on
    ``workers`` threads for the rest.  Where every hard rule is one agent's own
    (:func:`asx.roster.construct.decomposable`) and CP-SAT has no roster after ``init_share``, the
    start is constructed one agent's line at a time instead (given up at ``CONSTRUCT_SHARE`` of the
    time; then CP-SAT searches on).  Returns what ``solver._run`` returns."""

    from asx.roster.construct import construct, decomposable

    cp = b.cp_model
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    # CP-SAT's own search for init_share of the time, and on until its first roster — unless a
    # start can be constructed (every hard rule is one agent's own): then for init_share only
    build = b.plan is None and decomposable(b.p)
    solver, st, first = _first(b, time_limit * init_share, time_limit * init_share if build else time_limit,
                               seed, workers, max_dtime)
    def found(solver, st, dtime: float):
        """CP-SAT's result as the solver's ``_Sol``, whether it holds a roster, and its values."""
        ok = st in (cp.OPTIMAL, cp.FEASIBLE)
        sol = _Sol(solver, st, solver.objective_value if ok else None, solver.best_objective_bound if ok else None)
        sol._dtime = dtime
        return sol, ok, (values_of(b, sol) if ok else None)

    dtime = solver.deterministic_time
    stats = {
        "first_solution_time": round(first[0], 3) if first else None,
        "deterministic": False,
        "cp_status": solver.status_name(st),
    }
    sol, ok, start = found(solver, st, dtime)
    if build and not ok and st != cp.INFEASIBLE:
        # no roster from CP-SAT yet: one agent's line after another (asx.roster.construct)
        made = construct(b.p, seconds_each=CONSTRUCT_SECONDS, deadline=t0 + time_limit * CONSTRUCT_SHARE,
                         seed=seed, workers=workers)
        if made is not None:
            start = values_from_roster(b, made)
            # the start's exact objective: CP-SAT with every shift variable fixed
            fixed, fst = _Sub(b).solve(shift_vars(b)[0], start, set(), cutoff=None, seed=seed, workers=1,
                                       wall=max(0.05, deadline - time.perf_counter()), dtime=None, params={})
            if fst in (cp.OPTIMAL, cp.FEASIBLE):
                ok, st = True, cp.FEASIBLE
                sol = _Sol(fixed, st, fixed.objective_value, solver.best_objective_bound)
                dtime += fixed.deterministic_time
                sol._dtime = dtime
                stats["first_solution_time"] = round(time.perf_counter() - t0, 3)
                stats["constructed"] = fixed.objective_value
        if not ok and time.perf_counter() < deadline - 0.05:  # no start made: CP-SAT for the rest of the time
            solver, st, first = _first(b, 0.0, deadline - time.perf_counter(), seed, workers,
                                       None if max_dtime is None else max(0.01, max_dtime - dtime))
            dtime += solver.deterministic_time
            stats.update({"first_solution_time": round(time.perf_counter() - t0, 3) if first else None,
                          "cp_status": solver.status_name(st)})
            sol, ok, start = found(solver, st, dtime)
    if not ok or st == cp.OPTIMAL or time.perf_counter() >= deadline - 0.05:
        stats.update({"wall_time": round(time.perf_counter() - t0, 3), "deterministic_time": round(dtime, 3),
                      "lns": None})
        return sol, st, stats
    init_obj, bound = sol.objective_value, sol.best_objective_bound
    out = improve(b, start, init_obj, seed=seed, deadline=deadline,
                  max_dtime=None if max_dtime is None else max(0.0, max_dtime - dtime),
                  threads=max(1, workers), bound=bound, params={"linearization_level": 2})
    status = cp.OPTIMAL if out.optimal else cp.FEASIBLE
    res = Assignment(b, out, status, bound if not out.optimal else out.objective)
    res._dtime += dtime
    stats.update({
        "wall_time": round(time.perf_counter() - t0, 3),
        "deterministic_time": round(res._dtime, 3),
        "cp_status": "OPTIMAL" if out.optimal else "FEASIBLE",
        "lns": {"start_objective": init_obj, "objective": out.objective, "steps": out.steps,
                "improvements": out.improvements, "by_kind": out.by_kind},
    })
    return res, status, stats
