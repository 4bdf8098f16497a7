"""Supervisor overrides (R-ROS-7): swap two agents' days, or set one cell — published days
included — recorded with the reason, then checked and warned about.

Only rostered agents (role in ``roster.rostered_roles``, employed that day) on a day of the
stored roster can be changed; a change that would create a hard violation is refused unless the
supervisor overrides with a reason (``override=True`` and ``reason``; R-ROS-7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from asx.core.errors import CheckFailed, UserError
from asx.roster.cells import cell_value, parse_cell, segments_text
from asx.roster.changes import Change, apply_writes, new_batch, now_epoch
from asx.roster.check_stored import CheckOutcome, check
from asx.roster.days import monday, parse_day, stored_extent, sunday
from asx.roster.problem import calendar_days, require_agent, ruleset


class NeedsOverride(CheckFailed):
    """The change would create hard violations (``violations``): refused, exit 1 (R-ROS-7)."""

    def __init__(self, message: str, violations: list):
        super().__init__(message)
        self.violations = list(violations)


def _require_rostered(app, name: str, day: date) -> dict:
    """``name`` must be rostered (role in roster.rostered_roles) and employed on ``day``."""
    row = require_agent(app, name)
    roles = ruleset(app).rostered_roles
    if row["role"] not in roles:
        raise UserError(f"{name} is not rostered: role {row['role']} is not in roster.rostered_roles "
                        f"({', '.join(roles)})")
    joined, left = parse_day(row["joined_on"]), parse_day(row["left_on"])
    if (joined and day < joined) or (left and day > left) or (not row["active"] and left is None):
        raise UserError(f"{name} is not employed on {day}")
    return row


def _require_stored_day(app, day: date) -> None:
    lo, hi = stored_extent(app)
    if lo is None:
        raise UserError("no roster stored yet (run `asx roster generate --start MONDAY`)")
    if day < lo or day > hi:
        raise UserError(f"no roster is stored for {day} (the stored roster runs {lo} – {hi}); "
                        f"generate that week first")


def _key(v) -> tuple:
    return (v.family, v.agent or "", v.day)


@dataclass
class OverrideOutcome:
    changes: list[Change]
    check: CheckOutcome | None
    warnings: list  # violations involving the changed agents/days


def _override(app, cells: dict, *, kind: str, reason: str | None, by: str | None,
              leave_for: list[tuple[str, date]] = (), override: bool = False) -> OverrideOutcome:
    """Write supervisor-chosen cells (published or not), record the changes, then check the weeks.

    A change that creates a hard violation is refused (:class:`NeedsOverride`) unless ``override``
    with a ``reason`` (R-ROS-7)."""
    from asx.store import roster as roster_store

    if override and not (reason and reason.strip()):
        raise UserError("--override needs --reason (R-ROS-7)")
    days = sorted({d for _n, d in cells})
    for d in days:
        _require_stored_day(app, d)
    for n, d in cells:
        _require_rostered(app, n, d)
    first, last = monday(days[0]), sunday(days[-1])
    lo, hi = stored_extent(app)
    last_chk = min(last, hi) if hi else last
    first_chk = max(first, lo) if lo else first
    before_hard = {_key(v) for v in check(app, first_chk, last_chk).hard}
    new_hard = [v for v in check(app, first_chk, last_chk, override=cells).hard if _key(v) not in before_hard]
    if new_hard and not override:
        raise NeedsOverride(f"the change would break {len(new_hard)} hard rule(s); nothing changed — a supervisor "
                            "override needs --override --reason (R-ROS-7)", new_hard)
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


def swap(app, a: str, b: str, day: date, *, reason: str | None = None, by: str | None = None,
         override: bool = False) -> OverrideOutcome:
    """Exchange the two agents' assignments on ``day`` (a supervisor override, recorded and checked)."""
    from asx.store import roster as roster_store

    if a == b:
        raise UserError("swap needs two different agents")
    _require_stored_day(app, day)
    rows = {r["agent"]: r for r in roster_store.days_on(app.store, day.isoformat())}
    for n in (a, b):
        _require_rostered(app, n, day)
        if n not in rows:
            raise UserError(f"{n} has no roster day on {day}")
    if (rows[a]["shift"], rows[a]["mark"]) == (rows[b]["shift"], rows[b]["mark"]):
        raise UserError(f"{a} and {b} have the same assignment on {day}; nothing to swap")
    if "leave" in (rows[a]["mark"], rows[b]["mark"]):
        raise UserError("a leave day cannot be swapped (record or cancel the leave instead)")
    return _override(app, {(a, day): cell_value(rows[b]), (b, day): cell_value(rows[a])}, kind="swap",
                     reason=reason, by=by, override=override)


def set_cell(app, name: str, day: date, text: str, *, reason: str, by: str | None = None,
             override: bool = False) -> OverrideOutcome:
    """Set one assignment (supervisor override with a reason, R-ROS-7); published days included."""
    from asx.roster.model import LEAVE

    if not reason or not reason.strip():
        raise UserError("an override needs --reason (R-ROS-7)")
    v = parse_cell(text, ruleset(app))
    return _override(app, {(name, day): v}, kind="set", reason=reason, by=by,
                     leave_for=[(name, day)] if v == LEAVE else [], override=override)
