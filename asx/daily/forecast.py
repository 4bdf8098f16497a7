"""The roster-aware SLA forecast (issue 11 §3): ``asx sla forecast``, ``asx today``, nightly.

Helpdesk SLA clocks know business hours; this forecast also knows who is on shift.

Method (also written into the output's metadata, :data:`METHOD`):

* **Hours.** The horizon from ``at`` is cut at whole clock hours: the first runs from ``at`` to
  the next full hour, the others are full hours, ``hours`` in all. The simulation steps in
  15-minute slots (:data:`SLOT_MINUTES`) and the rows sum them per hour.
* **Demand.** The cases with a running clock (new, open, resolved — waiting_* are paused) whose
  next due time (``cases.next_due_at``, R-SLA) falls in the horizon, each in the slot it must be
  handled in (due at 10:00 → the 09:45–10:00 slot), plus each agent's current queue of cases
  already overdue at ``at`` (they are worked first and use capacity, but are not counted again
  as new breaches).
* **Capacity.** Each agent rostered in a slot (``roster_days`` segments, R-ROS-2/9) handles
  ``rate × hours on duty in the slot`` cases. ``rate`` is the agent's **handling rate**: the
  distinct cases the agent responded to, promised on or resolved (``case_events``) in the last
  ``daily.rate_lookback_days`` days (14) divided by the agent's rostered on-shift hours in the
  same days. An agent with fewer than ``daily.min_rate_hours`` on-shift hours or nothing handled
  in that window gets the team's rate (all handled ÷ all on-shift hours), and without any history
  the setting ``daily.default_rate`` (cases per hour).
* **Simulation.** Each agent works their own queue earliest-due first; capacity left idle in a
  slot is spare. A case still unhandled at the end of its slot is an **expected breach**.
  Unassigned cases have nobody to work them and breach unless moved.
* **Fixes.** Each expected breach is first *moved* (earliest due first) to an agent with spare
  capacity in its slot or an earlier one; what remains needs a **cover called in**: for the
  shift type whose segments cover most of the hours up to the breach, the number of extra
  agents (remaining breaches ÷ (team rate × those hours), rounded up) and the candidates ranked by
  the roster's cover ranking (R-ROS-7, ``asx.roster.coverage.cover_candidates_for``).
* New cases that will arrive in the horizon are not modelled: the forecast is of the known queue.
* **Promises past their target** (R-SLA-5): the live cases whose promise to the buyer lies after a
  pending solution/resolution target are listed apart (``late_promises``) as breaches to come,
  whatever the capacity: the buyer was told a time the target will not meet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from asx.core.timeutil import to_epoch

METHOD = ("per-agent earliest-due-first simulation in 15-minute slots, shown per clock hour: demand = cases whose "
          "next due time falls in the slot (+ the queue already overdue, worked first); capacity = handling rate × "
          "hours on shift in the slot (roster_days); handling rate = distinct cases responded to/promised/resolved "
          "(case_events) ÷ rostered on-shift hours over the lookback, falling back to the team rate, then to "
          "daily.default_rate; a case counts as done when half of it is paid (fluid figure rounded); a case "
          "unhandled at the end of its slot is an expected breach; fixes: move to "
          "an agent with spare capacity, else call in covers ranked by the roster (R-ROS-7); new arrivals "
          "are not modelled")


@dataclass
class Rates:
    per_agent: dict[str, float]          # agents with enough history of their own
    team: float | None
    default: float
    hours: dict[str, float]
    handled: dict[str, int]
    lookback_days: int

    def of(self, agent: str) -> float:
        r = self.per_agent.get(agent)
        if r is not None:
            return r
        return self.team if self.team is not None else self.default

    def source(self, agent: str) -> str:
        if agent in self.per_agent:
            return "own"
        return "team" if self.team is not None else "default"


def handling_rates(app, at: datetime, lookback_days: int | None = None) -> Rates:
    """Cases handled per on-shift hour over the lookback before ``at`` (see the module docstring)."""
    from asx.roster.duty import segments_of
    from asx.store import daily as daily_store

    days = int(lookback_days if lookback_days is not None else app.config.get("daily.rate_lookback_days"))
    start = at - timedelta(days=days)
    handled = daily_store.handled_by_agent(app.store, to_epoch(start), to_epoch(at))
    rows = daily_store.work_days(app.store, (start.date() - timedelta(days=1)).isoformat(), at.date().isoformat())
    hours: dict[str, float] = {}
    for s in segments_of([{**r, "mark": "work"} for r in rows], at.tzinfo):
        a, b = max(s.start, start), min(s.end, at)
        if b > a:
            hours[s.agent] = hours.get(s.agent, 0.0) + (b - a).total_seconds() / 3600
    min_hours = float(app.config.get("daily.min_rate_hours"))
    per = {a: handled[a] / h for a, h in hours.items() if h >= min_hours and handled.get(a)}
    tot_h = sum(h for a, h in hours.items())
    tot_n = sum(handled.get(a, 0) for a in hours)
    team = tot_n / tot_h if tot_h >= min_hours and tot_n else None
    return Rates(per, team, float(app.config.get("daily.default_rate")), hours, handled, days)


@dataclass
class Forecast:
    at: datetime
    hours: int
    buckets: list[tuple[datetime, datetime]]
    rows: list[dict]                       # one per bucket
    agents: list[dict]                     # per agent: rate, source, queue, overdue, breaches
    moves: list[dict] = field(default_factory=list)
    covers: list[dict] = field(default_factory=list)
    known: bool = True                     # a roster is stored for the horizon's days
    rates: Rates | None = None
    overdue_now: int = 0                   # already breached at ``at`` (worked first, not counted again)
    #: R-SLA-5: live cases promised after a pending target — breaches to come whatever the capacity
    late_promises: list[dict] = field(default_factory=list)

    @property
    def breaches(self) -> int:
        return sum(r["expected_breaches"] for r in self.rows)

    @property
    def short_hours(self) -> list[dict]:
        return [r for r in self.rows if r["expected_breaches"]]

    def meta(self, app) -> dict:
        return {"kind": "sla_forecast", "at": app.iso(self.at), "hours": self.hours,
                "method": METHOD, "rate_lookback_days": self.rates.lookback_days if self.rates else None,
                "team_rate_per_hour": None if not self.rates or self.rates.team is None else round(self.rates.team, 2),
                "default_rate_per_hour": self.rates.default if self.rates else None,
                "expected_breaches": self.breaches, "overdue_now": self.overdue_now,
                "promised_past_target": len(self.late_promises),
                "after_moves": sum(r["after_moves"] for r in self.rows),
                "roster_known": self.known,
                "timezone": app.config.get("store.timezone")}

    def summary(self, app) -> str:
        late = f" ({self.overdue_now} case(s) overdue already)" if self.overdue_now else ""
        if not self.short_hours:
            return f"no breaches expected in the next {self.hours} h" + late
        parts = [f"{app.iso(r['from'])[11:16]} {r['expected_breaches']}" for r in self.short_hours]
        after = sum(r["after_moves"] for r in self.rows)
        return (f"{self.breaches} breach(es) expected in the next {self.hours} h (hour: cases) " + ", ".join(parts)
                + (f"; {after} even after moving cases: call in a cover" if after else "; moving cases avoids them")
                + late)


def _buckets(at: datetime, hours: int) -> list[tuple[datetime, datetime]]:
    floor = at.replace(minute=0, second=0, microsecond=0)
    out = []
    for k in range(hours):
        a = floor + timedelta(hours=k)
        b = a + timedelta(hours=1)
        out.append((max(a, at), b))
    return out


#: the simulation's time step; rows are shown per clock hour (4 slots)
SLOT_MINUTES = 15


def _slots(at: datetime, hours: int) -> list[tuple[datetime, datetime]]:
    floor = at.replace(minute=0, second=0, microsecond=0)
    step = timedelta(minutes=SLOT_MINUTES)
    out = []
    for j in range(hours * 60 // SLOT_MINUTES):
        a = floor + j * step
        b = a + step
        out.append((max(a, at), b))
    return out


def forecast(app, at: datetime, hours: int | None = None, *, covers: bool = True) -> Forecast:
    """The forecast for ``hours`` clock hours from ``at``; see the module docstring.

    Demand is read as counts per (agent, 15-minute slot) in one indexed GROUP BY; case ids are
    fetched only for the breaches a move could fix (someone has spare capacity)."""
    from asx.daily.shifts import on_fraction
    from asx.roster.duty import segments_of
    from asx.store import daily as daily_store

    hours = int(hours if hours is not None else app.config.get("daily.forecast_hours"))
    if hours < 1:
        from asx.core.errors import UserError

        raise UserError("--hours must be at least 1")
    tz = at.tzinfo
    buckets = _buckets(at, hours)
    slots = _slots(at, hours)
    per_hour = 60 // SLOT_MINUTES
    end = buckets[-1][1]
    at_e = to_epoch(at)
    floor_e = to_epoch(at.replace(minute=0, second=0, microsecond=0))
    end_e = to_epoch(end)
    rates = handling_rates(app, at)
    # who is rostered when
    rows = daily_store.work_days(app.store, (at.date() - timedelta(days=1)).isoformat(), end.date().isoformat())
    days_known = {r["day"] for r in rows}
    need_days = {(at.date() + timedelta(days=i)).isoformat() for i in range((end.date() - at.date()).days + 1)}
    known = need_days <= days_known
    segs: dict[str, list] = {}
    for sg in segments_of([{**r, "mark": "work"} for r in rows], tz):
        segs.setdefault(sg.agent, []).append(sg)
    n = len(slots)
    frac = {a: [on_fraction(ss, s0, s1) * (s1 - s0).total_seconds() / 3600 for s0, s1 in slots]
            for a, ss in segs.items()}  # hours on duty in each slot
    # demand: cases due per agent and slot (due in (slot start, slot end] → that slot)
    due: dict[str | None, list[int]] = {}
    for r in daily_store.due_buckets(app.store, at_e, end_e, floor_e, SLOT_MINUTES * 60):
        due.setdefault(r["agent"], [0] * n)[min(max(r["k"], 0), n - 1)] += r["n"]
    overdue = daily_store.overdue_counts(app.store, at_e)
    agents = sorted(set(frac) | {a for a in due if a} | {a for a in overdue if a})
    cap_s = [0.0] * n
    queue_s = [0] * n
    breach_s = [0] * n
    breached: dict[str | None, list[int]] = {}   # agent -> breaches per slot
    spare: dict[str, list[float]] = {}
    summary = []
    for a in agents:
        rate = rates.of(a)
        f = frac.get(a, [0.0] * n)
        backlog = overdue.get(a, 0)
        q = list(due.get(a, [0] * n))             # still to do, per slot
        credit = 0.0
        sp = [0.0] * n
        late_by = [0] * n
        for k in range(n):
            queue_s[k] += backlog + sum(q[: (k // per_hour + 1) * per_hour])
            cap = rate * f[k]
            cap_s[k] += cap
            credit += cap
            # earliest due first: the overdue backlog, then slot by slot. A case counts as done once
            # half of it is paid for (credit rounded); the other half is carried as a debt, so the
            # count follows the fluid figure rounded instead of always rounding down.
            take = min(backlog, int(credit + 0.5))
            backlog -= take
            credit -= take
            j = 0
            while credit >= 0.5 and j < n:
                if q[j]:
                    t = min(q[j], int(credit + 0.5))
                    q[j] -= t
                    credit -= t
                j += 1
            if not backlog and not any(q):
                sp[k] = max(credit, 0.0)
                credit = min(credit, 0.0)
            late = q[k]                            # cases of this slot still undone: breaches
            late_by[k] = late
            breach_s[k] += late
            q[k] = 0
            backlog += late                        # still to be worked, now overdue, first in line
        spare[a] = sp
        breached[a] = late_by
        summary.append({"agent": a, "rate_per_hour": round(rate, 2), "rate_source": rates.source(a),
                        "on_shift_hours": round(sum(f), 2), "overdue_now": overdue.get(a, 0),
                        "due_in_horizon": sum(due.get(a, [])), "expected_breaches": sum(late_by)})
    if None in due:  # unassigned: nobody works them
        breached[None] = list(due[None])
        for k in range(n):
            breach_s[k] += due[None][k]
    if overdue.get(None) or None in due:
        summary.append({"agent": None, "rate_per_hour": 0, "rate_source": "unassigned", "on_shift_hours": 0,
                        "overdue_now": overdue.get(None, 0), "due_in_horizon": sum(due.get(None, [])),
                        "expected_breaches": sum(due.get(None, []))})
    # fixes: moves to spare capacity (earliest due first), then covers
    moves, residual_s = [], [0] * n
    total_spare = sum(sum(v) for v in spare.values())
    for k in range(n):
        for a in sorted(breached, key=lambda x: (x is None, x or "")):
            m = breached[a][k]
            if not m:
                continue
            if total_spare < 1:  # nobody has capacity left: every remaining breach needs a cover
                residual_s[k] += m
                continue
            s0, s1 = slots[k]
            lo = to_epoch(s0) if k else at_e - 1
            ids = daily_store.last_due_in(app.store, a, lo, to_epoch(s1), m)
            for case_id, due_at in sorted(ids, key=lambda t: (t[1], t[0])):
                best = None
                for b in agents:
                    if b == a:
                        continue
                    avail = sum(spare[b][: k + 1])
                    if avail >= 1 and (best is None or avail > best[1]):
                        best = (b, avail)
                if best is None:
                    residual_s[k] += 1
                    continue
                b = best[0]
                need = 1.0
                for j in range(k, -1, -1):  # use the latest spare first, keep earlier spare for earlier cases
                    t = min(need, spare[b][j])
                    spare[b][j] -= t
                    total_spare -= t
                    need -= t
                    if need <= 1e-9:
                        break
                moves.append({"case_id": case_id, "from": a, "to": b, "due_at": due_at,
                              "hour": buckets[k // per_hour][0]})
            residual_s[k] += max(0, m - len(ids))

    def hourly(xs):
        return [sum(xs[h * per_hour:(h + 1) * per_hour]) for h in range(hours)]

    cap_h, breach_h, residual = hourly(cap_s), hourly(breach_s), hourly(residual_s)
    due_h = hourly([sum(v[k] for v in due.values()) for k in range(n)])
    out_rows = []
    for h, (b0, b1) in enumerate(buckets):
        on = sorted(a for a in frac if any(frac[a][h * per_hour:(h + 1) * per_hour]))
        out_rows.append({"from": b0, "to": b1, "agents_on": on, "capacity": round(cap_h[h], 2),
                         "due": due_h[h], "queue": queue_s[h * per_hour], "expected_breaches": breach_h[h],
                         "after_moves": residual[h]})
    fc = Forecast(at, hours, buckets, out_rows, summary, moves, [], known, rates, sum(overdue.values()),
                  late_promises=daily_store.late_promises(app.store))
    fc.covers = _covers(app, fc, residual, rates, covers=covers)
    return fc


def _covers(app, fc: Forecast, residual: list[int], rates: Rates, *, covers: bool) -> list[dict]:
    """Covers to call in for the breaches no move absorbs: per breach hour, the shift type that is
    on duty longest up to that hour, how many extra agents, and the roster's ranked candidates."""
    from asx.daily.shifts import on_fraction
    from asx.roster.coverage import cover_candidates_for
    from asx.roster.problem import ruleset

    if not any(residual):
        return []
    rate = rates.team if rates.team is not None else rates.default
    shifts = ruleset(app).shifts
    out, carried = [], 0
    cache: dict = {}
    for k, r in enumerate(residual):
        carried += r
        if not r:
            continue
        b0 = fc.buckets[k][0]
        day = b0.date()
        base = datetime(day.year, day.month, day.day, tzinfo=b0.tzinfo)
        best = None
        for s in shifts:
            segs = []
            for seg in s.segments:
                segs.append(_Seg(base + timedelta(minutes=seg.start_min), base + timedelta(minutes=seg.end_min)))
            h = sum(on_fraction(segs, x0, x1) * (x1 - x0).total_seconds() / 3600 for x0, x1 in fc.buckets[: k + 1])
            if h > 0 and (best is None or h > best[1]):
                best = (s.id, h)
        if best is None:
            out.append({"hour": b0, "breaches": r, "shift": None, "day": day.isoformat(), "extra_agents": None,
                        "candidates": [], "note": "no shift type is on duty in this hour: change service hours "
                                                  "or the shift definitions"})
            continue
        sid, h = best
        extra = max(1, math.ceil(carried / max(rate * h, 1e-9)))
        cands: list = []
        note = ""
        if covers:
            key = (day, sid)
            if key not in cache:
                try:
                    cache[key] = cover_candidates_for(app, day, sid)
                except Exception as exc:  # no roster rules for the day, infeasible problem …
                    cache[key] = exc
            got = cache[key]
            if isinstance(got, Exception):
                note = f"no ranking: {got}"
            else:
                cands = [{"agent": a, "why": why} for a, why in got[:3]]
                if not cands:
                    note = "no agent can take it without breaking R-ROS-1..4: a supervisor override is needed"
        out.append({"hour": b0, "breaches": r, "shift": sid, "day": day.isoformat(), "extra_agents": extra,
                    "candidates": cands, "note": note})
    return out


@dataclass
class _Seg:
    start: datetime
    end: datetime


# --- the nightly job ``sla-forecast`` (registered by asx/plugins/daily.py) -----------------------
#
# Writes ``sla-forecast.csv`` (one row per hour, with its ``.meta.json`` stating the method) and
# ``sla-forecast.txt``: one line, ``WARNING: …`` when tomorrow morning is short — breaches are
# expected that no move of a case to an agent with spare capacity absorbs (setting
# ``daily.morning``, default 08:30–12:00) — else ``ok: …`` (with the moves that rebalance it). The
# warning also goes to stderr. The forecast starts at the morning's first minute and sees the
# queue as it is stored.

def morning(app, day) -> tuple[datetime, int]:
    """Start of ``day``'s morning and its length in whole hours (rounded up)."""
    from asx.core.timeutil import parse_clock_ranges

    (a, b), *_ = parse_clock_ranges(app.config.get("daily.morning"))
    base = datetime(day.year, day.month, day.day, tzinfo=app.tz)
    return base + timedelta(minutes=a), max(1, math.ceil((b - a) / 60))


def nightly_sla_forecast(ctx) -> str:
    """Tomorrow morning's SLA forecast with the roster, and a warning line when it is short (R-SLA, R-ROS-7)."""
    from asx.daily.render import forecast_columns, forecast_rows

    app = ctx.app
    tomorrow = ctx.day + timedelta(days=1)
    start, hours = morning(app, tomorrow)
    fc = forecast(app, start, hours)
    meta = {**fc.meta(app), "generated_at": ctx.generated_at}
    ctx.write_rows("sla-forecast.csv", forecast_rows(app, fc), forecast_columns(), meta=meta)
    short = sum(r["after_moves"] for r in fc.rows)
    if short:
        line = (f"WARNING: tomorrow morning ({tomorrow.isoformat()} from {start.strftime('%H:%M')}, {hours} h) is "
                f"short: {fc.summary(app)}")
        if fc.covers:
            c = fc.covers[0]
            names = ", ".join(x["agent"] for x in c["candidates"]) or "none without an override"
            line += f"; call in {c['extra_agents'] or '?'} on shift {c['shift']} (candidates: {names})"
        app.warn(line[len("WARNING: "):])
    else:
        line = f"ok: tomorrow morning ({tomorrow.isoformat()}): {fc.summary(app)}"
        if fc.moves:
            line += "; " + ", ".join(f"move #{m['case_id']} to {m['to']}" for m in fc.moves[:5])
    if not fc.known:
        line += f" (no roster stored for {tomorrow.isoformat()})"
    ctx.write_text("sla-forecast.txt", line + "\n")
    return line
