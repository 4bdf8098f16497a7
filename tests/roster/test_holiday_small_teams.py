"""Small teams over the long holidays (issue 19 item 2, R-ROS-1, R-ROS-3, R-ROS-4, R-ROS-6).

A week whose non-holiday days all lie inside one switch group (R-ROS-4) cannot hold every weekly
rest (R-ROS-1) for a team smaller than the shift minimums plus one resting agent per shift type
(R-ROS-3); there a holiday rest counts as the weekly rest (setting
``holiday_rest_as_weekly_rest = auto``: R-ROS-6's "holiday rest is extra" gives way). Solver runs
are short and deterministic (seeded, deterministic time only)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from asx.roster.checker import check
from asx.roster.generate import holiday_rest_notes
from asx.roster.model import AgentSpec, Problem, RuleSet
from asx.roster.solver import solve


def _days(a: date, b: date) -> set[date]:
    return {a + timedelta(days=k) for k in range((b - a).days + 1)}


# 2026 from the holiday package (chinesecalendar); 2027 as configured dates ([calendar] holidays /
# workdays), assumed here because the State Council had not announced 2027 when this was written.
PERIODS = {
    "spring-2026": (date(2026, 2, 9), 3, _days(date(2026, 2, 15), date(2026, 2, 23)),
                    {date(2026, 2, 14), date(2026, 2, 28)}),
    "national-2026": (date(2026, 9, 28), 2, _days(date(2026, 10, 1), date(2026, 10, 7)), {date(2026, 10, 10)}),
    "spring-2027": (date(2027, 2, 1), 3, _days(date(2027, 2, 5), date(2027, 2, 11)), {date(2027, 2, 20)}),
    "national-2027": (date(2027, 9, 27), 2, _days(date(2027, 10, 1), date(2027, 10, 7)),
                      {date(2027, 9, 26), date(2027, 10, 9)}),
}


def _problem(period: str, team: int, mode: str = "auto") -> Problem:
    start, weeks, hol, work = PERIODS[period]
    rules = replace(RuleSet(), holiday_rest_as_weekly_rest=mode)
    return Problem(start=start, days=7 * weeks, agents=[AgentSpec(f"A{k}") for k in range(team)], rules=rules,
                   holidays={d for d in hol if start <= d < start + timedelta(days=7 * weeks)},
                   workdays={d for d in work if start <= d < start + timedelta(days=7 * weeks)})


def test_the_2026_periods_match_the_holiday_package():
    from asx.core.calendar import _package_data

    hol, work, _first, _last = _package_data()
    for name in ("spring-2026", "national-2026"):
        start, weeks, h, w = PERIODS[name]
        span = _days(start, start + timedelta(days=7 * weeks - 1))
        assert {d for d in hol if d in span} == h & span, name
        assert {d for d in work if d in span} == w & span, name


@pytest.mark.parametrize("period", sorted(PERIODS))
@pytest.mark.parametrize("team", [3, pytest.param(4, marks=pytest.mark.heavy), pytest.param(5, marks=pytest.mark.heavy)])
def test_small_team_is_rostered_over_the_holiday(period, team):
    p = _problem(period, team)
    res = solve(p, time_limit=1.0, seed=0, workers=1)
    assert res.status in ("optimal", "feasible"), (period, team, res.explanation)
    rep = check(p, res.roster)
    assert rep.hard_count == 0, [v.message for v in rep.hard()]
    for i, d in enumerate(p.dates):  # R-ROS-3: D and N every day, holidays included
        for sid in ("D", "N"):
            assert sum(1 for a in p.agents if res.roster.get(a.name, d) == sid) >= 1, (d, sid)
    for a in p.agents:  # R-ROS-1: one rest per week (a holiday rest counting where the note says so)
        for week in p.weeks():
            elig = p.rest_eligible(a, week)
            rests = [i for i in elig if res.roster.get(a.name, p.day(i)) is None]
            plain = [i for i in rests if not p.is_holiday(i)]
            assert len(rests) >= 1 and len(plain) <= 1, (a.name, p.day(week[0]))
    notes = holiday_rest_notes(p, p.start)
    if team == 3 and period.startswith("national"):
        # the week before 1 October: only Mon–Wed/Thu are left for the weekly rest, one switch group
        assert notes and "R-ROS-6 gives way" in notes[0] and "a team of 3" in notes[0]
    if team >= 4:  # big enough: only a week of holidays only lets the holiday rest count
        assert not any("a team of" in n for n in notes), notes


@pytest.mark.parametrize("period", ["national-2026", "national-2027"])
def test_never_refuses_a_team_of_three_and_explains(period):
    p = _problem(period, 3, mode="never")
    res = solve(p, time_limit=1.0, seed=0, workers=1)
    assert res.status == "infeasible" and res.roster is None
    assert any("R-ROS-1" in line for line in res.explanation)


@pytest.mark.parametrize("period", sorted(PERIODS))
def test_a_team_of_two_cannot_cover_two_shifts_and_is_told_why(period):
    # two agents for D and N every day leave no weekly rest at all (R-ROS-1 vs R-ROS-3), holiday or not
    res = solve(_problem(period, 2), time_limit=1.0, seed=0, workers=1)
    assert res.status == "infeasible" and res.roster is None
    assert any("R-ROS-1" in line and "add an agent" in line for line in res.explanation), res.explanation


def test_a_larger_team_whose_plain_days_cannot_hold_every_weekly_rest():
    # twelve agents, nine on duty every day (D 6, N 3): after Spring Festival 2027 (5–11 February) only
    # Fri–Sun of the week of 8 February are not holidays, with room for 3 × 3 = 9 rests beside the
    # minimums (R-ROS-3) and 12 weekly rests owed (R-ROS-1). "auto" lets a holiday rest count there
    # (R-ROS-6 gives way); before, the whole cycle was "no roster" (the 12-agent chain of stop 25)
    from asx.roster.model import Cover

    def problem(mode):
        p = _problem("spring-2027", 12, mode)
        return replace(p, rules=replace(p.rules, coverage={"D": Cover(min=6), "N": Cover(min=3, max=5)}))

    p = problem("auto")
    assert [p.rest_room_week(w) for w in p.weeks()] == [None, (12, 9), None]
    assert [p.holiday_rest_counts(w) for w in p.weeks()] == [False, True, False]
    res = solve(p, time_limit=2.0, seed=0, workers=1)
    assert res.roster is not None, res.explanation
    assert check(p, res.roster).hard_count == 0
    notes = holiday_rest_notes(p, p.start)
    assert len(notes) == 1 and notes[0].startswith("week of 2027-02-08") and "room for 9 rest(s)" in notes[0], notes
    never = solve(problem("never"), time_limit=2.0, seed=0, workers=1)
    assert never.roster is None and any("R-ROS-1" in line for line in never.explanation), never.explanation
