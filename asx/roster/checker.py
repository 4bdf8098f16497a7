"""Independent roster checker (pure Python, no OR-Tools).

Scores any roster, whoever produced it, against a Problem: every hard
violation and every soft penalty is itemised.  It reads the Problem only
through the data look-ups of :mod:`asx.roster.model` and shares no constraint
code with the solver, so a solver bug shows up as a checker finding.

Counting conventions (the solver's objective is built to match them):
- coverage: per (day, shift), units short of min / off target / over max;
- rest_days (R-ROS-1): per agent and Mon–Sun week, |rest days − quota| (a
  partial week only counts rest days above quota);
- max_consecutive: per run of work days, days beyond the maximum;
- min_consecutive / min_consecutive_off: per run that is too short (1 unit);
  a work run touching the horizon's edge counts (days outside are off), an
  off run touching it does not;
- min_rest / forbidden_succession: per occurrence of the pair on two days;
- switch_days (R-ROS-4): per switch group, distinct shift types − 1;
- limits: per agent and period, units below min / above max;
- events (R-ROS-8), requests: per unmet item;
- holiday_rest (R-ROS-6): per agent working a holiday beyond the need;
- fairness (R-ROS-10): max − min of history + count over rostered agents.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from asx.roster.model import FAIRNESS, LEAVE, RULE_IDS, Problem, Roster


@dataclass(frozen=True)
class Violation:
    rule_id: str
    family: str
    hard: bool
    agent: str | None
    day: date | None
    weight: int  # penalty of this item (0 for a hard violation)
    message: str
    amount: int = 1


@dataclass
class Report:
    violations: list[Violation] = field(default_factory=list)

    @property
    def penalty(self) -> int:
        return sum(v.weight for v in self.violations if not v.hard)

    @property
    def hard_count(self) -> int:
        return sum(1 for v in self.violations if v.hard)

    @property
    def ok(self) -> bool:
        return self.hard_count == 0

    def hard(self) -> list[Violation]:
        return [v for v in self.violations if v.hard]

    def by_family(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for v in self.violations:
            if not v.hard:
                out[v.family] += v.weight
        return dict(out)


def check(problem: Problem, roster: Roster) -> Report:
    return _Checker(problem, roster).run()


class _Checker:
    def __init__(self, p: Problem, roster: Roster) -> None:
        self.p = p
        self.r = roster
        self.out: list[Violation] = []
        self.n = p.days
        self.agents = p.rostered()
        self.shift_ids = {s.id for s in p.shifts}
        # raw cell values per agent, index 0..n-1
        self.val: dict[str, list[str | None]] = {}
        for a in self.agents:
            self.val[a.name] = [roster.get(a.name, p.day(i)) for i in range(self.n)]

    # --------------------------------------------------------------- helpers
    def add(self, family: str, agent: str | None, i: int | None, amount: int, message: str,
            weight: int | None = None, hard: bool | None = None) -> None:
        if amount <= 0:
            return
        fam = self.p.rules.family(family)
        is_hard = fam.hard if hard is None else hard
        unit = fam.weight if weight is None else weight
        self.out.append(
            Violation(
                RULE_IDS[family], family, is_hard, agent, None if i is None else self.p.day(i),
                0 if is_hard else unit * amount, message, amount,
            )
        )

    def works(self, name: str, i: int) -> bool:
        v = self.val[name][i % self.n]
        return v is not None and v != LEAVE

    def shift_at(self, name: str, i: int) -> str | None:
        v = self.val[name][i % self.n]
        return None if v is None or v == LEAVE else v

    def runs(self, flags: list[bool], wanted: bool) -> list[tuple[int, int, bool]]:
        """Maximal runs of ``wanted`` as (start, length, touches_edge).
        With wrap, runs are circular; a run covering every day has length n."""
        n = self.n
        if all(f == wanted for f in flags):
            return [(0, n, True)]
        out = []
        if self.p.wrap:
            start0 = next(i for i in range(n) if flags[i] != wanted)  # rotate to a break
            i = 0
            while i < n:
                j = (start0 + i) % n
                if flags[j] == wanted:
                    length = 0
                    while i < n and flags[(start0 + i) % n] == wanted:
                        length += 1
                        i += 1
                    out.append((j, length, False))
                else:
                    i += 1
            return out
        i = 0
        while i < n:
            if flags[i] == wanted:
                s = i
                while i < n and flags[i] == wanted:
                    i += 1
                out.append((s, i - s, s == 0 or i == n))
            else:
                i += 1
        return out

    # --------------------------------------------------------------- rules
    def run(self) -> Report:
        self.structural()
        self.coverage()
        for a in self.agents:
            self.rest_days(a)
            self.consecutive(a)
            self.successions(a)
            self.switch_days(a)
            self.limits(a)
            self.events(a)
        self.requests()
        self.holiday_rest()
        self.fairness()
        return Report(self.out)

    def structural(self) -> None:
        p = self.p
        for a in self.agents:
            allowed = set(p.allowed_shifts(a))
            for i in range(self.n):
                v = self.val[a.name][i]
                if v == LEAVE and not p.on_leave(a.name, i):
                    self.add("leave", a.name, i, 1, "marked LEAVE without leave")
                if v is not None and v != LEAVE:
                    if p.unavailable(a, i):
                        self.add("leave", a.name, i, 1, f"works {v} while on leave/unavailable")
                    if v not in self.shift_ids:
                        self.add("shift_allowed", a.name, i, 1, f"unknown shift {v!r}")
                    elif v not in allowed:
                        self.add("shift_allowed", a.name, i, 1, f"may not work {v}")
        for (name, d), want in p.pinned.items():
            i = p.index(d)
            if i is None or name not in self.val:
                continue
            got = self.shift_at(name, i)
            want_shift = None if want in (None, LEAVE) else want
            if got != want_shift:
                self.add("pinned", name, i, 1, f"pinned {want_shift or 'rest'}, rostered {got or 'rest'}")

    def coverage(self) -> None:
        p = self.p
        for i in range(self.n):
            counts = Counter(self.shift_at(a.name, i) for a in self.agents)
            for s in p.shifts:
                c = p.cover(i, s.id)
                if c is None:
                    continue
                cnt = counts.get(s.id, 0)
                self.add("coverage_min", None, i, c.min - cnt, f"{s.id} has {cnt}, minimum {c.min}")
                if c.target is not None:
                    self.add("coverage_target", None, i, c.target - cnt, f"{s.id} has {cnt}, target {c.target}",
                             weight=p.under_weight(c), hard=False)
                    self.add("coverage_target", None, i, cnt - c.target, f"{s.id} has {cnt}, target {c.target}",
                             weight=p.over_weight(c), hard=False)
                if c.max is not None:
                    self.add("coverage_max", None, i, cnt - c.max, f"{s.id} has {cnt}, maximum {c.max}")

    def rest_days(self, a) -> None:
        # R-ROS-1
        p = self.p
        for week in p.weeks():
            q = p.rest_quota(a, week)
            if q is None:
                continue
            # a holiday rest may count as the weekly rest (p.holiday_rest_counts): then at least q rests
            # on eligible days (holidays included), at most q on the other days
            elig = p.rest_eligible(a, week)
            rests = sum(1 for i in elig if not self.works(a.name, i))
            plain = sum(1 for i in elig if not p.is_holiday(i) and not self.works(a.name, i))
            diff = max(0, plain - q) + (max(0, q - rests) if len(week) == 7 else 0)
            self.add("rest_days", a.name, week[0], diff, f"{rests} rest day(s) in week, rule says {q}")

    def consecutive(self, a) -> None:
        p, n = self.p, self.n
        flags = [self.works(a.name, i) for i in range(n)]
        k = p.param(a, "max_consecutive_days")
        if k is not None and k + 1 <= n:
            for s, length, _edge in self.runs(flags, True):
                excess = n if (p.wrap and length == n) else length - k
                self.add("max_consecutive", a.name, s, excess, f"{length} days in a row, maximum {k}")
        m = p.param(a, "min_consecutive_days")
        if m is not None and m > 1:
            for s, length, _edge in self.runs(flags, True):
                if length < m and not (p.wrap and length == n):
                    self.add("min_consecutive", a.name, s, 1, f"{length} work day(s) in a row, minimum {m}")
        m = p.param(a, "min_consecutive_off")
        if m is not None and m > 1:
            for s, length, edge in self.runs(flags, False):
                if length < m and not edge and not (p.wrap and length == n):
                    self.add("min_consecutive_off", a.name, s, 1, f"{length} day(s) off in a row, minimum {m}")

    def successions(self, a) -> None:
        p, n = self.p, self.n
        forbidden = set(p.rules.forbidden_successions)
        min_rest = p.rules.min_rest_minutes
        last = n if p.wrap else n - 1
        for i in range(last):
            s1, s2 = self.shift_at(a.name, i), self.shift_at(a.name, i + 1)
            if s1 is None or s2 is None:
                continue
            if (s1, s2) in forbidden:
                self.add("forbidden_succession", a.name, (i + 1) % n, 1, f"{s1} followed by {s2}")
            if min_rest is not None and s1 in self.shift_ids and s2 in self.shift_ids:
                sh1, sh2 = p.shift(s1), p.shift(s2)
                if sh1.segments and sh2.segments:
                    gap = 1440 + min(g.start_min for g in sh2.segments) - max(g.end_min for g in sh1.segments)
                    if gap < min_rest:
                        self.add("min_rest", a.name, (i + 1) % n, 1,
                                 f"{s1} then {s2}: {gap / 60:g} h rest, minimum {min_rest / 60:g} h")

    def switch_days(self, a) -> None:
        # R-ROS-4
        for g in self.p.switch_groups():
            kinds = {self.shift_at(a.name, i) for i in g} - {None}
            self.add("switch_days", a.name, g[0], len(kinds) - 1,
                     f"shift type changes between switch days ({', '.join(sorted(kinds))})")

    def limits(self, a) -> None:
        p = self.p
        for lim in p.limits_for(a):
            fam = p.limit_family(lim)
            periods = [list(range(self.n))] if lim.period == "horizon" else p.weeks()
            for days in periods:
                full = lim.period == "horizon" or len(days) == 7
                if lim.what == "days":
                    value = sum(1 for i in days if self.works(a.name, i))
                elif lim.what == "minutes":
                    value = sum(p.shift(self.shift_at(a.name, i)).work_minutes for i in days
                                if self.shift_at(a.name, i) in self.shift_ids)
                elif lim.what == "weekends":
                    weeks: set[int] = set()
                    for i in days:
                        if p.is_weekend(i) and self.works(a.name, i):
                            weeks.add(i // 7)
                    value = len(weeks)
                else:
                    match = set(p.shifts_matching(lim.what))
                    value = sum(1 for i in days if self.shift_at(a.name, i) in match)
                label = f"{lim.what} per {lim.period}"
                if lim.max is not None:
                    self.add("limits", a.name, days[0], value - lim.max, f"{label}: {value} > {lim.max}",
                             weight=fam.weight, hard=fam.hard)
                if lim.min is not None and full:
                    self.add("limits", a.name, days[0], lim.min - value, f"{label}: {value} < {lim.min}",
                             weight=fam.weight, hard=fam.hard)

    def events(self, a) -> None:
        # R-ROS-8
        p = self.p
        for ev in p.rules.events:
            ok = set(p.event_shifts(ev))
            for i in range(self.n):
                if p.weekday(i) != ev.weekday or p.is_holiday(i) or p.unavailable(a, i):
                    continue
                if self.shift_at(a.name, i) not in ok:
                    self.add("events", a.name, i, 1, f"misses {ev.label}")

    def requests(self) -> None:
        p = self.p
        names = {a.name for a in self.agents}
        for rq in p.requests:
            i = p.index(rq.day)
            if i is None or rq.agent not in names:
                continue
            got = self.shift_at(rq.agent, i)
            if rq.on:
                unmet = got is None if rq.shift is None else got != rq.shift
            else:
                unmet = got is not None if rq.shift is None else got == rq.shift
            if unmet:
                what = rq.shift or "any shift"
                self.add("requests", rq.agent, i, 1, f"request {'on' if rq.on else 'off'} {what} not met",
                         weight=rq.weight)

    def holiday_rest(self) -> None:
        # R-ROS-6: holidays are rested in rotation; working beyond the need costs.
        p = self.p
        for i in range(self.n):
            if not p.is_holiday(i):
                continue
            working = sum(1 for a in self.agents if self.works(a.name, i))
            need = p.holiday_need(i)
            self.add("holiday_rest", None, i, working - need, f"{working} work on a holiday, need {need}",
                     hard=False)

    def fairness(self) -> None:
        # R-ROS-10, R-ROS-6
        p = self.p
        if len(self.agents) < 2:
            return
        night = {s.id for s in p.shifts if s.kind == "night"}
        for fam, counter in FAIRNESS.items():
            if p.rules.family(fam).weight <= 0:
                continue
            vals = {}
            for a in self.agents:
                if counter == "nights":
                    c = sum(1 for i in range(self.n) if self.shift_at(a.name, i) in night)
                elif counter == "weekend_rests":
                    c = sum(1 for i in range(self.n)
                            if p.is_weekend(i) and not self.works(a.name, i) and not p.unavailable(a, i))
                else:
                    c = sum(1 for i in range(self.n)
                            if p.is_holiday(i) and not self.works(a.name, i) and not p.unavailable(a, i))
                vals[a.name] = a.history.get(counter, 0) + c
            hi = max(vals, key=lambda k: vals[k])
            lo = min(vals, key=lambda k: vals[k])
            self.add(fam, None, None, vals[hi] - vals[lo],
                     f"{counter}: {hi} {vals[hi]} vs {lo} {vals[lo]} (incl. history)", hard=False)
