"""Supervisor overrides (R-ROS-7): swap two agents' days, or set one cell — published days
included — recorded with the reason, then checked and warned about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from asx.core.errors import UserError
from asx.roster.cells import cell_value, parse_cell, segments_text
from asx.roster.changes import Change, apply_writes, new_batch, now_epoch
from asx.roster.check_stored import CheckOutcome, check
from asx.roster.days import monday, parse_day, stored_extent, sunday
from asx.roster.problem import calendar_days, require_agent, ruleset


@dataclass
class OverrideOutcome:
    changes: list[Change]
    check: CheckOutcome | None
    warnings: list  # violations involving the changed agents/days


def _override(app, cells: dict, *, kind: str, reason: str | None, by: str | None,
              leave_for: list[tuple[str, date]] = ()) -> OverrideOutcome:
    """Write supervisor-chosen cells (published or not), record the changes, then check the weeks."""
    from asx.store import roster as roster_store

    days = sorted({d for _n, d in cells})
    first, last = monday(days[0]), sunday(days[-1])
    lo, hi = stored_extent(app)
    last_chk = min(last, hi) if hi else last
    first_chk = max(first, lo) if lo else first
    rules = ruleset(app)
    hol, _ = calendar_days(app, days[0], days[-1])
    existing = {(r["agent"], parse_day(r["day"])): r
                for r in roster_store.days_between(app.store, days[0].isoformat(), days[-1].isoformat())}
    shifts = {s.id: s for s in rules.shifts}
    writes, changes = [], []
    from asx.roster.model import LEAVE

    for (n, d), v in sorted(cells.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        old = existing.get((n, d))
        if v == LEAVE:
            new = {"shift": None, "mark": "leave", "segments": None}
        elif v is None:
            new = {"shift": None, "mark": "holiday" if d in hol else "rest", "segments": None}
        else:
            new = {"shift": v, "mark": "work", "segments": segments_text(shifts[v])}
        if old and (old["shift"], old["mark"]) == (new["shift"], new["mark"]):
            continue
        writes.append({"day": d.isoformat(), "agent": n, **new, "published": old["published"] if old else 0})
        changes.append(Change(d, n, old["shift"] if old else None, old["mark"] if old else None, new["shift"],
                              new["mark"], bool(old and old["published"]), kind))
    if not changes:
        raise UserError("nothing to change: the roster says that already")
    at = now_epoch(app)
    with app.store.tx():
        for n, d in leave_for:
            roster_store.add_leave(app.store, agent=n, from_day=d.isoformat(), to_day=d.isoformat(), reason=reason,
                                   at=at, by=by)
        apply_writes(app, writes, changes, plan_id=None, source="manual", by=by, at=at, reason=reason,
                     batch=new_batch(kind))
    chk = check(app, first_chk, last_chk)
    names = {n for n, _d in cells}
    warn = [v for v in chk.violations
            if (v.agent in names) or (v.agent is None and v.day is not None and v.day in set(days))]
    return OverrideOutcome(changes, chk, warn)


def swap(app, a: str, b: str, day: date, *, reason: str | None = None, by: str | None = None) -> OverrideOutcome:
    """Exchange the two agents' assignments on ``day`` (a supervisor override, recorded and checked)."""
    from asx.store import roster as roster_store

    if a == b:
        raise UserError("swap needs two different agents")
    rows = {r["agent"]: r for r in roster_store.days_on(app.store, day.isoformat())}
    for n in (a, b):
        require_agent(app, n)
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
    require_agent(app, name)
    v = parse_cell(text, ruleset(app))
    return _override(app, {(name, day): v}, kind="set", reason=reason, by=by,
                     leave_for=[(name, day)] if v == LEAVE else [])
