"""Fairness over a range (R-ROS-10, R-ROS-6): per agent nights, runs of nights (turns), weekend
and holiday rests, leave and hours, their spread over the team, and whose night turn is next.

R-ROS-4 keeps an agent on one shift type between switch days, so nights come in runs: a *turn*
is a run of night shifts (rest days inside it do not end it, another shift does). The night
queue orders the agents by turns, then nights, then the day of their last night (issue 19)."""

from __future__ import annotations

from datetime import date, timedelta

from asx.roster.days import parse_day
from asx.roster.problem import calendar_days, rostered_team, ruleset


def fairness(app, first: date, last: date) -> list[dict]:
    """Per agent over [first, last]: days worked, nights, weekend rests, holiday rests, leave, hours."""
    from asx.store import roster as roster_store
    from asx.core.timeutil import parse_clock_ranges

    rules = ruleset(app)
    kinds = {s.id: s.kind for s in rules.shifts}
    hol, work = calendar_days(app, first, last)
    order = {n: i for i, n in enumerate(rostered_team(app, rules, first, last).names)}
    acc: dict[str, dict] = {}
    for r in roster_store.days_between(app.store, first.isoformat(), last.isoformat()):
        a = acc.setdefault(r["agent"], {"agent": r["agent"], "days": 0, "worked": 0, "day_shifts": 0, "nights": 0,
                                        "rests": 0, "weekend_rests": 0, "holiday_rests": 0, "holidays_worked": 0,
                                        "leave": 0, "minutes": 0})
        d = parse_day(r["day"])
        a["days"] += 1
        if r["mark"] == "work":
            a["worked"] += 1
            if kinds.get(r["shift"]) == "night":
                a["nights"] += 1
            else:
                a["day_shifts"] += 1
            if d in hol:
                a["holidays_worked"] += 1
            if r["segments"]:
                a["minutes"] += sum(b - s for s, b in parse_clock_ranges(r["segments"]))
        elif r["mark"] == "leave":
            a["leave"] += 1
        else:
            a["rests"] += 1
            if d.weekday() >= 5 and d not in work:
                a["weekend_rests"] += 1
            if d in hol:
                a["holiday_rests"] += 1
        # a turn of nights: a night after another shift (or none yet) starts a new run
        prev = a.setdefault("_prev", None)
        if r["mark"] == "work":
            is_night = kinds.get(r["shift"]) == "night"
            if is_night and prev != "night":
                a["night_turns"] = a.get("night_turns", 0) + 1
            if is_night:
                a["last_night"] = d.isoformat()
            a["_prev"] = "night" if is_night else "day"
    rows = sorted(acc.values(), key=lambda a: (order.get(a["agent"], 10**6), a["agent"]))
    for a in rows:
        a["hours"] = round(a.pop("minutes") / 60, 1)
        a.pop("_prev", None)
        a.setdefault("night_turns", 0)
        a.setdefault("last_night", "")
    # whose turn is next: the team of the day after the range only (R-ROS-10; not who has left by then)
    after = last + timedelta(days=1)
    team_next = set(rostered_team(app, rules, after, after).names)
    queue = sorted((a for a in rows if a["agent"] in order and a["agent"] in team_next),
                   key=lambda a: (a["night_turns"], a["nights"], a["last_night"], order[a["agent"]]))
    for rank, a in enumerate(queue, start=1):
        a["next_night_turn"] = rank
    for a in rows:
        a.setdefault("next_night_turn", None)
    return rows


def next_turns(rows: list[dict], k: int = 3) -> list[str]:
    """The agents whose run of nights comes next (the head of the night queue)."""
    return [a["agent"] for a in sorted((a for a in rows if a.get("next_night_turn")),
                                       key=lambda a: a["next_night_turn"])[:k]]


def spread(rows: list[dict], keys=("nights", "night_turns", "weekend_rests", "holiday_rests", "hours")) -> dict:
    """max − min of each counter over the agents (what R-ROS-10 wants small)."""
    return {k: (round(max(r[k] for r in rows) - min(r[k] for r in rows), 1) if rows else 0) for k in keys}
