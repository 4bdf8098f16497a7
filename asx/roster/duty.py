"""Who is on duty at a given minute (R-ROS-9), answered from the stored roster.

Used by the refund audit (was the agent in the note on duty?), the review queue (only work
the agent can do now), case auto-assignment and the daily view. When no roster exists for
that day the answer says so (``known=False``) instead of guessing.

A day's segments belong to the day they start; a segment may run past midnight
(``22:00-02:00`` is stored as minutes 1320–1560), so the previous day is consulted too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class Duty:
    when: datetime
    known: bool                                      # a roster exists for that day
    on: dict[str, str] = field(default_factory=dict)  # agent -> shift id, on duty at that minute
    rostered: dict[str, str] = field(default_factory=dict)  # agent -> shift id or mark, that day

    def is_on(self, agent: str) -> bool:
        return agent in self.on


def _segments(text: str | None) -> list[tuple[int, int]]:
    from asx.core.timeutil import parse_clock_ranges

    return parse_clock_ranges(text) if text else []


def on_duty(store, when: datetime) -> Duty:
    """Agents whose shift segment contains ``when`` (an aware datetime in the store timezone)."""
    from asx.store import roster as roster_store

    day = when.date()
    minute = when.hour * 60 + when.minute
    today = roster_store.days_on(store, day.isoformat())
    yesterday = roster_store.days_on(store, (day - timedelta(days=1)).isoformat())
    duty = Duty(when=when, known=bool(today))
    for r in today:
        duty.rostered[r["agent"]] = r["shift"] or r["mark"]
        if r["mark"] == "work" and any(a <= minute < b for a, b in _segments(r["segments"])):
            duty.on[r["agent"]] = r["shift"]
    for r in yesterday:
        if r["mark"] == "work" and any(a <= minute + 1440 < b for a, b in _segments(r["segments"])):
            duty.on[r["agent"]] = r["shift"]
    return duty


def next_on_duty(store, agent: str, after: datetime, *, horizon_days: int = 14) -> datetime | None:
    """Start of ``agent``'s next duty segment at or after ``after`` (None if none is rostered)."""
    from asx.store import roster as roster_store

    tz = after.tzinfo
    for r in roster_store.agent_days(store, agent, after.date().isoformat(),
                                     (after.date() + timedelta(days=horizon_days)).isoformat()):
        if r["mark"] != "work":
            continue
        base = datetime.fromisoformat(r["day"]).replace(tzinfo=tz)
        for a, b in _segments(r["segments"]):
            start, end = base + timedelta(minutes=a), base + timedelta(minutes=b)
            if end > after:
                return max(start, after)
    return None


def who(app, when) -> list[dict]:
    """``asx roster who``: everyone on duty at ``when``, with the segment they are on (R-ROS-9)."""
    from asx.core.timeutil import parse_clock_ranges

    from asx.core.errors import UserError

    duty = on_duty(app.store, when)
    if not duty.known and not duty.on:
        raise UserError(f"no roster stored for {when.date()}: cannot say who was on duty (R-ROS-9)")
    minute = when.hour * 60 + when.minute
    out = []
    from asx.store import roster as roster_store

    rows = {r["agent"]: r for r in roster_store.days_on(app.store, when.date().isoformat())}
    prev = {r["agent"]: r for r in roster_store.days_on(app.store, (when.date() - timedelta(days=1)).isoformat())}
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
