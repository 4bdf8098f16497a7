from datetime import date

import pytest

from asx.core.errors import UserError
from asx.roster.model import LEAVE, AgentSpec, Cover, Family, Problem, Roster, RuleSet, Segment

from .conftest import MONDAY


def test_defaults_are_the_house_rules():
    r = RuleSet()
    d, n = r.shifts
    assert (d.id, d.label_zh, [str(s) for s in d.segments], d.work_minutes) == ("D", "白班", ["08:30-17:30"], 540)
    assert (n.id, n.kind, [str(s) for s in n.segments]) == ("N", "night", ["10:00-14:00", "17:30-23:00"])  # R-ROS-2
    assert r.coverage["D"].min == 1 and r.coverage["N"].min == 1  # R-ROS-3
    assert r.rest_days_per_week == 1 and r.switch_days == ("sat", "sun") and r.cycle_weeks == 3
    assert r.family("rest_days").hard and not r.family("min_rest").hard and not r.family("events").hard
    assert r.events[0].weekday == "mon"  # R-ROS-8


def test_from_settings_round_trip_and_overrides():
    assert RuleSet.from_settings({}) == RuleSet()
    assert RuleSet.from_settings(RuleSet.default_settings()) == RuleSet()
    r = RuleSet.from_settings({
        "cycle_weeks": 2,
        "switch_days": ["sun"],
        "shifts": {"E": {"segments": ["22:00-06:00"], "label_zh": "夜"}},
        "coverage": {"E": {"min": 2, "target": 3}},
        "coverage_weekday": {"sun": {"E": {"min": 1}}},
        "coverage_dates": {"2026-12-25": {"E": {"min": 0}}},
        "monday_meeting": "",
        "min_rest_hours": 0,
        "families": {"min_rest": {"hard": True}},
        "limits": [{"what": "kind:day", "period": "week", "max": 5}],
        "time_limit": 5,
    })
    assert r.cycle_weeks == 2 and r.switch_days == ("sun",) and r.events == () and r.min_rest_minutes is None
    assert r.shifts[0].segments == (Segment(22 * 60, 30 * 60),)  # overnight
    assert r.coverage == {"E": Cover(min=2, target=3)}
    assert r.coverage_dates == {date(2026, 12, 25): {"E": Cover(min=0)}}
    assert r.family("min_rest") == Family(True, 20)
    assert r.limits[0].key == "kind:day/week"


@pytest.mark.parametrize("bad", [
    {"nonsense": 1},
    {"families": {"nope": {"hard": True}}},
    {"switch_days": ["someday"]},
    {"coverage": {"X": {"min": 1}}},
    {"shifts": {"D": {"segments": ["8:30"]}}},
    {"forbidden_transitions": [["N", "Q"]]},
])
def test_bad_settings_are_user_errors(bad):
    with pytest.raises(UserError):
        RuleSet.from_settings(bad)


def test_problem_validation_and_cover_lookup():
    with pytest.raises(UserError):
        Problem(start=date(2026, 12, 1), days=7, agents=[])  # not a Monday
    with pytest.raises(UserError):
        Problem(start=MONDAY, days=7, agents=[AgentSpec("A"), AgentSpec("A")])
    sat = date(2026, 12, 5)
    rules = RuleSet(coverage_weekday={"sat": {"D": Cover(min=2)}}, coverage_holiday={"D": Cover(min=3)},
                    coverage_dates={sat: {"D": Cover(min=4)}})
    p = Problem(start=MONDAY, days=14, agents=[AgentSpec("A")], rules=rules, holidays={date(2026, 12, 11)})
    assert [p.cover(i, "D").min for i in (0, 5, 12)] == [1, 4, 2]
    assert p.cover(11, "D").min == 3  # holiday beats weekday


def test_switch_groups_wrap():
    p = Problem(start=MONDAY, days=14, agents=[], wrap=True)
    groups = p.switch_groups()
    assert [5] in groups and [12] in groups
    assert [6, 7, 8, 9, 10, 11] in groups and [13, 0, 1, 2, 3, 4] in groups
    p = Problem(start=MONDAY, days=14, agents=[])
    assert p.switch_groups()[0] == [0, 1, 2, 3, 4]


def test_roster_rows_are_stable():
    r = Roster(MONDAY, 2, ("B", "A"))
    r.set("B", MONDAY, "D")
    r.set("A", MONDAY, LEAVE)
    rows = r.to_rows()
    assert [(x["date"], x["agent"], x["shift"], x["status"]) for x in rows] == [
        ("2026-11-30", "B", "D", "work"), ("2026-11-30", "A", "", "leave"),
        ("2026-12-01", "B", "", "rest"), ("2026-12-01", "A", "", "rest")]
    assert Roster.from_dict(r.to_dict()) == r
    assert r.grid()[1] == ["B", "D", "-"]
