"""Check the stored roster (R-ROS-1..10): every hard violation and soft penalty of the days in
a range, as the independent checker (:mod:`asx.roster.checker`) finds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from asx.core.errors import UserError
from asx.roster.checker import Violation
from asx.roster.days import monday, parse_day, stored_extent
from asx.roster.model import RULE_IDS
from asx.roster.problem import build_problem, rostered_team, ruleset, stored_roster


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
    """Problem + Roster for checking the stored (or ``override``-patched) days of [first, last], and the
    days that have any stored (or patched) cell."""
    from asx.store import roster as roster_store

    rules = ruleset(app)
    start = monday(first)
    rows = list(roster_store.days_between(app.store, start.isoformat(), last.isoformat()))
    stored_agents = {r["agent"] for r in rows} | {n for (n, _d) in (override or {})}
    stored_days = {parse_day(r["day"]) for r in rows} | {d for (_n, d) in (override or {})}
    team = rostered_team(app, rules, start, last, extra=stored_agents)
    # agents without a single row in the range are not on this roster (e.g. joined after it was made)
    team.specs = [a for a in team.specs if a.name in stored_agents]
    problem = build_problem(app, start, last, rules=rules, team=team, pin_published=False)
    roster = stored_roster(app, problem)
    for (n, d), v in (override or {}).items():
        roster.cells[(n, d)] = v
    return problem, roster, stored_days


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
    problem, roster, stored_days = _check_problem(app, first, last, override=override)
    report = engine_check(problem, roster)
    vs = [v for v in report.violations if v.day is None or v.day >= first]
    gaps = _gaps(first, last, stored_days)
    if gaps:  # a stretch with no roster at all: one item (R-ROS-3, R-ROS-7), not each empty cell of it
        empty = {d for a, b in gaps for d in (a + timedelta(days=k) for k in range((b - a).days + 1))}
        vs = [v for v in vs if v.day not in empty] + [
            Violation(RULE_IDS["coverage_min"], "coverage_min", True, None, a, 0,
                      f"no roster stored for {a} – {b}: nobody is on duty", (b - a).days + 1) for a, b in gaps]
    vs.sort(key=lambda v: (not v.hard, v.day or date.min, v.rule_id, v.family, v.agent or ""))
    return CheckOutcome(first, last, problem, roster, report, vs)


def _gaps(first: date, last: date, have: set[date]) -> list[tuple[date, date]]:
    """The stretches of [first, last] with no day in ``have`` (nobody has a stored roster row: a cycle
    not generated)."""
    out: list[tuple[date, date]] = []
    d = first
    while d <= last:
        if d not in have:
            if out and out[-1][1] == d - timedelta(days=1):
                out[-1] = (out[-1][0], d)
            else:
                out.append((d, d))
        d += timedelta(days=1)
    return out


def violation_rows(vs) -> list[dict]:
    return [{"severity": "hard" if v.hard else "soft", "rule": v.rule_id, "family": v.family, "agent": v.agent or "",
             "day": v.day.isoformat() if v.day else "", "weight": v.weight, "message": v.message} for v in vs]
