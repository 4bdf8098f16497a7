"""Regenerate the roster when the team changes (R-ROS-5): re-plan from the next switch day
(R-ROS-4) for the current team, keeping published days and every day before the switch day."""

from __future__ import annotations

from datetime import date, timedelta

from asx.roster.cells import cell_value
from asx.roster.days import day_range, monday, parse_day, stored_extent, sunday
from asx.roster.generate import GenerateOutcome, generate
from asx.roster.problem import rostered_team, ruleset, run_setting


def next_switch_day(app, after: date, rules=None) -> date:
    from asx.roster.model import WEEKDAYS

    rules = rules or ruleset(app)
    sw = set(rules.switch_days) or {"mon"}
    d = after + timedelta(days=1)
    while WEEKDAYS[d.weekday()] not in sw:
        d += timedelta(days=1)
    return d


def regenerate(app, *, after: date | None = None, weeks: int | None = None, seed: int | None = None,
               time_limit: float | None = None, by: str | None = None, dry_run: bool = False) -> GenerateOutcome:
    """Re-plan from the next switch day (R-ROS-4/5) for the current team, keeping published days
    and every day before the switch day."""
    from asx.store import roster as roster_store

    rules = ruleset(app)
    today = app.now().date()
    base = after or today
    lp = parse_day(roster_store.last_published(app.store))
    if lp and lp > base:
        base = lp
    switch = next_switch_day(app, base, rules)
    start = monday(switch)
    lo, hi = stored_extent(app)
    weeks = weeks if weeks is not None else run_setting(app, "weeks")
    last = start + timedelta(days=7 * weeks - 1)
    if hi and hi > last:
        last = sunday(hi)
    team = rostered_team(app, rules, start, last)
    pins = {}
    present = set(team.names)
    for r in roster_store.days_between(app.store, start.isoformat(), (switch - timedelta(days=1)).isoformat()):
        d = parse_day(r["day"])
        if r["agent"] in present and d not in team.absent.get(r["agent"], ()):
            pins[(r["agent"], d)] = cell_value(r)
    # a new agent starts on the switch day; days before it are not theirs
    stored_before = {r["agent"] for r in roster_store.days_between(app.store, start.isoformat(),
                                                                   (switch - timedelta(days=1)).isoformat())}
    if stored_before:
        for n in team.names:
            if n not in stored_before:
                team.absent.setdefault(n, set()).update(day_range(start, switch - timedelta(days=1)))
    out = generate(app, start, weeks, seed=seed, time_limit=time_limit, by=by, extra_pins=pins, team=team, last=last,
                   kind="regenerate", dry_run=dry_run, keep_until=switch)
    out.notes.append(f"regenerated from {switch} (the next switch day); days before it and published days kept")
    return out
