"""Roster data model (R-ROS): shifts, rule families, agents, problems, rosters.

Pure data plus the few look-ups that define what the data *means* (which cover
applies on a day, which limits apply to an agent, which days form a switch
group).  Both the CP-SAT solver and the independent checker read a Problem
through these look-ups; neither shares constraint code with the other.

Days are indexed 0..days-1 from ``Problem.start`` (always a Monday).  A roster
cell holds a shift id, ``None`` (rest) or :data:`LEAVE`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Iterable

from asx.core.errors import UserError
from asx.roster import defaults as _defaults

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LEAVE = "LEAVE"  # roster marker for a day on leave (R-ROS-7); never a shift id

# Rule id (domain.md) for each family; "GEN" = generic family without an R-ROS rule.
RULE_IDS = {
    "coverage_min": "R-ROS-3",
    "coverage_target": "R-ROS-3",
    "coverage_max": "R-ROS-3",
    "rest_days": "R-ROS-1",
    "max_consecutive": "GEN",
    "min_consecutive": "GEN",
    "min_consecutive_off": "GEN",
    "min_rest": "R-ROS-2",
    "forbidden_succession": "GEN",
    "switch_days": "R-ROS-4",
    "limits": "GEN",
    "events": "R-ROS-8",
    "requests": "GEN",
    "holiday_rest": "R-ROS-6",
    "fair_nights": "R-ROS-10",
    "fair_weekend_rests": "R-ROS-10",
    "fair_holiday_rests": "R-ROS-6",
    # structural families: always hard
    "leave": "R-ROS-7",
    "pinned": "R-ROS-5",
    "shift_allowed": "GEN",
    "one_shift": "GEN",
}
STRUCTURAL = ("leave", "pinned", "shift_allowed", "one_shift")
FAIRNESS = {  # family -> history counter name
    "fair_nights": "nights",
    "fair_weekend_rests": "weekend_rests",
    "fair_holiday_rests": "holiday_rests",
}


def parse_hhmm(text: str) -> int:
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text)
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59:
        raise UserError(f"bad time {text!r}: expected HH:MM")
    return int(m.group(1)) * 60 + int(m.group(2))


@dataclass(frozen=True)
class Segment:
    """A working interval, minutes from midnight of the shift's day.

    ``end_min`` may exceed 1440 for an overnight segment (it then belongs to
    the day it starts)."""

    start_min: int
    end_min: int

    def __post_init__(self) -> None:
        if not (0 <= self.start_min < 1440 and self.start_min < self.end_min <= self.start_min + 1440):
            raise UserError(f"bad segment {self.start_min}-{self.end_min}")

    @property
    def minutes(self) -> int:
        return self.end_min - self.start_min

    @classmethod
    def parse(cls, text: str) -> "Segment":
        """``"08:30-17:30"``; an end before the start means the next day (``"22:00-06:00"``)."""
        parts = text.split("-")
        if len(parts) != 2:
            raise UserError(f"bad segment {text!r}: expected HH:MM-HH:MM")
        start, end = parse_hhmm(parts[0]), parse_hhmm(parts[1])
        if end <= start:
            end += 1440
        return cls(start, end)

    def __str__(self) -> str:
        def hhmm(m: int) -> str:
            return f"{m // 60:02d}:{m % 60:02d}"

        end = self.end_min - 1440 if self.end_min > 1440 else self.end_min
        return f"{hhmm(self.start_min)}-{hhmm(end)}"


@dataclass(frozen=True)
class ShiftType:
    """A shift: one or more segments (R-ROS-2).  ``kind`` groups shifts for
    fairness and limits ("day", "night", …).  ``minutes`` overrides the paid
    length when a shift has no clock times (NRP instances)."""

    id: str
    label_en: str = ""
    label_zh: str = ""
    segments: tuple[Segment, ...] = ()
    kind: str = "day"
    minutes: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "segments", tuple(self.segments))
        if not self.id or self.id == LEAVE or "," in self.id:
            raise UserError(f"bad shift id {self.id!r}")

    @property
    def work_minutes(self) -> int:
        if self.minutes is not None:
            return self.minutes
        return sum(s.minutes for s in self.segments)

    @property
    def first_start(self) -> int | None:
        return min((s.start_min for s in self.segments), default=None)

    @property
    def last_end(self) -> int | None:
        return max((s.end_min for s in self.segments), default=None)


@dataclass(frozen=True)
class Cover:
    """Coverage of one shift on one day (R-ROS-3): ``min`` is a hard floor
    (family coverage_min), ``target`` soft with under/over weights (family
    coverage_target), ``max`` soft (family coverage_max)."""

    min: int = 0
    target: int | None = None
    max: int | None = None
    under_weight: int | None = None
    over_weight: int | None = None


@dataclass(frozen=True)
class Family:
    """How a rule family is enforced: hard, or soft at ``weight`` per unit."""

    hard: bool
    weight: int


@dataclass(frozen=True)
class Limit:
    """A per-period count limit for each agent.

    what: ``"shift:<id>"`` shifts of one type, ``"kind:<kind>"`` shifts of a
    kind (``kind:night``), ``"days"`` days worked, ``"minutes"`` minutes worked,
    ``"weekends"`` Mon–Sun weeks with work on Sat or Sun.
    period: ``"week"`` (each Mon–Sun week) or ``"horizon"`` (the whole problem).
    An agent's own limit with the same ``key`` replaces the rule set's.
    """

    what: str
    period: str = "horizon"
    min: int | None = None
    max: int | None = None
    hard: bool | None = None  # None: the "limits" family decides
    weight: int | None = None

    def __post_init__(self) -> None:
        ok = self.what in ("days", "minutes", "weekends") or re.fullmatch(r"(shift|kind):\S+", self.what)
        if not ok or self.period not in ("week", "horizon"):
            raise UserError(f"bad limit {self.what!r}/{self.period!r}")

    @property
    def key(self) -> str:
        return f"{self.what}/{self.period}"


@dataclass(frozen=True)
class Event:
    """A mandatory event (R-ROS-8): every rostered agent should work a shift
    covering [start_min, end_min) on that weekday (holidays excepted)."""

    weekday: str
    start_min: int
    end_min: int
    label: str = "meeting"


@dataclass(frozen=True)
class Request:
    """A wish: ``on`` = wants to work (``shift`` or any shift), otherwise wants
    not to work it (``shift`` None = the whole day off).  Soft, weighted."""

    agent: str
    day: date
    shift: str | None
    on: bool
    weight: int = 10


@dataclass
class AgentSpec:
    """A person to roster; ``None`` fields fall back to the RuleSet.

    history: fairness counters carried across cycles (R-ROS-10, R-ROS-6):
    ``nights``, ``weekend_rests``, ``holiday_rests`` taken before this problem.
    """

    name: str
    role: str = "agent"
    shifts: tuple[str, ...] | None = None  # allowed shift ids, None = all
    rest_days_per_week: int | None = None
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_off: int | None = None
    limits: tuple[Limit, ...] = ()
    unavailable_weekdays: tuple[str, ...] = ()
    history: dict[str, int] = field(default_factory=dict)


def house_shifts() -> tuple[ShiftType, ...]:
    # R-ROS-2
    return (
        ShiftType("D", "day", "白班", (Segment.parse("08:30-17:30"),), "day"),
        ShiftType("N", "night", "晚班", (Segment.parse("10:00-14:00"), Segment.parse("17:30-23:00")), "night"),
    )


FAMILY_DEFAULTS: dict[str, Family] = {  # asx/roster/defaults.py holds the values (R-ROS-1..10)
    name: Family(f["hard"], f["weight"]) for name, f in _defaults.DEFAULT_SETTINGS["families"].items()
}


@dataclass
class RuleSet:
    """All rule families with their parameters; defaults are the house rules
    of domain.md (R-ROS-1..10)."""

    shifts: tuple[ShiftType, ...] = field(default_factory=house_shifts)
    rostered_roles: tuple[str, ...] = ("agent",)
    coverage: dict[str, Cover] = field(default_factory=lambda: {"D": Cover(min=1), "N": Cover(min=1, max=1)})
    coverage_weekday: dict[str, dict[str, Cover]] = field(default_factory=dict)
    coverage_holiday: dict[str, Cover] = field(default_factory=dict)
    coverage_workday: dict[str, Cover] = field(default_factory=dict)  # 调休 make-up workdays
    coverage_dates: dict[date, dict[str, Cover]] = field(default_factory=dict)
    rest_days_per_week: int | None = 1  # R-ROS-1 exactly N per Mon-Sun week
    # R-ROS-1 with R-ROS-6: may a holiday rest count as the weekly rest? auto | always | never
    holiday_rest_as_weekly_rest: str = "auto"
    max_consecutive_days: int | None = 7
    min_consecutive_days: int | None = None
    min_consecutive_off: int | None = None
    min_rest_minutes: int | None = 660
    forbidden_successions: tuple[tuple[str, str], ...] = ()
    switch_days: tuple[str, ...] = ("sat", "sun")  # R-ROS-4; () = no restriction
    limits: tuple[Limit, ...] = ()
    events: tuple[Event, ...] = (Event("mon", 13 * 60 + 30, 14 * 60, "weekly meeting"),)  # R-ROS-8
    families: dict[str, Family] = field(default_factory=lambda: dict(FAMILY_DEFAULTS))
    cycle_weeks: int = 3  # R-ROS-5; 0 = no cycle phase
    rotation: bool = True  # cycle phase: agents in groups of cycle_weeks share one line, a week apart
    template_weight: int = 1  # per cell that leaves the laid-over cycle
    plan_nights: bool = True  # R-ROS-10 by turns: night runs taken in queue order (asx.roster.night_plan)

    def family(self, name: str) -> Family:
        if name in STRUCTURAL:
            return Family(True, 0)
        return self.families.get(name, FAMILY_DEFAULTS[name])

    # ---------------------------------------------------------------- settings
    @staticmethod
    def default_settings() -> dict[str, Any]:
        """The ``[roster]`` table of asx.toml with every default (plain TOML types)."""
        from asx.roster.defaults import DEFAULT_SETTINGS

        return copy.deepcopy(DEFAULT_SETTINGS)

    @classmethod
    def from_settings(cls, settings: dict[str, Any] | None = None) -> "RuleSet":
        """Build from a plain dict (the ``[roster]`` table); missing keys take defaults.
        Unknown keys raise UserError (a typo must not be silently ignored)."""
        s = cls.default_settings()
        given = dict(settings or {})
        for ignored in ("engine", "time_limit", "seed", "workers"):  # CLI-level keys
            given.pop(ignored, None)
        unknown = set(given) - set(s)
        if unknown:
            raise UserError(f"unknown roster setting(s): {', '.join(sorted(unknown))}")
        fams = dict(s["families"])
        for k, v in (given.pop("families", None) or {}).items():
            if k not in FAMILY_DEFAULTS:
                raise UserError(f"unknown roster rule family {k!r}")
            fams[k] = {**fams[k], **v}
        s.update(given)
        shifts = []
        for sid, spec in s["shifts"].items():
            spec = dict(spec)
            segs = tuple(Segment.parse(x) for x in spec.pop("segments", []))
            minutes = spec.pop("minutes", None)
            kind = spec.pop("kind", "night" if sid.upper().startswith("N") else "day")
            extra = set(spec) - {"label_en", "label_zh"}
            if extra:
                raise UserError(f"unknown key(s) for shift {sid}: {', '.join(sorted(extra))}")
            shifts.append(ShiftType(sid, spec.get("label_en", sid), spec.get("label_zh", ""), segs, kind, minutes))
        ids = {sh.id for sh in shifts}

        def covers(table: dict) -> dict[str, Cover]:
            out = {}
            for sid, c in table.items():
                if sid not in ids:
                    raise UserError(f"coverage for unknown shift {sid!r}")
                out[sid] = Cover(**c)
            return out

        for wd in s["coverage_weekday"]:
            if wd not in WEEKDAYS:
                raise UserError(f"bad weekday {wd!r} in coverage_weekday")
        events: tuple[Event, ...] = ()
        if s["monday_meeting"]:
            seg = Segment.parse(s["monday_meeting"])
            events = (Event("mon", seg.start_min, seg.end_min, "weekly meeting"),)
        for wd in s["switch_days"]:
            if wd not in WEEKDAYS:
                raise UserError(f"bad weekday {wd!r} in switch_days")
        for a, b in s["forbidden_transitions"]:
            if a not in ids or b not in ids:
                raise UserError(f"forbidden transition {a}->{b} names an unknown shift")
        zero_none = lambda v: v if v else None  # noqa: E731
        hrw = s["holiday_rest_as_weekly_rest"]
        hrw = {True: "always", False: "never"}.get(hrw, hrw) if isinstance(hrw, bool) else str(hrw).lower()
        if hrw not in ("auto", "always", "never"):
            raise UserError(f"roster.holiday_rest_as_weekly_rest must be auto, always or never (not {hrw!r})")
        return cls(
            shifts=tuple(shifts),
            rostered_roles=tuple(s["rostered_roles"]),
            coverage=covers(s["coverage"]),
            coverage_weekday={wd: covers(t) for wd, t in s["coverage_weekday"].items()},
            coverage_holiday=covers(s["coverage_holiday"]),
            coverage_workday=covers(s["coverage_workday"]),
            coverage_dates={date.fromisoformat(str(d)): covers(t) for d, t in s["coverage_dates"].items()},
            rest_days_per_week=s["rest_days_per_week"] if s["rest_days_per_week"] is not None else None,
            holiday_rest_as_weekly_rest=hrw,
            max_consecutive_days=zero_none(s["max_consecutive_days"]),
            min_consecutive_days=zero_none(s["min_consecutive_days"]),
            min_consecutive_off=zero_none(s["min_consecutive_off"]),
            min_rest_minutes=round(s["min_rest_hours"] * 60) if s["min_rest_hours"] else None,
            forbidden_successions=tuple((a, b) for a, b in s["forbidden_transitions"]),
            switch_days=tuple(s["switch_days"]),
            limits=tuple(Limit(**lim) for lim in s["limits"]),
            events=events,
            families={k: Family(bool(v["hard"]), int(v["weight"])) for k, v in fams.items()},
            cycle_weeks=int(s["cycle_weeks"]),
            rotation=bool(s["rotation"]),
            template_weight=int(s["template_weight"]),
            plan_nights=bool(s["plan_nights"]),
        )


@dataclass
class Problem:
    """What to roster: ``days`` days from ``start`` (a Monday).

    leave: hard days off shown as LEAVE (R-ROS-7).  pinned: published cells that
    must not move (shift id or None = rest).  holidays / workdays: public
    holidays and 调休 make-up workdays (R-ROS-6).  wrap: the horizon is a cycle
    whose last day is followed by its first (R-ROS-5).  use_cycle: solve a
    ``cycle_weeks`` wrap-around rotation first and lay it over the dates
    (default: when ``rules.cycle_weeks`` > 0 and not ``wrap``).
    """

    start: date
    days: int
    agents: list[AgentSpec]
    shifts: tuple[ShiftType, ...] | None = None
    rules: RuleSet = field(default_factory=RuleSet)
    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)
    leave: dict[str, set[date]] = field(default_factory=dict)
    pinned: dict[tuple[str, date], str | None] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    previous: "Roster | None" = None
    wrap: bool = False
    use_cycle: bool | None = None

    def __post_init__(self) -> None:
        if self.shifts is None:
            self.shifts = tuple(self.rules.shifts)
        self.shifts = tuple(self.shifts)
        if self.start.weekday() != 0:
            raise UserError(f"roster start {self.start} is not a Monday")
        if self.days < 1:
            raise UserError("roster needs at least one day")
        names = [a.name for a in self.agents]
        if len(set(names)) != len(names):
            raise UserError("duplicate agent name in roster problem")
        ids = [s.id for s in self.shifts]
        if len(set(ids)) != len(ids):
            raise UserError("duplicate shift id")
        known = set(names)
        for (name, _d), sid in self.pinned.items():
            if name not in known:
                raise UserError(f"pinned cell for unknown agent {name!r}")
            if sid is not None and sid != LEAVE and sid not in ids:
                raise UserError(f"pinned cell names unknown shift {sid!r}")
        for r in self.requests:
            if r.shift is not None and r.shift not in ids:
                raise UserError(f"request names unknown shift {r.shift!r}")
        self._idx = {d: i for i, d in enumerate(self.dates)}
        self._shift = {s.id: s for s in self.shifts}
        self._rest_counts: dict[tuple[int, int], bool] = {}  # holiday_rest_counts per week

    # ------------------------------------------------------------- calendar
    @property
    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def index(self, day: date) -> int | None:
        return self._idx.get(day)

    def day(self, i: int) -> date:
        return self.start + timedelta(days=i)

    def weekday(self, i: int) -> str:
        return WEEKDAYS[i % 7]  # start is a Monday

    def is_holiday(self, i: int) -> bool:
        return self.day(i) in self.holidays

    def is_weekend(self, i: int) -> bool:
        """Sat/Sun that is not a 调休 make-up workday."""
        return i % 7 >= 5 and self.day(i) not in self.workdays

    def weeks(self) -> list[list[int]]:
        """Day indexes of each Mon–Sun week (the last may be partial)."""
        return [list(range(w, min(w + 7, self.days))) for w in range(0, self.days, 7)]

    def switch_groups(self) -> list[list[int]]:
        """R-ROS-4: a switch day starts a new group, any other day joins the
        group of the day before; within a group an agent keeps one shift type.
        With ``wrap`` the groups wrap around the end."""
        sw = set(self.rules.switch_days)
        if not sw:
            return [[i] for i in range(self.days)]
        starts = [i for i in range(self.days) if self.weekday(i) in sw]
        if not starts:
            return [list(range(self.days))]
        if not self.wrap and starts[0] != 0:
            starts = [0] + starts
        groups = []
        for k, s in enumerate(starts):
            nxt = starts[k + 1] if k + 1 < len(starts) else (starts[0] + self.days if self.wrap else self.days)
            groups.append([i % self.days for i in range(s, nxt)])
        return groups

    # ------------------------------------------------------------- people
    def rostered(self) -> list[AgentSpec]:
        return [a for a in self.agents if a.role in self.rules.rostered_roles]

    def shift(self, sid: str) -> ShiftType:
        return self._shift[sid]

    def on_leave(self, name: str, i: int) -> bool:
        return self.day(i) in self.leave.get(name, ())

    def unavailable(self, agent: AgentSpec, i: int) -> bool:
        """Leave or an unavailable weekday: the agent cannot work (hard)."""
        return self.on_leave(agent.name, i) or self.weekday(i) in agent.unavailable_weekdays

    def allowed_shifts(self, agent: AgentSpec) -> list[str]:
        ids = [s.id for s in self.shifts]
        return ids if agent.shifts is None else [s for s in ids if s in agent.shifts]

    def param(self, agent: AgentSpec, name: str) -> int | None:
        own = getattr(agent, name)
        return own if own is not None else getattr(self.rules, name)

    def limits_for(self, agent: AgentSpec) -> list[Limit]:
        merged = {lim.key: lim for lim in self.rules.limits}
        merged.update({lim.key: lim for lim in agent.limits})
        return list(merged.values())

    def limit_family(self, lim: Limit) -> Family:
        fam = self.rules.family("limits")
        return Family(fam.hard if lim.hard is None else lim.hard, fam.weight if lim.weight is None else lim.weight)

    def shifts_matching(self, what: str) -> list[str]:
        """Shift ids counted by a limit or fairness ``what`` (shift:/kind:)."""
        kind, _, arg = what.partition(":")
        if kind == "shift":
            return [s.id for s in self.shifts if s.id == arg]
        if kind == "kind":
            return [s.id for s in self.shifts if s.kind == arg]
        return [s.id for s in self.shifts]

    def holiday_rest_counts(self, week: list[int]) -> bool:
        """May a holiday rest count as the weekly rest (R-ROS-1) in this week? Normally a holiday
        rest is extra (R-ROS-6) and the weekly rest falls on another day. Setting
        ``holiday_rest_as_weekly_rest``: ``never``; ``always`` (every week with a holiday);
        ``auto`` (default): in a week of holidays only, and where the team cannot otherwise be
        covered — the days left for the weekly rest lie inside one switch group (R-ROS-4) and the
        team is smaller than the shift minimums plus one resting agent per shift type (R-ROS-3), or
        the non-holiday days have fewer agents to spare beyond the shift minimums than the team owes
        weekly rests (:meth:`rest_room_week`: twelve agents, nine on duty a day, and only Friday to
        Sunday left after Spring Festival 2027).
        Where it counts, the week needs at least its quota of rests on any eligible day and at
        most its quota on non-holiday days; further holiday rests stay free (R-ROS-6)."""
        mode = self.rules.holiday_rest_as_weekly_rest
        if mode == "never" or not any(self.is_holiday(i) for i in week):
            return False
        if mode == "always" or all(self.is_holiday(i) for i in week):
            return True  # a week of holidays only: the weekly rest can only be a holiday rest
        key = (week[0], len(week))  # asked per agent and week (rest_eligible): the team's answer once
        if key not in self._rest_counts:
            self._rest_counts[key] = self.small_team_week(week) is not None or self.rest_room_week(week) is not None
        return self._rest_counts[key]

    def rest_room_week(self, week: list[int]) -> tuple[int, int] | None:
        """(weekly rests owed, room for them) when the week's non-holiday days cannot hold every weekly
        rest (R-ROS-1) with the shift minimums covered (R-ROS-3): the room of a day is its available
        agents beyond the sum of its minimums. Else None."""
        plain = [i for i in week if not self.is_holiday(i)]
        if len(plain) == len(week) or len(week) < 7:
            return None
        owed = 0
        for a in self.rostered():
            n = self.param(a, "rest_days_per_week")
            if n:
                owed += min(n, sum(1 for i in plain if not self.unavailable(a, i)))
        room = 0
        for i in plain:
            mins = sum(c.min for c in (self.cover(i, s.id) for s in self.shifts) if c is not None)
            room += max(0, sum(1 for a in self.rostered() if not self.unavailable(a, i)) - mins)
        return (owed, room) if room < owed else None

    def small_team_week(self, week: list[int]) -> tuple[int, int] | None:
        """(team, needed) when a week's non-holiday days cannot hold every weekly rest (see
        :meth:`holiday_rest_counts`), else None."""
        elig = [i for i in week if not self.is_holiday(i)]
        sw = set(self.rules.switch_days)
        if not elig or not sw or self.rules.rest_days_per_week is None:
            return None
        if any(self.weekday(j) in sw for j in range(elig[0] + 1, elig[-1] + 1)):
            return None  # the rests can fall either side of a switch day: the ordinary week
        need = 0
        for s in self.shifts:
            m = max((c.min for c in (self.cover(i, s.id) for i in elig) if c is not None), default=0)
            if m > 0:
                need += m + 1
        team = sum(1 for a in self.rostered() if any(not self.unavailable(a, i) for i in elig))
        return (team, need) if team < need else None

    def rest_eligible(self, agent: AgentSpec, week: list[int]) -> list[int]:
        """R-ROS-1: the days of a week whose rest counts as the weekly rest: not leave or
        unavailable, and not a public holiday unless a holiday rest counts (R-ROS-6)."""
        hol_ok = self.holiday_rest_counts(week)
        return [i for i in week if not self.unavailable(agent, i) and (hol_ok or not self.is_holiday(i))]

    def rest_quota(self, agent: AgentSpec, week: list[int]) -> int | None:
        """R-ROS-1: rest days owed in a week, counting only :meth:`rest_eligible` days (a
        holiday rest is extra unless it counts as the weekly rest)."""
        n = self.param(agent, "rest_days_per_week")
        if n is None:
            return None
        return min(n, len(self.rest_eligible(agent, week)))

    # ------------------------------------------------------------- coverage
    def cover(self, i: int, sid: str) -> Cover | None:
        """R-ROS-3: date > holiday > 调休 workday > weekday > default."""
        r = self.rules
        d = self.day(i)
        if sid in r.coverage_dates.get(d, {}):
            return r.coverage_dates[d][sid]
        if d in self.holidays and sid in r.coverage_holiday:
            return r.coverage_holiday[sid]
        if d in self.workdays and sid in r.coverage_workday:
            return r.coverage_workday[sid]
        if sid in r.coverage_weekday.get(self.weekday(i), {}):
            return r.coverage_weekday[self.weekday(i)][sid]
        return r.coverage.get(sid)

    def under_weight(self, c: Cover) -> int:
        return c.under_weight if c.under_weight is not None else self.rules.family("coverage_target").weight

    def over_weight(self, c: Cover) -> int:
        return c.over_weight if c.over_weight is not None else self.rules.family("coverage_target").weight

    def holiday_need(self, i: int) -> int:
        """R-ROS-6: agents needed on a holiday; more than this costs holiday_rest."""
        need = 0
        for s in self.shifts:
            c = self.cover(i, s.id)
            if c is not None:
                need += c.target if c.target is not None else c.min
        return need

    def event_shifts(self, ev: Event) -> list[str]:
        """Shifts whose segments cover the whole event (R-ROS-8)."""
        return [
            s.id
            for s in self.shifts
            if any(seg.start_min <= ev.start_min and ev.end_min <= seg.end_min for seg in s.segments)
        ]

    def rest_gap(self, a: str, b: str) -> int | None:
        """Minutes between shift a on one day and shift b on the next day."""
        sa, sb = self.shift(a), self.shift(b)
        if sa.last_end is None or sb.first_start is None:
            return None
        return 1440 + sb.first_start - sa.last_end

    def cycle_problem(self) -> "Problem":
        """R-ROS-5: the wrap-around rotation of ``cycle_weeks`` weeks with the
        weekly rules only (no dates, leave, pins or requests)."""
        return Problem(
            start=self.start,
            days=self.rules.cycle_weeks * 7,
            agents=self.rostered(),
            shifts=self.shifts,
            rules=replace(self.rules, coverage_dates={}),
            wrap=True,
            use_cycle=False,
        )

    def copy(self, **changes: Any) -> "Problem":
        p = copy.copy(self)
        for k, v in changes.items():
            setattr(p, k, v)
        p.__post_init__()
        return p


@dataclass(eq=False)
class Roster:
    """Assignment of every (agent, date): a shift id, None (rest) or LEAVE.

    Ordering is stable: dates ascending, agents in the given order."""

    start: date
    days: int
    agents: tuple[str, ...]
    cells: dict[tuple[str, date], str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.agents = tuple(self.agents)

    def __eq__(self, other: object) -> bool:
        """Equal when every cell reads the same (a missing cell is a rest)."""
        if not isinstance(other, Roster):
            return NotImplemented
        return (self.start, self.days, self.agents) == (other.start, other.days, other.agents) and all(
            self.get(a, d) == other.get(a, d) for a in self.agents for d in self.dates)

    @property
    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def get(self, agent: str, day: date) -> str | None:
        return self.cells.get((agent, day))

    def at(self, agent: str, i: int) -> str | None:
        return self.cells.get((agent, self.start + timedelta(days=i)))

    def set(self, agent: str, day: date, value: str | None) -> None:
        self.cells[(agent, day)] = value

    def copy(self) -> "Roster":
        return Roster(self.start, self.days, self.agents, dict(self.cells))

    def to_rows(self) -> list[dict[str, str]]:
        """One row per (date, agent): date, weekday, agent, shift ("" when
        not working), status work/rest/leave.  Stable order."""
        rows = []
        for d in self.dates:
            for a in self.agents:
                v = self.get(a, d)
                status = "leave" if v == LEAVE else ("rest" if v is None else "work")
                rows.append(
                    {
                        "date": d.isoformat(),
                        "weekday": WEEKDAYS[d.weekday()],
                        "agent": a,
                        "shift": v if status == "work" else "",
                        "status": status,
                    }
                )
        return rows

    def grid(self, rest: str = "-", leave: str = "L") -> list[list[str]]:
        """Header ``["agent", dates…]`` then one row per agent."""
        out = [["agent"] + [d.isoformat() for d in self.dates]]
        for a in self.agents:
            row = [a]
            for d in self.dates:
                v = self.get(a, d)
                row.append(leave if v == LEAVE else rest if v is None else v)
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "days": self.days,
            "agents": list(self.agents),
            "cells": {a: [self.get(a, d) for d in self.dates] for a in self.agents},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Roster":
        r = cls(date.fromisoformat(data["start"]), int(data["days"]), tuple(data["agents"]))
        for a, vals in data["cells"].items():
            for d, v in zip(r.dates, vals):
                r.cells[(a, d)] = v
        return r


def dates_between(first: date, last: date) -> Iterable[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)
