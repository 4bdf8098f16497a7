"""Reader for the Curtois & Qu shift-scheduling benchmark format (NRP).

The instance becomes an ordinary :class:`Problem` whose rules are asx rule
families — no separate model:

| NRP section / field            | asx rule family                                   |
| ------------------------------ | ------------------------------------------------- |
| shift length                   | ``ShiftType.minutes``                             |
| shifts that cannot follow      | ``forbidden_successions`` (hard)                  |
| MaxShifts per type             | per-agent ``Limit("shift:<id>", max=…)`` (hard)   |
| Max/MinTotalMinutes            | per-agent ``Limit("minutes", min=…, max=…)``      |
| Max/MinConsecutiveShifts       | ``max/min_consecutive_days`` per agent (hard)     |
| MinConsecutiveDaysOff          | ``min_consecutive_off`` per agent (hard)          |
| MaxWeekends                    | per-agent ``Limit("weekends", max=…)`` (hard)     |
| SECTION_DAYS_OFF               | ``Problem.leave`` (hard)                          |
| shift on/off requests          | ``Problem.requests`` (soft, own weight)           |
| SECTION_COVER                  | ``coverage_dates`` target with under/over weights |

House-only families (rest days per week, switch days, events, fairness,
min rest by clock time, cycle) are switched off.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

from asx.core.errors import UserError
from asx.roster.model import (
    FAMILY_DEFAULTS,
    AgentSpec,
    Cover,
    Family,
    Limit,
    Problem,
    Request,
    Roster,
    RuleSet,
    ShiftType,
)

NRP_START = date(2024, 1, 1)  # a Monday; NRP day 0 is a Monday


def _sections(text: str) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    cur = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            cur = line
            out[cur] = []
            continue
        if cur is None:
            raise UserError(f"NRP: data before any section: {line!r}")
        out[cur].append([c.strip() for c in line.split(",")])
    return out


def read_nrp(source: str | Path, *, start: date = NRP_START) -> Problem:
    """Parse an instance file (path) or its text into a Problem."""
    text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and Path(source).exists()) else str(source)
    sec = _sections(text)
    try:
        horizon = int(sec["SECTION_HORIZON"][0][0])
    except (KeyError, IndexError, ValueError):
        raise UserError("NRP: missing or bad SECTION_HORIZON") from None
    day = lambda k: start + timedelta(days=int(k))  # noqa: E731

    shifts, forbidden = [], []
    for row in sec.get("SECTION_SHIFTS", []):
        sid, minutes = row[0], int(row[1])
        shifts.append(ShiftType(sid, sid, "", (), kind=sid, minutes=minutes))
        for nxt in (row[2] if len(row) > 2 else "").split("|"):
            if nxt:
                forbidden.append((sid, nxt))

    agents = []
    for row in sec.get("SECTION_STAFF", []):
        sid, maxshifts, maxmin, minmin, maxcons, mincons, minoff, maxwe = row[:8]
        limits = []
        for part in maxshifts.split("|"):
            if part:
                s, k = part.split("=")
                limits.append(Limit(f"shift:{s}", "horizon", max=int(k), hard=True))
        limits.append(Limit("minutes", "horizon", min=int(minmin), max=int(maxmin), hard=True))
        limits.append(Limit("weekends", "horizon", max=int(maxwe), hard=True))
        agents.append(AgentSpec(sid, max_consecutive_days=int(maxcons), min_consecutive_days=int(mincons),
                                min_consecutive_off=int(minoff), limits=tuple(limits)))

    leave: dict[str, set[date]] = {}
    for row in sec.get("SECTION_DAYS_OFF", []):
        leave.setdefault(row[0], set()).update(day(k) for k in row[1:] if k != "")

    requests = []
    for name, on in (("SECTION_SHIFT_ON_REQUESTS", True), ("SECTION_SHIFT_OFF_REQUESTS", False)):
        for row in sec.get(name, []):
            requests.append(Request(row[0], day(row[1]), row[2], on, int(row[3])))

    cover: dict[date, dict[str, Cover]] = {}
    for row in sec.get("SECTION_COVER", []):
        cover.setdefault(day(row[0]), {})[row[1]] = Cover(min=0, target=int(row[2]), under_weight=int(row[3]),
                                                            over_weight=int(row[4]))
    off = Family(False, 0)
    families = dict(FAMILY_DEFAULTS)
    families.update({f: off for f in ("fair_nights", "fair_weekend_rests", "fair_holiday_rests", "holiday_rest",
                                      "events", "min_rest")})
    for f in ("max_consecutive", "min_consecutive", "min_consecutive_off", "forbidden_succession", "limits"):
        families[f] = Family(True, families[f].weight)
    rules = RuleSet(
        shifts=tuple(shifts),
        rostered_roles=("agent",),
        coverage={},
        coverage_dates=cover,
        rest_days_per_week=None,
        max_consecutive_days=None,
        min_rest_minutes=None,
        forbidden_successions=tuple(forbidden),
        switch_days=(),
        events=(),
        families=families,
        cycle_weeks=0,
    )
    return Problem(start=start, days=horizon, agents=agents, rules=rules, leave=leave, requests=requests,
                   use_cycle=False)


def solution_csv(roster: Roster) -> str:
    """Staff id, then the shift id per day index 0…horizon−1 (empty = off)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["staff"] + [str(i) for i in range(roster.days)])
    for a in roster.agents:
        vals = []
        for d in roster.dates:
            v = roster.get(a, d)
            vals.append("" if v is None or v == "LEAVE" else v)
        w.writerow([a] + vals)
    return buf.getvalue()


def read_solution_csv(text: str, problem: Problem) -> Roster:
    rows = list(csv.reader(io.StringIO(text)))
    r = Roster(problem.start, problem.days, tuple(row[0] for row in rows[1:]))
    for row in rows[1:]:
        for i, v in enumerate(row[1:]):
            r.cells[(row[0], problem.day(i))] = v or None
    return r
