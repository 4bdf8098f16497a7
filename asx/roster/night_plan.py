"""Night runs taken in queue order (R-ROS-10 by turns, R-ROS-4; issue 19 item 3).

R-ROS-4 keeps an agent on one shift type within a switch group (Sunday–Friday with the default
switch days), so nights come in runs and fairness is a matter of turns: nobody takes a second run
before every agent who can work nights has had one. Handing out whole lines of a cycle pattern
(:func:`asx.roster.solver.by_turns`) cannot promise that, because a pattern's lines carry 0–3 runs
each. So the solve is told the order of the runs:

* the **night queue** lists the agents who can work nights by fewest turns, then fewest nights,
  then the oldest last night (the history carried, then the pinned week before), and repeats;
  agents whose run is still open come last in its first round;
* each multi-day switch group from the first free day on is a **segment** of the queue: the
  segments follow each other without gaps, and CP-SAT chooses how long each is (as many as the
  week's nights and rests need). A member works nights or rests in its group, everybody else works
  no night there; an agent whose run is open from the pinned days keeps it (R-ROS-4);
* the last day of the horizon, where it opens the next cycle's group (the Sunday), is one more
  segment: the next cycle's first run starts there;
* a one-day group (a Saturday) has nights only from the segments on either side, so a Saturday
  night joins a run and never starts one of its own.

The queue order is a hard constraint of one solve. The last Sunday's night agents are capped, and a
roster whose next week cannot be rostered (:func:`carries_on`) is a dead end: it is solved once more
with those agents resting close enough before the Sunday (``carry``). If the plan gives no roster, or a
dead end twice, :func:`asx.roster.solver.solve` solves without it; ``stats["night_plan"]`` says which.
"""

from __future__ import annotations

from dataclasses import dataclass

from asx.roster.model import LEAVE, WEEKDAYS, Problem, Roster


@dataclass
class NightPlan:
    night: frozenset[str]
    segments: list[list[int]]  # the days of each segment (a multi-day switch group, or the tail day)
    going: list[frozenset[str]]  # per segment: whose run is open into it (members whatever the queue says)
    queue: list[str]  # the night queue, repeated for as many rounds as the segments can need
    single: dict[int, tuple[int | None, int | None]]  # a one-day group's day -> segments before and after
    open_before: frozenset[str]  # whose run is open before the first free day
    estimate: list[int]  # a segment length per segment: the hints
    template: Roster  # the template on the estimated plan (hints, deviation)
    banned: list[frozenset[str]]  # per segment: who works another shift type there (a pin, R-ROS-4)
    loose: list[bool]  # a segment that began in the pinned days: its run goes on, top-ups cost TOPUP_WEIGHT
    tail_cap: int | None = None  # most nights on the last day (it opens the next cycle's run)
    tail_window: int = 0  # with ``carry``: its night agents rest on one of this many days before it
    carry: bool = False

    TOPUP_WEIGHT = 500  # per agent starting a run mid-group, outside the queue (the group began pinned)
    HOLIDAY_REST_WEIGHT = 500  # per holiday rest an agent has above the fewest + 1 (R-ROS-6)

    def apply(self, b) -> None:
        """Add the queue order to a model under construction (``asx.roster.solver._Build``)."""
        p, m = b.p, b.m
        queued = [k for k in range(len(self.segments)) if not self.loose[k]]
        P, S = len(self.queue), len(queued)
        # order encoding of the segment starts: ge[k][j] <=> start[k] <= j (start[S]: the end)
        ge = [[m.new_bool_var("") for _j in range(P)] for _k in range(S + 1)]
        start = [m.new_int_var(0, P, f"seg_{k}") for k in range(S + 1)]
        m.add(start[0] == 0)
        for k in range(S + 1):
            m.add(start[k] == P - sum(ge[k]))
            for j in range(P - 1):
                m.add_implication(ge[k][j], ge[k][j + 1])
            if k < S:
                for j in range(P):
                    m.add_implication(ge[k + 1][j], ge[k][j])  # segments in order
        pos = 0
        for q, k in enumerate(queued):
            m.add_hint(start[q], pos)
            pos = min(P, pos + self.estimate[k])
        m.add_hint(start[S], pos)
        able = list(dict.fromkeys(self.queue))  # queue order: the model is built the same in every process
        rank = {}
        for j, a in enumerate(self.queue):
            rank.setdefault(a, j)
        y: dict[tuple[str, int], object] = {}
        tops: dict[str, list] = {}  # an agent's run started mid-group outside the queue (a loose segment)
        for k in range(len(self.segments)):
            for a in able:
                if a in self.going[k]:
                    y[(a, k)] = True
                elif a in self.banned[k]:
                    y[(a, k)] = False  # its queue positions are passed over
                elif self.loose[k]:  # only where needed, the head of the queue first
                    y[(a, k)] = t = m.new_bool_var("")
                    b.extra.append((self.TOPUP_WEIGHT + rank[a], t))
                    tops.setdefault(a, []).append(t)
        for q, k in enumerate(queued):
            inside: dict[str, list] = {}
            for j, a in enumerate(self.queue):
                bj = m.new_bool_var("")  # position j is in segment k
                m.add_implication(bj, ge[q][j])
                m.add_implication(bj, ge[q + 1][j].Not())
                m.add_bool_or([bj, ge[q][j].Not(), ge[q + 1][j]])
                inside.setdefault(a, []).append(bj)
            for a in able:
                if (a, k) in y:
                    continue
                ya = m.new_bool_var("")
                for bj in inside.get(a, ()):  # in the segment: a member, unless served by a top-up
                    m.add_bool_or([bj.Not(), ya, *tops.get(a, ())])
                m.add_bool_or([ya.Not(), *inside.get(a, ())])
                for t in tops.get(a, ()):
                    m.add_implication(t, ya.Not())  # a top-up is the agent's run of this horizon
                y[(a, k)] = ya
        self._holiday_rests(b)
        if self.tail_cap is not None:  # the next cycle's first week must still be coverable by day
            i = self.segments[-1][0]
            m.add(sum(v for a in b.agents for s, v in b.x[(a.name, i)].items() if s in self.night) <= self.tail_cap)
            # after a dead end: the last day's night agents rest close enough before it to work on to
            # the next switch day within the consecutive-day limit (R-ROS-4, max consecutive days)
            window = [j for j in range(i - self.tail_window, i) if j >= 0] if self.carry else []
            for a in b.agents:
                ya = y.get((a.name, len(self.segments) - 1), False)
                if isinstance(ya, bool) or not window:
                    continue
                rest = [b.w[(a.name, j)].Not() for j in window if b.w[(a.name, j)] is not False]
                if len(rest) == len(window):
                    m.add_bool_or([ya.Not(), *rest])
        for k, days in enumerate(self.segments):  # a member takes its run: a night on a free day
            for a in able:
                ya = y[(a, k)]
                if isinstance(ya, bool):
                    continue
                nights = [v for i in days if (a, p.day(i)) not in p.pinned
                          for s, v in b.x[(a, i)].items() if s in self.night]
                m.add_bool_or([ya.Not(), *nights])
        for k, days in enumerate(self.segments):
            for a in b.agents:
                member = y.get((a.name, k), False)
                for i in days:
                    if (a.name, p.day(i)) in p.pinned:
                        continue  # a pin is its own constraint
                    for s, v in b.x[(a.name, i)].items():
                        if s in self.night:
                            if member is False:
                                m.add(v == 0)
                            elif member is not True:
                                m.add_implication(v, member)  # a night only for a member
                        elif member is True:
                            m.add(v == 0)
                        elif member is not False:
                            m.add_implication(member, v.Not())  # a member works nights or rests
        for i, (before, after) in self.single.items():
            for a in b.agents:
                if (a.name, p.day(i)) in p.pinned:
                    continue
                side = [y.get((a.name, k), False) for k in (before, after) if k is not None]
                if before is None and a.name in self.open_before:
                    side.append(True)
                if any(s is True for s in side):
                    continue
                lits = [s for s in side if s is not False]
                for s, v in b.x[(a.name, i)].items():
                    if s in self.night:
                        m.add_bool_or([v.Not(), *lits])

    def _holiday_rests(self, b) -> None:
        """Holiday rests by turns too (R-ROS-6): each agent's holiday rests (history + this horizon)
        above the fewest + 1 cost HOLIDAY_REST_WEIGHT — a pull on every agent over the line, where
        the rule family's max − min moves only with the extremes. (The same term for weekend rests
        made the 60-agent chain's holiday cycle too hard to solve in its budget: left out.)"""
        p, m = b.p, b.m
        days = [i for i in range(p.days) if p.is_holiday(i)]
        if not days or len(b.agents) < 2:
            return
        base = [a.history.get("holiday_rests", 0) for a in b.agents]
        top = max(base) + len(days)
        lo = m.new_int_var(0, top, "holiday_rests_lo")
        for a, h in zip(b.agents, base):
            mine = [i for i in days if not p.unavailable(a, i)]
            worked = [b.w[(a.name, i)] for i in mine if b.w[(a.name, i)] is not False]
            total = h + len(mine) - sum(worked)
            m.add(lo <= total)
            over = m.new_int_var(0, top, "")
            m.add(over >= total - lo - 1)
            b.extra.append((self.HOLIDAY_REST_WEIGHT, over))

    def members(self, roster: Roster, p: Problem) -> list[set[str]]:
        """Who worked a night in each segment of ``roster`` (tests and diagnostics)."""
        return [{a for a in roster.agents if any(roster.at(a, i) in self.night for i in days)}
                for days in self.segments]


def make(p: Problem, template: Roster) -> NightPlan | None:
    """The night plan of ``p`` with ``template`` (the laid-over cycle after
    :func:`~asx.roster.solver.by_turns`); None where there is nothing to plan (no night shift, no
    multi-day switch group in the free days, fewer than two agents who can work nights)."""
    from asx.roster.solver import turn_state

    night = frozenset(s.id for s in p.shifts if s.kind == "night")
    agents = p.rostered()
    spec = {a.name: a for a in agents}
    able = [a.name for a in agents if night & set(p.allowed_shifts(a))]
    if not night or len(able) < 2 or p.wrap:
        return None
    free = [i for i in range(p.days) if any((a.name, p.day(i)) not in p.pinned for a in agents)]
    if not free:
        return None
    h0 = free[0]
    groups = [g for g in p.switch_groups() if g[-1] >= h0]
    if not any(len(g) >= 2 for g in groups):
        return None
    state = turn_state(p, template, h0)

    def pin(a: str, i: int):
        return p.pinned.get((a, p.day(i)), "-")

    open_before = frozenset(a for a in able if state[a]["open"])
    segments: list[list[int]] = []
    going: list[frozenset[str]] = []
    banned: list[frozenset[str]] = []
    loose: list[bool] = []
    single: dict[int, tuple[int | None, int | None]] = {}
    for g in groups:
        last = g[-1] == p.days - 1 and WEEKDAYS[(g[-1] + 1) % 7] not in p.rules.switch_days
        if len(g) >= 2 or last:  # a week group, or the day that opens the next cycle's group
            run = {a for a in able if any(pin(a, i) in night for i in g if i < h0)}  # open into g (R-ROS-4)
            if g[0] == 0 and p.weekday(0) not in p.rules.switch_days:
                run |= {a for a in able if spec[a].history.get("night_open")}
            run |= {a for a in able if any(pin(a, i) in night for i in g)}  # published nights
            segments.append(g)
            going.append(frozenset(run))
            banned.append(frozenset(a for a in able if a not in run and (any(
                pin(a, i) not in ("-", None, LEAVE) and pin(a, i) not in night for i in g) or all(
                p.unavailable(spec[a], i) or pin(a, i) != "-" for i in g))))
            loose.append(g[0] < h0)
            if loose[-1]:  # a run that rested over the switch day is still open: no second week on top
                banned[-1] = banned[-1] | (open_before - run)
        else:
            single[g[0]] = (len(segments) - 1 if segments else None, len(segments))
    S = len(segments)
    single = {i: (bef, aft if aft < S else None) for i, (bef, aft) in single.items()}

    key = {a: (state[a]["turns"], state[a]["nights"], state[a]["last"], state[a]["k"]) for a in able}
    first_round = sorted((a for a in able if a not in going[0]), key=key.__getitem__)
    first_round += sorted((a for a in able if a in going[0]), key=key.__getitem__)
    need = [max(sum(c.min for s in night if (c := p.cover(i, s)) is not None) for i in days)
            for days in segments]
    # the template's night count per segment: the estimate (hints), at least the night minimum
    estimate = [max(need[k], sum(1 for a in template.agents if any(template.at(a, i) in night for i in days)))
                - len(going[k]) for k, days in enumerate(segments)]
    estimate = [0 if loose[k] else max(0, e) for k, e in enumerate(estimate)]
    rounds = 1 + -(-sum(max(e, n) + 2 for e, n in zip(estimate, need)) // len(able))
    queue = first_round * rounds

    # the template on the estimated plan: each working cell on its segment's shift type
    out = template.copy()
    pos, members = 0, []
    for k in range(S):
        members.append(set(going[k]) | set(queue[pos:pos + estimate[k]]))
        pos += estimate[k]
    for a in template.agents:
        if a not in spec:
            continue
        day_shift = next((s for s in p.allowed_shifts(spec[a]) if s not in night), None)
        night_shift = next((s for s in sorted(night) if s in p.allowed_shifts(spec[a])), None)
        for k, days in enumerate(segments):
            for i in days:
                v = template.at(a, i)
                if (a, p.day(i)) in p.pinned or v in (None, LEAVE):
                    continue
                if a in members[k] and v not in night and night_shift:
                    out.cells[(a, p.day(i))] = night_shift
                elif a not in members[k] and v in night and day_shift:
                    out.cells[(a, p.day(i))] = day_shift
        for i, (bef, aft) in single.items():
            ok = (bef is not None and a in members[bef]) or (aft is not None and a in members[aft]) \
                or (bef is None and a in open_before)
            v = template.at(a, i)
            if (a, p.day(i)) not in p.pinned and v in night and not ok and day_shift:
                out.cells[(a, p.day(i))] = day_shift
    tail_cap = None
    if len(segments[-1]) == 1 and segments[-1][0] == p.days - 1:
        # the last day's night agents go on all next week (R-ROS-4): as many as its nights need with
        # a rest each (one in six), never more than the night maximum
        i = segments[-1][0]
        covers = [p.cover(i, s) for s in sorted(night)]
        low = sum(c.min for c in covers if c is not None)
        tail_cap = low + -(-low // 6)
        if covers and all(c is not None and c.max is not None for c in covers):
            tail_cap = max(low, min(tail_cap, sum(c.max for c in covers)))
    tail_window = 0
    if tail_cap is not None and p.rules.max_consecutive_days:
        i = segments[-1][0]
        ahead = next(d for d in range(1, 8) if WEEKDAYS[(i + d) % 7] in p.rules.switch_days) - 1
        tail_window = max(0, p.rules.max_consecutive_days - ahead)  # 7 - 5: a rest on Fri or Sat
    return NightPlan(night, segments, going, queue, single, open_before, estimate, out, banned, loose, tail_cap,
                     tail_window)


def carries_on(p: Problem, roster: Roster, *, dtime: float = 2.0) -> bool:
    """Whether the week after ``roster`` can still be rostered with its last week as the pinned
    context (R-ROS-4: a run open on the last day goes on to the next switch day; R-ROS-1 and the
    consecutive-day limit across the boundary). A plan fills each horizon on its own, so its last
    week is checked before it is kept: a quick CP-SAT feasibility test of the next seven days (an
    impossible one is usually proven in presolve). Only a proven impossibility fails; a horizon
    that is not whole weeks is not checked."""
    from dataclasses import replace
    from datetime import timedelta

    from asx.roster.problem import relax_context
    from asx.roster.solver import _Build

    if p.days % 7 or p.days < 7:
        return True
    last = p.days - 7
    first, start = p.day(last), p.day(p.days)
    names = set(roster.agents)
    pins = {(a, p.day(last + k)): roster.at(a, last + k) for a in roster.agents for k in range(7)}
    q = replace(p, start=first, days=14, rules=relax_context(p.rules, first, start), pinned=pins,
                requests=[r for r in p.requests if r.day >= start and r.agent in names], previous=None,
                use_cycle=False, holidays={d for d in p.holidays if first <= d < start + timedelta(days=7)},
                agents=[replace(a, history={}) for a in p.agents])
    b = _Build(q)
    cp = b.cp_model
    s = cp.CpSolver()
    s.parameters.num_workers = 1
    s.parameters.max_deterministic_time = dtime
    s.parameters.stop_after_first_solution = True
    return s.solve(b.m) != cp.INFEASIBLE
