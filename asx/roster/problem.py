"""From the workspace to the roster engine (R-ROS): the ``[roster]`` settings as a
:class:`~asx.roster.model.RuleSet`, the installed engines, the rostered team, the Chinese holiday
calendar (``app.calendar``), recorded leave, published days and the year's fairness history, put
together as a :class:`~asx.roster.model.Problem` — and the stored days as a
:class:`~asx.roster.model.Roster`. What every roster use case (generate, leave, check, …) starts
from. All SQL is in :mod:`asx.store.roster`; OR-Tools is only imported by the engine when it solves.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Iterable

from asx.core.errors import UserError
from asx.roster.cells import cell_value
from asx.roster.days import day_range, monday, parse_day
from asx.roster.model import Cover


# --- settings and engines --------------------------------------------------------------------

def settings_dict(app) -> dict[str, Any]:
    """The ``[roster]`` rule settings as a plain dict for ``RuleSet.from_settings``."""
    from asx.roster.model import RuleSet

    out = {}
    for key in RuleSet.default_settings():
        out[key] = app.config.get(f"roster.{key}")
    return out


def ruleset(app):
    from asx.roster.model import RuleSet

    return RuleSet.from_settings(settings_dict(app))


def run_setting(app, key: str, given=None):
    if given is not None:
        return given
    return app.config.get(f"roster.{key}")


def engines(plugins) -> dict[str, Any]:
    """Engines registered through ``register_roster_engines`` (of ``plugins``, ``app.plugins``) or
    ``asx.roster.engines.register``."""
    from asx.roster import engines as registry

    out: dict[str, Any] = {n: registry.get_engine(n) for n in registry.engine_names()}
    for a, kw in plugins.roster_engines():
        eng = a[0] if a else kw.get("engine")
        out[eng.name] = eng
    return out


def engine(app, name: str | None = None):
    name = name or app.config.get("roster.engine")
    found = engines(app.plugins)
    if name not in found:
        raise UserError(f"unknown roster engine {name!r}; installed: {', '.join(sorted(found)) or 'none'}")
    return found[name]


# --- the team, the calendar, leave -------------------------------------------------------------

@dataclass
class Team:
    specs: list  # AgentSpec, in agents-table order
    absent: dict[str, set[date]] = field(default_factory=dict)  # days outside employment

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.specs]


def rostered_team(app, rules, first: date, last: date, *, extra: Iterable[str] = ()) -> Team:
    """Rostered agents (role in ``rostered_roles``) employed at some day of [first, last].

    ``extra`` names agents that must be included whatever their role (they have stored days)."""
    from asx.roster.model import AgentSpec
    from asx.store import agents as agents_store

    extra = set(extra)
    specs, absent = [], {}
    days = day_range(first, last)
    for r in agents_store.list_agents(app.store, include_retired=True):
        rostered = r["role"] in rules.rostered_roles
        if not rostered and r["name"] not in extra:
            continue
        joined = parse_day(r["joined_on"]) if r["joined_on"] else None
        left = parse_day(r["left_on"]) if r["left_on"] else None
        if not r["active"] and left is None and r["name"] not in extra:
            continue
        if (joined and joined > last) or (left and left < first):
            if r["name"] not in extra:
                continue
        role = r["role"] if rostered else rules.rostered_roles[0]
        specs.append(AgentSpec(r["name"], role=role))
        off = {d for d in days if (joined and d < joined) or (left and d > left)}
        if off:
            absent[r["name"]] = off
    return Team(specs, absent)


def calendar_days(app, first: date, last: date) -> tuple[set[date], set[date]]:
    """Public holidays and 调休 make-up workdays (a Saturday or Sunday that is worked) in range."""
    cal = app.calendar
    hol, work = set(), set()
    for d in day_range(first, last):
        if cal.is_holiday(d):
            hol.add(d)
        elif d.weekday() >= 5 and cal.is_working_day(d):
            work.add(d)
    return hol, work


def leave_days(app, first: date, last: date) -> dict[str, set[date]]:
    from asx.store import roster as roster_store

    out: dict[str, set[date]] = {}
    for lv in roster_store.leaves(app.store, first.isoformat(), last.isoformat()):
        a, b = max(first, parse_day(lv["from_day"])), min(last, parse_day(lv["to_day"]))
        out.setdefault(lv["agent"], set()).update(day_range(a, b))
    return out


def history(app, rules, names: list[str], start: date) -> dict[str, dict[str, int]]:
    """Fairness counters of the year so far, before ``start`` (R-ROS-10, R-ROS-6)."""
    from asx.store import roster as roster_store

    since = date(start.year, 1, 1)
    if since >= start:
        return {}
    kinds = {s.id: s.kind for s in rules.shifts}
    hol, work = calendar_days(app, since, start - timedelta(days=1))
    out: dict[str, dict[str, int]] = {n: {"nights": 0, "weekend_rests": 0, "holiday_rests": 0} for n in names}
    prev: dict[str, str] = {}
    for r in sorted(roster_store.counts_before(app.store, start.isoformat(), since.isoformat()),
                    key=lambda r: r["day"]):
        h = out.get(r["agent"])
        if h is None:
            continue
        d = parse_day(r["day"])
        if r["mark"] == "work":
            is_night = kinds.get(r["shift"]) == "night"
            if is_night:
                h["nights"] += 1
                h["last_night"] = d.toordinal()
                if prev.get(r["agent"]) != "N":  # a run of nights (turn, R-ROS-4/10): rests don't end it
                    h["night_turns"] = h.get("night_turns", 0) + 1
            prev[r["agent"]] = "N" if is_night else "D"
            h["night_open"] = int(is_night and d == start - timedelta(days=1))
        elif r["mark"] in ("rest", "holiday"):
            if d.weekday() >= 5 and d not in work:
                h["weekend_rests"] += 1
            if d in hol:
                h["holiday_rests"] += 1
    return {n: h for n, h in out.items() if any(h.values())}


def build_problem(app, first: date, last: date, *, rules=None, pin_published: bool = True,
                  extra_pins: dict | None = None, extra_leave: dict[str, set[date]] | None = None,
                  team: Team | None = None, with_history: bool = True):
    """A Problem for [first, last] (first must be a Monday) from the workspace."""
    from asx.roster.model import LEAVE, Problem
    from asx.store import roster as roster_store

    rules = rules or ruleset(app)
    if first.weekday() != 0:
        raise UserError(f"a roster starts on a Monday; {first} is a {first.strftime('%A')} "
                        f"(try {monday(first)})")
    team = team or rostered_team(app, rules, first, last)
    names = set(team.names)
    hol, work = calendar_days(app, first, last)
    leave = {n: set(ds) for n, ds in leave_days(app, first, last).items() if n in names}
    for n, ds in (extra_leave or {}).items():
        leave.setdefault(n, set()).update(d for d in ds if first <= d <= last)
    for n, ds in team.absent.items():
        leave.setdefault(n, set()).update(ds)
    pinned: dict = {}
    if pin_published:
        for r in roster_store.days_between(app.store, first.isoformat(), last.isoformat(), team.names):
            if not r["published"]:
                continue
            d = parse_day(r["day"])
            v = cell_value(r)
            if d in leave.get(r["agent"], ()) and v not in (None, LEAVE):
                continue  # the agent is away: the published shift needs a cover (R-ROS-7)
            if v == LEAVE and d not in leave.get(r["agent"], ()):
                v = None
            pinned[(r["agent"], d)] = v
    for (n, d), v in (extra_pins or {}).items():
        if n in names and first <= d <= last:
            pinned[(n, d)] = v
    if with_history:
        hist = history(app, rules, team.names, first)
        for a in team.specs:
            if a.name in hist:
                a.history = dict(hist[a.name])
    return Problem(start=first, days=(last - first).days + 1, agents=team.specs, rules=rules, holidays=hol,
                   workdays=work, leave={n: ds for n, ds in leave.items() if ds}, pinned=pinned)


def stored_roster(app, problem, *, absent: dict[str, set[date]] | None = None):
    """The stored days of ``problem``'s horizon as a Roster (missing cells of absent days = LEAVE)."""
    from asx.roster.model import LEAVE, Roster
    from asx.store import roster as roster_store

    names = [a.name for a in problem.rostered()]
    r = Roster(problem.start, problem.days, tuple(names))
    for n in names:
        for d in problem.dates:
            if problem.on_leave(n, problem.index(d)):
                r.cells[(n, d)] = LEAVE
            else:
                r.cells[(n, d)] = None
    for row in roster_store.days_between(app.store, problem.start.isoformat(), problem.end.isoformat(), names):
        r.cells[(row["agent"], parse_day(row["day"]))] = cell_value(row)
    return r


def fingerprint(app, first: date, last: date) -> list[tuple]:
    from asx.store import roster as roster_store

    return [(r["day"], r["agent"], r["shift"], r["mark"], r["published"])
            for r in roster_store.days_between(app.store, first.isoformat(), last.isoformat())]


# --- context: the stored week before a horizon (R-ROS-4) ---------------------------------------

def relax_context(rules, first: date, start: date):
    """Rules where the context days [first, start) have no coverage minimum (they are history)."""
    if first >= start:
        return rules
    cov = {d: dict(t) for d, t in rules.coverage_dates.items()}
    for d in day_range(first, start - timedelta(days=1)):
        cov[d] = {sh.id: Cover(min=0) for sh in rules.shifts}
    return replace(rules, coverage_dates=cov)


def with_context(app, team: Team, start: date) -> tuple[date, dict]:
    """The stored week before ``start`` as pinned context, so rules that span the boundary
    (R-ROS-4: a switch group runs Sunday–Friday; rest and consecutive days) see it.

    Returns (first day of the problem, pins). Cells of that week without a stored row are
    absent (added to ``team.absent``). No stored day in that week: (start, {})."""
    from asx.store import roster as roster_store

    ctx = start - timedelta(days=7)
    rows = roster_store.days_between(app.store, ctx.isoformat(), (start - timedelta(days=1)).isoformat(), team.names)
    if not rows:
        return start, {}
    pins = {}
    for r in rows:
        d = parse_day(r["day"])
        if d not in team.absent.get(r["agent"], ()):
            pins[(r["agent"], d)] = cell_value(r)
    for n in team.names:
        for d in day_range(ctx, start - timedelta(days=1)):
            if (n, d) not in pins:
                team.absent.setdefault(n, set()).add(d)
    return ctx, pins


def require_agent(app, name: str) -> dict:
    """The agents-table row of ``name`` (a user error when there is none)."""
    from asx.store import agents as agents_store

    row = agents_store.get(app.store, name)
    if row is None:
        raise UserError(f"no agent named {name!r} (see `asx agent list`)")
    return row
