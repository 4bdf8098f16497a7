from pathlib import Path

import pytest

from asx.core.errors import UserError
from asx.roster import engines
from asx.roster.checker import check
from asx.roster.model import AgentSpec, Problem, Roster
from asx.roster.nrp import read_nrp, read_solution_csv, solution_csv
from asx.roster.solver import Result, solve

from .conftest import MONDAY

MINI = """# tiny instance
SECTION_HORIZON
7

SECTION_SHIFTS
E,480,
L,480,E

SECTION_STAFF
A,E=7|L=7,2880,1440,3,2,2,1
B,E=7|L=0,2880,960,3,1,1,1
C,E=7|L=7,2880,960,4,1,1,1

SECTION_DAYS_OFF
A,0
C,6

SECTION_SHIFT_ON_REQUESTS
B,2,E,3

SECTION_SHIFT_OFF_REQUESTS
C,3,L,2

SECTION_COVER
0,E,1,100,1
0,L,1,100,1
1,E,1,100,1
1,L,1,100,1
2,E,2,100,1
2,L,1,100,1
3,E,1,100,1
3,L,1,100,1
4,E,1,100,1
4,L,1,100,1
5,E,1,100,1
5,L,0,100,1
6,E,1,100,1
6,L,1,100,1
"""


def test_nrp_reader_maps_to_rule_families():
    p = read_nrp(MINI)
    assert p.days == 7 and [s.id for s in p.shifts] == ["E", "L"]
    assert p.rules.forbidden_successions == (("L", "E"),)
    a = p.agents[0]
    assert (a.max_consecutive_days, a.min_consecutive_days, a.min_consecutive_off) == (3, 2, 2)
    assert {lim.key: (lim.min, lim.max) for lim in a.limits} == {
        "shift:E/horizon": (None, 7), "shift:L/horizon": (None, 7), "minutes/horizon": (1440, 2880),
        "weekends/horizon": (None, 1)}
    assert p.leave == {"A": {p.start}, "C": {p.day(6)}}
    c = p.cover(2, "E")
    assert (c.target, c.under_weight, c.over_weight) == (2, 100, 1)
    res = solve(p, time_limit=2.0)  # deterministic budget only (issue 19 item 7)
    assert res.status == "optimal"
    rep = check(p, res.roster)
    assert rep.hard_count == 0 and rep.penalty == res.objective
    csv_text = solution_csv(res.roster)
    assert csv_text.splitlines()[0] == "staff,0,1,2,3,4,5,6"
    back = read_solution_csv(csv_text, p)
    assert check(p, back).penalty == rep.penalty


def test_nrp_instance1_is_solved_to_607():
    path = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "nrp" / "Instance1.txt"
    if not path.exists():
        pytest.skip("NRP fixtures not available")
    p = read_nrp(path)
    res = solve(p, time_limit=10.0)  # deterministic budget only (issue 19 item 7)
    rep = check(p, res.roster)
    assert rep.hard_count == 0 and rep.penalty == 607 and res.status == "optimal"


class RestEverybody:
    """A deliberately useless engine: everyone rests."""

    name = "lazy"

    def solve(self, problem, *, time_limit=10.0, seed=0, workers=2):
        r = Roster(problem.start, problem.days, tuple(a.name for a in problem.rostered()))
        for a in r.agents:
            for d in r.dates:
                r.cells[(a, d)] = None
        return Result("feasible", r, None, None, None)

    def repair(self, problem, previous, *, changed_from, time_limit=10.0, seed=0, workers=2):
        raise NotImplementedError


def test_registry_and_independent_checking_of_any_engine():
    assert engines.get_engine().name == "cpsat" and "cpsat" in engines.engine_names()
    engines.register(RestEverybody())
    try:
        p = Problem(start=MONDAY, days=7, agents=[AgentSpec(n) for n in "ABC"])
        res = engines.get_engine("lazy").solve(p)
        rep = check(p, res.roster)
        assert rep.hard_count > 0  # the checker catches a bad engine
        assert {v.family for v in rep.hard()} >= {"coverage_min", "rest_days"}
    finally:
        engines.unregister("lazy")
    with pytest.raises(UserError):
        engines.get_engine("lazy")
    with pytest.raises(UserError):
        engines.register(object())
