"""CP-SAT solver on small teams (short deterministic limits)."""

from collections import Counter
from datetime import timedelta

import pytest

from asx.roster.checker import check
from asx.roster.model import AgentSpec, Cover, Family, Problem, RuleSet
from asx.roster.solver import solve

from .conftest import MONDAY

LIMIT = 1.5


def test_house_case_three_agents_rotate_nights(house3):
    # seed 001 工休管理: 3 agents, 6 on 1 off, D and N covered every day incl. rest days,
    # one agent on nights each week in rotation over the 3-week cycle (R-ROS-1..5).
    res = solve(house3, time_limit=LIMIT)
    assert res.status in ("optimal", "feasible"), res.explanation
    r = res.roster
    rep = check(house3, r)
    assert rep.hard_count == 0
    assert rep.penalty == res.objective
    for i, d in enumerate(house3.dates):
        cnt = Counter(r.get(a, d) for a in "ABC")
        assert cnt["D"] >= 1 and cnt["N"] >= 1, d  # R-ROS-3
    night_weeks = []
    for w in range(3):
        mid = [house3.start + timedelta(days=7 * w + k) for k in range(1, 5)]  # Tue..Fri
        owners = {a for a in "ABC" for d in mid if r.get(a, d) == "N"}
        assert len(owners) == 1, (w, owners)
        night_weeks.append(owners.pop())
    assert sorted(night_weeks) == ["A", "B", "C"]  # rotation
    nights = Counter(r.get(a, d) == "N" and a for a in "ABC" for d in house3.dates)
    assert nights["A"] == nights["B"] == nights["C"] == 7  # R-ROS-10


def test_same_input_same_roster(house3):
    a = solve(house3, time_limit=1.0, seed=3)
    b = solve(house3, time_limit=1.0, seed=3)
    assert a.roster.to_dict() == b.roster.to_dict()


def test_too_few_agents_is_explained_not_raised():
    p = Problem(start=MONDAY, days=21, agents=[AgentSpec("A"), AgentSpec("B")])
    res = solve(p, time_limit=LIMIT)
    assert res.status == "infeasible" and res.roster is None
    assert res.explanation and all(isinstance(x, str) for x in res.explanation)
    assert any("R-ROS-1" in x or "add an agent" in x for x in res.explanation), res.explanation


def test_conflicting_families_are_named():
    # 6 on 1 off every week can't keep runs of work to 5 days over a wrap-around cycle
    rules = RuleSet(max_consecutive_days=5)
    p = Problem(start=MONDAY, days=21, agents=[AgentSpec(n) for n in "ABCD"], rules=rules, wrap=True)
    res = solve(p, time_limit=LIMIT)
    assert res.status == "infeasible"
    text = " ".join(res.explanation)
    assert "consecutive" in text and "R-ROS-1" in text, res.explanation


def test_leave_and_holiday_respected():
    sat = MONDAY + timedelta(days=12)
    p = Problem(start=MONDAY, days=21, agents=[AgentSpec(n) for n in "ABCD"],
                leave={"B": {MONDAY + timedelta(days=k) for k in (8, 9)}}, holidays={sat, sat + timedelta(days=1)})
    res = solve(p, time_limit=LIMIT)
    assert res.status in ("optimal", "feasible")
    rep = check(p, res.roster)
    assert rep.hard_count == 0 and rep.penalty == res.objective
    assert res.roster.get("B", MONDAY + timedelta(days=8)) == "LEAVE"


def test_soft_rules_trade_off_and_roles_filter():
    rules = RuleSet(rostered_roles=("agent",), coverage={"D": Cover(min=1, target=2), "N": Cover(min=1, max=1)})
    agents = [AgentSpec(n) for n in "ABCD"] + [AgentSpec("S", role="supervisor")]
    p = Problem(start=MONDAY, days=14, agents=agents, rules=rules)
    res = solve(p, time_limit=LIMIT)
    assert res.roster is not None and "S" not in res.roster.agents
    assert check(p, res.roster).penalty == res.objective


def test_unknown_status_when_no_time():
    p = Problem(start=MONDAY, days=21, agents=[AgentSpec(f"A{k}") for k in range(6)])
    res = solve(p, time_limit=0.0001)
    assert res.status in ("unknown", "feasible", "optimal")
    if res.roster is not None:
        assert check(p, res.roster).hard_count == 0
    else:
        assert res.explanation


def test_day_level_explanation_names_families_and_day():
    # A is published on nights Monday and takes leave Wednesday; with a hard night
    # maximum nobody can take Wednesday's night without a mid-week switch (R-ROS-4)
    fam = dict(RuleSet().families)
    fam["coverage_max"] = Family(True, 10)
    wed = MONDAY + timedelta(days=2)
    p = Problem(start=MONDAY, days=7, agents=[AgentSpec(x) for x in "ABC"], rules=RuleSet(families=fam),
                leave={"A": {wed}}, pinned={("A", MONDAY): "N"}, use_cycle=False)
    res = solve(p, time_limit=LIMIT)
    assert res.status == "infeasible"
    line = next(x for x in res.explanation if "coverage on" in x)
    assert line.startswith("night (N) coverage on Wed 2026-12-02 needs 1")
    for rule in ("R-ROS-1", "R-ROS-4", "R-ROS-5"):
        assert rule in line
    assert line.endswith("add an agent or lower the N minimum")


def test_regenerate_with_previous_keeps_close(house3):
    first = solve(house3, time_limit=LIMIT).roster
    p = house3.copy(agents=house3.agents + [AgentSpec("D")], previous=first)  # R-ROS-5: an agent joins
    res = solve(p, time_limit=LIMIT)
    assert res.roster is not None and check(p, res.roster).hard_count == 0
    assert res.stats["template"] == "previous"
    kept = sum(res.roster.get(a, d) == first.get(a, d) for a in "ABC" for d in house3.dates)
    assert kept >= 0.8 * 63


class _SlowClock:
    """A machine under heavy load: every look at the clock finds 1000 s more gone."""

    def __init__(self):
        import time as real

        self._real = real
        self._t = real.perf_counter()

    def perf_counter(self):
        self._t += 1000.0
        return self._t

    def __getattr__(self, name):
        return getattr(self._real, name)


def test_budget_is_deterministic_time_not_wall_clock(house3, monkeypatch):
    # issue 19 item 7: the sample and the tests must not depend on machine load; a roster solve
    # stops on CP-SAT deterministic time only, so a slow wall clock finds the same roster (R-ROS-1..5).
    import asx.roster.solver as solver_mod

    calm = solve(house3, time_limit=1.0, seed=5)
    monkeypatch.setattr(solver_mod, "time", _SlowClock())
    loaded = solve(house3, time_limit=1.0, seed=5)
    assert loaded.status == calm.status and loaded.objective == calm.objective
    assert loaded.roster.to_dict() == calm.roster.to_dict()
    assert loaded.stats["deterministic"] is True
