"""CP-SAT roster solver (R-ROS).  OR-Tools is imported only inside functions.

``solve`` builds one CP-SAT model from a Problem: one Boolean per (agent, day,
allowed shift), every rule family as hard constraints or weighted penalty
terms (see docs/roster-engine.md), and minimises the weighted penalty.  With a
cycle (R-ROS-5) it first solves a ``cycle_weeks`` wrap-around rotation and
then lays it over the real dates, leaving the rotation only where holidays,
leave, pins or requests make it necessary (``template_weight`` per changed
cell).  Same input, seed and worker count give the same roster: the search is
limited by CP-SAT's deterministic time only (``time_limit`` seconds are
converted with :data:`DTIME_PER_SECOND`); no wall-clock limit applies, so the
result does not depend on machine load (issue 19 item 7).  Only the
benchmark mode ``deterministic=False`` uses a wall-clock limit; there CP-SAT's
first rosters are improved by the large-neighbourhood search of
:mod:`asx.roster.lns` (issue 19 item 4).

Infeasible input is explained, not raised: quick necessary-condition
pre-checks per day and week, then a CP-SAT core over per-family enforcement
literals (assumptions) names the rule families and days that conflict.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from asx.roster.model import FAIRNESS, LEAVE, WEEKDAYS, Problem, Roster

DTIME_PER_SECOND = 0.6  # CP-SAT deterministic time units per second of limit (calibrated, 2-core box)
CYCLE_SHARE = 0.25  # share of the time limit for the cycle phase (R-ROS-5)

FAMILY_TEXT = {
    "coverage_min": "minimum coverage (R-ROS-3)",
    "rest_days": "rest days per week (R-ROS-1, 6 on 1 off)",
    "max_consecutive": "maximum consecutive working days",
    "min_consecutive": "minimum consecutive working days",
    "min_consecutive_off": "minimum consecutive days off",
    "min_rest": "minimum rest between shifts (R-ROS-2)",
    "forbidden_succession": "forbidden shift successions",
    "switch_days": "switch-day rule (R-ROS-4: shift type changes only on switch days)",
    "limits": "per-period limits",
    "events": "mandatory events (R-ROS-8)",
    "requests": "requests",
    "pinned": "pinned/published days (R-ROS-5)",
}


@dataclass
class Result:
    status: str  # 'optimal' | 'feasible' | 'infeasible' | 'unknown'
    roster: Roster | None
    objective: int | None  # weighted soft penalty (what checker.check reports)
    bound: float | None  # CP-SAT lower bound of the solved objective
    gap: float | None  # (objective − bound) / objective of the solved objective
    explanation: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class RepairResult:
    result: Result
    changes: list[tuple[str, date, str | None, str | None]]
    cover_candidates: dict[tuple[date, str], list[tuple[str, str]]]


# ---------------------------------------------------------------------------
# model building


class _Build:
    """One CP-SAT model of a Problem.

    explain=True puts every hard constraint under an enforcement literal per
    (family[, day/week]) so an infeasible model yields a core of families."""

    def __init__(self, p: Problem, *, explain: bool = False, template: Roster | None = None,
                 baseline: Roster | None = None, baseline_from: int = 0, plan=None) -> None:
        from ortools.sat.python import cp_model

        self.cp_model = cp_model
        self.p = p
        self.m = cp_model.CpModel()
        self.explain = explain
        self.enf: dict[tuple, Any] = {}
        self.pen: dict[str, list[tuple[int, Any]]] = defaultdict(list)  # family -> (weight, expr)
        self.const_pen: dict[str, int] = defaultdict(int)
        self.extra: list[tuple[int, Any]] = []  # template deviation / changes
        self.changes: list[Any] = []
        self.infeasible_const: list[str] = []
        self.n = p.days
        self.agents = p.rostered()
        self.x: dict[tuple[str, int], dict[str, Any]] = {}
        self.w: dict[tuple[str, int], Any] = {}
        self.template = template  # hints for the turn variables (R-ROS-10)
        self.plan = plan
        self._vars()
        if plan is not None:  # night runs decided first (asx.roster.night_plan, R-ROS-10 by turns)
            plan.apply(self)
        self._rotation()
        self._coverage()
        for a in self.agents:
            self._rest_days(a)
            self._consecutive(a)
            self._successions(a)
            self._switch(a)
            self._limits(a)
            self._events(a)
        self._requests()
        self._holiday_rest()
        self._fairness()
        self._night_cap()
        self._turns()
        if template is not None:
            self._deviation(template, p.rules.template_weight, self.extra)
        if baseline is not None:
            self._deviation(baseline, 1, None, first=baseline_from)
        self._objective()

    # ----------------------------------------------------------- primitives
    def lit(self, key: tuple):
        if not self.explain:
            return None
        if key not in self.enf:
            self.enf[key] = self.m.new_bool_var("enf_" + "_".join(map(str, key)))
        return self.enf[key]

    def hard_linear(self, ct, key: tuple) -> None:
        e = self.lit(key)
        if e is not None:
            ct.only_enforce_if(e)

    def le(self, expr, bound: int, family: str, key: tuple, weight: int | None = None,
           hard: bool | None = None, top: int | None = None) -> None:
        """expr <= bound: hard, or weight per unit above bound (``top``: largest
        value expr can take, to bound the slack)."""
        fam = self.p.rules.family(family)
        hard = fam.hard if hard is None else hard
        weight = fam.weight if weight is None else weight
        if isinstance(expr, int):
            if expr > bound:
                if hard:
                    self.infeasible_const.append(family)
                    self.m.add_bool_or([])
                else:
                    self.const_pen[family] += weight * (expr - bound)
            return
        if hard:
            self.hard_linear(self.m.add(expr <= bound), key)
        else:
            if top is not None and top <= bound:
                return
            s = self.m.new_int_var(0, 10**6 if top is None else top - bound, "")
            self.m.add(expr - s <= bound)
            self.pen[family].append((weight, s))

    def ge(self, expr, bound: int, family: str, key: tuple, weight: int | None = None,
           hard: bool | None = None, low: int | None = 0) -> None:
        """expr >= bound (``low``: smallest value expr can take)."""
        self.le(-expr, -bound, family, key, weight, hard, None if low is None else -low)

    def clause(self, lits: list, family: str, key: tuple, weight: int | None = None,
               hard: bool | None = None) -> None:
        """OR(lits); a literal is a CP-SAT literal or a Python bool."""
        if any(v is True for v in lits):
            return
        lits = [v for v in lits if v is not False]
        fam = self.p.rules.family(family)
        hard = fam.hard if hard is None else hard
        weight = fam.weight if weight is None else weight
        if not lits:
            if hard:
                self.infeasible_const.append(family)
                self.m.add_bool_or([])
            else:
                self.const_pen[family] += weight
            return
        if hard:
            e = self.lit(key)
            self.m.add_bool_or(lits + ([e.Not()] if e is not None else []))
        elif len(lits) == 1:  # violated iff the literal is false: no helper variable
            lit = lits[0]
            self.pen[family].append((weight, 1 - lit if lit.index >= 0 else lit.Not()))
        else:
            pv = self.m.new_bool_var("")
            self.m.add_bool_or(lits + [pv])
            self.pen[family].append((weight, pv))

    @staticmethod
    def neg(v):
        return (not v) if isinstance(v, bool) else v.Not()

    def work(self, name: str, i: int):
        """Work literal, or False outside the horizon/for an absent agent."""
        if not self.p.wrap and (i < 0 or i >= self.n):
            return False
        return self.w[(name, i % self.n)]

    def xs(self, name: str, i: int, sids) -> list:
        cell = self.x[(name, i % self.n)]
        return [cell[s] for s in sids if s in cell]

    # ----------------------------------------------------------- variables
    def _vars(self) -> None:
        p, m = self.p, self.m
        for a in self.agents:
            allowed = p.allowed_shifts(a)
            for i in range(self.n):
                cell: dict[str, Any] = {}
                if not p.unavailable(a, i):
                    for s in allowed:
                        cell[s] = m.new_bool_var(f"x_{a.name}_{i}_{s}")
                self.x[(a.name, i)] = cell
                if not cell:
                    self.w[(a.name, i)] = False
                else:
                    wv = m.new_bool_var(f"w_{a.name}_{i}")
                    m.add(sum(cell.values()) == wv)  # one shift a day
                    self.w[(a.name, i)] = wv
                pin = p.pinned.get((a.name, p.day(i)), "-")
                if pin != "-":
                    if pin is None or pin == LEAVE:
                        if cell:
                            self.clause([self.neg(self.w[(a.name, i)])], "pinned", ("pinned",))
                    else:
                        self.clause([cell.get(pin, False)], "pinned", ("pinned",))

    def _rotation(self) -> None:
        """R-ROS-5 rotation (cycle phase only): agents with the same personal
        rules form groups of ``cycle_weeks``; the j-th agent of a group works
        the group's line shifted by j weeks, so every agent of a group goes
        through every week of the rotation (one on nights each week, …)."""
        p = self.p
        weeks = p.rules.cycle_weeks
        if not (p.wrap and p.rules.rotation and weeks >= 2 and p.days == 7 * weeks):
            return
        by_sig: dict[str, list] = defaultdict(list)
        for a in self.agents:
            sig = repr((p.allowed_shifts(a), a.rest_days_per_week, a.max_consecutive_days, a.min_consecutive_days,
                        a.min_consecutive_off, sorted(lim.key for lim in p.limits_for(a)), p.limits_for(a),
                        a.unavailable_weekdays, sorted(d for d in p.leave.get(a.name, ()))))
            by_sig[sig].append(a)
        for members in by_sig.values():
            for g in range(0, len(members) - len(members) % weeks, weeks):
                lead = members[g].name
                for j in range(1, weeks):
                    other = members[g + j].name
                    for i in range(self.n):
                        src = self.x[(lead, (i - 7 * j) % self.n)]
                        for s, v in self.x[(other, i)].items():
                            if s in src:
                                self.m.add(v == src[s])

    NIGHT_CAP_WEIGHT = 100

    def _night_cap(self) -> None:
        """R-ROS-10 by turns (cycle phase only): no line of the rotation carries more nights than
        one run (a week) or the fair share, whichever is more — a night over it costs
        NIGHT_CAP_WEIGHT (an extra term, not a rule penalty). Balanced lines let the lines be
        handed out by turns across cycles (:func:`by_turns`)."""
        p = self.p
        if not p.wrap:
            return
        night = [s.id for s in p.shifts if s.kind == "night"]
        able = [a for a in self.agents if any(s in p.allowed_shifts(a) for s in night)]
        if not night or not able:
            return
        need = sum((p.cover(i, s) or _ZERO).min for i in range(self.n) for s in night)
        cap = max(7, -(-need // len(able)))
        for a in able:
            terms = [v for i in range(self.n) for v in self.xs(a.name, i, night)]
            if len(terms) <= cap:
                continue
            over = self.m.new_int_var(0, len(terms), f"nightcap_{a.name}")
            self.m.add(over >= sum(terms) - cap)
            self.extra.append((self.NIGHT_CAP_WEIGHT, over))

    RUN_START_WEIGHT = 0  # per run started in the rotation (0: lone Saturdays give more agents a turn)
    TURN_WEIGHT = 2000  # per turn of spread above 1 (R-ROS-10 by turns, strongly weighted)
    MARATHON_WEIGHT = 200  # per night week right after another (a run of two weeks)

    def _turns(self) -> None:
        """R-ROS-10 by turns (issue 19 item 3). R-ROS-4 keeps an agent on one shift type within a
        switch group, so nights come in runs; a run starts in a group with a night when the group
        before had none (``history['night_open']``: the day before the horizon was a night).

        Cycle phase (wrap): every run started costs RUN_START_WEIGHT (a lone Saturday night is a
        turn too, so the lines keep Saturdays with the adjacent run) and a line with a second run
        costs TURN_WEIGHT. Dated phase (no cost per run there: merging runs into longer ones is
        no fairer): with the turns carried in ``history['night_turns']``,
        each night-capable agent's turns above the fewest + 1 cost TURN_WEIGHT per turn,
        so nobody takes a second run before every agent who can work nights has had one.
        These are extra terms (like the template deviation), not rule penalties."""
        p = self.p
        if not any(a.history for a in self.agents):
            return  # the first cycle: nothing carried, the rotation as it comes
        if not p.wrap and (self.template is None or p.previous is not None):
            return  # a cycle's rotation, and the dates laid from it once turns are carried; repairs keep few changes
        night = [s.id for s in p.shifts if s.kind == "night"]
        able = [a for a in self.agents if any(s in p.allowed_shifts(a) for s in night)]
        if not night or len(able) < 1:
            return
        groups = p.switch_groups()
        if not groups:
            return
        tpl = self.template
        turns, hinted = {}, {}
        for a in able:
            ys, hy = [], []
            for g in groups:
                terms = [v for i in g for v in self.xs(a.name, i, night)]
                if not terms:
                    ys.append(0)
                    hy.append(0)
                    continue
                y = self.m.new_bool_var("")
                for v in terms:
                    self.m.add_implication(v, y)
                self.m.add(sum(terms) >= y)
                ys.append(y)
                hy.append(int(tpl is not None and any(tpl.get(a.name, p.day(i)) in night for i in g)))
                if tpl is not None:
                    self.m.add_hint(y, hy[-1])
            starts, hs = [], 0
            for k, y in enumerate(ys):
                if isinstance(y, int) and y == 0:
                    continue
                if k == 0 and not p.wrap:
                    prev, hprev = (1, 1) if a.history.get("night_open") else (0, 0)
                else:
                    prev, hprev = ys[k - 1], hy[k - 1]
                st = self.m.new_bool_var("")
                self.m.add(st >= y - prev)
                starts.append(st)
                if tpl is not None:
                    self.m.add_hint(st, max(0, hy[k] - hprev))
                    hs += max(0, hy[k] - hprev)
            # two night weeks back to back are two turns, not one long run, and cost TURN_WEIGHT
            weeks = [k for k, g in enumerate(groups) if len(g) >= 2 and not isinstance(ys[k], int)]
            for k1, k2 in zip(weeks, weeks[1:]):
                both = self.m.new_bool_var("")
                self.m.add(both >= ys[k1] + ys[k2] - 1)
                starts.append(both)
                self.extra.append((self.MARATHON_WEIGHT, both))  # a marathon of nights: avoided
                if tpl is not None:
                    self.m.add_hint(both, int(hy[k1] and hy[k2]))
                    hs += int(hy[k1] and hy[k2])
            base = a.history.get("night_turns", 0)
            if not starts:
                turns[a.name], hinted[a.name] = base, base
                continue
            if p.wrap:
                self.extra.append((self.RUN_START_WEIGHT, sum(starts)))
                over = self.m.new_int_var(0, len(starts), "")
                self.m.add(over >= sum(starts) - 1)
                self.extra.append((self.TURN_WEIGHT, over))
            else:
                turns[a.name], hinted[a.name] = base + sum(starts), base + hs
        if p.wrap or len(turns) < 2:
            return
        top = max(a.history.get("night_turns", 0) for a in able) + len(groups) + 1
        lo = self.m.new_int_var(0, top, "turns_lo")
        h_lo = min(hinted.values())
        if tpl is not None:
            self.m.add_hint(lo, h_lo)
        for name, t in turns.items():
            self.m.add(lo <= t)
            over = self.m.new_int_var(0, top, "")  # turns above the fewest + 1: a second run too early
            self.m.add(over >= t - lo - 1)
            self.extra.append((self.TURN_WEIGHT, over))
            if tpl is not None:
                self.m.add_hint(over, max(0, hinted[name] - h_lo - 1))

    # ----------------------------------------------------------- families
    def _coverage(self) -> None:
        # R-ROS-3
        p = self.p
        for i in range(self.n):
            for s in p.shifts:
                c = p.cover(i, s.id)
                if c is None:
                    continue
                vs = [self.x[(a.name, i)][s.id] for a in self.agents if s.id in self.x[(a.name, i)]]
                cnt = sum(vs) if vs else 0
                top = len(vs)
                if c.min > 0:
                    self.ge(cnt, c.min, "coverage_min", ("coverage_min", i, s.id))
                if c.target is not None:
                    self.ge(cnt, c.target, "coverage_target", (), weight=p.under_weight(c), hard=False)
                    self.le(cnt, c.target, "coverage_target", (), weight=p.over_weight(c), hard=False, top=top)
                if c.max is not None:
                    self.le(cnt, c.max, "coverage_max", ("coverage_max", i, s.id), top=top)

    def _rest_days(self, a) -> None:
        # R-ROS-1: exactly the quota of rest days on eligible days of a full week
        p = self.p
        for wk, week in enumerate(p.weeks()):
            q = p.rest_quota(a, week)
            if q is None:
                continue
            # at most q rests on the plain eligible days, at least q counting holiday rests where a
            # holiday rest counts as the weekly rest (p.holiday_rest_counts, R-ROS-6)
            elig = p.rest_eligible(a, week)
            plain = [i for i in elig if not p.is_holiday(i)]

            def rests_on(days):
                worked = [self.w[(a.name, i)] for i in days if self.w[(a.name, i)] is not False]
                return len(days) - sum(worked) if worked else len(days)

            key = ("rest_days", wk)
            self.le(rests_on(plain), q, "rest_days", key, top=len(plain))
            if len(week) == 7:
                self.ge(rests_on(elig), q, "rest_days", key)

    def _consecutive(self, a) -> None:
        p, n, name = self.p, self.n, a.name
        rng = range(n) if p.wrap else None
        k = p.param(a, "max_consecutive_days")
        if k is not None and k + 1 <= n:
            starts = rng if p.wrap else range(n - k)
            for i in starts:
                win = [self.work(name, j) for j in range(i, i + k + 1)]
                vs = [v for v in win if v is not False]
                if len(vs) == k + 1:
                    self.le(sum(vs), k, "max_consecutive", ("max_consecutive",), top=k + 1)
        m = p.param(a, "min_consecutive_days")
        if m is not None and m > 1:
            for length in range(1, min(m, n + 1 if not p.wrap else n)):
                starts = rng if p.wrap else range(0, n - length + 1)
                for i in starts:
                    lits = [self.work(name, i - 1), self.work(name, i + length)]
                    lits += [self.neg(self.work(name, j)) for j in range(i, i + length)]
                    self.clause(lits, "min_consecutive", ("min_consecutive",))
        m = p.param(a, "min_consecutive_off")
        if m is not None and m > 1:
            for length in range(1, min(m, n)):
                starts = rng if p.wrap else range(1, n - length)
                for i in starts:
                    lits = [self.neg(self.work(name, i - 1)), self.neg(self.work(name, i + length))]
                    lits += [self.work(name, j) for j in range(i, i + length)]
                    self.clause(lits, "min_consecutive_off", ("min_consecutive_off",))

    def _successions(self, a) -> None:
        p, n = self.p, self.n
        pairs: list[tuple[str, str, str]] = [(s1, s2, "forbidden_succession") for s1, s2 in p.rules.forbidden_successions]
        if p.rules.min_rest_minutes is not None:
            for s1 in p.shifts:
                for s2 in p.shifts:
                    gap = p.rest_gap(s1.id, s2.id)
                    if gap is not None and gap < p.rules.min_rest_minutes:
                        pairs.append((s1.id, s2.id, "min_rest"))
        last = n if p.wrap else n - 1
        hard_next: dict[tuple[str, str], list[str]] = defaultdict(list)
        for s1, s2, fam in pairs:
            if p.rules.family(fam).hard and not self.explain:
                hard_next[(fam, s1)].append(s2)  # aggregated below
                continue
            for i in range(last):
                c1, c2 = self.x[(a.name, i)], self.x[(a.name, (i + 1) % n)]
                if s1 in c1 and s2 in c2:
                    self.clause([c1[s1].Not(), c2[s2].Not()], fam, (fam,))
        for (fam, s1), nexts in hard_next.items():
            # one shift a day: x[s1, d] + sum of forbidden successors on d+1 <= 1
            for i in range(last):
                c1, c2 = self.x[(a.name, i)], self.x[(a.name, (i + 1) % n)]
                succ = [c2[s2] for s2 in dict.fromkeys(nexts) if s2 in c2]
                if s1 in c1 and succ:
                    self.m.add(c1[s1] + sum(succ) <= 1)

    def _switch(self, a) -> None:
        # R-ROS-4
        p = self.p
        fam = p.rules.family("switch_days")
        for g in p.switch_groups():
            present = sorted({s for i in g for s in self.x[(a.name, i)]})
            if len(g) < 2 or len(present) < 2:
                continue
            y = {s: self.m.new_bool_var("") for s in present}
            for i in g:
                for s, v in self.x[(a.name, i)].items():
                    self.m.add_implication(v, y[s])
            self.le(sum(y.values()), 1, "switch_days", ("switch_days",), weight=fam.weight, top=len(y))

    def _limits(self, a) -> None:
        p = self.p
        for lim in p.limits_for(a):
            fam = p.limit_family(lim)
            periods = [list(range(self.n))] if lim.period == "horizon" else p.weeks()
            for days in periods:
                full = lim.period == "horizon" or len(days) == 7
                terms: list = []
                if lim.what == "days":
                    terms = [self.w[(a.name, i)] for i in days if self.w[(a.name, i)] is not False]
                elif lim.what == "minutes":
                    terms = [p.shift(s).work_minutes * v for i in days for s, v in self.x[(a.name, i)].items()]
                elif lim.what == "weekends":
                    byweek: dict[int, list] = defaultdict(list)
                    for i in days:
                        if p.is_weekend(i) and self.w[(a.name, i)] is not False:
                            byweek[i // 7].append(self.w[(a.name, i)])
                    for ws in byweek.values():
                        ww = self.m.new_bool_var("")
                        for v in ws:
                            self.m.add_implication(v, ww)
                        self.m.add(sum(ws) >= ww)
                        terms.append(ww)
                else:
                    match = p.shifts_matching(lim.what)
                    terms = [v for i in days for v in self.xs(a.name, i, match)]
                expr = sum(terms) if terms else 0
                top = len(terms) if lim.what != "minutes" else sum(
                    max((p.shift(s).work_minutes for s in self.x[(a.name, i)]), default=0) for i in days)
                if lim.max is not None:
                    self.le(expr, lim.max, "limits", ("limits",), weight=fam.weight, hard=fam.hard, top=top)
                if lim.min is not None and full:
                    self.ge(expr, lim.min, "limits", ("limits",), weight=fam.weight, hard=fam.hard)

    def _events(self, a) -> None:
        # R-ROS-8
        p = self.p
        for ev in p.rules.events:
            ok = p.event_shifts(ev)
            for i in range(self.n):
                if p.weekday(i) != ev.weekday or p.is_holiday(i) or p.unavailable(a, i):
                    continue
                self.clause(self.xs(a.name, i, ok), "events", ("events",))

    def _requests(self) -> None:
        p = self.p
        names = {a.name for a in self.agents}
        for rq in p.requests:
            i = p.index(rq.day)
            if i is None or rq.agent not in names:
                continue
            cell = self.x[(rq.agent, i)]
            if rq.on:
                lits = [self.w[(rq.agent, i)]] if rq.shift is None else [cell.get(rq.shift, False)]
            else:
                lits = [self.neg(self.w[(rq.agent, i)]) if rq.shift is None
                        else (cell[rq.shift].Not() if rq.shift in cell else True)]
            self.clause(lits, "requests", ("requests",), weight=rq.weight)

    def _holiday_rest(self) -> None:
        # R-ROS-6
        p = self.p
        for i in range(self.n):
            if p.is_holiday(i):
                ws = [self.w[(a.name, i)] for a in self.agents if self.w[(a.name, i)] is not False]
                self.le(sum(ws) if ws else 0, p.holiday_need(i), "holiday_rest", (), hard=False, top=len(ws))

    def _fairness(self) -> None:
        # R-ROS-10, R-ROS-6: weight × (max − min) of history + count
        p = self.p
        if len(self.agents) < 2:
            return
        night = [s.id for s in p.shifts if s.kind == "night"]
        for fam, counter in FAIRNESS.items():
            weight = p.rules.family(fam).weight
            if weight <= 0:
                continue
            vals = []
            for a in self.agents:
                h = a.history.get(counter, 0)
                if counter == "nights":
                    terms = [v for i in range(self.n) for v in self.xs(a.name, i, night)]
                    vals.append((h, terms, 0))
                else:
                    pick = p.is_weekend if counter == "weekend_rests" else p.is_holiday
                    days = [i for i in range(self.n) if pick(i) and not p.unavailable(a, i)]
                    vals.append((h + len(days), [self.w[(a.name, i)] for i in days], 1))
            if all(not t for _h, t, _s in vals) and len({h for h, _t, _s in vals}) == 1:
                continue
            lo_b = min(h - len(t) for h, t, _s in vals) - 1
            hi_b = max(h + len(t) for h, t, _s in vals) + 1
            hi = self.m.new_int_var(lo_b, hi_b, f"{fam}_hi")
            lo = self.m.new_int_var(lo_b, hi_b, f"{fam}_lo")
            self.m.add(hi >= lo)
            for h, terms, sign in vals:
                expr = (h - sum(terms)) if sign else (h + sum(terms))
                self.m.add(hi >= expr)
                self.m.add(lo <= expr)
            self.pen[fam].append((weight, hi - lo))

    def _deviation(self, ref: Roster, weight: int, sink, first: int = 0) -> None:
        for a in self.agents:
            for i in range(first, self.n):
                cell = self.x[(a.name, i)]
                if (a.name, self.p.day(i)) not in ref.cells:
                    continue  # a newcomer or a day the reference doesn't cover
                want = ref.get(a.name, self.p.day(i))
                if want is None or want == LEAVE:
                    d = self.w[(a.name, i)]
                    if d is False:
                        continue
                    self.m.add_hint(d, 0)
                    for v in cell.values():
                        self.m.add_hint(v, 0)
                    dev = d
                else:
                    if want not in cell:
                        continue  # forced change (leave, not allowed): constant
                    for s, v in cell.items():
                        self.m.add_hint(v, 1 if s == want else 0)
                    self.m.add_hint(self.w[(a.name, i)], 1)
                    dev = cell[want].Not()
                if sink is None:
                    self.changes.append(dev)
                else:
                    sink.append((weight, dev))

    def _objective(self) -> None:
        terms = [w * e for fam in self.pen for w, e in self.pen[fam] if w]
        terms += [w * e for w, e in self.extra if w]
        self.m.minimize(sum(terms) + sum(self.const_pen.values()))

    def penalty_expr(self):
        terms = [w * e for fam in self.pen for w, e in self.pen[fam] if w]
        return sum(terms) + sum(self.const_pen.values())

    # ----------------------------------------------------------- decoding
    def decode(self, solver) -> Roster:
        p = self.p
        r = Roster(p.start, p.days, tuple(a.name for a in self.agents))
        for a in self.agents:
            for i in range(self.n):
                d = p.day(i)
                val: str | None = None
                for s, v in self.x[(a.name, i)].items():
                    if solver.boolean_value(v):
                        val = s
                        break
                if val is None and p.on_leave(a.name, i):
                    val = LEAVE
                r.cells[(a.name, d)] = val
        return r


# ---------------------------------------------------------------------------
# solving


class _Sol:
    """A finished CP-SAT run: the solver (for values), its status and objective."""

    def __init__(self, solver, status, objective: float | None, bound: float | None) -> None:
        self.solver = solver
        self.status = status
        self.objective = objective
        self.bound = bound

    # the attributes callers read from a CpSolver
    @property
    def objective_value(self) -> float:
        return self.objective if self.objective is not None else 0.0

    @property
    def best_objective_bound(self) -> float:
        return self.bound if self.bound is not None else 0.0

    @property
    def deterministic_time(self) -> float:
        return self._dtime

    def value(self, e):
        return self.solver.value(e)

    def boolean_value(self, v):
        return self.solver.boolean_value(v)


# Stage-B configurations of the deterministic portfolio, one per worker thread.
_CONFIGS = (
    {"linearization_level": 0},
    {"linearization_level": 0, "optimize_with_core": True},
    {"linearization_level": 1},
    {"linearization_level": 0, "search_branching": "PSEUDO_COST_SEARCH"},
)


def _run(build: _Build, time_limit: float, seed: int, workers: int, deterministic: bool,
         callback: bool = True, max_dtime: float | None = None) -> tuple[_Sol, int, dict[str, Any]]:
    """Solve ``build.m`` within ``time_limit`` seconds.

    deterministic=False: one CP-SAT call with ``workers`` threads and a
    wall-clock limit (fastest, not reproducible).

    deterministic=True: a portfolio that is reproducible by construction:
    a single-thread run to the first solution, then rounds in which
    ``workers`` single-thread CP-SAT runs with different settings (in
    parallel threads, each limited by deterministic time) start from the
    incumbent; after each round the best result (ties: lowest worker) becomes
    the incumbent.  It stops when optimality is proven or the deterministic
    budget is spent.  No wall-clock limit: a loaded machine takes longer but
    finds the same roster (issue 19 item 7)."""
    cp = build.cp_model
    t0 = time.perf_counter()
    first: list[float] = []

    class _CB(cp.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:  # noqa: N802 (OR-Tools name)
            if not first:
                first.append(time.perf_counter() - t0)

    def finish(sol: _Sol, dtime: float, extra: dict[str, Any]) -> tuple[_Sol, int, dict[str, Any]]:
        sol._dtime = dtime
        wall = time.perf_counter() - t0
        stats = {
            "wall_time": round(wall, 3),
            "first_solution_time": round(first[0], 3) if first else None,
            "deterministic_time": round(dtime, 3),
            "deterministic": bool(deterministic),
            "cp_status": {cp.OPTIMAL: "OPTIMAL", cp.FEASIBLE: "FEASIBLE", cp.INFEASIBLE: "INFEASIBLE",
                          cp.MODEL_INVALID: "MODEL_INVALID"}.get(sol.status, "UNKNOWN"),
            **extra,
        }
        return sol, sol.status, stats

    if not deterministic:
        solver = cp.CpSolver()
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.random_seed = seed
        solver.parameters.linearization_level = 2  # stronger LP for the LNS workers (NRP A/B tests)
        solver.parameters.max_time_in_seconds = max(0.01, time_limit)
        if max_dtime is not None:  # work budget independent of machine load (wall limit stays a cap)
            solver.parameters.max_deterministic_time = max_dtime
        st = solver.solve(build.m, _CB() if callback else None)
        ok = st in (cp.OPTIMAL, cp.FEASIBLE)
        sol = _Sol(solver, st, solver.objective_value if ok else None, solver.best_objective_bound if ok else None)
        return finish(sol, solver.deterministic_time, {})

    budget = max(0.05, time_limit * DTIME_PER_SECOND)

    def one(cfg: dict[str, Any], dtime: float, k: int, cb=None, first_only=False) -> tuple[_Sol, float]:
        solver = cp.CpSolver()
        prm = solver.parameters
        prm.num_workers = 1
        prm.random_seed = seed + k
        prm.max_deterministic_time = max(0.01, dtime)
        for key, val in cfg.items():
            setattr(prm, key, getattr(cp, val) if isinstance(val, str) else val)
        if first_only:
            prm.stop_after_first_solution = True
        st = solver.solve(build.m, cb)
        ok = st in (cp.OPTIMAL, cp.FEASIBLE)
        return _Sol(solver, st, solver.objective_value if ok else None,
                    solver.best_objective_bound if ok or st == cp.UNKNOWN else None), solver.deterministic_time

    # stage A: first solution
    best, used = one({"linearization_level": 0, "search_branching": "PORTFOLIO_WITH_QUICK_RESTART_SEARCH"},
                     min(budget, max(0.5, budget * 0.5)), 0, _CB() if callback else None, first_only=True)
    rounds = 0
    if best.status == cp.INFEASIBLE or best.objective is None:
        return finish(best, used, {"rounds": 0})
    bound = best.bound or 0.0
    proven = best.status == cp.OPTIMAL
    step = 0.5
    import threading

    while not proven and used < budget - 1e-6:
        rounds += 1
        dt = min(step, budget - used)
        build.m.clear_hints()
        for cell in build.x.values():
            for v in cell.values():
                build.m.add_hint(v, best.boolean_value(v))
        results: list[Any] = [None] * max(1, workers)

        def work(k: int) -> None:
            results[k] = one(_CONFIGS[k % len(_CONFIGS)], dt, k + rounds * 7)

        threads = [threading.Thread(target=work, args=(k,)) for k in range(1, len(results))]
        for t in threads:
            t.start()
        work(0)
        for t in threads:
            t.join()
        used += max(r[1] for r in results)
        for sol, _dt in results:
            if sol.bound is not None:
                bound = max(bound, sol.bound)
            if sol.objective is not None and sol.objective < best.objective - 1e-9:
                best = sol
            if sol.status == cp.OPTIMAL and sol.objective is not None and sol.objective <= best.objective + 1e-9:
                proven = True
        if best.objective is not None and bound >= best.objective - 1e-9:
            proven = True
        step = min(step * 2, 4.0)
    best.bound = max(bound, 0.0) if not proven else best.objective
    best.status = cp.OPTIMAL if proven else cp.FEASIBLE
    return finish(best, used, {"rounds": rounds})


def _polish(b: _Build, sol) -> tuple[int, int]:
    """Exact model penalty of a solution: with every shift variable fixed,
    minimise again so each slack/penalty variable takes its least value
    (a search may stop with loose slacks).  Returns (penalty, extra terms)."""
    cp = b.cp_model
    m = b.m
    m.clear_hints()
    m.clear_assumptions()
    for cell in b.x.values():
        for v in cell.values():
            m.add(v == int(sol.boolean_value(v)))
    solver = cp.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 10.0
    st = solver.solve(m)
    use = solver if st in (cp.OPTIMAL, cp.FEASIBLE) else sol
    extra = int(round(sum(use.value(w * e) for w, e in b.extra))) if b.extra else 0
    return int(round(use.value(b.penalty_expr()))), extra


def _status(build: _Build, solver, status) -> str:
    cp = build.cp_model
    return {cp.OPTIMAL: "optimal", cp.FEASIBLE: "feasible", cp.INFEASIBLE: "infeasible"}.get(status, "unknown")


def solve(problem: Problem, *, time_limit: float = 10.0, seed: int = 0, workers: int = 2,
          deterministic: bool = True, max_dtime: float | None = None) -> Result:
    """Solve a roster problem; never raises for infeasible input (see Result.explanation).

    ``max_dtime`` (only with deterministic=False): also stop after this much
    CP-SAT deterministic time, for benchmarks on a loaded machine."""
    t0 = time.perf_counter()
    pre = precheck(problem)
    if pre:
        return Result("infeasible", None, None, None, None, pre, {"wall_time": round(time.perf_counter() - t0, 3)})
    use_cycle = problem.use_cycle
    if use_cycle is None:
        use_cycle = problem.rules.cycle_weeks > 0 and not problem.wrap
    template = None
    stats: dict[str, Any] = {}
    remaining = time_limit
    if problem.previous is not None:
        # R-ROS-5: regenerating (agents joined/left): stay close to the previous roster
        template = problem.previous
        use_cycle = False
        stats["template"] = "previous"
    if use_cycle and problem.rules.cycle_weeks > 0 and len(problem.rostered()) > 0:
        cyc = problem.cycle_problem()
        if not precheck(cyc):
            b1 = _Build(cyc)
            s1, st1, stats1 = _run(b1, time_limit * CYCLE_SHARE, seed, workers, deterministic)
            stats["cycle"] = {**stats1, "status": _status(b1, s1, st1)}
            if st1 in (b1.cp_model.OPTIMAL, b1.cp_model.FEASIBLE):
                pattern = b1.decode(s1)
                stats["cycle"]["objective"] = _polish(b1, s1)[0]
                template = by_turns(lay_over(pattern, problem), problem)
            remaining = max(time_limit - s1.deterministic_time / DTIME_PER_SECOND, time_limit / 10)
    res = None
    if template is not None and problem.previous is None and problem.rules.plan_nights:
        from asx.roster import night_plan

        plan = night_plan.make(problem, template)
        # the plan, and after a dead end (the next week could not be rostered after it) once more with
        # the last day's night agents able to work on; no roster on the plan: the lines as handed out
        for carry in (False, True) if plan is not None else ():
            if carry and not plan.tail_window:
                break
            plan.carry = carry
            res = _solve_direct(problem, time_limit=remaining, seed=seed, workers=workers,
                                deterministic=deterministic, template=plan.template, max_dtime=max_dtime, plan=plan)
            stats["night_plan"] = f"dead end, then {res.status}" if carry else res.status
            if res.roster is None:
                res = None
                break
            if night_plan.carries_on(problem, res.roster):
                break
            stats["night_plan"], res = ("dead end twice" if carry else "dead end"), None
    if res is None:
        res = _solve_direct(problem, time_limit=remaining, seed=seed, workers=workers,
                            deterministic=deterministic, template=template, max_dtime=max_dtime)
    res.stats.update(stats)
    res.stats["total_wall_time"] = round(time.perf_counter() - t0, 3)
    if template is not None and res.stats.get("first_solution_time") is not None and "cycle" in stats:
        res.stats["first_solution_time_total"] = round(
            stats["cycle"]["wall_time"] + res.stats["first_solution_time"], 3)
    return res


def _night_walk(cells, night: set, open_run: bool) -> tuple[int, int | None]:
    """Runs of nights started in ``cells`` (a rest does not end a run, another shift does) and the
    index of the first start; ``open_run``: the day before was a night (R-ROS-4, R-ROS-10)."""
    runs, first, prev = 0, None, ("N" if open_run else None)
    for i, v in enumerate(cells):
        if v is None or v == LEAVE:
            continue
        if v in night and prev != "N":
            runs += 1
            first = i if first is None else first
        prev = "N" if v in night else "D"
    return runs, first


def _line_turns(cells, night: set, open_run: bool, weeks: list[list[int]]) -> tuple[int, int | None]:
    """Turns of a line: runs started (:func:`_night_walk`) plus one for each night week (switch
    group of two days or more, indexes into ``cells``) right after another night week."""
    runs, first = _night_walk(cells, night, open_run)
    has = [any(0 <= i < len(cells) and cells[i] in night for i in g) for g in weeks]
    return runs + sum(1 for a, b in zip(has, has[1:]) if a and b), first


def turn_state(p: Problem, template: Roster, h0: int) -> dict[str, dict]:
    """Each rostered agent's night-queue state before day ``h0`` (the first free day): the
    history carried (R-ROS-10), then the pinned context and template cells before ``h0`` — turns
    (runs of nights), nights, the last night (ordinal), whether a run is open ("open") and must go on
    (R-ROS-4, "forced"), days worked in a row, and weekend/holiday rests so far."""
    night = {s.id for s in p.shifts if s.kind == "night"}
    state = {}
    for k, a in enumerate(p.rostered()):
        h = a.history
        turns, nights, last = h.get("night_turns", 0), h.get("nights", 0), h.get("last_night", 0)
        prev = "N" if h.get("night_open") else None
        forced = prev == "N"  # a night the day before the free days: R-ROS-4 keeps the run going
        for i in range(h0):
            v = p.pinned.get((a.name, p.day(i)), template.at(a.name, i))
            if v is None or v == LEAVE:
                forced = False
                continue
            if v in night:
                nights += 1
                last = p.day(i).toordinal()
                if prev != "N":
                    turns += 1
            prev = "N" if v in night else "D"
            forced = i == h0 - 1 and v in night
        worked = 0  # days worked in a row up to the free days (R-ROS-1 / max consecutive days)
        for i in range(h0 - 1, -1, -1):
            if p.pinned.get((a.name, p.day(i)), template.at(a.name, i)) in (None, LEAVE):
                break
            worked += 1
        state[a.name] = {"turns": turns, "nights": nights, "last": last, "open": prev == "N", "k": k,
                         "worked": worked, "max_run": p.param(a, "max_consecutive_days"),
                         "forced": forced,
                         "weekend": h.get("weekend_rests", 0), "holiday": h.get("holiday_rests", 0)}
    return state


def by_turns(template: Roster, problem: Problem) -> Roster:
    """R-ROS-10 by turns across cycles: hand the laid-over cycle lines to the agents by their history.

    Interchangeable agents (same role, shifts and personal rules) may swap whole lines of the
    template from the first free day (the stored context week stays as it is) without breaking a
    rule: coverage per day is unchanged and the free days start on a Monday. An agent whose run of
    nights is still open (a night the day before, ``history['night_open']`` or the pinned context)
    keeps nights until the next switch day (R-ROS-4), so it takes a line that continues the run;
    the other lines go by the night queue (fewest turns, then nights, then the oldest last night):
    lines that start a run to the head of the queue, earliest run to the first in line, nobody a
    second run while somebody who can work nights has fewer turns; weekend and holiday rests of
    the lines go to those with the fewest so far (R-ROS-6). The run that starts on the last switch
    group of the horizon (the Sunday that opens the next cycle's run) is then handed over by the
    queue too (issue 19 item 3)."""
    p = problem
    night = {s.id for s in p.shifts if s.kind == "night"}
    agents = p.rostered()
    if not night or len(agents) < 2:
        return template
    n = p.days
    free = [i for i in range(n) if any((a.name, p.day(i)) not in p.pinned for a in agents)]
    if not free:
        return template
    h0 = free[0]
    if h0 == 0 and not any(a.history for a in agents):
        return _first_cycle(template, p, night)
    groups = [g for g in p.switch_groups() if g[0] >= h0 or g[-1] >= h0]
    tail: list[int] = []  # the trailing one-day groups (Sat, Sun): where the next cycle's runs start
    for g in reversed(groups[-2:]):
        if len(g) != 1 or g[0] <= h0 or (tail and g[0] != tail[0] - 1):
            break
        tail.insert(0, g[0])
    t0 = tail[0] if tail else n
    head_end = next((g[0] for g in groups if g[0] >= h0 and g[0] > h0), n)  # days before the first switch day
    out = template.copy()
    for (name, d), v in p.pinned.items():  # the stored context and published days as they are
        if name in template.agents and d in out.dates and v != LEAVE:
            out.cells[(name, d)] = v
    template = out.copy()

    def line(name: str, lo: int, hi: int) -> list:
        return [template.at(name, i) for i in range(lo, hi)]

    state = turn_state(p, template, h0)
    able = [a.name for a in agents if night & set(p.allowed_shifts(a))]
    min_turns = min((state[x]["turns"] for x in able), default=0)
    queue = sorted(able, key=lambda x: (state[x]["turns"], state[x]["nights"], state[x]["last"], state[x]["k"]))
    rank = {x: q for q, x in enumerate(queue)}
    weekend = [i for i in range(h0, n) if p.is_weekend(i)]
    holiday = [i for i in range(h0, n) if p.is_holiday(i)]

    groups_by_sig: dict[tuple, list[str]] = defaultdict(list)
    for a in agents:
        groups_by_sig[(a.role, a.shifts, a.rest_days_per_week, a.max_consecutive_days, a.min_consecutive_days,
                       a.min_consecutive_off, a.limits, a.unavailable_weekdays)].append(a.name)
    from ortools.graph.python import linear_sum_assignment

    # the week groups from the head on, relative to h0 (the head counts when the run goes on)
    nid = sorted(night)[0]
    weeks_rel = [[i - h0 for i in g if h0 <= i < t0] for g in groups
                 if len(g) >= 2 and any(h0 <= i < t0 for i in g)]

    for members in groups_by_sig.values():
        if len(members) < 2:
            continue
        feats = {}
        for src in members:
            cells = line(src, h0, t0)
            feats[src] = {
                "head": any(v in night for v in cells[:head_end - h0]),
                "lead": next((k for k, v in enumerate(cells) if v in (None, LEAVE)), len(cells)),
                "cells": cells,
                "weekend": sum(1 for i in weekend if template.at(src, i) is None),
                "holiday": sum(1 for i in holiday if template.at(src, i) is None),
            }
        mean_w = sum(state[x]["weekend"] + feats[x]["weekend"] for x in members) / len(members)
        mean_h = sum(state[x]["holiday"] + feats[x]["holiday"] for x in members) / len(members)
        solver = linear_sum_assignment.SimpleLinearSumAssignment()
        for ai, dst in enumerate(members):
            st = state[dst]
            for li, src in enumerate(members):
                f = feats[src]
                cells, cost = f["cells"], 0
                if st["max_run"] is not None and st["worked"] + f["lead"] > st["max_run"]:
                    cost += 10**8  # too many days in a row across the boundary (hard rule)
                if st["forced"] and not f["head"]:
                    cost += 10**9  # R-ROS-4: the open run goes on until the next switch day
                    cells = [nid if k < head_end - h0 and v not in (None, LEAVE) else v for k, v in enumerate(cells)]
                runs, first = _line_turns(cells, night, st["open"], weeks_rel)
                if dst in rank and runs:
                    after = st["turns"] + runs
                    cost += 10**7 * max(0, after - (min_turns + 1)) + 10**6 * max(0, runs - 1)
                    cost += 10**5 * runs * (st["turns"] - min_turns) + 1000 * runs * rank[dst]
                    cost += (n - (first or 0)) * rank[dst]
                cost += int(2000 * ((st["weekend"] + f["weekend"] - mean_w) ** 2
                                    + (st["holiday"] + f["holiday"] - mean_h) ** 2))
                solver.add_arc_with_cost(ai, li, cost)
        if solver.solve() != solver.OPTIMAL:
            continue
        for ai, dst in enumerate(members):
            src = members[solver.right_mate(ai)]
            for i in range(h0, n):
                out.cells[(dst, p.day(i))] = template.at(src, i)

    if tail:
        _hand_tail(out, p, tail, night, state, able)
    return out


def _first_cycle(template: Roster, p: Problem, night: set) -> Roster:
    """No history and no stored week before: the lines with the most nights go to the first
    agents of each group of interchangeable agents, as before turns were carried (R-ROS-10)."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for a in p.rostered():
        groups[(a.role, a.shifts, a.rest_days_per_week, a.max_consecutive_days, a.min_consecutive_days,
                a.min_consecutive_off, a.limits, a.unavailable_weekdays)].append(a.name)
    out = template.copy()
    weekend = [i for i in range(p.days) if p.is_weekend(i)]
    order = {a: k for k, a in enumerate(template.agents)}
    for members in groups.values():
        if len(members) < 2:
            continue
        lines = sorted(members, key=lambda x: (-sum(1 for i in range(p.days) if template.at(x, i) in night),
                                               sum(1 for i in weekend if template.at(x, i) is None), order[x]))
        for src, dst in zip(lines, sorted(members, key=lambda x: order[x])):
            for i, d in enumerate(template.dates):
                out.cells[(dst, d)] = template.at(src, i)
    return out


def _hand_tail(out: Roster, p: Problem, tail: list[int], night: set, state: dict, able: list[str]) -> None:
    """The run that starts on the last switch group goes to the head of the queue (after this
    cycle's runs): swap the tail's shift between agents who work every tail day (rests, coverage
    and R-ROS-4 inside the horizon stay as they are)."""
    t0 = tail[0]
    sig = {a.name: (a.role, a.shifts, a.rest_days_per_week, a.max_consecutive_days, a.min_consecutive_days,
                    a.min_consecutive_off, a.limits, a.unavailable_weekdays) for a in p.rostered()}
    spec = {a.name: a for a in p.rostered()}
    key = {}
    for x in able:
        if any(out.at(x, i) == LEAVE or p.unavailable(spec[x], i) for i in tail):
            continue
        if any(p.pinned.get((x, p.day(i)), "-") != "-" for i in tail):
            continue
        st = state[x]
        cyc_runs, _ = _night_walk([out.at(x, i) for i in range(t0) if (x, p.day(i)) not in p.pinned], night,
                                  st["open"])
        mine = [i for i in range(t0) if (x, p.day(i)) not in p.pinned and out.at(x, i) in night]
        key[x] = (st["turns"] + cyc_runs, st["nights"] + len(mine),
                  p.day(mine[-1]).toordinal() if mine else st["last"], st["k"])
    def holds(x: str) -> bool:
        return any(out.at(x, i) in night for i in tail)

    order = sorted(key, key=lambda x: key[x])
    for x in sorted((x for x in key if holds(x)), key=lambda x: key[x], reverse=True):
        # only the nights move, to somebody further up the queue who works those days on
        # another shift: rests stay where they are (R-ROS-1), coverage per day is unchanged
        days = [i for i in tail if out.at(x, i) in night]
        y = next((y for y in order if key[y] < key[x] and sig[y] == sig[x]
                  and all(out.at(y, i) not in (None, LEAVE) and out.at(y, i) not in night for i in days)), None)
        if y is None:
            continue
        for i in days:
            d = p.day(i)
            out.cells[(x, d)], out.cells[(y, d)] = out.cells[(y, d)], out.cells[(x, d)]


def lay_over(pattern: Roster, problem: Problem) -> Roster:
    """R-ROS-5: repeat a cycle pattern over the problem's dates."""
    r = Roster(problem.start, problem.days, pattern.agents)
    L = pattern.days
    for a in pattern.agents:
        for i, d in enumerate(problem.dates):
            r.cells[(a, d)] = pattern.at(a, i % L)
    return r


def _solve_direct(problem: Problem, *, time_limit: float, seed: int, workers: int, deterministic: bool,
                  template: Roster | None = None, max_dtime: float | None = None, plan=None) -> Result:
    b = _Build(problem, template=template, plan=plan)
    if deterministic:
        solver, status, stats = _run(b, time_limit, seed, workers, deterministic, max_dtime=max_dtime)
    else:  # wall-clock mode (the benchmark): CP-SAT, then a large-neighbourhood search (asx.roster.lns)
        from asx.roster import lns

        solver, status, stats = lns.run(b, time_limit, seed, workers, max_dtime=max_dtime)
    st = _status(b, solver, status)
    if st in ("optimal", "feasible"):
        roster = b.decode(solver)
        obj = solver.objective_value
        bound = solver.best_objective_bound
        gap = 0.0 if st == "optimal" else ((obj - bound) / obj if obj > 0 else 0.0)
        pen, dev = _polish(b, solver)
        stats["deviation_from_cycle"] = dev
        return Result(st, roster, pen, bound, round(gap, 6), [], stats)
    if st == "infeasible":
        return Result(st, None, None, None, None, explain(problem, time_limit=min(time_limit, 5.0), seed=seed),
                      stats)
    return Result(st, None, None, None, None,
                  [f"no roster found within the time limit ({time_limit:g} s); try a longer limit"], stats)


# ---------------------------------------------------------------------------
# explanations


def _d(p: Problem, i: int) -> str:
    d = p.day(i)
    return f"{WEEKDAYS[d.weekday()].capitalize()} {d.isoformat()}"


def precheck(p: Problem) -> list[str]:
    """Necessary conditions per cell, day and week; each failure is one line."""
    out: list[str] = []
    agents = p.rostered()
    names = {a.name: a for a in agents}
    for (name, d), sid in sorted(p.pinned.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        i = p.index(d)
        if i is None or name not in names or sid in (None, LEAVE):
            continue
        a = names[name]
        if p.unavailable(a, i):
            out.append(f"{name} is pinned to {sid} on {_d(p, i)} but is on leave/unavailable; unpin the day")
        elif sid not in p.allowed_shifts(a):
            out.append(f"{name} is pinned to {sid} on {_d(p, i)} but may not work {sid}")
    if not p.rules.family("coverage_min").hard:
        return out
    if not agents and any((c := p.cover(i, s.id)) and c.min for i in range(p.days) for s in p.shifts):
        return out + ["no rostered agents (check rostered_roles) but coverage minimums are set"]

    def can(a, i, sid):
        if p.unavailable(a, i) or sid not in p.allowed_shifts(a):
            return False
        pin = p.pinned.get((a.name, p.day(i)), "-")
        return pin == "-" or pin == sid

    for i in range(p.days):
        total = 0
        for s in p.shifts:
            c = p.cover(i, s.id)
            if c is None or c.min <= 0:
                continue
            total += c.min
            avail = sum(1 for a in agents if can(a, i, s.id))
            if avail < c.min:
                out.append(f"{s.id} coverage on {_d(p, i)} needs {c.min}, but only {avail} agent(s) can work it "
                           f"(leave, pins or allowed shifts); add an agent or lower the {s.id} minimum")
        free = sum(1 for a in agents if any(can(a, i, s.id) for s in p.shifts))
        if total > free:
            out.append(f"coverage on {_d(p, i)} needs {total} agents in all, but only {free} can work that day; "
                       "add an agent or lower the minimums")
    if p.rules.family("rest_days").hard and p.rules.rest_days_per_week is not None:
        for week in p.weeks():
            if len(week) < 7:
                continue
            need = sum((p.cover(i, s.id) or _ZERO).min for i in week for s in p.shifts)
            cap = 0
            for a in agents:
                q = p.rest_quota(a, week) or 0
                cap += max(0, sum(1 for i in week if not p.unavailable(a, i)) - q)
            if need > cap:
                out.append(f"week of {_d(p, week[0])} needs {need} shifts to meet the minimums, but with "
                           f"{p.rules.rest_days_per_week} rest day(s) per agent per week (R-ROS-1) the team can "
                           f"work at most {cap}; add an agent or lower the minimums")
            room = p.rest_room_week(week)
            if room and not p.holiday_rest_counts(week):  # holiday_rest_as_weekly_rest = never
                out.append(f"week of {_d(p, week[0])}: the non-holiday days have room for {room[1]} rest(s) beside "
                           f"the shift minimums (R-ROS-3), but the team owes {room[0]} weekly rests (R-ROS-1, a "
                           f"holiday rest does not count under roster.holiday_rest_as_weekly_rest = never); "
                           f"set it to auto, add an agent or lower the minimums")
    return out


class _Zero:
    min = 0


_ZERO = _Zero()


def explain(p: Problem, *, time_limit: float = 5.0, seed: int = 0) -> list[str]:
    """Which hard rule families conflict on which days (CP-SAT core over
    per-family assumption literals, shrunk by deletion)."""
    pre = precheck(p)
    if pre:
        return pre
    b = _Build(p, explain=True)
    if b.infeasible_const:
        fams = sorted(set(b.infeasible_const))
        return [f"the rules can never be met: {', '.join(FAMILY_TEXT.get(f, f) for f in fams)}"]
    keys = sorted(b.enf, key=str)
    core = _core(b, keys, time_limit, seed)
    if core is None:
        return ["the hard rules conflict, but no smaller explanation was found in time"]
    # shrink by deletion (bounded effort, counted in deterministic time: issue 19 item 7)
    budget = time_limit * DTIME_PER_SECOND
    used = 0.0
    i = 0
    core = sorted(core, key=lambda k: (k[0] != "coverage_min", str(k)))  # drop days first
    while i < len(core) and used < budget and len(core) > 1:
        trial = core[:i] + core[i + 1:]
        spent: list[float] = []
        sub = _core(b, trial, min(1.0, time_limit), seed, spent)
        used += spent[0] if spent else 0.0
        if sub is not None:
            core = [k for k in trial if k in set(sub)]
        else:
            i += 1
    return _describe(p, core)


def _core(b: _Build, keys: list[tuple], time_limit: float, seed: int,
          spent: list[float] | None = None) -> list[tuple] | None:
    cp = b.cp_model
    b.m.clear_assumptions()
    b.m.add_assumptions([b.enf[k] for k in keys])
    solver = cp.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(0.01, time_limit * DTIME_PER_SECOND)
    status = solver.solve(b.m)
    if spent is not None:
        spent.append(solver.deterministic_time)
    if status != cp.INFEASIBLE:
        return None
    idx = set(solver.sufficient_assumptions_for_infeasibility())
    out = [k for k in keys if b.enf[k].index in idx]
    return out or list(keys)


def _describe(p: Problem, core: list[tuple]) -> list[str]:
    cov = [k for k in core if k[0] in ("coverage_min", "coverage_max")]
    others = sorted({k[0] for k in core if k[0] not in ("coverage_min", "coverage_max")})
    weeks = sorted({k[1] for k in core if k[0] == "rest_days"})
    rules = []
    for f in others:
        text = FAMILY_TEXT.get(f, f)
        if f == "rest_days" and weeks:
            text += " in week(s) of " + ", ".join(p.day(w * 7).isoformat() for w in weeks)
        rules.append(text)
    rule_text = "; ".join(rules) if rules else "the other hard rules"
    lines = []
    for k in sorted(cov, key=lambda k: (k[1], k[2]))[:5]:
        _f, i, sid = k
        c = p.cover(i, sid)
        label = p.shift(sid).label_en or sid
        if k[0] == "coverage_min":
            lines.append(
                f"{label} ({sid}) coverage on {_d(p, i)} needs {c.min if c else '?'}, but every agent rests, is on "
                f"leave or works another shift under: {rule_text}; add an agent or lower the {sid} minimum"
            )
        else:
            lines.append(f"{label} ({sid}) maximum of {c.max if c else '?'} on {_d(p, i)} conflicts with "
                         f"{rule_text}; raise the {sid} maximum or make it soft")
    if len(cov) > 5:
        lines.append(f"… and {len(cov) - 5} more day/shift coverage conflicts")
    if not lines:
        lines.append(f"these hard rules conflict: {rule_text}; relax one of them (make it soft) or add agents")
    return lines


# ---------------------------------------------------------------------------
# repair (R-ROS-7)


def repair(problem: Problem, previous: Roster, *, changed_from: date, changed_to: date | None = None,
           time_limit: float = 10.0, seed: int = 0, workers: int = 2, deterministic: bool = True) -> RepairResult:
    """Re-solve [changed_from, changed_to] after leave was added.

    Days outside the range keep the previous roster (pinned); ``problem.pinned``
    (published days) stay fixed, except the leave-taker's own cells on leave
    days.  Stage 1 minimises the number of changed cells versus ``previous``;
    stage 2 keeps that number and minimises the penalty."""
    t0 = time.perf_counter()
    end = changed_to or problem.end
    pins = dict(problem.pinned)
    for a in problem.rostered():
        for i, d in enumerate(problem.dates):
            if (d < changed_from or d > end) and (a.name, d) not in pins:
                v = previous.get(a.name, d)
                pins[(a.name, d)] = None if v == LEAVE else v
            if problem.unavailable(a, i) and pins.get((a.name, d)) not in (None, LEAVE, "-"):
                del pins[(a.name, d)]  # the agent is absent: the published shift needs a cover
    p = problem.copy(pinned=pins, use_cycle=False)
    candidates = cover_candidates(problem, previous, changed_from=changed_from, changed_to=end)
    pre = precheck(p)
    if pre:
        res = Result("infeasible", None, None, None, None,
                     pre + _uncovered_note(problem, previous, changed_from, end),
                     {"wall_time": round(time.perf_counter() - t0, 3)})
        return RepairResult(res, [], candidates)
    first = p.index(changed_from) or 0
    b = _Build(p, baseline=previous, baseline_from=first)
    b.m.minimize(sum(b.changes) if b.changes else 0)
    s1, st1, stats1 = _run(b, time_limit / 2, seed, workers, deterministic)
    cp = b.cp_model
    if st1 not in (cp.OPTIMAL, cp.FEASIBLE):
        st = _status(b, s1, st1)
        expl = explain(p, time_limit=min(5.0, time_limit), seed=seed) if st == "infeasible" else [
            f"no repaired roster found within the time limit ({time_limit:g} s)"]
        res = Result(st, None, None, None, None, expl + _uncovered_note(problem, previous, changed_from, end),
                     {"stage1": stats1})
        return RepairResult(res, [], candidates)
    best_changes = int(round(s1.objective_value))
    b2 = _Build(p, baseline=previous, baseline_from=first)
    if b2.changes:
        b2.m.add(sum(b2.changes) <= best_changes)
    # hint stage 2 with stage 1's roster
    r1 = b.decode(s1)
    b2.m.clear_hints()
    for a in b2.agents:
        for i in range(b2.n):
            v = r1.at(a.name, i)
            for s, var in b2.x[(a.name, i)].items():
                b2.m.add_hint(var, 1 if s == v else 0)
    s2, st2, stats2 = _run(b2, max(time_limit / 2, time_limit - s1.deterministic_time / DTIME_PER_SECOND),
                           seed, workers, deterministic)
    if st2 in (cp.OPTIMAL, cp.FEASIBLE):
        roster = b2.decode(s2)
        obj, bound = s2.objective_value, s2.best_objective_bound
        status = "optimal" if (st2 == cp.OPTIMAL and st1 == cp.OPTIMAL) else "feasible"
        gap = 0.0 if st2 == cp.OPTIMAL else ((obj - bound) / obj if obj > 0 else 0.0)
        pen, _extra = _polish(b2, s2)
    else:  # stage 2 found nothing in time: keep stage 1 (its slack variables were not minimised)
        from asx.roster.checker import check

        roster, status, pen, bound, gap = r1, "feasible", check(p, r1).penalty, None, None
    changes = []
    for a in roster.agents:
        for d in roster.dates:
            old, new = previous.get(a, d), roster.get(a, d)
            if old != new:
                changes.append((a, d, old, new))
    stats = {"stage1": stats1, "stage2": stats2, "min_changes": best_changes,
             "wall_time": round(time.perf_counter() - t0, 3)}
    return RepairResult(Result(status, roster, pen, bound, gap, [], stats), changes, candidates)


def _uncovered_note(p: Problem, previous: Roster, first: date, last: date) -> list[str]:
    out = []
    for (d, sid) in _affected(p, previous, first, last):
        out.append(f"{sid} on {d.isoformat()} loses its agent to leave; if no cover is arranged it stays "
                   "uncovered and the supervisor must report it (R-ROS-7)")
    return out


def _affected(p: Problem, previous: Roster, first: date, last: date) -> list[tuple[date, str]]:
    out = set()
    for a in p.rostered():
        for i, d in enumerate(p.dates):
            if first <= d <= last and p.unavailable(a, i):
                v = previous.get(a.name, d)
                if v is not None and v != LEAVE:
                    out.add((d, v))
    return sorted(out)


def cover_candidates(problem: Problem, previous: Roster, *, changed_from: date,
                     changed_to: date | None = None,
                     slots: list[tuple[date, str]] | None = None) -> dict[tuple[date, str], list[tuple[str, str]]]:
    """R-ROS-7: for each shift that lost its agent to leave, who could cover.

    Options per agent: if resting that day, work it and move the rest to
    another working day of the same week (or work it as an extra day); if on
    another shift, switch that day or — R-ROS-4 — for the rest of the switch
    group.  Cells before ``changed_from`` and pinned cells never move.  An
    option is first screened with the checker on the agent alone (their
    R-ROS-1/2/4 and other personal rules), the best screened option is then
    checked on the whole roster (coverage R-ROS-3 included); a cover is listed
    only if it adds no hard violation.  Ranked by added penalty, then by fewer
    moved cells, then name. ``slots`` ranks covers for these (day, shift) pairs instead (an
    extra agent called in, e.g. by the daily view's SLA forecast)."""
    from dataclasses import replace as _replace

    from asx.roster.checker import check

    last = changed_to or problem.end
    base = previous.copy()
    for a in problem.rostered():
        for i, d in enumerate(problem.dates):
            if problem.on_leave(a.name, i):
                base.cells[(a.name, d)] = LEAVE
            elif problem.unavailable(a, i):
                base.cells[(a.name, d)] = None
    personal = {"coverage_min", "coverage_target", "coverage_max", "holiday_rest", *FAIRNESS}

    def score(prob: Problem, r: Roster, skip=frozenset()):
        rep = check(prob, r)
        hard = {(v.family, v.agent, v.day, v.message) for v in rep.violations if v.hard and v.family not in skip}
        return hard, sum(v.weight for v in rep.violations if not v.hard and v.family not in skip)

    solo_rules = _replace(problem.rules, coverage={}, coverage_weekday={}, coverage_holiday={},
                          coverage_workday={}, coverage_dates={})

    def solo(a):
        return Problem(start=problem.start, days=problem.days, agents=[a], shifts=problem.shifts, rules=solo_rules,
                       holidays=problem.holidays, workdays=problem.workdays,
                       leave={a.name: problem.leave.get(a.name, set())},
                       pinned={k: v for k, v in problem.pinned.items() if k[0] == a.name},
                       requests=[r for r in problem.requests if r.agent == a.name], wrap=problem.wrap)

    full_hard, full_pen = score(problem, base)
    groups = problem.switch_groups()
    out: dict[tuple[date, str], list[tuple[str, str]]] = {}
    for d, sid in (slots if slots is not None else _affected(problem, previous, changed_from, last)):
        i = problem.index(d)
        ranked = []
        for a in problem.rostered():
            if problem.unavailable(a, i) or sid not in problem.allowed_shifts(a):
                continue
            cur = base.get(a.name, d)
            if cur == sid or (a.name, d) in problem.pinned:
                continue
            options = []
            if cur is None:
                week = range(i - i % 7, min(i - i % 7 + 7, problem.days))
                for j in week:
                    dj = problem.day(j)
                    if j == i or dj < changed_from or (a.name, dj) in problem.pinned:
                        continue
                    if base.get(a.name, dj) in (None, LEAVE):
                        continue
                    options.append(({d: sid, dj: None}, f"rests that day; rest moves to {_d(problem, j)}"))
                options.append(({d: sid}, "rests that day; works it as an extra day"))
            else:
                options.append(({d: sid}, f"switches from {cur} to {sid}"))
                group = next((g for g in groups if i in g), [i])
                days = [j for j in group if problem.day(j) >= changed_from
                        and (a.name, problem.day(j)) not in problem.pinned
                        and base.get(a.name, problem.day(j)) not in (None, LEAVE, sid)]
                if len(days) > 1:  # R-ROS-4: take the shift over for the whole switch group
                    options.append(({problem.day(j): sid for j in days},
                                    f"works {sid} instead of {cur} from {_d(problem, days[0])} to "
                                    f"{_d(problem, days[-1])} (whole switch group)"))
            sp = solo(a)
            solo_hard, solo_pen = score(sp, base, personal)
            screened = []
            for cells, why in options:
                r = base.copy()
                for dd, v in cells.items():
                    r.cells[(a.name, dd)] = v
                hard, pen = score(sp, r, personal)
                if not hard - solo_hard:
                    screened.append(((pen - solo_pen, len(cells)), r, why))
            screened.sort(key=lambda t: t[0])
            for (_dp, moved), r, why in screened:
                hard, pen = score(problem, r)
                if not hard - full_hard:  # no new hard violation anywhere (R-ROS-1..4 included)
                    ranked.append(((pen - full_pen, moved), a.name, f"{why}; penalty {pen - full_pen:+d}"))
                    break
        ranked.sort(key=lambda t: (t[0], t[1]))
        out[(d, sid)] = [(name, why) for _k, name, why in ranked]
    return out
