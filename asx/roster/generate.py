"""Generate a roster (R-ROS-1..6): solve [start, start + weeks) and lay it into ``roster_days``.

The engine solves a ``cycle_weeks`` wrap-around rotation and lays it over the dates with
holidays, 调休 and leave applied; published days are kept (R-ROS-5), the stored week before is
kept as context (R-ROS-4). Infeasible input raises :class:`Infeasible` with the engine's
explanation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from asx.core.errors import ConflictError, UserError
from asx.roster.changes import Change, apply_writes, new_batch, now_epoch, plan_changes
from asx.roster.problem import (Team, build_problem, engine, fingerprint, relax_context, rostered_team, ruleset,
                                run_setting, settings_dict, with_context)


class Infeasible(UserError):
    """No roster: ``lines`` explain which rules conflict on which days (printed before the error)."""

    def __init__(self, message: str, lines: list[str]):
        super().__init__(message)
        self.lines = list(lines)

@dataclass
class GenerateOutcome:
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
    uncovered: list = field(default_factory=list)  # (day, shift) below the minimum: the supervisor's (R-ROS-7)

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


def holiday_rest_notes(problem, start: date) -> list[str]:
    """Which rule gives way in holiday weeks where a holiday rest counts as the weekly rest."""
    out = []
    mode = problem.rules.holiday_rest_as_weekly_rest
    for week in problem.weeks():
        if problem.day(week[0]) < start or not problem.holiday_rest_counts(week):
            continue
        small, room = problem.small_team_week(week), problem.rest_room_week(week)
        why = (f"a team of {small[0]} cannot cover the shift minimums (R-ROS-3) with every weekly rest on the "
               f"non-holiday days of one switch group (R-ROS-4), which needs {small[1]}"
               if small else "every day of the week is a public holiday"
               if all(problem.is_holiday(i) for i in week) else
               f"the non-holiday days have room for {room[1]} rest(s) beside the shift minimums (R-ROS-3), and "
               f"the team owes {room[0]} weekly rests" if room and mode == "auto"
               else "setting roster.holiday_rest_as_weekly_rest = always")
        out.append(f"week of {problem.day(week[0])}: a holiday rest counts as the weekly rest — R-ROS-6 gives way "
                   f"(the holiday rest is not extra) so R-ROS-1 and R-ROS-3 hold: {why}"
                   + ("; setting roster.holiday_rest_as_weekly_rest = auto (never: refuse)" if mode == "auto" else ""))
    return out


def _solve(app, problem, *, engine_name, seed, time_limit, workers):
    eng = engine(app, engine_name)
    res = eng.solve(problem, time_limit=time_limit, seed=seed, workers=workers)
    return eng, res


def generate(app, start: date, weeks: int | None = None, *, seed: int | None = None,  # noqa: C901
             time_limit: float | None = None, engine_name: str | None = None, workers: int | None = None,
             by: str | None = None, extra_pins: dict | None = None, team: Team | None = None,
             last: date | None = None, kind: str = "regenerate", dry_run: bool = False,
             keep_until: date | None = None, touch_published: set | frozenset = frozenset(),
             cover_cells: set | frozenset = frozenset()) -> GenerateOutcome:
    """Solve [start, start + weeks) and lay it into roster_days, keeping published days (R-ROS-5).

    The engine solves a ``cycle_weeks`` wrap-around rotation and lays it over the dates with
    holidays, 调休 and leave applied. Infeasible input raises :class:`Infeasible`.

    ``touch_published`` names published cells a cover may change (R-ROS-7); the changes of
    ``cover_cells`` are recorded as covers."""
    rules = ruleset(app)
    if start.weekday() != 0:  # name the date the user gave, not the context week's (issue 19 item 6)
        from asx.roster.days import monday

        raise UserError(f"a roster starts on a Monday; --start {start} is a {start.strftime('%A')} "
                        f"(try {monday(start)})")
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
    team = team or rostered_team(app, rules, start, last)
    base_absent = {n: set(ds) for n, ds in team.absent.items()}
    first, ctx_pins = with_context(app, team, start)
    attempts = [(first, ctx_pins)] + ([(start, {})] if ctx_pins else [])
    before = fingerprint(app, start, last)
    for k, (p_first, pins) in enumerate(attempts):
        if k:  # the stored week before could not be kept as context: solve without it
            team.absent = {n: set(ds) for n, ds in base_absent.items()}
        # the context week (and days kept as they are) is history: its coverage is not re-judged here
        prs = relax_context(rules, p_first, max(start, keep_until or start))
        problem = build_problem(app, p_first, last, rules=prs, team=team, extra_pins={**pins, **(extra_pins or {})})
        if not problem.rostered():
            raise UserError(f"nobody to roster: no active agent has a role in roster.rostered_roles "
                            f"({', '.join(rules.rostered_roles)})")
        eng, res = _solve(app, problem, engine_name=engine_name, seed=seed, time_limit=time_limit, workers=workers)
        if res.status in ("optimal", "feasible") and res.roster is not None:
            break
    out = GenerateOutcome(res, problem, start, last, eng.name, seed, time_limit)
    if p_first < start:
        out.notes.append(f"the stored week from {p_first} was kept as context (R-ROS-4 switch days span it)")
    elif ctx_pins:
        out.notes.append(f"the stored week from {start - timedelta(days=7)} conflicts with the rules; solved "
                         "without it (run `asx roster check`)")
    out.notes.extend(holiday_rest_notes(problem, start))
    if res.status not in ("optimal", "feasible") or res.roster is None:
        why = "the rules cannot all be met" if res.status == "infeasible" else \
            f"no roster found within {time_limit:g} s"
        raise Infeasible(f"no roster for {start} – {last}: {why} (R-ROS)",
                         res.explanation or ["the engine gave no explanation"])
    writes, changes = plan_changes(app, problem, res.roster, absent=team.absent, drop_others=True, kind=kind,
                                   from_day=start, touch_published=set(touch_published))
    for c in changes:
        if (c.agent, c.day) in cover_cells:
            c.kind = "cover"
    out.changes = changes
    if dry_run:
        return out
    at = now_epoch(app)
    with app.store.tx():
        if fingerprint(app, start, last) != before:
            raise ConflictError("the roster changed while solving; run the command again")
        from asx.store import roster as roster_store

        out.plan_id = roster_store.insert_plan(
            app.store, at=at, by=by, engine=eng.name, start_day=start.isoformat(), days=(last - start).days + 1,
            cycle_weeks=rules.cycle_weeks, seed=seed, time_limit=time_limit, status=res.status,
            objective=res.objective, bound=res.bound,
            params={"rules": settings_dict(app), "workers": workers, "agents": team.names,
                    "holidays": sorted(d.isoformat() for d in problem.holidays),
                    "workdays": sorted(d.isoformat() for d in problem.workdays),
                    "pinned": len(problem.pinned), "gap": res.gap})
        apply_writes(app, writes, changes, plan_id=out.plan_id, source="engine", by=by, at=at,
                     reason=f"{kind} plan", batch=new_batch(kind))
    return out
