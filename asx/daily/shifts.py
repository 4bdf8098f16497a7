"""An agent's rostered segments as aware datetimes (R-ROS-2): the shift now and the next one.

Segments and the on-duty rule come from :mod:`asx.roster.duty` (R-ROS-9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from asx.roster.duty import Segment, segments_of


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
