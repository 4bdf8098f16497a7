"""Regenerate the roster when the team changes (R-ROS-5): re-plan from the next switch day
(R-ROS-4) for the current team, keeping published days and every day before the switch day.

The kept days before the switch day may lose their agent (one who left or retired): each shift
that falls below its minimum (R-ROS-3) is repaired inside the rules with a cover (R-ROS-7: the
fewest changed days, R-ROS-1..4 kept for the covering agent), published days included; a shift
no cover can fill inside the rules is named as uncovered, the supervisor's to settle."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from asx.roster.cells import cell_value
from asx.roster.days import day_range, monday, parse_day, stored_extent, sunday
from asx.roster.generate import GenerateOutcome, generate
from asx.roster.problem import (Team, build_problem, engine, relax_context, rostered_team, ruleset, run_setting,
                                stored_roster, with_context)


@dataclass
class KeptDaysRepair:
    """What the cover repair of the kept days did (R-ROS-7)."""

    cells: dict = field(default_factory=dict)  # (agent, day) -> value for the kept days from ``changed_from``
    touched: set = field(default_factory=set)  # (agent, day) whose stored cell changes (published or not)
    covers: dict = field(default_factory=dict)  # (day, shift) -> agent now covering it
    uncovered: list = field(default_factory=list)  # (day, shift) below the minimum after the repair


def _holes(problem, roster, first: date, last: date) -> list[tuple[date, str]]:
    """(day, shift) in [first, last] where ``roster`` is below the coverage minimum (R-ROS-3)."""
    out = []
    for d in day_range(first, last):
        i = problem.index(d)
        for sh in problem.shifts:
            c = problem.cover(i, sh.id)
            if c is None or c.min <= 0:
                continue
            have = sum(1 for a in problem.rostered() if roster.get(a.name, d) == sh.id)
            if have < c.min:
                out.append((d, sh.id))
    return out


def _with_min_zero(problem, holes) -> object:
    cov = {d: dict(t) for d, t in problem.rules.coverage_dates.items()}
    for d, sid in holes:
        c = problem.cover(problem.index(d), sid)
        cov.setdefault(d, {})[sid] = replace(c, min=0)
    return problem.copy(rules=replace(problem.rules, coverage_dates=cov))


def repair_kept_days(app, rules, team: Team, start: date, switch: date, today: date, *, time_limit: float,
                     seed: int, workers: int) -> KeptDaysRepair | None:
    """Cover the kept days [start, switch) that the current team leaves below a minimum (R-ROS-3, R-ROS-7).

    None when nothing is missing. Days before today are history: a hole there is only reported.
    Each hole is covered with the fewest changed days that keep every hard rule for the covering
    agent (R-ROS-1..4); holes no cover can fill stay (their minimum relaxed) and are reported."""
    from asx.roster.model import LEAVE

    end = switch - timedelta(days=1)
    if end < start:
        return None
    t = Team(list(team.specs), {n: set(ds) for n, ds in team.absent.items()})
    p_first, ctx = with_context(app, t, start)
    changed_from = max(start, today)
    problem = build_problem(app, p_first, end, rules=relax_context(rules, p_first, start), team=t,
                            pin_published=False, extra_pins=ctx)
    if not problem.rostered():
        return None
    previous = stored_roster(app, problem)
    holes = _holes(problem, previous, start, end)
    if not holes:
        return None
    out = KeptDaysRepair()
    history_holes = [h for h in holes if h[0] < changed_from]
    fixable = [h for h in holes if h[0] >= changed_from]
    # from changed_from on the repair may change any day of the current team, published or not
    problem = problem.copy(pinned={}, rules=relax_context(problem.rules, p_first, changed_from))
    eng = engine(app)

    def attempt(relaxed):
        p = _with_min_zero(problem, relaxed) if relaxed else problem
        r = eng.repair(p, previous, changed_from=changed_from, time_limit=time_limit, seed=seed, workers=workers)
        ok = r.result.status in ("optimal", "feasible") and r.result.roster is not None
        return r.result.roster if ok else None

    roster, relaxed = None, list(fixable)
    if fixable:
        roster = attempt([])
        if roster is not None:
            relaxed = []
        else:
            roster = attempt(relaxed)
            if roster is not None:  # greedy: cover every hole that can still be covered inside the rules
                for h in list(fixable):
                    trial = [x for x in relaxed if x != h]
                    r2 = attempt(trial)
                    if r2 is not None:
                        relaxed, roster = trial, r2
    if roster is None:
        roster = previous
    names = [a.name for a in problem.rostered()]
    for n in names:
        for d in day_range(changed_from, end):
            v = roster.get(n, d)
            if v == LEAVE:
                continue
            out.cells[(n, d)] = v
            if v != previous.get(n, d):
                out.touched.add((n, d))
    for d, sid in fixable:
        new = [n for n in names if roster.get(n, d) == sid and previous.get(n, d) != sid]
        if new:
            out.covers[(d, sid)] = new[0]
    out.uncovered = sorted(history_holes + _holes(problem, roster, changed_from, end))
    return out


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
    fixed = repair_kept_days(app, rules, team, start, switch, today,
                             time_limit=float(run_setting(app, "time_limit", time_limit)),
                             seed=int(run_setting(app, "seed", seed)), workers=int(run_setting(app, "workers")))
    touched: set = set()
    if fixed is not None:
        pins.update(fixed.cells)
        touched = fixed.touched
    out = generate(app, start, weeks, seed=seed, time_limit=time_limit, by=by, extra_pins=pins, team=team, last=last,
                   kind="regenerate", dry_run=dry_run, keep_until=switch, touch_published=touched,
                   cover_cells=touched)
    out.notes.append(f"regenerated from {switch} (the next switch day); days before it and published days kept")
    if fixed is not None:
        for (d, sid), who in sorted(fixed.covers.items()):
            out.notes.append(f"{sid} on {d}: {who} covers it (R-ROS-7, inside R-ROS-1..4)")
        out.uncovered = list(fixed.uncovered)
    return out
