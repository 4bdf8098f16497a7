"""Who is on duty (R-ROS-9): the one place asx answers it.

A shift segment covers [start, end) minutes of the roster day it starts on; an overnight segment
(``22:00-02:00``, stored as minutes 1320–1560) runs into the next day. So the answer for a minute
looks at that day's rows and at the previous day's segments that run past midnight. A stored
working day carries its segments (copied when it was laid out), so answers stay right after the
shift definitions change. When no roster exists for the day the answer says so (``known=False``)
instead of guessing.

Layers, each built on the one before:

* :class:`DutyDay` — pure: one day's duty from its roster rows and the previous day's: who is on
  at a minute (optionally with a grace after each segment), each agent's segments as minutes of
  the day, who has a row. The rule itself; every answer below goes through it.
* :func:`on_duty_in_roster` — pure: the same over an engine :class:`~asx.roster.model.Roster`
  and its shift types (what a solved roster would say, before it is stored).
* :class:`DutyReader` — ``roster_days`` read once per day, one :class:`DutyDay` per day, for
  callers that ask about many minutes (the refund audit, R-FIN-3; per-shift SLA targets of a
  case import, R-SLA-1; the sample statement).
* :func:`on_duty`, :func:`who`, :func:`next_on_duty` — the store-backed answers for one minute
  (case auto-assignment, the review queue, ``asx today``, ``asx roster who``, plugins).
* :class:`Segment` / :func:`segments_of` — working rows as aware datetimes (``asx me``, the SLA
  forecast's capacity, :func:`next_on_duty`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Iterable, NamedTuple

DAY_MINUTES = 1440
DEFAULT_TZ = "Asia/Shanghai"


def work_segments(row: dict) -> list[tuple[int, int]]:
    """The working segments of a roster row as (start, end) minutes of its own day; [] unless the
    row is a working day. ``segments`` may be stored text (``"10:00-14:00,17:30-23:00"``) or pairs."""
    if row.get("mark", "work") != "work":
        return []
    segs = row.get("segments")
    if not segs:
        return []
    if isinstance(segs, str):
        from asx.core.timeutil import parse_clock_ranges

        return parse_clock_ranges(segs)
    return list(segs)


class Span(NamedTuple):
    """A working segment as minutes of the day asked about (``back=1``: yesterday's, shifted)."""

    agent: str
    shift: str | None
    start: int
    end: int
    index: int  # which segment of its row
    back: int   # 0: the day's own row; 1: the previous day's row running past midnight

    @property
    def clock(self) -> str:
        """``HH:MM-HH:MM`` on the clock of the row's own day."""
        a, b = self.start + self.back * DAY_MINUTES, self.end + self.back * DAY_MINUTES
        return f"{a // 60 % 24:02d}:{a % 60:02d}-{b // 60 % 24:02d}:{b % 60:02d}"


class DutyDay:
    """One day's duty from its roster rows (``agent``, ``shift``, ``mark``, ``segments``) and the
    previous day's. Pure: no store, no clock.

    ``spans`` lists the day's working segments in row order, then the previous day's segments
    that run past midnight (shifted to this day's minutes, so they start below 0). ``segments``
    gives each agent's (start, end) pairs in that order (an agent with a working row and no
    segments has an empty list); ``rostered`` maps each agent with a row that day to its shift or
    mark (rest, leave, holiday).
    """

    __slots__ = ("rows", "known", "rostered", "spans", "segments", "_by_agent")

    def __init__(self, rows: Iterable[dict], previous: Iterable[dict] = ()):
        self.rows = list(rows)
        self.known = bool(self.rows)
        self.rostered = {r["agent"]: (r["shift"] or r["mark"]) for r in self.rows}
        self.spans: list[Span] = []
        self.segments: dict[str, list[tuple[int, int]]] = {}
        self._by_agent: dict[str, list[Span]] = {}
        for r in self.rows:
            if r["mark"] != "work":
                continue
            segs = self.segments.setdefault(r["agent"], [])
            for k, (a, b) in enumerate(work_segments(r)):
                self._add(Span(r["agent"], r["shift"], a, b, k, 0))
                segs.append((a, b))
        for r in previous:
            if r["mark"] != "work":
                continue
            for k, (a, b) in enumerate(work_segments(r)):
                if b > DAY_MINUTES:
                    self._add(Span(r["agent"], r["shift"], a - DAY_MINUTES, b - DAY_MINUTES, k, 1))
                    self.segments.setdefault(r["agent"], []).append((a - DAY_MINUTES, b - DAY_MINUTES))

    def _add(self, span: Span) -> None:
        self.spans.append(span)
        self._by_agent.setdefault(span.agent, []).append(span)

    def holding(self, minute: int) -> list[Span]:
        """The spans that hold ``minute`` (0..1439) of the day, in order."""
        return [s for s in self.spans if s.start <= minute < s.end]

    def on(self, minute: int) -> dict[str, str | None]:
        """Agent -> shift of everyone on duty at ``minute``; when two rows hold it (yesterday's
        overnight segment and today's), the later one — yesterday's — names the shift."""
        out: dict[str, str | None] = {}
        for s in self.spans:
            if s.start <= minute < s.end:
                out[s.agent] = s.shift
        return out

    def shift_of(self, agent: str, minute: int) -> str | None:
        """The shift ``agent`` is working at ``minute`` (None: not on duty): ``on(minute).get(agent)``."""
        found = None
        for s in self._by_agent.get(agent, ()):
            if s.start <= minute < s.end:
                found = s.shift
        return found

    def is_on(self, agent: str, minute: int, grace: int = 0) -> bool:
        """Whether ``agent`` is on duty at ``minute``, counting ``grace`` minutes after each segment
        as still on (the refund audit's ``audit.duty_grace_minutes``, R-FIN-3)."""
        for a, b in self.segments.get(agent, ()):
            if a <= minute < b + grace:
                return True
        return False


@dataclass(frozen=True)
class OnDuty:
    agent: str
    shift: str
    segment: int  # index into the shift's segments
    day: date  # the roster day the segment belongs to
    start: datetime
    end: datetime


def on_duty_in_roster(roster, shifts: Iterable, when: datetime, tz: str = DEFAULT_TZ) -> list[OnDuty]:
    """Everyone whose shift segment covers ``when`` (aware, or naive = store time) in an engine
    Roster, with each shift's segments from ``shifts`` (cells of unknown shifts are skipped)."""
    from zoneinfo import ZoneInfo

    from asx.roster.model import LEAVE

    zone = ZoneInfo(tz)
    local = when.astimezone(zone) if when.tzinfo else when.replace(tzinfo=zone)
    by_id = {s.id: s for s in shifts}

    def rows(d: date) -> list[dict]:
        out = []
        for agent in roster.agents:
            sid = roster.get(agent, d)
            if sid is None or sid == LEAVE or sid not in by_id:
                continue
            out.append({"agent": agent, "shift": sid, "mark": "work",
                        "segments": [(g.start_min, g.end_min) for g in by_id[sid].segments]})
        return out

    day = local.date()
    duty = DutyDay(rows(day), rows(day - timedelta(days=1)))
    out = []
    for s in duty.holding(local.hour * 60 + local.minute):
        d = day - timedelta(days=s.back)
        midnight = datetime.combine(d, time(0), zone)
        off = s.back * DAY_MINUTES
        out.append(OnDuty(s.agent, s.shift, s.index, d, midnight + timedelta(minutes=s.start + off),
                          midnight + timedelta(minutes=s.end + off)))
    out.sort(key=lambda o: (o.start, o.agent))
    return out


class DutyReader:
    """``roster_days`` read once per day (each day's rows serve as the next day's "previous"),
    one :class:`DutyDay` per day asked about (by ``date`` or ISO string)."""

    def __init__(self, store):
        self.store = store
        self._rows: dict[str, list[dict]] = {}
        self._days: dict = {}

    def rows(self, day: str) -> list[dict]:
        got = self._rows.get(day)
        if got is None:
            from asx.store import roster as roster_store

            got = self._rows[day] = roster_store.days_on(self.store, day)
        return got

    def day(self, day: date | str) -> DutyDay:
        got = self._days.get(day)
        if got is None:
            iso = day if isinstance(day, str) else day.isoformat()
            prev = (date.fromisoformat(iso) - timedelta(days=1)).isoformat()
            rows = self.rows(iso)
            got = self._days[day] = DutyDay(rows, self.rows(prev))
        return got

    def rostered(self, day: date | str) -> dict[str, str]:
        """Agent -> shift or mark of everyone with a row that day."""
        return self.day(day).rostered


@dataclass
class Duty:
    when: datetime
    known: bool                                      # a roster exists for that day
    on: dict[str, str] = field(default_factory=dict)  # agent -> shift id, on duty at that minute
    rostered: dict[str, str] = field(default_factory=dict)  # agent -> shift id or mark, that day

    def is_on(self, agent: str) -> bool:
        return agent in self.on


def on_duty(store, when: datetime) -> Duty:
    """Agents whose shift segment contains ``when`` (an aware datetime in the store timezone)."""
    duty = DutyReader(store).day(when.date())
    return Duty(when=when, known=duty.known, on=duty.on(when.hour * 60 + when.minute),
                rostered=dict(duty.rostered))


def who(app, when: datetime) -> list[dict]:
    """``asx roster who``: everyone on duty at ``when``, with the segment they are on and their
    day's segments, by shift then name. No roster for the day and nobody on: a user error."""
    from asx.core.errors import UserError

    duty = DutyReader(app.store).day(when.date())
    minute = when.hour * 60 + when.minute
    on = duty.on(minute)
    if not duty.known and not on:
        raise UserError(f"no roster stored for {when.date()}: cannot say who was on duty (R-ROS-9)")
    current = {s.agent: s for s in duty.holding(minute)}  # the later row's segment, as ``on``
    rows = {r["agent"]: r for r in duty.rows}
    out = []
    for name, sid in on.items():
        r = rows.get(name)
        out.append({"agent": name, "shift": sid, "segment": current[name].clock, "on_duty": True,
                    "segments": r["segments"] if r else ""})
    return sorted(out, key=lambda r: (r["shift"] or "", r["agent"]))


# --- segments as aware datetimes -------------------------------------------------------------

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
    """Segments of roster rows (``mark == 'work'``; a row without a mark counts as working), in
    time order."""
    out = []
    for r in rows:
        segs = work_segments(r)
        if not segs:
            continue
        base = datetime.fromisoformat(r["day"]).replace(tzinfo=tz)
        for a, b in segs:
            out.append(Segment(r["day"], r.get("shift"), base + timedelta(minutes=a), base + timedelta(minutes=b),
                               r.get("agent")))
    out.sort(key=lambda s: s.start)
    return out


def next_on_duty(store, agent: str, after: datetime, *, horizon_days: int = 14) -> datetime | None:
    """Start of ``agent``'s next duty segment at or after ``after`` (None if none is rostered);
    ``after`` itself when a segment is running then."""
    from asx.store import roster as roster_store

    rows = roster_store.agent_days(store, agent, after.date().isoformat(),
                                   (after.date() + timedelta(days=horizon_days)).isoformat())
    for s in segments_of(rows, after.tzinfo):
        if s.end > after:
            return max(s.start, after)
    return None
