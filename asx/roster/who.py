"""Who is on duty at a given minute (R-ROS-9).  Pure Python.

A segment covers [start, end); an overnight segment (end > 24:00) belongs to
the day it starts, so at 01:00 the agent of yesterday's overnight shift is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable
from zoneinfo import ZoneInfo

from asx.roster.model import LEAVE, Roster, ShiftType

DEFAULT_TZ = "Asia/Shanghai"


@dataclass(frozen=True)
class OnDuty:
    agent: str
    shift: str
    segment: int  # index into the shift's segments
    day: date  # the roster day the segment belongs to
    start: datetime
    end: datetime


def on_duty(roster: Roster, shifts: Iterable[ShiftType], when: datetime, tz: str = DEFAULT_TZ) -> list[OnDuty]:
    """Everyone whose shift segment covers ``when`` (aware, or naive = store time)."""
    zone = ZoneInfo(tz)
    local = when.astimezone(zone) if when.tzinfo else when.replace(tzinfo=zone)
    by_id = {s.id: s for s in shifts}
    out = []
    for back in (0, 1):
        day = local.date() - timedelta(days=back)
        minute = local.hour * 60 + local.minute + back * 1440
        for agent in roster.agents:
            sid = roster.get(agent, day)
            if sid is None or sid == LEAVE or sid not in by_id:
                continue
            for k, seg in enumerate(by_id[sid].segments):
                if seg.start_min <= minute < seg.end_min:
                    midnight = datetime.combine(day, time(0), zone)
                    out.append(OnDuty(agent, sid, k, day, midnight + timedelta(minutes=seg.start_min),
                                      midnight + timedelta(minutes=seg.end_min)))
    out.sort(key=lambda o: (o.start, o.agent))
    return out
