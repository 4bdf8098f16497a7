"""Property: for random teams, leave and holidays the engine returns a roster
that passes the independent checker, or says why it can't — never a roster
that breaks a hard rule (R-ROS-1..10)."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asx.roster.checker import check
from asx.roster.engines import get_engine
from asx.roster.model import AgentSpec, Cover, Problem, RuleSet

from .conftest import MONDAY


@st.composite
def problems(draw):
    n = draw(st.integers(2, 40))
    weeks = draw(st.integers(1, 3))
    days = 7 * weeks
    agents = [AgentSpec(f"a{k:02d}") for k in range(n)]
    leave: dict[str, set] = {}
    for _ in range(draw(st.integers(0, min(6, n)))):
        who = draw(st.sampled_from(agents)).name
        first = draw(st.integers(0, days - 1))
        length = draw(st.integers(1, 4))
        leave.setdefault(who, set()).update(MONDAY + timedelta(days=d) for d in range(first, min(days, first + length)))
    holidays = {MONDAY + timedelta(days=d) for d in draw(st.sets(st.integers(0, days - 1), max_size=3))}
    dmin = draw(st.integers(1, max(1, n // 3)))
    nmin = draw(st.integers(1, max(1, n // 4)))
    rules = RuleSet(
        coverage={"D": Cover(min=dmin), "N": Cover(min=nmin, max=nmin + draw(st.integers(0, 2)))},
        switch_days=draw(st.sampled_from([("sat", "sun"), ("sun",), ()])),
        max_consecutive_days=draw(st.sampled_from([None, 6, 7, 10])),
        cycle_weeks=draw(st.sampled_from([0, 1, 3])),
    )
    return Problem(start=MONDAY, days=days, agents=agents, rules=rules, leave=leave, holidays=holidays)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.integers(0, 3))
def test_every_roster_passes_the_checker(problem, seed):
    res = get_engine("cpsat").solve(problem, time_limit=0.4, seed=seed, workers=2)
    if res.roster is None:
        assert res.status in ("infeasible", "unknown")
        assert res.explanation and all(isinstance(x, str) and x for x in res.explanation)
        return
    rep = check(problem, res.roster)
    assert rep.hard_count == 0, rep.hard()[:5]
    assert rep.penalty == res.objective
    assert set(res.roster.agents) == {a.name for a in problem.agents}
