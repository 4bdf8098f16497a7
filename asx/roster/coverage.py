"""Coverage of one day for the daily view (issue 11): each shift's minimum (R-ROS-3), the shifts
below it (R-ROS-7: the supervisor's responsibility) and who could be called in."""

from __future__ import annotations

from datetime import date

from asx.roster.days import monday, sunday
from asx.roster.problem import build_problem, calendar_days, rostered_team, ruleset, stored_roster


def minimum_cover(app, d: date) -> dict[str, int]:
    """R-ROS-3: each shift type's minimum on day ``d`` (date > holiday > 调休 > weekday > default)."""
    from asx.roster.model import Problem

    rules = ruleset(app)
    hol, work = calendar_days(app, d, d)
    p = Problem(start=monday(d), days=7, agents=[], rules=rules, holidays=hol, workdays=work)
    i = p.index(d)
    out = {}
    for s in p.shifts:
        c = p.cover(i, s.id)
        out[s.id] = c.min if c is not None else 0
    return out


def uncovered(app, d: date) -> list[dict]:
    """Shifts of day ``d`` with fewer agents at work than the minimum (R-ROS-3, R-ROS-7: the
    supervisor's responsibility). Nothing when no roster is stored for the day."""
    from asx.store import roster as roster_store

    rows = roster_store.days_on(app.store, d.isoformat())
    if not rows:
        return []
    have: dict[str, int] = {}
    for r in rows:
        if r["mark"] == "work" and r["shift"]:
            have[r["shift"]] = have.get(r["shift"], 0) + 1
    return [{"day": d.isoformat(), "shift": sid, "min": m, "have": have.get(sid, 0)}
            for sid, m in minimum_cover(app, d).items() if have.get(sid, 0) < m]


def cover_candidates_for(app, d: date, sid: str) -> list[tuple[str, str]]:
    """R-ROS-7 ranking of agents who could be called in to work shift ``sid`` on day ``d`` in
    addition to those rostered: same checks and order as the covers of a leave (no added hard
    violation, least added penalty, fewest moved cells). Agents already on it are left out."""
    from asx.roster.solver import cover_candidates

    first, last = monday(d), sunday(d)
    rules = ruleset(app)
    team = rostered_team(app, rules, first, last)
    problem = build_problem(app, first, last, rules=rules, team=team)
    previous = stored_roster(app, problem, absent=team.absent)
    return cover_candidates(problem, previous, changed_from=d, changed_to=d, slots=[(d, sid)]).get((d, sid), [])
