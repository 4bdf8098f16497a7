"""An agent's rostered segments as aware datetimes (R-ROS-2): the shift now and the next one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass
class Segment:
    day: str          # the roster day the segment belongs to (the day it starts)
    shift: str | None
    start: datetime
    end: datetime
    agent: str | None = None

    def contains(self, when: datetime) -> bool:
        return self.start <= when < self.end

    def as_dict(self, iso) -> dict:
        return {"day": self.day, "shift": self.shift, "start": iso(self.start), "end": iso(self.end)}


def segments_of(rows, tz) -> list[Segment]:
    """Segments of roster rows (``mark == 'work'``), in time order."""
    from asx.core.timeutil import parse_clock_ranges

    out = []
    for r in rows:
        if r.get("mark", "work") != "work" or not r.get("segments"):
            continue
        base = datetime.fromisoformat(r["day"]).replace(tzinfo=tz)
        for a, b in parse_clock_ranges(r["segments"]):
            out.append(Segment(r["day"], r.get("shift"), base + timedelta(minutes=a), base + timedelta(minutes=b),
                               r.get("agent")))
    out.sort(key=lambda s: s.start)
    return out


def agent_segments(store, agent: str, first: date, last: date, tz) -> list[Segment]:
    from asx.store import roster as rstore

    return segments_of(rstore.agent_days(store, agent, first.isoformat(), last.isoformat()), tz)


@dataclass
class ShiftState:
    rostered_today: dict | None     # today's roster row (mark work/rest/leave/holiday) or None
    now: Segment | None             # the segment containing ``at``
    today: list[Segment]            # today's segments (and last night's running past midnight)
    next: Segment | None            # the next segment starting after ``at`` (14 days ahead)
    known: bool                     # a roster is stored for today


def state(store, agent: str, at: datetime) -> ShiftState:
    """Where ``agent`` stands at ``at``: on a segment, between segments, resting, on leave."""
    from asx.store import roster as rstore

    tz = at.tzinfo
    d = at.date()
    segs = agent_segments(store, agent, d - timedelta(days=1), d + timedelta(days=14), tz)
    today_row = next((r for r in rstore.days_on(store, d.isoformat()) if r["agent"] == agent), None)
    known = bool(today_row) or bool(rstore.days_on(store, d.isoformat()))
    now = next((s for s in segs if s.contains(at)), None)
    todays = [s for s in segs if s.day == d.isoformat() or s.contains(at)]
    nxt = next((s for s in segs if s.start > at), None)
    return ShiftState(today_row, now, todays, nxt, known)


def on_fraction(segs: list[Segment], start: datetime, end: datetime) -> float:
    """Share of [start, end) covered by the segments (0..1)."""
    total = (end - start).total_seconds()
    if total <= 0:
        return 0.0
    cov = 0.0
    for s in segs:
        a, b = max(s.start, start), min(s.end, end)
        if b > a:
            cov += (b - a).total_seconds()
    return min(1.0, cov / total)
