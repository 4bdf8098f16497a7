"""The rules allow weekend rests shared exactly (issue 19 item 3, R-ROS-10): the hand-built 4-week
rotation of ``benchmarks/roster_solve.py`` passes the independent checker with no penalty, and one
rest moved a day earlier breaks the seven-days-in-a-row limit there (family `max_consecutive`)."""

import sys
from pathlib import Path

from asx.roster.checker import check

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import roster_solve  # noqa: E402


def _weekend_rests(p, r):
    return sorted(sum(1 for i in range(p.days) if p.is_weekend(i) and r.at(a, i) is None) for a in r.agents)


def test_reference_rotation_is_clean_and_even():
    p, r = roster_solve.reference(8, weeks=12)
    rep = check(p, r)
    assert rep.hard_count == 0 and rep.penalty == 0, rep.by_family()
    assert _weekend_rests(p, r) == [3] * 8
    nights = {sum(1 for i in range(p.days) if r.at(a, i) == "N") for a in r.agents}
    assert nights == {21}


def test_a_rest_a_day_earlier_breaks_the_limit(monkeypatch):
    monkeypatch.setattr(roster_solve, "REFERENCE_WEEKS", ("DDDD-NN", "NNNNN-D", "D-DDDDD", "DDD-DDD"))
    p, r = roster_solve.reference(8, weeks=12)
    rep = check(p, r)
    assert rep.hard_count > 0
    assert {v.family for v in rep.violations if v.hard} == {"max_consecutive"}
