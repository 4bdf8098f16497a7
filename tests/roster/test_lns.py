"""Large-neighbourhood search around an incumbent (issue 19 item 4; coverage R-ROS-3, R-ROS-1..4 hard).

Deterministic budgets only: every LNS here runs on one thread with CP-SAT deterministic time."""

import random

from asx.roster import lns
from asx.roster.checker import check
from asx.roster.model import AgentSpec, Problem
from asx.roster.nrp import read_nrp, read_solution_csv, solution_csv
from asx.roster.solver import _Build, solve

from .conftest import MONDAY


def _instance(staff: int = 8, days: int = 14, seed: int = 3) -> str:
    """A small Curtois & Qu style instance (two shifts, requests, tight cover)."""
    rng = random.Random(seed)
    lines = ["SECTION_HORIZON", str(days), "", "SECTION_SHIFTS", "D,480,", "L,480,D", "", "SECTION_STAFF"]
    for k in range(staff):
        lines.append(f"S{k},D={days}|L={days // 2},{480 * (days - 4)},{480 * (days // 2 - 1)},5,2,2,1")
    lines += ["", "SECTION_DAYS_OFF"] + [f"S{k},{rng.randrange(days)}" for k in range(0, staff, 2)]
    for section in ("SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS"):
        lines += ["", section]
        lines += [f"S{rng.randrange(staff)},{rng.randrange(days)},{rng.choice('DL')},{rng.randint(1, 3)}"
                  for _ in range(10)]
    lines += ["", "SECTION_COVER"]
    for i in range(days):
        lines.append(f"{i},D,{rng.randint(2, 4)},100,1")
        lines.append(f"{i},L,{rng.randint(1, 3)},100,1")
    return "\n".join(lines) + "\n"


def _bad_incumbent(b: _Build) -> tuple[list[int], float]:
    """A deliberately bad roster that keeps every hard rule: CP-SAT on a copy of the model that
    maximises the penalty (single worker, deterministic budget)."""
    from ortools.sat.python import cp_model

    worst = b.m.clone()
    worst.maximize(b.penalty_expr())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 0.5
    st = solver.solve(worst)
    assert st in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    vals = [int(solver.boolean_value(v)) for cell in b.x.values() for v in cell.values()]
    return vals, _objective(b, vals)


def _objective(b: _Build, vals: list[int]) -> float:
    """The model objective of an assignment of the shift variables (every other variable at its best)."""
    from ortools.sat.python import cp_model

    m = b.m.clone()
    idx, _a, _d = lns.shift_vars(b)
    for j, v in zip(idx, vals):
        m.add(m.get_bool_var_from_proto_index(j) == v)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(m) == cp_model.OPTIMAL
    return solver.objective_value


def _roster(b: _Build, out: lns.Outcome):
    return b.decode(lns.Assignment(b, out, None, None))


def test_lns_improves_a_bad_incumbent_without_hard_violations():
    p = read_nrp(_instance())
    b = _Build(p)
    start, start_obj = _bad_incumbent(b)
    assert check(p, b.decode(lns.Assignment(b, lns.Outcome(start, start_obj), None, None))).hard_count == 0
    out = lns.improve(b, start, start_obj, seed=1, max_dtime=1.0, step_dtime=0.3)
    assert out.steps > 0 and out.improvements > 0
    assert out.objective < start_obj / 2  # the maximised penalty is far from good rosters
    rep = check(p, _roster(b, out))
    assert rep.hard_count == 0  # every accepted roster is a solution of the whole model
    assert rep.penalty == out.objective  # the independent checker agrees (R-ROS-3 coverage, requests)
    assert _objective(b, out.values) == out.objective
    # re-scorable from the benchmark's CSV
    assert check(p, read_solution_csv(solution_csv(_roster(b, out)), p)).penalty == out.objective


def test_lns_never_returns_a_worse_roster_and_leaves_the_model_alone():
    p = read_nrp(_instance(seed=5))
    b = _Build(p)
    before = [list(v.domain) for v in b.m.proto.variables]
    good = solve(p, time_limit=1.0)
    start = lns.values_from_roster(b, good.roster)
    out = lns.improve(b, start, good.objective, seed=2, max_dtime=0.5, step_dtime=0.1)
    assert out.objective <= good.objective
    assert check(p, _roster(b, out)).penalty == out.objective
    assert [list(v.domain) for v in b.m.proto.variables] == before  # neighbourhoods fixed on a copy only


def test_lns_same_seed_same_roster_and_house_rules_hold():
    # an asx house problem (R-ROS-1 rest days, R-ROS-3 coverage, R-ROS-4 switch days as hard rules)
    p = Problem(start=MONDAY, days=14, agents=[AgentSpec(n) for n in "ABCDE"])
    b = _Build(p)
    start, start_obj = _bad_incumbent(b)
    runs = [lns.improve(b, start, start_obj, seed=7, max_dtime=1.5, step_dtime=0.2) for _ in range(2)]
    assert runs[0].values == runs[1].values and runs[0].objective == runs[1].objective
    assert runs[0].objective < start_obj
    rep = check(p, _roster(b, runs[0]))
    assert rep.hard_count == 0 and rep.penalty == runs[0].objective


def test_wall_clock_mode_runs_the_lns_and_returns_a_checked_roster():
    p = read_nrp(_instance(staff=10, days=21, seed=11))
    # the wall-clock mode (benchmark); the work is also capped by deterministic time
    res = solve(p, time_limit=30.0, workers=1, deterministic=False, max_dtime=2.0)
    assert res.roster is not None
    rep = check(p, res.roster)
    assert rep.hard_count == 0 and rep.penalty == res.objective
    assert "lns" in res.stats  # the wall-clock mode went through asx.roster.lns.run
    if res.stats["lns"]:  # None when CP-SAT proved its first rosters optimal
        assert res.stats["lns"]["objective"] <= res.stats["lns"]["start_objective"]


def test_cover_neighbourhood_starts_at_an_uncovered_day():
    p = read_nrp(_instance())
    b = _Build(p)
    vals = [0] * len(lns.shift_vars(b)[0])  # nobody works: every day is short (R-ROS-3)
    short = lns.short_days(b, vals)
    assert [i for i, _w in short] == list(range(p.days))
    _idx, agent, day = lns.shift_vars(b)
    free = lns._neighbourhood("cover", 0.1, random.Random(0), agent, day, len(b.agents), b.n, [(9, 1)])
    assert 9 in {day[k] for k in free}
