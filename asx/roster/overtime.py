"""Overtime (R-ROS-2) and possible missed shifts (R-ROS-9), derived from recorded activity
(issue 16 item 8).

R-ROS-2: the night agent stays past 23:00 while buyers still chat; the overtime is recorded, not
planned. asx derives it from the agent's case and review events after the end of their day's last
segment (within ``roster.overtime_window_minutes``, and before their next segment): overtime
runs from the shift's end to the last such event. By default only the day's last shift (ending when
service hours end) earns overtime — after an earlier shift the next one has taken over; setting
``roster.overtime_all_shifts`` counts every shift. ``asx roster who --at 23:10`` lists an agent in
overtime at that minute; ``asx roster overtime`` gives the days and the month's totals.

R-ROS-9: a working day on which the agent recorded no activity at all (no case or review event from
the first segment's start to the last segment's end plus the overtime window) is flagged for the
supervisor as a possible missed shift, with the evidence: the segments, the events counted, the
agent's last activity before and first after. It is a flag for a person to judge against the
shop's chat log, not a verdict.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta


def _window(app) -> int:
    return int(app.config.get("roster.overtime_window_minutes"))


def _counts(app, shift: dict) -> bool:
    """Whether work after this shift's end is overtime: by default only after the day's last shift,
    the one ending when service hours end (R-ROS-2: the night agent past 23:00; after an earlier
    shift the next shift has taken over); every shift with ``roster.overtime_all_shifts``."""
    if app.config.get("roster.overtime_all_shifts"):
        return True
    from asx.core.timeutil import parse_clock_ranges

    service_end = max(b for _, b in parse_clock_ranges(app.config.get("service.hours")))
    end = shift["end"]
    return end.hour * 60 + end.minute >= service_end % 1440 or end.date() > shift["first"].date()


def _start(app, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=app.tz)


def _shifts(app, day: date, reader) -> list[dict]:
    """Working rows of ``day`` with their segments as aware datetimes, and the next segment start."""
    from asx.roster.duty import work_segments

    out = []
    next_rows = {r["agent"]: r for r in reader.rows((day + timedelta(days=1)).isoformat())}
    base = _start(app, day)
    for r in reader.rows(day.isoformat()):
        segs = work_segments(r)
        if not segs:
            continue
        nxt = work_segments(next_rows.get(r["agent"], {"mark": "rest"}))
        out.append({"agent": r["agent"], "shift": r["shift"], "segments": r["segments"],
                    "first": base + timedelta(minutes=min(a for a, _ in segs)),
                    "end": base + timedelta(minutes=max(b for _, b in segs)),
                    "next": (base + timedelta(days=1, minutes=min(a for a, _ in nxt))) if nxt else None})
    return out


def overtime_days(app, first: date, last: date) -> list[dict]:
    """One row per agent and roster day in [first, last] with work after the shift's end (R-ROS-2)."""
    from asx.core.timeutil import to_epoch
    from asx.roster.duty import DutyReader
    from asx.store import activity

    reader = DutyReader(app.store)
    win = timedelta(minutes=_window(app))
    now = app.now()
    events = activity.events_between(app.store, to_epoch(_start(app, first)),
                                     to_epoch(_start(app, last + timedelta(days=2))))
    out = []
    d = first
    while d <= last:
        for s in _shifts(app, d, reader):
            if not _counts(app, s):
                continue
            stop = min(x for x in (s["end"] + win, s["next"], now) if x is not None)
            lo, hi = to_epoch(s["end"]), to_epoch(stop)
            mine = [e for e in events if e["by"] == s["agent"] and lo <= e["at"] < hi]
            if not mine:
                continue
            last_at = mine[-1]["at"]
            minutes = max(1, -(-(last_at - lo) // 60))
            out.append({"day": d.isoformat(), "agent": s["agent"], "shift": s["shift"],
                        "shift_end": app.iso(lo), "last_activity": app.iso(last_at), "minutes": minutes,
                        "events": len(mine), "evidence": ", ".join(f"{e['source']} {e['ref']} {e['action']} "
                                                                   f"{app.iso(e['at'])[11:16]}" for e in mine[:5])})
        d += timedelta(days=1)
    return out


def totals(rows: list[dict]) -> list[dict]:
    """The month's figures: overtime minutes and days per agent (R-ROS-2)."""
    acc: dict[str, dict] = {}
    for r in rows:
        a = acc.setdefault(r["agent"], {"agent": r["agent"], "days": 0, "minutes": 0})
        a["days"] += 1
        a["minutes"] += r["minutes"]
    return [{**a, "hours": round(a["minutes"] / 60, 2)} for a in sorted(acc.values(), key=lambda a: a["agent"])]


def in_overtime_at(app, when: datetime) -> list[dict]:
    """Agents working past their shift's end at ``when`` (R-ROS-2; ``asx roster who``): their last
    segment (today's or yesterday's) ended at or before ``when`` and they recorded activity after that
    end until ``when`` or later (within the overtime window). Asked about the present minute, any
    activity since the end counts: they are still at it."""
    from asx.core.timeutil import to_epoch
    from asx.roster.duty import DutyReader
    from asx.store import activity

    reader = DutyReader(app.store)
    win = timedelta(minutes=_window(app))
    live = abs((app.now() - when).total_seconds()) < 60
    out = []
    for d in (when.date() - timedelta(days=1), when.date()):
        for s in _shifts(app, d, reader):
            if not _counts(app, s) or not (s["end"] <= when < s["end"] + win):
                continue
            if s["next"] is not None and when >= s["next"]:
                continue
            stop = min(x for x in (s["end"] + win, s["next"]) if x is not None)
            mine = activity.events_between(app.store, to_epoch(s["end"]), to_epoch(stop), [s["agent"]])
            if not mine:
                continue
            last_at = mine[-1]["at"]
            if last_at < to_epoch(when) and not live:
                continue  # their overtime had ended by then
            out.append({"agent": s["agent"], "shift": s["shift"], "shift_end": s["end"],
                        "last_activity": last_at, "minutes": max(1, -(-(last_at - to_epoch(s["end"])) // 60))})
    return out


def missed_shifts(app, first: date, last: date) -> list[dict]:
    """Working days in [first, last], already over, on which the agent recorded no activity at all
    (R-ROS-9): a flag with its evidence, for the supervisor to check against the chat log."""
    from asx.core.timeutil import to_epoch
    from asx.roster.duty import DutyReader
    from asx.store import activity

    reader = DutyReader(app.store)
    win = timedelta(minutes=_window(app))
    now = app.now()
    events = activity.events_between(app.store, to_epoch(_start(app, first - timedelta(days=1))),
                                     to_epoch(_start(app, last + timedelta(days=2))))
    out = []
    d = first
    while d <= last:
        for s in _shifts(app, d, reader):
            until = s["end"] + win
            if until > now:
                continue  # the shift (and its overtime window) is not over yet
            lo, hi = to_epoch(s["first"]), to_epoch(until)
            if any(e["by"] == s["agent"] and lo <= e["at"] < hi for e in events):
                continue
            before = activity.last_before(app.store, s["agent"], lo)
            after = activity.first_after(app.store, s["agent"], hi)
            evidence = (f"no case or review event by {s['agent']} from {app.iso(lo)[11:16]} to "
                        f"{app.iso(hi)[11:16]} (shift {s['segments']}); last activity before: "
                        f"{app.iso(before) or 'none'}; first after: {app.iso(after) or 'none'}")
            out.append({"day": d.isoformat(), "agent": s["agent"], "shift": s["shift"], "segments": s["segments"],
                        "events": 0, "last_before": app.iso(before), "first_after": app.iso(after),
                        "evidence": evidence})
        d += timedelta(days=1)
    return out

