"""The roster workflow (R-ROS): config + team + calendar + stored days in, engine results out.

This module is the glue between asx's workspace and the roster engine (``asx.roster.model``,
``solver``, ``checker``): it builds a :class:`~asx.roster.model.Problem` from the ``[roster]``
settings, the agents table, the Chinese holiday calendar (``app.calendar``), recorded leave and
published days; it lays engine results into ``roster_days``; and it implements publishing,
leave with repair (R-ROS-7), swaps and overrides, regeneration when the team changes
(R-ROS-5), import of a hand-edited CSV, and the fairness summary (R-ROS-10).

It knows nothing of click. All SQL is in :mod:`asx.store.roster`. OR-Tools is only imported
by the engine when it solves.

Stored cells: ``roster_days.mark`` is ``work`` (with ``shift`` and the shift's
``segments`` copied, so R-ROS-9 answers stay right after shift definitions change),
``rest``, ``holiday`` (a rest day on a public holiday, R-ROS-6) or ``leave``. Days an agent
was not employed (before joining, after leaving) have no row; in a Problem they are
"absent" (unavailable, like leave).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Iterable

from asx.core.errors import ConflictError, UserError
from asx.roster.model import Cover

#: CLI-level settings of ``[roster]`` that are not rules (RuleSet.from_settings ignores them)
from asx.roster.run_settings import RUN_SETTINGS  # noqa: E402,F401  (re-exported)

MARKS = ("work", "rest", "leave", "holiday")


class Infeasible(UserError):
    """No roster: ``lines`` explain which rules conflict on which days (printed before the error)."""

    def __init__(self, message: str, lines: list[str]):
        super().__init__(message)
        self.lines = list(lines)


# --- small helpers ---------------------------------------------------------------------------

def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def sunday(d: date) -> date:
    return d + timedelta(days=6 - d.weekday())


def day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def parse_day(text: str | date | None, what: str = "date") -> date | None:
    if text is None or isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise UserError(f"{what} {text!r} is not a date (YYYY-MM-DD)")


def _batch(kind: str) -> str:
    return f"{kind}-{secrets.token_hex(4)}"


def _epoch(app) -> int:
    from asx.core.timeutil import to_epoch

    return to_epoch(app.now())


# --- settings and engines --------------------------------------------------------------------

def settings_dict(app) -> dict[str, Any]:
    """The ``[roster]`` rule settings as a plain dict for ``RuleSet.from_settings``."""
    from asx.roster.model import RuleSet

    out = {}
    for key in RuleSet.default_settings():
        out[key] = app.config.get(f"roster.{key}")
    return out


def rules(app):
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


def team(app, rs, first: date, last: date, *, extra: Iterable[str] = ()) -> Team:
    """Rostered agents (role in ``rostered_roles``) employed at some day of [first, last].

    ``extra`` names agents that must be included whatever their role (they have stored days)."""
    from asx.roster.model import AgentSpec
    from asx.store import agents as agents_store

    extra = set(extra)
    specs, absent = [], {}
    days = day_range(first, last)
    for r in agents_store.list_agents(app.store, include_retired=True):
        rostered = r["role"] in rs.rostered_roles
        if not rostered and r["name"] not in extra:
            continue
        joined = parse_day(r["joined_on"]) if r["joined_on"] else None
        left = parse_day(r["left_on"]) if r["left_on"] else None
        if not r["active"] and left is None and r["name"] not in extra:
            continue
        if (joined and joined > last) or (left and left < first):
            if r["name"] not in extra:
                continue
        role = r["role"] if rostered else rs.rostered_roles[0]
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
    from asx.store import roster as rstore

    out: dict[str, set[date]] = {}
    for lv in rstore.leaves(app.store, first.isoformat(), last.isoformat()):
        a, b = max(first, parse_day(lv["from_day"])), min(last, parse_day(lv["to_day"]))
        out.setdefault(lv["agent"], set()).update(day_range(a, b))
    return out


def history(app, rs, names: list[str], start: date) -> dict[str, dict[str, int]]:
    """Fairness counters of the year so far, before ``start`` (R-ROS-10, R-ROS-6)."""
    from asx.store import roster as rstore

    since = date(start.year, 1, 1)
    if since >= start:
        return {}
    kinds = {s.id: s.kind for s in rs.shifts}
    hol, work = calendar_days(app, since, start - timedelta(days=1))
    out: dict[str, dict[str, int]] = {n: {"nights": 0, "weekend_rests": 0, "holiday_rests": 0} for n in names}
    for r in rstore.counts_before(app.store, start.isoformat(), since.isoformat()):
        h = out.get(r["agent"])
        if h is None:
            continue
        d = parse_day(r["day"])
        if r["mark"] == "work":
            if kinds.get(r["shift"]) == "night":
                h["nights"] += 1
        elif r["mark"] in ("rest", "holiday"):
            if d.weekday() >= 5 and d not in work:
                h["weekend_rests"] += 1
            if d in hol:
                h["holiday_rests"] += 1
    return {n: h for n, h in out.items() if any(h.values())}


def cell_value(row: dict):
    """A stored row as a Roster cell: shift id, None (rest/holiday) or LEAVE."""
    from asx.roster.model import LEAVE

    if row["mark"] == "work":
        return row["shift"]
    if row["mark"] == "leave":
        return LEAVE
    return None


def build_problem(app, first: date, last: date, *, rs=None, pin_published: bool = True,
                  extra_pins: dict | None = None, extra_leave: dict[str, set[date]] | None = None,
                  tm: Team | None = None, with_history: bool = True):
    """A Problem for [first, last] (first must be a Monday) from the workspace."""
    from asx.roster.model import LEAVE, Problem
    from asx.store import roster as rstore

    rs = rs or rules(app)
    if first.weekday() != 0:
        raise UserError(f"a roster starts on a Monday; {first} is a {first.strftime('%A')} "
                        f"(try {monday(first)})")
    tm = tm or team(app, rs, first, last)
    names = set(tm.names)
    hol, work = calendar_days(app, first, last)
    leave = {n: set(ds) for n, ds in leave_days(app, first, last).items() if n in names}
    for n, ds in (extra_leave or {}).items():
        leave.setdefault(n, set()).update(d for d in ds if first <= d <= last)
    for n, ds in tm.absent.items():
        leave.setdefault(n, set()).update(ds)
    pinned: dict = {}
    if pin_published:
        for r in rstore.days_between(app.store, first.isoformat(), last.isoformat(), tm.names):
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
        hist = history(app, rs, tm.names, first)
        for a in tm.specs:
            if a.name in hist:
                a.history = dict(hist[a.name])
    return Problem(start=first, days=(last - first).days + 1, agents=tm.specs, rules=rs, holidays=hol,
                   workdays=work, leave={n: ds for n, ds in leave.items() if ds}, pinned=pinned)


def stored_roster(app, problem, *, absent: dict[str, set[date]] | None = None):
    """The stored days of ``problem``'s horizon as a Roster (missing cells of absent days = LEAVE)."""
    from asx.roster.model import LEAVE, Roster
    from asx.store import roster as rstore

    names = [a.name for a in problem.rostered()]
    r = Roster(problem.start, problem.days, tuple(names))
    for n in names:
        for d in problem.dates:
            if problem.on_leave(n, problem.index(d)):
                r.cells[(n, d)] = LEAVE
            else:
                r.cells[(n, d)] = None
    for row in rstore.days_between(app.store, problem.start.isoformat(), problem.end.isoformat(), names):
        r.cells[(row["agent"], parse_day(row["day"]))] = cell_value(row)
    return r


def _fingerprint(app, first: date, last: date) -> list[tuple]:
    from asx.store import roster as rstore

    return [(r["day"], r["agent"], r["shift"], r["mark"], r["published"])
            for r in rstore.days_between(app.store, first.isoformat(), last.isoformat())]


# --- laying results into roster_days ------------------------------------------------------------

def _segments_text(shift) -> str | None:
    return ",".join(str(s) for s in shift.segments) or None


def row_for(problem, agent: str, d: date, value) -> dict:
    from asx.roster.model import LEAVE

    if value == LEAVE:
        return {"shift": None, "mark": "leave", "segments": None}
    if value is None:
        return {"shift": None, "mark": "holiday" if d in problem.holidays else "rest", "segments": None}
    return {"shift": value, "mark": "work", "segments": _segments_text(problem.shift(value))}


@dataclass
class Change:
    day: date
    agent: str
    old_shift: str | None
    old_mark: str | None
    new_shift: str | None
    new_mark: str | None
    published: bool = False
    kind: str = "repair"

    @property
    def old(self) -> str:
        return self.old_shift or self.old_mark or "none"

    @property
    def new(self) -> str:
        return self.new_shift or self.new_mark or "none"

    def as_row(self) -> dict:
        return {"day": self.day.isoformat(), "weekday": self.day.strftime("%a"), "agent": self.agent,
                "from": self.old, "to": self.new, "published": self.published, "kind": self.kind}


def plan_changes(app, problem, roster, *, absent: dict[str, set[date]] | None = None,
                 only: set[tuple[str, date]] | None = None, touch_published: set[tuple[str, date]] = frozenset(),
                 drop_others: bool = False, kind: str = "regenerate",
                 from_day: date | None = None, always: set[tuple[str, date]] = frozenset()
                 ) -> tuple[list[dict], list[Change]]:
    """What writing ``roster`` would do: the rows to upsert/delete and the changes to record.

    Published rows are never touched unless listed in ``touch_published`` (R-ROS-5)."""
    from asx.store import roster as rstore

    absent = absent or {}
    existing = {(r["agent"], r["day"]): r
                for r in rstore.days_between(app.store, problem.start.isoformat(), problem.end.isoformat())}
    writes: list[dict] = []
    changes: list[Change] = []
    names = set(roster.agents)
    for n in roster.agents:
        for d in roster.dates:
            if only is not None and (n, d) not in only:
                continue
            if from_day is not None and d < from_day and (n, d) not in always:
                continue
            old = existing.get((n, d.isoformat()))
            if old and old["published"] and (n, d) not in touch_published:
                continue
            if d in absent.get(n, ()):
                if old:
                    writes.append({"delete": True, "day": d.isoformat(), "agent": n})
                    changes.append(Change(d, n, old["shift"], old["mark"], None, None, bool(old["published"]), kind))
                continue
            new = row_for(problem, n, d, roster.get(n, d))
            if old and old["shift"] == new["shift"] and old["mark"] == new["mark"] and \
                    old["segments"] == new["segments"]:
                continue
            writes.append({"day": d.isoformat(), "agent": n, **new,
                           "published": old["published"] if old else 0})
            if old:
                changes.append(Change(d, n, old["shift"], old["mark"], new["shift"], new["mark"],
                                      bool(old["published"]), kind))
    if drop_others:
        for (n, day), old in existing.items():
            if from_day is not None and day < from_day.isoformat():
                continue
            if n not in names and not old["published"]:
                writes.append({"delete": True, "day": day, "agent": n})
                changes.append(Change(parse_day(day), n, old["shift"], old["mark"], None, None, False, kind))
    changes.sort(key=lambda c: (c.day, c.agent))
    return writes, changes


def apply_writes(app, writes: list[dict], changes: list[Change], *, plan_id: int | None, source: str, by: str | None,
                 at: int, reason: str | None, batch: str, leave_id: int | None = None) -> None:
    """Write rows and record every change (caller holds the transaction)."""
    from asx.store import roster as rstore

    for w in writes:
        if w.get("delete"):
            rstore.delete_day(app.store, w["day"], w["agent"])
            continue
        rstore.upsert_day(app.store, {**w, "plan_id": plan_id, "source": source, "updated_at": at})
    for c in changes:
        rstore.add_change(app.store, at=at, by=by, day=c.day.isoformat(), agent=c.agent, old_shift=c.old_shift,
                          old_mark=c.old_mark, new_shift=c.new_shift, new_mark=c.new_mark, reason=reason,
                          kind=c.kind, batch=batch, leave_id=leave_id, published=c.published)


# --- generate (R-ROS-1..6) ------------------------------------------------------------------

def relax_context(rs, first: date, start: date):
    """Rules where the context days [first, start) have no coverage minimum (they are history)."""
    if first >= start:
        return rs
    cov = {d: dict(t) for d, t in rs.coverage_dates.items()}
    for d in day_range(first, start - timedelta(days=1)):
        cov[d] = {sh.id: Cover(min=0) for sh in rs.shifts}
    return replace(rs, coverage_dates=cov)


def with_context(app, tm: Team, start: date) -> tuple[date, dict]:
    """The stored week before ``start`` as pinned context, so rules that span the boundary
    (R-ROS-4: a switch group runs Sunday–Friday; rest and consecutive days) see it.

    Returns (first day of the problem, pins). Cells of that week without a stored row are
    absent (added to ``tm.absent``). No stored day in that week: (start, {})."""
    from asx.store import roster as rstore

    ctx = start - timedelta(days=7)
    rows = rstore.days_between(app.store, ctx.isoformat(), (start - timedelta(days=1)).isoformat(), tm.names)
    if not rows:
        return start, {}
    pins = {}
    for r in rows:
        d = parse_day(r["day"])
        if d not in tm.absent.get(r["agent"], ()):
            pins[(r["agent"], d)] = cell_value(r)
    for n in tm.names:
        for d in day_range(ctx, start - timedelta(days=1)):
            if (n, d) not in pins:
                tm.absent.setdefault(n, set()).add(d)
    return ctx, pins


@dataclass
class Outcome:
    result: Any  # engine Result
    problem: Any
    first: date
    last: date
    engine: str
    seed: int
    time_limit: float
    plan_id: int | None = None
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def status_line(self) -> str:
        r = self.result
        text = f"{r.status}"
        if r.objective is not None:
            text += f", penalty {r.objective}"
        if r.status == "feasible" and r.gap is not None:
            text += f", gap {r.gap * 100:.1f}% (bound {r.bound:g})" if r.bound is not None else ""
        return text

    def meta(self) -> dict:
        r = self.result
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "status": r.status,
                "penalty": r.objective, "bound": r.bound, "gap": r.gap, "engine": self.engine, "seed": self.seed,
                "time_limit": self.time_limit, "plan": self.plan_id}


def _solve(app, problem, *, engine_name, seed, time_limit, workers):
    eng = engine(app, engine_name)
    res = eng.solve(problem, time_limit=time_limit, seed=seed, workers=workers)
    return eng, res


def generate(app, start: date, weeks: int | None = None, *, seed: int | None = None,  # noqa: C901
             time_limit: float | None = None, engine_name: str | None = None, workers: int | None = None,
             by: str | None = None, extra_pins: dict | None = None, tm: Team | None = None,
             last: date | None = None, kind: str = "regenerate", dry_run: bool = False,
             keep_until: date | None = None) -> Outcome:
    """Solve [start, start + weeks) and lay it into roster_days, keeping published days (R-ROS-5).

    The engine solves a ``cycle_weeks`` wrap-around rotation and lays it over the dates with
    holidays, 调休 and leave applied. Infeasible input raises :class:`Infeasible`."""
    rs = rules(app)
    weeks = weeks if weeks is not None else run_setting(app, "weeks")
    if weeks < 1:
        raise UserError("--weeks must be at least 1")
    last = last or start + timedelta(days=7 * weeks - 1)
    seed = int(run_setting(app, "seed", seed))
    time_limit = float(run_setting(app, "time_limit", time_limit))
    workers = int(run_setting(app, "workers", workers))
    engine_name = engine_name or app.config.get("roster.engine")
    if time_limit <= 0:
        raise UserError("--time-limit must be positive (seconds)")
    tm = tm or team(app, rs, start, last)
    base_absent = {n: set(ds) for n, ds in tm.absent.items()}
    first, ctx_pins = with_context(app, tm, start)
    attempts = [(first, ctx_pins)] + ([(start, {})] if ctx_pins else [])
    before = _fingerprint(app, start, last)
    for k, (p_first, pins) in enumerate(attempts):
        if k:  # the stored week before could not be kept as context: solve without it
            tm.absent = {n: set(ds) for n, ds in base_absent.items()}
        # the context week (and days kept as they are) is history: its coverage is not re-judged here
        prs = relax_context(rs, p_first, max(start, keep_until or start))
        problem = build_problem(app, p_first, last, rs=prs, tm=tm, extra_pins={**pins, **(extra_pins or {})})
        if not problem.rostered():
            raise UserError(f"nobody to roster: no active agent has a role in roster.rostered_roles "
                            f"({', '.join(rs.rostered_roles)})")
        eng, res = _solve(app, problem, engine_name=engine_name, seed=seed, time_limit=time_limit, workers=workers)
        if res.status in ("optimal", "feasible") and res.roster is not None:
            break
    out = Outcome(res, problem, start, last, eng.name, seed, time_limit)
    if p_first < start:
        out.notes.append(f"the stored week from {p_first} was kept as context (R-ROS-4 switch days span it)")
    elif ctx_pins:
        out.notes.append(f"the stored week from {start - timedelta(days=7)} conflicts with the rules; solved "
                         "without it (run `asx roster check`)")
    if res.status not in ("optimal", "feasible") or res.roster is None:
        why = "the rules cannot all be met" if res.status == "infeasible" else \
            f"no roster found within {time_limit:g} s"
        raise Infeasible(f"no roster for {start} – {last}: {why} (R-ROS)",
                         res.explanation or ["the engine gave no explanation"])
    writes, changes = plan_changes(app, problem, res.roster, absent=tm.absent, drop_others=True, kind=kind,
                                   from_day=start)
    out.changes = changes
    if dry_run:
        return out
    at = _epoch(app)
    with app.store.tx():
        if _fingerprint(app, start, last) != before:
            raise ConflictError("the roster changed while solving; run the command again")
        from asx.store import roster as rstore

        out.plan_id = rstore.insert_plan(
            app.store, at=at, by=by, engine=eng.name, start_day=start.isoformat(), days=(last - start).days + 1,
            cycle_weeks=rs.cycle_weeks, seed=seed, time_limit=time_limit, status=res.status,
            objective=res.objective, bound=res.bound,
            params={"rules": settings_dict(app), "workers": workers, "agents": tm.names,
                    "holidays": sorted(d.isoformat() for d in problem.holidays),
                    "workdays": sorted(d.isoformat() for d in problem.workdays),
                    "pinned": len(problem.pinned), "gap": res.gap})
        apply_writes(app, writes, changes, plan_id=out.plan_id, source="engine", by=by, at=at,
                     reason=f"{kind} plan", batch=_batch(kind))
    return out


# --- reading the stored roster ------------------------------------------------------------------

def stored_extent(app) -> tuple[date | None, date | None]:
    from asx.store import roster as rstore

    a, b = rstore.extent(app.store)
    return parse_day(a), parse_day(b)


def resolve_range(app, first: date | None, last: date | None, *, week: date | None = None,
                  default: str = "week") -> tuple[date, date]:
    """The days a query is about: --week, --from/--to, else the current week (or the stored roster)."""
    if week is not None:
        return monday(week), sunday(week)
    lo, hi = stored_extent(app)
    if first is None and last is None:
        if default == "all" and lo is not None:
            return lo, hi
        today = app.now().date()
        return monday(today), sunday(today)
    if first is None:
        first = lo if lo is not None and lo <= last else monday(last)
    if last is None:
        last = hi if hi is not None and hi >= first else sunday(first)
    if last < first:
        raise UserError(f"--to {last} is before --from {first}")
    return first, last


@dataclass
class Grid:
    first: date
    last: date
    dates: list[date]
    agents: list[str]
    cells: dict[tuple[str, date], dict]  # stored rows
    published: set[date]
    shifts: list  # ShiftType
    totals: dict[str, dict[date, int]]
    minimum: dict[str, dict[date, int]]
    holidays: set[date]


def grid(app, first: date, last: date, *, agent: str | None = None) -> Grid:
    from asx.store import roster as rstore

    rs = rules(app)
    rows = rstore.days_between(app.store, first.isoformat(), last.isoformat())
    order = {n: i for i, n in enumerate(team(app, rs, first, last).names)}
    agents = sorted({r["agent"] for r in rows}, key=lambda n: (order.get(n, 10**6), n))
    cells = {(r["agent"], parse_day(r["day"])): r for r in rows}
    dates = day_range(first, last)
    published = {d for d in dates if any(cells.get((a, d), {}).get("published") for a in agents)}
    totals: dict[str, dict[date, int]] = {s.id: {d: 0 for d in dates} for s in rs.shifts}
    for r in rows:
        if r["mark"] == "work" and r["shift"] in totals:
            totals[r["shift"]][parse_day(r["day"])] += 1
    hol, _work = calendar_days(app, first, last)
    minimum: dict[str, dict[date, int]] = {}
    if rows:
        p = build_problem(app, monday(first), last, rs=rs, pin_published=False, with_history=False)
        for s in rs.shifts:
            minimum[s.id] = {}
            for d in dates:
                c = p.cover(p.index(d), s.id)
                minimum[s.id][d] = c.min if c else 0
    if agent:
        if agent not in agents:
            raise UserError(f"{agent} has no roster days between {first} and {last}")
        agents = [agent]
    return Grid(first, last, dates, agents, cells, published, list(rs.shifts), totals, minimum, hol)


def long_rows(app, first: date, last: date, *, agent: str | None = None) -> list[dict]:
    from asx.store import roster as rstore

    rows = rstore.days_between(app.store, first.isoformat(), last.isoformat(), [agent] if agent else None)
    return [{**r, "weekday": parse_day(r["day"]).strftime("%a"), "published": bool(r["published"]),
             "code": r["shift"] if r["mark"] == "work" else r["mark"]} for r in rows]


# --- check (R-ROS-1..10) ---------------------------------------------------------------------

@dataclass
class CheckOutcome:
    first: date
    last: date
    problem: Any
    roster: Any
    report: Any
    violations: list  # checker Violations within the range, ordered

    @property
    def hard(self) -> list:
        return [v for v in self.violations if v.hard]

    @property
    def penalty(self) -> int:
        return sum(v.weight for v in self.violations if not v.hard)


def _check_problem(app, first: date, last: date, *, override: dict | None = None):
    """Problem + Roster for checking the stored (or ``override``-patched) days of [first, last]."""
    from asx.store import roster as rstore

    rs = rules(app)
    start = monday(first)
    stored_agents = {r["agent"] for r in rstore.days_between(app.store, start.isoformat(), last.isoformat())}
    stored_agents |= {n for (n, _d) in (override or {})}
    tm = team(app, rs, start, last, extra=stored_agents)
    # agents without a single row in the range are not on this roster (e.g. joined after it was made)
    tm.specs = [a for a in tm.specs if a.name in stored_agents]
    problem = build_problem(app, start, last, rs=rs, tm=tm, pin_published=False)
    roster = stored_roster(app, problem)
    for (n, d), v in (override or {}).items():
        roster.cells[(n, d)] = v
    return problem, roster


def check(app, first: date | None = None, last: date | None = None, *, override: dict | None = None) -> CheckOutcome:
    """Every hard violation and soft penalty of the stored roster in [first, last] (default: all)."""
    from asx.roster.checker import check as engine_check

    lo, hi = stored_extent(app)
    if lo is None and not override:
        raise UserError("no roster stored yet (run `asx roster generate --start MONDAY`)")
    first = first or lo
    last = last or hi
    if last < first:
        raise UserError(f"--to {last} is before --from {first}")
    problem, roster = _check_problem(app, first, last, override=override)
    report = engine_check(problem, roster)
    vs = [v for v in report.violations if v.day is None or v.day >= first]
    vs.sort(key=lambda v: (not v.hard, v.day or date.min, v.rule_id, v.family, v.agent or ""))
    return CheckOutcome(first, last, problem, roster, report, vs)


def violation_rows(vs) -> list[dict]:
    return [{"severity": "hard" if v.hard else "soft", "rule": v.rule_id, "family": v.family, "agent": v.agent or "",
             "day": v.day.isoformat() if v.day else "", "weight": v.weight, "message": v.message} for v in vs]


# --- publish (R-ROS-5) -------------------------------------------------------------------------

@dataclass
class PublishOutcome:
    first: date
    last: date
    rows: int
    check: CheckOutcome | None


def publish(app, to_day: date, *, from_day: date | None = None, by: str | None = None, force: bool = False,
            note: str | None = None) -> PublishOutcome:
    """Pin every stored day up to ``to_day``: later solves, repairs and regenerations keep them."""
    from asx.core.errors import CheckFailed
    from asx.store import roster as rstore

    first_unpub = parse_day(rstore.first_unpublished(app.store))
    if from_day is None:
        if first_unpub is None or first_unpub > to_day:
            raise UserError(f"nothing to publish up to {to_day}: every stored day is published already")
        from_day = first_unpub
    if to_day < from_day:
        raise UserError(f"--to {to_day} is before {from_day}")
    have = rstore.stored_days(app.store, from_day.isoformat(), to_day.isoformat())
    missing = [d for d in day_range(from_day, to_day) if d.isoformat() not in have]
    if missing:
        raise UserError(f"no roster for {missing[0]}" + (f" and {len(missing) - 1} more day(s)" if len(missing) > 1
                                                         else "") + "; generate it before publishing")
    chk = check(app, from_day, to_day)
    if chk.hard and not force:
        raise CheckFailed(f"{len(chk.hard)} hard violation(s) between {from_day} and {to_day}; fix them or "
                          "publish with --force")
    with app.store.tx():
        n = rstore.publish(app.store, from_day.isoformat(), to_day.isoformat())
        rstore.add_publication(app.store, at=_epoch(app), by=by, from_day=from_day.isoformat(),
                               to_day=to_day.isoformat(), rows=n, note=note)
    return PublishOutcome(from_day, to_day, n, chk)


# --- leave and repair (R-ROS-7) --------------------------------------------------------------

@dataclass
class LeaveOutcome:
    agent: str
    first: date
    last: date
    leave_id: int | None
    status: str  # optimal | feasible | recorded (nothing stored to repair) | uncovered
    changes: list[Change] = field(default_factory=list)
    candidates: dict = field(default_factory=dict)  # (date, shift) -> [(agent, why)]
    covers: dict = field(default_factory=dict)  # (date, shift) -> agent who now works it
    uncovered: list[tuple[date, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _require_rostered(app, name: str) -> dict:
    from asx.store import agents as agents_store

    row = agents_store.get(app.store, name)
    if row is None:
        raise UserError(f"no agent named {name!r} (see `asx agent list`)")
    return row


def add_leave(app, name: str, first: date, last: date, *, reason: str | None = None, by: str | None = None,
              dry_run: bool = False, time_limit: float | None = None, seed: int | None = None,
              reported=None) -> LeaveOutcome:
    """Record leave and re-solve the affected days with the fewest changes (R-ROS-7).

    Unpublished days are repaired by the engine (fewest changed cells, then least penalty).
    Published days stay as they are except the leave-taker's own days, which become leave; a
    published shift that loses its agent gets the best cover candidate that keeps every hard
    rule (R-ROS-1..4) — else it is reported uncovered: the supervisor's responsibility."""
    from asx.roster.model import LEAVE, Cover
    from asx.store import roster as rstore

    _require_rostered(app, name)
    if last < first:
        raise UserError(f"--to {last} is before --from {first}")
    overlap = [lv for lv in rstore.leaves(app.store, first.isoformat(), last.isoformat(), agent=name)]
    if overlap:
        lv = overlap[0]
        raise UserError(f"{name} has leave recorded already from {lv['from_day']} to {lv['to_day']} (#{lv['id']})")
    out = LeaveOutcome(name, first, last, None, "recorded")
    rs = rules(app)
    lo, hi = stored_extent(app)
    from asx.core.timeutil import to_epoch

    reported = reported or app.now()  # when the leave was reported: days before it are history
    at = to_epoch(reported)
    seed = int(run_setting(app, "seed", seed))
    time_limit = float(run_setting(app, "time_limit", time_limit))
    workers = int(run_setting(app, "workers"))
    if lo is None or hi < first or lo > last:
        out.notes.append("no roster is stored for these days yet: the leave is applied when it is generated")
        if not dry_run:
            with app.store.tx():
                out.leave_id = rstore.add_leave(app.store, agent=name, from_day=first.isoformat(),
                                                to_day=last.isoformat(), reason=reason, at=at, by=by)
        return out
    h_first = max(monday(first), monday(lo))
    window = int(run_setting(app, "repair_window_weeks"))
    h_last = min(hi, sunday(last) + timedelta(days=7 * max(0, window)))
    leave_set = {name: set(day_range(max(first, h_first), min(last, h_last)))}
    tm = team(app, rs, h_first - timedelta(days=7), h_last, extra=[name])
    p_first, _pins = with_context(app, tm, h_first)
    # The repair may change every unpublished day from the week before the leave (its switch
    # group can start on that Sunday, R-ROS-4), but nothing before today: that is history.
    changed_from = min(max(p_first, reported.date()), h_last)
    problem = build_problem(app, p_first, h_last, rs=relax_context(rs, p_first, changed_from), tm=tm,
                            extra_leave=leave_set)
    if name not in {a.name for a in problem.rostered()}:
        raise UserError(f"{name} is not on the roster (role not in roster.rostered_roles)")
    previous = stored_roster(app, problem)  # the stored roster before the leave
    eng = engine(app)
    before = _fingerprint(app, p_first, h_last)
    rr = eng.repair(problem, previous, changed_from=changed_from, time_limit=time_limit, seed=seed, workers=workers)
    out.candidates = dict(rr.cover_candidates)
    # shifts the leave-taker had on leave days (R-ROS-7: each needs a cover)
    affected = sorted({(d, previous.get(name, d)) for d in leave_set[name]
                       if previous.get(name, d) not in (None, LEAVE)})
    touch = {(name, d) for d in leave_set[name]}
    roster = rr.result.roster if rr.result.status in ("optimal", "feasible") else None
    status = rr.result.status
    if roster is None:
        # Published days block a cover that keeps the rules. Relax the minimum on the holes,
        # try each ranked candidate as a pinned cover, else leave the hole to the supervisor.
        holes = []
        for d, sid in affected:
            i = problem.index(d)
            c = problem.cover(i, sid)
            if c is None or c.min <= 0:
                continue
            others = sum(1 for a in problem.rostered() if a.name != name and previous.get(a.name, d) == sid)
            if others < c.min:
                holes.append((d, sid, c))
        cov = {dd: dict(t) for dd, t in problem.rules.coverage_dates.items()}
        for d, sid, c in holes:
            cov.setdefault(d, {})[sid] = replace(c, min=0)
        relaxed = replace(problem.rules, coverage_dates=cov)
        pins = dict(problem.pinned)
        covers: dict = {}
        for d, sid, c in holes:
            chosen = None
            for cand, _why in out.candidates.get((d, sid), [])[:5]:
                trial_pins = {**pins, (cand, d): sid}
                p2 = problem.copy(rules=relaxed, pinned=trial_pins)
                r2 = eng.repair(p2, previous, changed_from=changed_from, time_limit=time_limit, seed=seed,
                                workers=workers)
                if r2.result.status in ("optimal", "feasible"):
                    chosen = cand
                    pins = trial_pins
                    break
            if chosen:
                covers[(d, sid)] = chosen
                touch.add((chosen, d))
            else:
                out.uncovered.append((d, sid))
        p2 = problem.copy(rules=relaxed, pinned=pins)
        r2 = eng.repair(p2, previous, changed_from=changed_from, time_limit=time_limit, seed=seed, workers=workers)
        if r2.result.status in ("optimal", "feasible"):
            roster, status = r2.result.roster, r2.result.status
        else:
            # nothing found in time: only the leave-taker's days change, the holes are reported
            roster = previous.copy()
            for d in leave_set[name]:
                roster.cells[(name, d)] = LEAVE
            status = "uncovered"
            out.uncovered = [(d, sid) for d, sid in affected]
            out.notes.extend(r2.result.explanation)
        out.covers = covers
    # which agent now covers each affected shift
    for d, sid in affected:
        if (d, sid) in out.covers:
            continue
        new = [a for a in roster.agents if a != name and roster.get(a, d) == sid and previous.get(a, d) != sid]
        if new:
            out.covers[(d, sid)] = new[0]
        elif (d, sid) not in out.uncovered:
            c = problem.cover(problem.index(d), sid)
            have = sum(1 for a in roster.agents if roster.get(a, d) == sid)
            if c is not None and have < c.min:
                out.uncovered.append((d, sid))
    if out.uncovered and status in ("optimal", "feasible"):
        status = "uncovered"
    out.status = status
    writes, changes = plan_changes(app, problem, roster, absent=tm.absent, touch_published=touch, kind="repair",
                                   from_day=changed_from, always=touch)
    for c in changes:
        if c.agent == name and c.day in leave_set[name]:
            c.kind = "leave"
        elif (c.day, c.new_shift) in out.covers and out.covers[(c.day, c.new_shift)] == c.agent:
            c.kind = "cover"
    out.changes = changes
    if dry_run:
        return out
    with app.store.tx():
        if _fingerprint(app, p_first, h_last) != before:
            raise ConflictError("the roster changed while repairing; run the command again")
        out.leave_id = rstore.add_leave(app.store, agent=name, from_day=first.isoformat(), to_day=last.isoformat(),
                                        reason=reason, at=at, by=by)
        apply_writes(app, writes, changes, plan_id=None, source="repair", by=by, at=at,
                     reason=f"leave of {name}" + (f": {reason}" if reason else ""), batch=_batch("leave"),
                     leave_id=out.leave_id)
    return out


# --- supervisor overrides: swap and set ------------------------------------------------------

@dataclass
class OverrideOutcome:
    changes: list[Change]
    check: CheckOutcome | None
    warnings: list  # violations involving the changed agents/days


def parse_cell(app, text: str, rs=None):
    """What a user typed for a cell: a shift id or label (D, 白班, night), rest/休, leave/假, holiday/节."""
    from asx.roster.model import LEAVE

    rs = rs or rules(app)
    t = text.strip()
    for s in rs.shifts:
        if t.lower() in {s.id.lower(), (s.label_en or "").lower()} or (s.label_zh and t in (s.label_zh, s.label_zh[0])):
            return s.id
    low = t.lower()
    if low in ("rest", "off", "-", "休", "休息", ".", ""):
        return None
    if low in ("holiday", "h", "节", "节假日"):
        return None
    if low in ("leave", "l", "假", "请假"):
        return LEAVE
    raise UserError(f"unknown shift {text!r}; choose one of: "
                    + ", ".join([f"{s.id} ({s.label_zh})" if s.label_zh else s.id for s in rs.shifts])
                    + ", rest (休), leave (假)")


def _override(app, cells: dict, *, kind: str, reason: str | None, by: str | None,
              leave_for: list[tuple[str, date]] = ()) -> OverrideOutcome:
    """Write supervisor-chosen cells (published or not), record the changes, then check the weeks."""
    from asx.store import roster as rstore

    days = sorted({d for _n, d in cells})
    first, last = monday(days[0]), sunday(days[-1])
    lo, hi = stored_extent(app)
    last_chk = min(last, hi) if hi else last
    first_chk = max(first, lo) if lo else first
    rs = rules(app)
    hol, _ = calendar_days(app, days[0], days[-1])
    existing = {(r["agent"], parse_day(r["day"])): r for r in rstore.days_between(app.store, days[0].isoformat(),
                                                                                   days[-1].isoformat())}
    shifts = {s.id: s for s in rs.shifts}
    writes, changes = [], []
    from asx.roster.model import LEAVE

    for (n, d), v in sorted(cells.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        old = existing.get((n, d))
        if v == LEAVE:
            new = {"shift": None, "mark": "leave", "segments": None}
        elif v is None:
            new = {"shift": None, "mark": "holiday" if d in hol else "rest", "segments": None}
        else:
            new = {"shift": v, "mark": "work", "segments": _segments_text(shifts[v])}
        if old and (old["shift"], old["mark"]) == (new["shift"], new["mark"]):
            continue
        writes.append({"day": d.isoformat(), "agent": n, **new, "published": old["published"] if old else 0})
        changes.append(Change(d, n, old["shift"] if old else None, old["mark"] if old else None, new["shift"],
                              new["mark"], bool(old and old["published"]), kind))
    if not changes:
        raise UserError("nothing to change: the roster says that already")
    at = _epoch(app)
    with app.store.tx():
        for n, d in leave_for:
            rstore.add_leave(app.store, agent=n, from_day=d.isoformat(), to_day=d.isoformat(), reason=reason,
                             at=at, by=by)
        apply_writes(app, writes, changes, plan_id=None, source="manual", by=by, at=at, reason=reason,
                     batch=_batch(kind))
    chk = check(app, first_chk, last_chk)
    names = {n for n, _d in cells}
    warn = [v for v in chk.violations
            if (v.agent in names) or (v.agent is None and v.day is not None and v.day in set(days))]
    return OverrideOutcome(changes, chk, warn)


def swap(app, a: str, b: str, day: date, *, reason: str | None = None, by: str | None = None) -> OverrideOutcome:
    """Exchange the two agents' assignments on ``day`` (a supervisor override, recorded and checked)."""
    from asx.store import roster as rstore

    if a == b:
        raise UserError("swap needs two different agents")
    rows = {r["agent"]: r for r in rstore.days_on(app.store, day.isoformat())}
    for n in (a, b):
        _require_rostered(app, n)
        if n not in rows:
            raise UserError(f"{n} has no roster day on {day}")
    if (rows[a]["shift"], rows[a]["mark"]) == (rows[b]["shift"], rows[b]["mark"]):
        raise UserError(f"{a} and {b} have the same assignment on {day}; nothing to swap")
    if "leave" in (rows[a]["mark"], rows[b]["mark"]):
        raise UserError("a leave day cannot be swapped (record or cancel the leave instead)")
    return _override(app, {(a, day): cell_value(rows[b]), (b, day): cell_value(rows[a])}, kind="swap",
                     reason=reason, by=by)


def set_cell(app, name: str, day: date, text: str, *, reason: str, by: str | None = None) -> OverrideOutcome:
    """Set one assignment (supervisor override with a reason, R-ROS-7); published days included."""
    from asx.roster.model import LEAVE

    if not reason or not reason.strip():
        raise UserError("an override needs --reason (R-ROS-7)")
    _require_rostered(app, name)
    v = parse_cell(app, text)
    return _override(app, {(name, day): v}, kind="set", reason=reason, by=by,
                     leave_for=[(name, day)] if v == LEAVE else [])


# --- regenerate when the team changes (R-ROS-5) ------------------------------------------------

def next_switch_day(app, after: date, rs=None) -> date:
    from asx.roster.model import WEEKDAYS

    rs = rs or rules(app)
    sw = set(rs.switch_days) or {"mon"}
    d = after + timedelta(days=1)
    while WEEKDAYS[d.weekday()] not in sw:
        d += timedelta(days=1)
    return d


def regenerate(app, *, after: date | None = None, weeks: int | None = None, seed: int | None = None,
               time_limit: float | None = None, by: str | None = None, dry_run: bool = False) -> Outcome:
    """Re-plan from the next switch day (R-ROS-4/5) for the current team, keeping published days
    and every day before the switch day."""
    from asx.store import roster as rstore

    rs = rules(app)
    today = app.now().date()
    base = after or today
    lp = parse_day(rstore.last_published(app.store))
    if lp and lp > base:
        base = lp
    switch = next_switch_day(app, base, rs)
    start = monday(switch)
    lo, hi = stored_extent(app)
    weeks = weeks if weeks is not None else run_setting(app, "weeks")
    last = start + timedelta(days=7 * weeks - 1)
    if hi and hi > last:
        last = sunday(hi)
    tm = team(app, rs, start, last)
    pins = {}
    present = set(tm.names)
    for r in rstore.days_between(app.store, start.isoformat(), (switch - timedelta(days=1)).isoformat()):
        d = parse_day(r["day"])
        if r["agent"] in present and d not in tm.absent.get(r["agent"], ()):
            pins[(r["agent"], d)] = cell_value(r)
    # a new agent starts on the switch day; days before it are not theirs
    stored_before = {r["agent"] for r in rstore.days_between(app.store, start.isoformat(),
                                                              (switch - timedelta(days=1)).isoformat())}
    if stored_before:
        for n in tm.names:
            if n not in stored_before:
                tm.absent.setdefault(n, set()).update(day_range(start, switch - timedelta(days=1)))
    out = generate(app, start, weeks, seed=seed, time_limit=time_limit, by=by, extra_pins=pins, tm=tm, last=last,
                   kind="regenerate", dry_run=dry_run, keep_until=switch)
    out.notes.append(f"regenerated from {switch} (the next switch day); days before it and published days kept")
    return out


# --- import of a hand-edited CSV -----------------------------------------------------------------

@dataclass
class ImportOutcome:
    cells: dict
    changes: list[Change]
    check: CheckOutcome
    written: bool
    errors: list[str]


def read_csv(app, path: str) -> tuple[dict, list[str]]:
    """Cells from a grid CSV (``agent,YYYY-MM-DD,…`` as ``roster show -f csv`` writes it) or a long
    CSV (``day,agent,code`` / ``date,agent,shift``). Returns (cells, errors ``file:line: reason``)."""
    import csv

    rs = rules(app)
    from asx.store import agents as agents_store

    known = {r["name"] for r in agents_store.list_agents(app.store, include_retired=True)}
    cells, errors = {}, []
    try:
        f = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}")
    with f:
        rows = list(csv.reader(f))
    if not rows:
        raise UserError(f"{path}: empty file")
    head = [h.strip() for h in rows[0]]
    low = [h.lower() for h in head]

    def put(line: int, name: str, d: date, text: str) -> None:
        if name not in known:
            errors.append(f"{path}:{line}: unknown agent {name!r}")
            return
        try:
            cells[(name, d)] = parse_cell(app, text, rs)
        except UserError as exc:
            errors.append(f"{path}:{line}: {exc}")

    if low and low[0] in ("agent", "客服") and len(head) > 1:
        dates = []
        for h in head[1:]:
            try:
                dates.append(date.fromisoformat(h[:10]))
            except ValueError:
                errors.append(f"{path}:1: column {h!r} is not a date (YYYY-MM-DD)")
                dates.append(None)
        for ln, row in enumerate(rows[1:], start=2):
            if not row or not row[0].strip():
                continue
            name = row[0].strip()
            for d, v in zip(dates, row[1:]):
                if d is not None:
                    put(ln, name, d, v)
    else:
        try:
            di = next(low.index(k) for k in ("day", "date") if k in low)
            ai = low.index("agent")
            ci = next(low.index(k) for k in ("code", "shift", "mark") if k in low)
        except (StopIteration, ValueError):
            raise UserError(f"{path}:1: expected a grid (agent,YYYY-MM-DD,…) or columns day,agent,code")
        for ln, row in enumerate(rows[1:], start=2):
            if not row:
                continue
            try:
                d = date.fromisoformat(row[di].strip())
            except (ValueError, IndexError):
                errors.append(f"{path}:{ln}: bad day {row[di] if di < len(row) else ''!r}")
                continue
            put(ln, row[ai].strip(), d, row[ci] if ci < len(row) else "")
    return cells, errors


def import_csv(app, path: str, *, by: str | None = None, dry_run: bool = False, force: bool = False,
               reason: str | None = None) -> ImportOutcome:
    """Check a hand-edited roster and store it (source ``import``); published days cannot change."""
    from asx.roster.model import LEAVE
    from asx.store import roster as rstore

    cells, errors = read_csv(app, path)
    if errors:
        return ImportOutcome(cells, [], None, False, errors)
    if not cells:
        raise UserError(f"{path}: no roster cells")
    days = sorted({d for _n, d in cells})
    existing = {(r["agent"], parse_day(r["day"])): r
                for r in rstore.days_between(app.store, days[0].isoformat(), days[-1].isoformat())}
    moved = []
    for (n, d), v in cells.items():
        old = existing.get((n, d))
        if old and old["published"] and cell_value(old) != v:
            # a rest day on a holiday reads back as None either way
            moved.append(f"{n} {d}")
    if moved:
        raise UserError(f"{path}: changes published day(s) {', '.join(moved[:5])}"
                        + (f" and {len(moved) - 5} more" if len(moved) > 5 else "")
                        + "; published days are kept (use `asx roster set … --reason` for an override)")
    leave_days_ = {n: set(ds) for n, ds in leave_days(app, days[0], days[-1]).items()}
    bad_leave = [f"{n} {d}" for (n, d), v in cells.items() if v == LEAVE and d not in leave_days_.get(n, ())]
    if bad_leave:
        errors.append(f"{path}: leave without recorded leave for {', '.join(bad_leave[:5])} "
                      "(record it with `asx roster leave`)")
        return ImportOutcome(cells, [], None, False, errors)
    chk = check(app, days[0], days[-1], override=cells)
    rs = rules(app)
    problem = chk.problem
    roster = chk.roster
    writes, changes = plan_changes(app, problem, roster, only=set(cells), kind="import")
    out = ImportOutcome(cells, changes, chk, False, [])
    if dry_run or (chk.hard and not force):
        return out
    with app.store.tx():
        apply_writes(app, writes, changes, plan_id=None, source="import", by=by, at=_epoch(app),
                     reason=reason or f"imported from {path}", batch=_batch("import"))
    out.written = True
    return out


# --- fairness (R-ROS-10, R-ROS-6) ----------------------------------------------------------------

def fairness(app, first: date, last: date) -> list[dict]:
    """Per agent over [first, last]: days worked, nights, weekend rests, holiday rests, leave, hours."""
    from asx.store import roster as rstore
    from asx.core.timeutil import parse_clock_ranges

    rs = rules(app)
    kinds = {s.id: s.kind for s in rs.shifts}
    hol, work = calendar_days(app, first, last)
    order = {n: i for i, n in enumerate(team(app, rs, first, last).names)}
    acc: dict[str, dict] = {}
    for r in rstore.days_between(app.store, first.isoformat(), last.isoformat()):
        a = acc.setdefault(r["agent"], {"agent": r["agent"], "days": 0, "worked": 0, "day_shifts": 0, "nights": 0,
                                        "rests": 0, "weekend_rests": 0, "holiday_rests": 0, "holidays_worked": 0,
                                        "leave": 0, "minutes": 0})
        d = parse_day(r["day"])
        a["days"] += 1
        if r["mark"] == "work":
            a["worked"] += 1
            if kinds.get(r["shift"]) == "night":
                a["nights"] += 1
            else:
                a["day_shifts"] += 1
            if d in hol:
                a["holidays_worked"] += 1
            if r["segments"]:
                a["minutes"] += sum(b - s for s, b in parse_clock_ranges(r["segments"]))
        elif r["mark"] == "leave":
            a["leave"] += 1
        else:
            a["rests"] += 1
            if d.weekday() >= 5 and d not in work:
                a["weekend_rests"] += 1
            if d in hol:
                a["holiday_rests"] += 1
    rows = sorted(acc.values(), key=lambda a: (order.get(a["agent"], 10**6), a["agent"]))
    for a in rows:
        a["hours"] = round(a.pop("minutes") / 60, 1)
    return rows


def spread(rows: list[dict], keys=("nights", "weekend_rests", "holiday_rests", "hours")) -> dict:
    """max − min of each counter over the agents (what R-ROS-10 wants small)."""
    return {k: (round(max(r[k] for r in rows) - min(r[k] for r in rows), 1) if rows else 0) for k in keys}


# --- iCalendar export ---------------------------------------------------------------------------

def export_ics(app, first: date, last: date, *, agent: str | None = None, per_agent: bool = False) -> dict[str, str]:
    """Calendar text by file stem: one file per agent with ``per_agent``, else one ``roster`` file.

    Events come from :func:`asx.roster.ics.to_ics` (one per shift segment, stable UIDs) over the
    stored days; DTSTAMP is the command's clock so the same roster exports byte for byte."""
    from asx.roster.ics import to_ics
    from asx.roster.model import Roster
    from asx.store import roster as rstore

    rs = rules(app)
    rows = rstore.days_between(app.store, first.isoformat(), last.isoformat(), [agent] if agent else None)
    if not rows:
        raise UserError(f"no roster stored for {first} – {last}" + (f" for {agent}" if agent else ""))
    order = {n: i for i, n in enumerate(team(app, rs, first, last).names)}
    names = sorted({r["agent"] for r in rows}, key=lambda n: (order.get(n, 10**6), n))
    tz = app.config.get("store.timezone")
    store_name = app.config.get("store.name") or "asx"

    def build(who: list[str]) -> str:
        r = Roster(first, (last - first).days + 1, tuple(who))
        for row in rows:
            if row["agent"] in who:
                r.cells[(row["agent"], parse_day(row["day"]))] = cell_value(row)
        title = f"{store_name} 排班" + (f" · {who[0]}" if len(who) == 1 else "")
        return to_ics(r, rs.shifts, tz=tz, dtstamp=app.now(), calname=title)

    if per_agent:
        return {n: build([n]) for n in names}
    return {agent or "roster": build(names)}


# --- who is on duty (R-ROS-9) ----------------------------------------------------------------

def who(app, when) -> list[dict]:
    """Everyone rostered on ``when``'s day with whether they are on duty at that minute."""
    from asx.roster.duty import on_duty
    from asx.core.timeutil import parse_clock_ranges

    duty = on_duty(app.store, when)
    if not duty.known and not duty.on:
        raise UserError(f"no roster stored for {when.date()}: cannot say who was on duty (R-ROS-9)")
    minute = when.hour * 60 + when.minute
    out = []
    from asx.store import roster as rstore

    rows = {r["agent"]: r for r in rstore.days_on(app.store, when.date().isoformat())}
    prev = {r["agent"]: r for r in rstore.days_on(app.store, (when.date() - timedelta(days=1)).isoformat())}
    for n, sid in duty.on.items():
        r = rows.get(n)
        seg = ""
        for src, off in ((rows.get(n), 0), (prev.get(n), 1440)):
            if src and src["mark"] == "work" and src["segments"]:
                for a, b in parse_clock_ranges(src["segments"]):
                    if a <= minute + off < b:
                        seg = f"{a // 60 % 24:02d}:{a % 60:02d}-{b // 60 % 24:02d}:{b % 60:02d}"
        out.append({"agent": n, "shift": sid, "segment": seg, "on_duty": True,
                    "segments": r["segments"] if r else ""})
    return sorted(out, key=lambda r: (r["shift"] or "", r["agent"]))


# --- the daily view (issue 11): coverage of one day, covers called in ----------------------------

def minimum_cover(app, d: date) -> dict[str, int]:
    """R-ROS-3: each shift type's minimum on day ``d`` (date > holiday > 调休 > weekday > default)."""
    from asx.roster.model import Problem

    rs = rules(app)
    hol, work = calendar_days(app, d, d)
    p = Problem(start=monday(d), days=7, agents=[], rules=rs, holidays=hol, workdays=work)
    i = p.index(d)
    out = {}
    for s in p.shifts:
        c = p.cover(i, s.id)
        out[s.id] = c.min if c is not None else 0
    return out


def uncovered(app, d: date) -> list[dict]:
    """Shifts of day ``d`` with fewer agents at work than the minimum (R-ROS-3, R-ROS-7: the
    supervisor's responsibility). Nothing when no roster is stored for the day."""
    from asx.store import roster as rstore

    rows = rstore.days_on(app.store, d.isoformat())
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
    rs = rules(app)
    tm = team(app, rs, first, last)
    problem = build_problem(app, first, last, rs=rs, tm=tm)
    previous = stored_roster(app, problem, absent=tm.absent)
    return cover_candidates(problem, previous, changed_from=d, changed_to=d, slots=[(d, sid)]).get((d, sid), [])
