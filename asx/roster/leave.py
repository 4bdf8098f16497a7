"""Leave and its repair (R-ROS-7): record the leave and re-solve the affected days with the
fewest changes, naming a cover for each shift the leave empties — or reporting it uncovered,
the supervisor's responsibility."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from asx.core.errors import ConflictError, UserError
from asx.roster.changes import Change, apply_writes, new_batch, plan_changes
from asx.roster.days import day_range, monday, stored_extent, sunday
from asx.roster.problem import (build_problem, engine, fingerprint, relax_context, require_agent, rostered_team,
                                ruleset, run_setting, stored_roster, with_context)


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


def add_leave(app, name: str, first: date, last: date, *, reason: str | None = None, by: str | None = None,
              dry_run: bool = False, time_limit: float | None = None, seed: int | None = None,
              reported=None) -> LeaveOutcome:
    """Record leave and re-solve the affected days with the fewest changes (R-ROS-7).

    Unpublished days are repaired by the engine (fewest changed cells, then least penalty).
    Published days stay as they are except the leave-taker's own days, which become leave; a
    published shift that loses its agent gets the best cover candidate that keeps every hard
    rule (R-ROS-1..4) — else it is reported uncovered: the supervisor's responsibility."""
    from asx.roster.model import LEAVE
    from asx.store import roster as roster_store

    require_agent(app, name)
    if last < first:
        raise UserError(f"--to {last} is before --from {first}")
    overlap = [lv for lv in roster_store.leaves(app.store, first.isoformat(), last.isoformat(), agent=name)]
    if overlap:
        lv = overlap[0]
        raise UserError(f"{name} has leave recorded already from {lv['from_day']} to {lv['to_day']} (#{lv['id']})")
    out = LeaveOutcome(name, first, last, None, "recorded")
    rules = ruleset(app)
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
                out.leave_id = roster_store.add_leave(app.store, agent=name, from_day=first.isoformat(),
                                                      to_day=last.isoformat(), reason=reason, at=at, by=by)
        return out
    h_first = max(monday(first), monday(lo))
    window = int(run_setting(app, "repair_window_weeks"))
    h_last = min(hi, sunday(last) + timedelta(days=7 * max(0, window)))
    leave_set = {name: set(day_range(max(first, h_first), min(last, h_last)))}
    team = rostered_team(app, rules, h_first - timedelta(days=7), h_last, extra=[name])
    p_first, _pins = with_context(app, team, h_first)
    # The repair may change every unpublished day from the week before the leave (its switch
    # group can start on that Sunday, R-ROS-4), but nothing before today: that is history.
    changed_from = min(max(p_first, reported.date()), h_last)
    problem = build_problem(app, p_first, h_last, rules=relax_context(rules, p_first, changed_from), team=team,
                            extra_leave=leave_set)
    if name not in {a.name for a in problem.rostered()}:
        raise UserError(f"{name} is not on the roster (role not in roster.rostered_roles)")
    previous = stored_roster(app, problem)  # the stored roster before the leave
    eng = engine(app)
    before = fingerprint(app, p_first, h_last)
    repaired = eng.repair(problem, previous, changed_from=changed_from, time_limit=time_limit, seed=seed,
                          workers=workers)
    out.candidates = dict(repaired.cover_candidates)
    # shifts the leave-taker had on leave days (R-ROS-7: each needs a cover)
    affected = sorted({(d, previous.get(name, d)) for d in leave_set[name]
                       if previous.get(name, d) not in (None, LEAVE)})
    touch = {(name, d) for d in leave_set[name]}
    roster = repaired.result.roster if repaired.result.status in ("optimal", "feasible") else None
    status = repaired.result.status
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
    writes, changes = plan_changes(app, problem, roster, absent=team.absent, touch_published=touch, kind="repair",
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
        if fingerprint(app, p_first, h_last) != before:
            raise ConflictError("the roster changed while repairing; run the command again")
        out.leave_id = roster_store.add_leave(app.store, agent=name, from_day=first.isoformat(),
                                              to_day=last.isoformat(), reason=reason, at=at, by=by)
        apply_writes(app, writes, changes, plan_id=None, source="repair", by=by, at=at,
                     reason=f"leave of {name}" + (f": {reason}" if reason else ""), batch=new_batch("leave"),
                     leave_id=out.leave_id)
    return out
