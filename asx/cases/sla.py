"""Service levels of cases (R-SLA-1..5): targets, due times, met/breached, elapsed minutes.

Targets
    ``first_response``, ``solution`` (initial solution, R-SLA-2), ``resolution`` and ``feedback``
    (after resolving, R-SLA-4); plugins may add others. A target is a :class:`Target` that names its
    clock (R-SLA preamble): service minutes (``minutes=``), calendar hours/minutes (``hours=``, or
    ``minutes=`` with ``clock="calendar"``) or working days (``working_days=``, ``app.calendar``);
    :func:`clock_of` gives the defaults. Which target applies to a case is decided by
    *rules* ``(target, when, minutes | working_days)``: ``when`` matches the case's category,
    severity and channel (a value or a list) and, optionally, ``shift``: the roster shift id of the
    case's agent when the case was opened (:func:`case_shift`, from ``roster_days`` via
    :mod:`asx.roster.duty`; None when the agent was not on duty or no roster exists) — a per-shift
    override such as 1 minute on the night shift (R-SLA-1); the most specific matching rule wins (most keys in
    ``when``), and among equally specific ones the one registered last. A rule with neither
    minutes nor working days switches the target off. A rule may also match *case attributes*
    that plugins give through the ``case_attributes`` hook, named in ``when={"member_tier": "gold"}``
    (keyword keys are limited to :data:`MATCH_KEYS`, catching typos); a case without the attribute
    does not match. Rules come from the ``register_sla_targets``
    hook (built-in defaults from settings ``sla.*`` first, store plugins after) and last from the
    setting ``sla.rules`` (a list of tables).

Clock
    A plugin's own target (not one of :data:`TARGETS`) is met by a plugin action whose history
    event carries ``{"meets": {target: epoch}}`` (``act(..., meets=…)``), else at resolution.
    Targets count from ``opened_at`` (``feedback`` from ``resolved_at``). ``waiting_*`` spans
    (from the case history) pause the clock: the due time moves later by the service time spent
    waiting; while a case waits it has no due time. A promise (R-SLA-5, ``cases.promised_at``) does
    not move a due time: attainment and the work queue stay on the target; a promise later than a
    pending ``solution``/``resolution`` target needs a reason and is listed as a breach to come
    (:func:`promise_breaches`).

Recorded per case and target in ``case_sla``: ``due_at``, ``met_at``, ``state`` (``pending``;
``met`` on time; ``breached`` — met late or due passed unmet; ``cancelled`` for merged cases),
``service_minutes`` and ``calendar_minutes`` elapsed (to ``met_at``, or to the last recompute).
``cases.next_due_at``/``next_due_target`` hold the earliest unmet due time (the work queue).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from asx.core.timeutil import date_to_epoch, epoch_to_date, from_epoch, to_epoch

TARGETS = ("first_response", "solution", "resolution", "feedback")
#: which case column meets each target, and which column starts its clock
MET_COLUMN = {"first_response": "first_response_at", "solution": "solution_at", "resolution": "resolved_at",
              "feedback": "feedback_at"}
START_COLUMN = {"feedback": "resolved_at"}
PROMISABLE = ("solution", "resolution")
#: what an SLA rule may match on (R-SLA-1 per-shift overrides use ``shift``)
MATCH_KEYS = ("category", "severity", "channel", "shift", "complaint")


def is_complaint(case: dict, complaint_categories) -> bool:
    """R-SLA-2: a case is a complaint when it says so (``cases.complaint`` 1/0, ``case add
    --complaint/--not-complaint``), else when its category is a complaint category (setting
    ``sla.complaint_categories`` or a category registered with ``complaint=True``) or its severity is
    ``urgent`` ("complaint or urgent case") — whatever the channel."""
    explicit = case.get("complaint")
    if explicit is not None:
        return bool(explicit)
    return case.get("category") in complaint_categories or case.get("severity") == "urgent"


def _hashable(v):
    return tuple(v) if isinstance(v, list) else v


#: the clocks a target runs on (R-SLA preamble)
CLOCKS = ("service", "calendar", "working_days")


@dataclass(frozen=True)
class Target:
    """One target and its clock (R-SLA preamble): ``service`` minutes (the store's hours),
    ``calendar`` minutes (the wall clock, day and night) or ``working_days``."""

    name: str
    minutes: int | None = None
    working_days: int | None = None
    clock: str = "service"

    def describe(self) -> str:
        if self.working_days is not None:
            return f"{self.working_days} working day(s)"
        if self.clock == "calendar":
            m = self.minutes or 0
            return f"{m // 60} calendar h" if m % 60 == 0 else f"{m} calendar min"
        return f"{self.minutes} service min"


def clock_of(minutes, working_days, hours, clock) -> tuple[int | None, int | None, str]:
    """``(minutes, working_days, clock)`` of a rule: minutes default to the service clock, hours to
    the calendar clock ("N 小时" for solving, dispatching, arriving), working days to their own
    (R-SLA preamble); ``clock`` names it explicitly."""
    if hours is not None:
        if minutes is not None:
            raise ValueError("an SLA rule takes minutes or hours, not both")
        minutes = int(round(float(hours) * 60))
        clock = clock or "calendar"
    if working_days is not None:
        if clock not in (None, "working_days"):
            raise ValueError(f"working_days runs on the working-day clock, not {clock!r}")
        return None, int(working_days), "working_days"
    clock = clock or "service"
    if clock not in ("service", "calendar"):
        raise ValueError(f"SLA clock {clock!r}: service or calendar (working days: working_days = N)")
    return None if minutes is None else int(minutes), None, clock


@dataclass
class Rule:
    target: str
    when: dict
    minutes: int | None
    working_days: int | None
    order: int
    clock: str = "service"

    def matches(self, case: dict) -> bool:
        for k, v in self.when.items():
            vals = v if isinstance(v, (list, tuple, set)) else (v,)
            if case.get(k) not in vals:
                return False
        return True


class RuleSet:
    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.extra_keys: set[str] = set()
        self._cache: dict[tuple, dict[str, Target]] = {}
        #: some rule matches on ``shift``: callers must give the case's shift (:func:`case_shift`)
        self.uses_shift = False
        #: categories that are complaints (R-SLA-2, :func:`is_complaint`)
        self.complaint_categories: frozenset = frozenset()

    def add(self, target: str, minutes: int | None = None, working_days: int | None = None,
            when: dict | None = None, *, hours: float | None = None, clock: str | None = None, **match) -> None:
        unknown = set(match) - set(MATCH_KEYS)
        if unknown:
            raise ValueError(f"SLA rule for {target}: unknown keys {sorted(unknown)} ({', '.join(MATCH_KEYS)}; "
                             "case attributes of the case_attributes hook go in when={...})")
        when = {**(when or {}), **match}
        # keys of ``when`` beyond MATCH_KEYS are case attributes from the ``case_attributes`` hook
        self.extra_keys.update(k for k in when if k not in MATCH_KEYS)
        if "shift" in when:
            self.uses_shift = True
        try:
            minutes, working_days, clock = clock_of(minutes, working_days, hours, clock)
        except ValueError as exc:
            raise ValueError(f"SLA rule for {target}: {exc}") from None
        self.rules.append(Rule(target, when, minutes, working_days, len(self.rules), clock))
        self._cache.clear()

    def for_case(self, case: dict) -> dict[str, Target]:
        """Targets that apply to ``case`` (a dict with category, severity, channel, shift when a rule
        matches on it, and any case attributes the rules name, see :func:`asx.cases.service.sla_view`)."""
        keys = MATCH_KEYS + tuple(sorted(self.extra_keys))
        case = {**case, "complaint": is_complaint(case, self.complaint_categories)}  # R-SLA-2
        key = tuple(_hashable(case.get(k)) for k in keys)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        probe = dict(zip(keys, key))
        best: dict[str, Rule] = {}
        for r in self.rules:
            if not r.matches(probe):
                continue
            cur = best.get(r.target)
            if cur is None or (len(r.when), r.order) >= (len(cur.when), cur.order):
                best[r.target] = r
        out = {}
        for name, r in best.items():
            if r.minutes is not None or r.working_days is not None:
                out[name] = Target(name, r.minutes, r.working_days, r.clock)
        self._cache[key] = out
        return out


def load_rules(app) -> RuleSet:
    """Rules from the ``register_sla_targets`` hook plus the ``sla.rules`` setting (highest)."""
    from asx.cases.model import categories

    rs = RuleSet()
    rs.complaint_categories = frozenset(app.config.get("sla.complaint_categories") or ()) | frozenset(
        code for code, cat in categories(app.plugins).items() if cat.complaint)
    for a, kw in app.plugins.sla_targets(app.config):
        rs.add(*a, **kw)
    for i, rule in enumerate(app.config.get("sla.rules") or []):
        if not isinstance(rule, dict) or "target" not in rule:
            from asx.core.errors import UserError

            raise UserError(f"sla.rules[{i}] needs a table with target = … and minutes = … or working_days = …")
        rule = dict(rule)
        try:
            rs.add(rule.pop("target"), minutes=rule.pop("minutes", None), working_days=rule.pop("working_days", None),
                   hours=rule.pop("hours", None), clock=rule.pop("clock", None), **rule)
        except ValueError as exc:
            from asx.core.errors import UserError

            raise UserError(f"sla.rules[{i}]: {exc}") from None
    return rs


class ShiftLookup:
    """The roster shift id an agent was working at an epoch (R-SLA-1 per-shift targets).

    Answers what :func:`asx.roster.duty.on_duty` answers (``.on.get(agent)``: today's segments, then
    yesterday's running past midnight) through the same :class:`asx.roster.duty.DutyReader`, which
    reads ``roster_days`` once per local day and keeps it for the lookup's life (the case import
    keeps one lookup for the whole file: two queries per day instead of two per row, and no
    per-minute cache growing with the file).
    """

    def __init__(self, store, tz) -> None:
        from asx.roster.duty import DutyReader

        self.store, self.tz = store, tz
        self._duty = DutyReader(store)

    def __call__(self, agent: str | None, at: int | None) -> str | None:
        if not agent or at is None:
            return None
        local = from_epoch(at - at % 60, self.tz)
        return self.local(agent, local.date(), local.hour * 60 + local.minute)

    def local(self, agent: str | None, day, minute: int) -> str | None:
        """The shift of ``agent`` at ``minute`` (0..1439) of local ``day`` (R-ROS-9): a segment of the
        day before running past midnight, else the day's own (:meth:`DutyDay.shift_of`)."""
        if not agent:
            return None
        return self._duty.day(day).shift_of(agent, minute)


def case_shift(store, tz, case: dict) -> str | None:
    """Shift of the case's agent at ``opened_at`` (None: not on duty, or no roster that day)."""
    return ShiftLookup(store, tz)(case.get("agent"), case.get("opened_at"))


def targets_for(rules: RuleSet, store, tz, case: dict) -> dict[str, Target]:
    """``rules.for_case(case)``, adding the case's shift first when some rule matches on it."""
    if rules.uses_shift and "shift" not in case:
        case = {**case, "shift": case_shift(store, tz, case)}
    return rules.for_case(case)


# --- a fast service clock ---------------------------------------------------------------------

class ServiceClock:
    """Service-second arithmetic equal to :class:`asx.core.calendar.ServiceCalendar`, fast.

    Keeps, for a span of local dates, each date's open intervals (epoch seconds) and the
    cumulative open seconds before each date, so that adding service time is two bisections
    instead of a walk over days. Used by the import (a million due times) and ``recompute``.
    Extends its span on demand.
    """

    def __init__(self, calendar, first: date | None = None, last: date | None = None) -> None:
        self.cal = calendar
        self.tz = calendar.tz
        today = datetime.now(self.tz).date()
        self._build(first or today, last or today)
        self._wd_cache: dict[tuple[date, int], date] = {}

    def _build(self, first: date, last: date) -> None:
        """Cover local dates [first - 2, last + 40]."""
        first -= timedelta(days=2)
        last += timedelta(days=40)
        self.first, self.last = first, last
        n = (last - first).days + 1
        self.midnights: list[int] = []
        self.ivs: list[tuple[tuple[int, int], ...]] = []
        self.cum: list[int] = [0]   # cum[k] = open seconds before day k
        for i in range(n):
            d = first + timedelta(days=i)
            self.midnights.append(date_to_epoch(d, self.tz))
            iv = self.cal._intervals(d)
            self.ivs.append(iv)
            self.cum.append(self.cum[-1] + sum(e - s for s, e in iv))
        self.midnights.append(date_to_epoch(last + timedelta(days=1), self.tz))

    def _day(self, t: int) -> int:
        if t < self.midnights[0] or t >= self.midnights[-1]:
            d = epoch_to_date(t, self.tz)
            self._build(min(d, self.first), max(d, self.last))
        return bisect_right(self.midnights, t) - 1

    def cumulative(self, t: int) -> int:
        """Open seconds from the start of the span to ``t``."""
        i = self._day(t)
        c = self.cum[i]
        for s, e in self.ivs[i]:
            if t > s:
                c += (t if t < e else e) - s
        return c

    def service_seconds(self, a: int, b: int) -> int:
        """Open seconds in [a, b) (a <= b)."""
        return self.cumulative(b) - self.cumulative(a)

    def add(self, a: int, secs: int) -> int:
        """Epoch ``secs`` service seconds after ``a`` (equals ``calendar.add_service_minutes``)."""
        r = self._add(a, secs)
        if r is not None:
            return r
        for _ in range(200):
            r = self._add(a, secs)
            if r is not None:
                return r
            self._build(self.first + timedelta(days=2), self.last + timedelta(days=max(60, secs // 20000)))
        from asx.core.errors import UserError

        raise UserError("the service calendar has no open hours for years: check [calendar] and service.hours")

    def add_each(self, a: int, secs_list) -> list:
        """``[self.add(a, secs) for secs in secs_list]`` (None stays None), the day of ``a`` looked up
        once and :meth:`_add` inlined: the import's targets of one case all count from its opening."""
        mid = self.midnights
        if not mid[0] <= a < mid[-1]:
            return [None if secs is None else self.add(a, secs) for secs in secs_list]
        i = bisect_right(mid, a) - 1
        ivs = self.ivs[i]
        cum = self.cum
        out = []
        for secs in secs_list:
            if secs is None:
                out.append(None)
                continue
            r = None
            rem = secs
            for s, e in ivs:  # as _add: the open spans left on a's day …
                if e <= a:
                    continue
                start = s if s > a else a
                if e - start >= rem:
                    r = start + rem
                    break
                rem -= e - start
            if r is None:  # … then the day where the remaining open seconds run out
                base = cum[i + 1]
                k = bisect_right(cum, base, lo=i + 1) if rem == 0 else bisect_left(cum, base + rem, lo=i + 1)
                if k < len(cum):
                    x = base + rem - cum[k - 1]
                    for s, e in self.ivs[k - 1]:
                        if e - s >= x:
                            r = s + x
                            break
                        x -= e - s
                if r is None:  # past the span: add() extends it
                    r = self.add(a, secs)
            out.append(r)
        return out

    def _add(self, a: int, secs: int) -> int | None:
        i = self._day(a)
        for s, e in self.ivs[i]:
            if e <= a:
                continue
            start = s if s > a else a
            if e - start >= secs:
                return start + secs
            secs -= e - start
        cum = self.cum
        base = cum[i + 1]
        if secs == 0:
            k = bisect_right(cum, base, lo=i + 1)
        else:
            k = bisect_left(cum, base + secs, lo=i + 1)
        if k >= len(cum):
            return None
        j = k - 1
        rem = base + secs - cum[j]
        for s, e in self.ivs[j]:
            if e - s >= rem:
                return s + rem
            rem -= e - s
        return None  # pragma: no cover - cum guarantees a hit

    def add_working_days(self, a: int, n: int) -> int:
        """== calendar.add_working_days (same clock time on the n-th working day, into service hours)."""
        i = self._day(a)
        mid = self.midnights
        if mid[i + 1] - mid[i] == 86400:
            # fast path: on days without a UTC-offset change the clock time is the offset from midnight
            d0 = self.first + timedelta(days=i)
            d = self._wd_cache.get((d0, n))
            if d is not None:
                j = (d - self.first).days
                if 0 <= j < len(mid) - 1 and mid[j + 1] - mid[j] == 86400:
                    return self.add(mid[j] + (a - mid[i]), 0)
        local = from_epoch(a, self.tz)
        d0 = local.date()
        d = self._wd_cache.get((d0, n))
        if d is None:
            d, count = d0, 0
            while count < n:
                d += timedelta(days=1)
                if self.cal.is_working_day(d):
                    count += 1
            self._wd_cache[(d0, n)] = d
        target = date_to_epoch(d, self.tz, local.time())
        return self.add(target, 0)

    def due(self, start: int, target: Target, paused_secs: int = 0) -> int:
        """Due time of ``target`` counted from ``start``; ``paused_secs`` are the seconds waited, on the
        target's clock (service seconds, or calendar seconds for a calendar target)."""
        if target.clock == "calendar":
            return start + target.minutes * 60 + paused_secs
        if target.working_days is not None:
            t = self.add_working_days(start, target.working_days)
            return self.add(t, paused_secs) if paused_secs else t
        return self.add(start, target.minutes * 60 + paused_secs)


_clocks: dict[int, ServiceClock] = {}


def clock_for(calendar) -> ServiceClock:
    c = _clocks.get(id(calendar))
    if c is None or c.cal is not calendar:
        c = _clocks[id(calendar)] = ServiceClock(calendar)
    return c


# --- recompute one case -----------------------------------------------------------------------

def evaluate(calendar, case: dict, targets: dict[str, Target], pauses: list[tuple[int, int | None]],
             now: int) -> list[dict]:
    """The ``case_sla`` rows of ``case`` as of ``now`` (pure: no database)."""
    clock = clock_for(calendar)
    rows = []
    ended = case.get("status") == "merged"
    for name, tgt in targets.items():
        start = case.get(START_COLUMN.get(name, "opened_at"))
        if start is None:
            continue
        met = case.get(MET_COLUMN.get(name, f"{name}_at"))
        my_pauses = [(a, b) for a, b in pauses if (b is None or b > start)]
        open_pause = any(b is None for a, b in my_pauses) and met is None
        closed = [(max(a, start), b) for a, b in my_pauses if b is not None]
        if tgt.clock == "calendar":  # R-SLA preamble: a calendar target is paused by the wall-clock time waited
            paused_secs = sum(b - a for a, b in _merge(closed))
        else:
            paused_secs = sum(clock.service_seconds(a, b) for a, b in _merge(closed))
        # R-SLA-5: a promise never hides a breach: the due time stays the target's (the promise is
        # shown beside it, and one later than the target needs a reason, asx.cases.service._promise)
        due = None if open_pause else clock.due(start, tgt, paused_secs)
        end = met if met is not None else now
        svc = calendar.service_minutes_between(start, max(start, end), my_pauses)
        cal_min = calendar.calendar_minutes_between(start, max(start, end), my_pauses)
        if met is not None:
            state = "met" if due is None or met <= due else "breached"
        elif ended:
            state = "cancelled"
        else:
            state = "breached" if due is not None and now > due else "pending"
        rows.append({"case_id": case["id"], "target": name, "due_at": due, "met_at": met, "state": state,
                     "service_minutes": svc, "calendar_minutes": cal_min})
    return rows


def late_promise(case: dict, rows: list[dict], until: int) -> list[dict]:
    """R-SLA-5: the pending promisable targets (solution, resolution) of ``rows`` whose due time lies
    before the promised time ``until``: the promise would come after the target, a breach to come."""
    return [r for r in rows if r["target"] in PROMISABLE and r["met_at"] is None and r["due_at"] is not None
            and r["state"] != "cancelled" and until > r["due_at"]]


def _merge(spans):
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        elif b > a:
            out.append([a, b])
    return [(a, b) for a, b in out]


def next_due(case: dict, rows: list[dict]) -> tuple[int | None, str | None]:
    """Earliest due time of an unmet target (None while waiting or once closed/merged)."""
    from asx.cases.model import ENDED, WAITING

    if case.get("status") in ENDED or case.get("status") in WAITING:
        return None, None
    unmet = [r for r in rows if r["met_at"] is None and r["due_at"] is not None and r["state"] != "cancelled"]
    if not unmet:
        return None, None
    r = min(unmet, key=lambda r: (r["due_at"], r["target"]))
    return r["due_at"], r["target"]


def recompute(store, calendar, case_row: dict, targets: dict[str, Target], *, now: int | None = None) -> list[dict]:
    """Rewrite ``case_sla`` of one case and its ``next_due_at``/``next_due_target`` (caller holds the tx).

    ``targets`` is ``RuleSet.for_case(case_row)``; ``now`` (epoch) decides pending vs breached
    for unmet targets (default: the wall clock / ASX_NOW). Returns the rows written.
    """
    from asx.store import cases as case_store

    if now is None:
        from asx.core.timeutil import now as _now

        now = to_epoch(_now(calendar.tz))
    pauses = case_store.pause_spans(store, case_row["id"])
    rows = evaluate(calendar, case_row, targets, pauses, now)
    case_store.replace_sla(store, case_row["id"], rows)
    due, target = next_due(case_row, rows)
    case_store.set_next_due(store, case_row["id"], due, target)
    return rows


# --- the nightly job (registered by asx/plugins/cases.py) ----------------------------------------

def nightly_overdue(ctx) -> str:
    """Cases whose next SLA due time passed by the end of the day and are still open."""
    from asx.io.output import Column
    from asx.store import kpi as kpi_store

    end = int(ctx.end.timestamp())
    rows = [{**r, "due_at": ctx.app.iso(r["due_at"]), "overdue_minutes": (end - r["due_at"]) // 60}
            for r in kpi_store.overdue(ctx.app.store, end)]
    cols = [Column("case_id"), Column("agent"), Column("category"), Column("severity"), Column("status"),
            Column("target"), Column("due_at"), Column("overdue_minutes")]
    ctx.write_rows("overdue.csv", rows, cols, meta={"kind": "overdue", "as_of": ctx.app.iso(end),
                                                    "timezone": ctx.app.config.get("store.timezone")})
    return f"{len(rows)} overdue"
