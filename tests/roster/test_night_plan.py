"""Night runs taken in queue order (asx.roster.night_plan; issue 19 item 3, R-ROS-4, R-ROS-10).

The same 18-agent chain as test_turns_chain, solved with ``plan_nights`` on: each switch group's
night agents are the next segment of the night queue, so after every cycle the runs of nights
(turns) differ by at most one — nobody takes a second run before everyone has had one."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

from asx.roster import night_plan
from asx.roster.checker import check
from asx.roster.model import AgentSpec, Problem
from asx.roster.solver import by_turns, lay_over, solve

from tests.roster.test_turns_chain import NAMES, RULES, START, _runs, chain

PLAN = replace(RULES, plan_nights=True)  # the default
OFF = replace(RULES, plan_nights=False)


def _chain(cycles: int, rules=PLAN):
    return chain(cycles, rules)


def _template(p: Problem):
    """The cycle's lines laid over ``p`` and handed out by turns: what the plan starts from."""
    return by_turns(lay_over(solve(p.cycle_problem(), time_limit=0.5, seed=0, workers=1).roster, p), p)


def test_turns_stay_within_one_cycle_after_cycle():
    seq, turns_after, plans = _chain(3)
    assert all(s in ("optimal", "feasible") for s in plans), plans  # solved on the plan, no fallback
    for c, turns in enumerate(turns_after, 1):
        assert max(turns.values()) - min(turns.values()) <= 1, (c, sorted(turns.values()))
    assert max(max(_runs(s), default=0) for s in seq.values()) <= 8  # a run is a week of nights


def test_the_plan_follows_the_queue_and_off_means_the_lines_as_handed_out():
    p = Problem(start=START, days=21, rules=PLAN, agents=[AgentSpec(a) for a in NAMES])
    res = solve(p, time_limit=2.0, seed=0, workers=1)
    plan = night_plan.make(p, _template(p))
    assert plan is not None and not any(plan.loose)
    # segments follow each other along the queue: the first week's night agents head the queue
    members = plan.members(res.roster, p)
    queue = list(dict.fromkeys(plan.queue))
    assert members[0] == set(queue[:len(members[0])])
    assert members[1] == set(queue[len(members[0]):len(members[0]) + len(members[1])])
    # a Saturday night belongs to a run next to it (never a lone run)
    for i, (before, after) in plan.single.items():
        on = {a for a in NAMES if res.roster.at(a, i) == "N"}
        assert on <= members[before] | (members[after] if after is not None else set())
    # off (roster.plan_nights = false): the cycle's lines as handed out, no plan
    off = solve(replace(p, rules=OFF), time_limit=2.0, seed=0, workers=1)
    assert "night_plan" not in off.stats and "night_plan" in res.stats


def test_the_same_roster_whatever_the_hash_seed():
    code = ("from tests.roster.test_night_plan import _chain; import hashlib, json;"
            "print(hashlib.sha256(json.dumps(_chain(1)[0]).encode()).hexdigest())")
    out = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(out) == 1, out


def test_the_last_sunday_opens_no_more_runs_than_next_week_can_carry():
    # the last day's night agents stay on nights all next week (R-ROS-4): even when everybody asks
    # for that night, it gets the night minimum plus one in six (4 + 1), within the maximum (6);
    # more would leave the next cycle's first week without its day shift
    from asx.roster.model import Request

    p = Problem(start=START, days=21, rules=PLAN, agents=[AgentSpec(a) for a in NAMES],
                requests=[Request(a, START + timedelta(days=20), "N", True, weight=1000) for a in NAMES])
    res = solve(p, time_limit=2.0, seed=0, workers=1)
    assert res.stats["night_plan"] in ("optimal", "feasible")
    assert sum(1 for a in NAMES if res.roster.at(a, 20) == "N") == 5
    off = solve(replace(p, rules=OFF), time_limit=2.0, seed=0, workers=1)
    assert sum(1 for a in NAMES if off.roster.at(a, 20) == "N") > 5  # the cap is the plan's


def test_a_plan_that_leaves_next_week_impossible_is_not_kept():
    # three agents, one day and one night agent a day (R-ROS-3): if all three work the night on the
    # last Sunday, R-ROS-4 keeps them on nights to Friday and next Monday has no day agent
    from asx.roster.model import Cover, Roster, RuleSet

    names = ["A", "B", "C"]
    p = Problem(start=START, days=7, agents=[AgentSpec(a) for a in names],
                rules=RuleSet(coverage={"D": Cover(min=1), "N": Cover(min=1, max=3)}))
    week = {"A": ["D", "D", "D", None, "D", "D", "N"], "B": [None, "N", "N", "N", "N", "N", "N"],
            "C": ["N", "N", "N", "N", "N", None, "N"]}  # a valid week: one rest each, one type a group
    r = Roster(START, 7, tuple(names))
    for a, cells in week.items():
        for i, v in enumerate(cells):
            r.cells[(a, START + timedelta(days=i))] = v
    assert not night_plan.carries_on(p, r)
    r.cells[("A", START + timedelta(days=6))] = "D"  # two on nights: A has to rest some day, no day agent then
    assert not night_plan.carries_on(p, r)
    for i, v in enumerate(["D", "D", "D", "D", "D", "D", None]):  # one night agent goes on; A, B take the days
        r.cells[("B", START + timedelta(days=i))] = v
    assert night_plan.carries_on(p, r)


def test_holiday_rests_go_round_within_one():
    # New Year 2027 (Fri Jan 1 – Sun Jan 3, as configured dates; R-ROS-6): holiday rests are taken
    # in rotation, every agent's count within one of the fewest
    from datetime import date

    start = date(2026, 12, 21)
    p = Problem(start=start, days=21, rules=PLAN, agents=[AgentSpec(a) for a in NAMES],
                holidays={date(2027, 1, d) for d in range(1, 4)})
    res = solve(p, time_limit=2.0, seed=0, workers=1)
    assert res.stats["night_plan"] in ("optimal", "feasible") and check(p, res.roster).hard_count == 0
    rests = [sum(1 for i in range(21) if p.is_holiday(i) and res.roster.at(a, i) is None) for a in NAMES]
    assert max(rests) - min(rests) <= 1, sorted(rests)


def test_after_a_dead_end_the_last_sundays_night_agents_can_work_on():
    # the retry after a dead end (stats "dead end, then …"): whoever opens a run on the last Sunday
    # rested on the Friday or Saturday before, so Sunday to Friday stays within 7 days in a row
    from asx.roster.solver import _solve_direct

    p = Problem(start=START, days=21, rules=PLAN, agents=[AgentSpec(a) for a in NAMES])
    tpl = _template(p)

    def late_runs(carry: bool) -> list[str]:
        plan = night_plan.make(p, tpl)
        plan.carry = carry
        res = _solve_direct(p, time_limit=2.0, seed=0, workers=1, deterministic=True, template=plan.template, plan=plan)
        assert check(p, res.roster).hard_count == 0
        return [a for a in NAMES if res.roster.at(a, 20) == "N" and res.roster.at(a, 18) and res.roster.at(a, 19)]

    assert late_runs(True) == []
    assert late_runs(False)  # without it the plan does not care (the dead ends it makes)
