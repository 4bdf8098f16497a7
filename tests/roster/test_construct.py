"""A constructed start, one agent's line after another (issue 19 item 4; R-ROS-3 coverage soft,
every hard rule per agent).  Deterministic: small models solved to the end."""

from asx.roster import lns
from asx.roster.checker import check
from asx.roster.construct import construct, decomposable, one_agent
from asx.roster.model import AgentSpec, Cover, Problem, RuleSet
from asx.roster.nrp import read_nrp

from .conftest import MONDAY
from .test_lns import _instance


def _halves(days: int = 14) -> str:
    """Two agents who each work exactly half the days, one day shift with a target of one a day."""
    staff = [f"{n},D={days},{480 * days // 2},{480 * days // 2},{days},1,1,{days}" for n in "AB"]
    cover = [f"{i},D,1,100,1" for i in range(days)]
    return "\n".join(["SECTION_HORIZON", str(days), "SECTION_SHIFTS", "D,480,", "SECTION_STAFF", *staff,
                      "SECTION_COVER", *cover]) + "\n"


def test_each_line_sees_what_the_lines_before_it_left_uncovered():
    p = read_nrp(_halves())
    r = construct(p, seconds_each=5.0)
    rep = check(p, r)
    # A takes seven days; B, seeing those covered, takes the other seven: every day covered once
    assert rep.hard_count == 0 and rep.penalty == 0
    worked = {a: {i for i in range(p.days) if r.at(a, i) == "D"} for a in ("A", "B")}
    assert len(worked["A"]) == len(worked["B"]) == 7 and not worked["A"] & worked["B"]


def test_one_agent_problem_keeps_the_agents_own_rules_and_the_cover_left():
    p = read_nrp(_instance(staff=6, days=14, seed=5))
    sub = one_agent(p, "S0", {(0, "D"): 1})
    assert [a.name for a in sub.agents] == ["S0"]
    assert all(r.agent == "S0" for r in sub.requests) and set(sub.leave) <= {"S0"}
    full, left = p.cover(0, "D"), sub.cover(0, "D")
    assert left.target == max(0, full.target - 1) and left.under_weight == full.under_weight
    assert sub.cover(1, "D").target == p.cover(1, "D").target


def test_constructed_roster_keeps_every_hard_rule():
    p = read_nrp(_instance(staff=10, days=21, seed=11))
    r = construct(p, seconds_each=2.0)
    assert r is not None and check(p, r).hard_count == 0


def test_house_rules_are_not_decomposable():
    # R-ROS-3: the house minimum of one agent per shift is hard, so lines cannot be made one by one
    house = Problem(start=MONDAY, days=7, agents=[AgentSpec(f"a{k}") for k in range(4)], rules=RuleSet())
    assert not decomposable(house) and construct(house) is None
    soft = RuleSet(coverage={"D": Cover(target=2)})
    assert decomposable(Problem(start=MONDAY, days=7, agents=[AgentSpec("a")], rules=soft))
    assert decomposable(read_nrp(_halves()))
    # R-ROS-5: in a wrapped 3-week rotation an agent works another's line a week later
    rota = RuleSet(coverage={"D": Cover(target=2)}, cycle_weeks=3)
    team = [AgentSpec(f"a{k}") for k in range(3)]
    assert not decomposable(Problem(start=MONDAY, days=21, agents=team, rules=rota, wrap=True))
    assert decomposable(Problem(start=MONDAY, days=21, agents=team, rules=rota))


class _NoRoster:
    """What CP-SAT's first search returns when it has found no roster in its share of the time."""

    deterministic_time = 0.0
    best_objective_bound = 0.0
    objective_value = 0.0

    @staticmethod
    def status_name(_st) -> str:
        return "UNKNOWN"


def test_wall_clock_mode_starts_from_a_constructed_roster_when_cp_sat_has_none(monkeypatch):
    from asx.roster.solver import solve

    monkeypatch.setattr(lns, "_first", lambda b, *a, **k: (_NoRoster(), b.cp_model.UNKNOWN, []))
    p = read_nrp(_instance(staff=10, days=21, seed=11))
    res = solve(p, time_limit=30.0, workers=1, deterministic=False, max_dtime=2.0)
    assert res.roster is not None, res.status
    rep = check(p, res.roster)
    assert rep.hard_count == 0 and rep.penalty == res.objective
    assert res.stats["constructed"] >= res.objective  # the LNS started from it and never got worse


def test_no_constructed_start_under_house_rules(monkeypatch):
    from asx.roster.solver import solve

    monkeypatch.setattr(lns, "_first", lambda b, *a, **k: (_NoRoster(), b.cp_model.UNKNOWN, []))
    monkeypatch.setattr("asx.roster.construct.construct", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    house = Problem(start=MONDAY, days=7, agents=[AgentSpec(f"a{k}") for k in range(4)],
                    rules=RuleSet(cycle_weeks=0))
    res = solve(house, time_limit=5.0, workers=1, deterministic=False, max_dtime=1.0)
    assert res.roster is None and "constructed" not in res.stats


def test_cp_sat_searches_on_when_no_start_can_be_constructed(monkeypatch):
    from asx.roster.solver import solve

    real, calls = lns._first, []

    def first(b, *a, **k):  # the first call finds nothing in its share; the second is CP-SAT's own
        calls.append(a)
        return (_NoRoster(), b.cp_model.UNKNOWN, []) if len(calls) == 1 else real(b, *a, **k)

    monkeypatch.setattr(lns, "_first", first)
    monkeypatch.setattr("asx.roster.construct.construct", lambda *a, **k: None)  # e.g. lines too slow
    p = read_nrp(_instance(staff=10, days=21, seed=11))
    res = solve(p, time_limit=30.0, workers=1, deterministic=False, max_dtime=2.0)
    assert len(calls) == 2 and res.roster is not None and "constructed" not in res.stats
    assert check(p, res.roster).hard_count == 0
