"""The stored roster as agents × days with coverage totals and minimums (``asx roster show``),
or as one row per day and agent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from asx.core.errors import UserError
from asx.roster.days import day_range, monday, parse_day
from asx.roster.problem import build_problem, calendar_days, rostered_team, ruleset


@dataclass
class Grid:
    first: date
    last: date
    dates: list[date]
    agents: list[str]
    cells: dict[tuple[str, date], dict]  # stored rows
    published: set[date]
    shifts: list  # ShiftType
    totals: dict[str, dict[date, int]]
    minimum: dict[str, dict[date, int]]
    holidays: set[date]


def grid(app, first: date, last: date, *, agent: str | None = None) -> Grid:
    from asx.store import roster as roster_store

    rules = ruleset(app)
    rows = roster_store.days_between(app.store, first.isoformat(), last.isoformat())
    order = {n: i for i, n in enumerate(rostered_team(app, rules, first, last).names)}
    agents = sorted({r["agent"] for r in rows}, key=lambda n: (order.get(n, 10**6), n))
    cells = {(r["agent"], parse_day(r["day"])): r for r in rows}
    dates = day_range(first, last)
    published = {d for d in dates if any(cells.get((a, d), {}).get("published") for a in agents)}
    totals: dict[str, dict[date, int]] = {s.id: {d: 0 for d in dates} for s in rules.shifts}
    for r in rows:
        if r["mark"] == "work" and r["shift"] in totals:
            totals[r["shift"]][parse_day(r["day"])] += 1
    hol, _work = calendar_days(app, first, last)
    minimum: dict[str, dict[date, int]] = {}
    if rows:
        p = build_problem(app, monday(first), last, rules=rules, pin_published=False, with_history=False)
        for s in rules.shifts:
            minimum[s.id] = {}
            for d in dates:
                c = p.cover(p.index(d), s.id)
                minimum[s.id][d] = c.min if c else 0
    if agent:
        if agent not in agents:
            raise UserError(f"{agent} has no roster days between {first} and {last}")
        agents = [agent]
    return Grid(first, last, dates, agents, cells, published, list(rules.shifts), totals, minimum, hol)


def long_rows(app, first: date, last: date, *, agent: str | None = None) -> list[dict]:
    from asx.store import roster as roster_store

    rows = roster_store.days_between(app.store, first.isoformat(), last.isoformat(), [agent] if agent else None)
    return [{**r, "weekday": parse_day(r["day"]).strftime("%a"), "published": bool(r["published"]),
             "code": r["shift"] if r["mark"] == "work" else r["mark"]} for r in rows]
