"""Leave repair (R-ROS-7): minimal changes, pinned days never move, covers ranked."""

from datetime import timedelta

import pytest

from asx.roster.checker import check
from asx.roster.model import LEAVE, AgentSpec, Problem
from asx.roster.solver import repair, solve

from .conftest import MONDAY


@pytest.fixture(scope="module")
def published():
    p = Problem(start=MONDAY, days=21, agents=[AgentSpec(n) for n in "ABCD"])
    res = solve(p, time_limit=2.0)
    assert res.roster is not None
    return p, res.roster


def _leave_day(roster, agent, first):
    for k in range(first, roster.days):
        d = MONDAY + timedelta(days=k)
        if roster.get(agent, d) not in (None, LEAVE):
            return d
    raise AssertionError("no working day")


def test_repair_changes_only_what_it_must(published):
    p, prev = published
    wed = MONDAY + timedelta(days=16)  # Wednesday of week 3
    night = next(a for a in "ABCD" if prev.get(a, wed) == "N")
    changed_from = MONDAY + timedelta(days=14)
    others = [a for a in "ABCD" if a != night]
    pinned = {(night, changed_from + timedelta(days=k)): prev.get(night, changed_from + timedelta(days=k))
              for k in range(2)}  # the night agent's Mon/Tue are published
    p2 = p.copy(leave={night: {wed}}, pinned=pinned)
    rr = repair(p2, prev, changed_from=changed_from, time_limit=3.0)
    res = rr.result
    assert res.roster is not None, res.explanation
    rep = check(p2, res.roster)
    assert rep.hard_count == 0 and rep.penalty == res.objective
    assert res.roster.get(night, wed) == LEAVE
    for (a, d), v in pinned.items():
        assert res.roster.get(a, d) == v  # pinned days never move
    for a in "ABCD":
        for k in range(14):
            d = MONDAY + timedelta(days=k)
            assert res.roster.get(a, d) == prev.get(a, d)  # before changed_from: untouched
    # minimal: the leave cell plus one agent taking the nights over for the rest of the
    # switch group (R-ROS-4 forbids a one-day swap mid-week); stage 1 proved the minimum
    assert res.status == "optimal"
    movers = {a for a, _d, _o, _n in rr.changes} - {night}
    assert len(movers) == 1
    assert len(rr.changes) == res.stats["min_changes"] + 1
    assert all(new == "N" for a, _d, _o, new in rr.changes if a in movers)
    # ranked covers for the lost night shift, best first, never the leave-taker
    cands = rr.cover_candidates[(wed, "N")]
    assert cands and {name for name, _why in cands} <= set(others)
    assert all("switch group" in why for _name, why in cands)


def test_no_new_leave_no_change(published):
    p, prev = published
    rr = repair(p, prev, changed_from=MONDAY + timedelta(days=7), time_limit=2.0)
    assert rr.changes == []
    assert rr.cover_candidates == {}


def test_published_week_that_blocks_every_cover_is_explained(published):
    p, prev = published
    wed = MONDAY + timedelta(days=16)
    night = next(a for a in "ABCD" if prev.get(a, wed) == "N")
    monday = MONDAY + timedelta(days=14)
    pinned = {(a, monday): prev.get(a, monday) for a in "ABCD"}  # all of Monday published
    rr = repair(p.copy(leave={night: {wed}}, pinned=pinned), prev, changed_from=monday, time_limit=2.0)
    assert rr.result.status == "infeasible" and rr.result.roster is None
    text = "\n".join(rr.result.explanation)
    assert "N) coverage on Wed 2026-12-16 needs 1" in text
    assert "R-ROS-4" in text and "R-ROS-5" in text and "R-ROS-7" in text
