"""``asx me``: what matters now to the acting agent, on one screen (issue 11 §1).

Sections (each a list of plain dicts; times are epoch seconds, turned into ISO by the caller):

* ``shift`` — my shift now and next: today's roster mark, segments, the segment I am on, the next
  one, and the handover times (``daily.handover_times``, R-ROS-2: 17:30) that touch my day;
* ``handover`` — the latest handover note left for me or for everyone since I last went off
  duty (R-CASE-10);
* ``due`` — my cases with a running clock, by time to breach (R-SLA), service and calendar
  minutes left (negative: overdue);
* ``reviews`` — my reviews whose next step is actionable now (asx.reviews.queue: due, on shift,
  calls only inside the call windows, R-REV-5);
* ``waiting`` — my cases waiting on the buyer past the promised time (R-SLA-5), or waiting longer
  than ``daily.waiting_buyer_hours`` without a promise;
* ``records`` — my daily records still missing or late (asx.kpi.records.missing, R-KPI-1) for last
  week and this week.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from asx.core.timeutil import to_epoch


def _mins(app, now: int, due: int) -> tuple[int | None, int]:
    cal = app.calendar
    calm = (due - now) // 60
    if abs(due - now) > 86400 * 30:
        return None, calm
    if due >= now:
        return cal.service_minutes_between(now, due), calm
    return -cal.service_minutes_between(due, now), calm


def shift_section(app, agent: str, at: datetime) -> dict:
    from asx.daily import shifts

    st = shifts.state(app.store, agent, at)
    row = st.rostered_today
    mark = row["mark"] if row else None
    if st.now is not None:
        status = "on_shift"
    elif mark == "leave":
        status = "on_leave"
    elif mark in ("rest", "holiday"):
        status = "resting"
    elif mark == "work" and any(s.start > at for s in st.today) and any(s.end <= at for s in st.today):
        status = "on_break"
    elif not st.known:
        status = "no_roster"
    else:
        status = "off_duty"
    handovers = []
    for hm in app.config.get("daily.handover_times") or []:
        h, m = (int(x) for x in str(hm).split(":"))
        t = at.replace(hour=h, minute=m, second=0, microsecond=0)
        if any(s.start <= t <= s.end for s in st.today):
            handovers.append(t)
    return {"status": status, "mark": mark, "shift": row["shift"] if row else None,
            "now": st.now, "today": st.today, "next": st.next, "handovers": handovers, "known": st.known}


def handover_section(app, agent: str, at: datetime) -> dict | None:
    from asx.daily import shifts
    from asx.store import daily as daily_store

    segs = shifts.agent_segments(app.store, agent, at.date() - timedelta(days=7), at.date(), at.tzinfo)
    ended = [s.end for s in segs if s.end <= at]
    since = max(ended) if ended else at - timedelta(days=1)
    since = max(since, at - timedelta(days=3))
    return daily_store.handover_for(app.store, agent, to_epoch(since), to_epoch(at))


def due_section(app, agent: str, at: datetime, limit: int) -> list[dict]:
    from asx.store import daily as daily_store

    now = to_epoch(at)
    out = []
    for r in daily_store.my_due(app.store, agent, 2 ** 62, limit):
        r["left_service_minutes"], r["left_minutes"] = _mins(app, now, r["next_due_at"])
        r["overdue"] = r["next_due_at"] < now
        out.append(r)
    return out


def team_due_section(app, at: datetime, limit: int) -> list[dict]:
    """The whole team's queue by time to breach (R-SLA): the rows of ``asx case due --team``, with the
    minutes left as :func:`due_section` gives them (``asx desk --team``)."""
    from asx.store import cases as case_store

    now = to_epoch(at)
    out = []
    for r in case_store.list_cases(app.store, due_before=2 ** 62, sort="due", limit=limit):
        r["left_service_minutes"], r["left_minutes"] = _mins(app, now, r["next_due_at"])
        r["overdue"] = r["next_due_at"] < now
        out.append(r)
    return out


def reviews_section(app, agent: str, at: datetime, limit: int) -> dict:
    from asx.reviews import queue
    from asx.reviews.service import policy

    q = queue.build(app.store, policy(app), at=at, agent=agent, limit=limit)
    items = [r for r in q.items if r["now"]]
    return {"items": items, "due_now": q.due_now, "open": q.open, "in_call_window": q.in_window,
            "availability": q.availability.note, "later": q.later}


def waiting_section(app, agent: str | None, at: datetime, limit: int) -> list[dict]:
    from asx.store import daily as daily_store

    now = to_epoch(at)
    waited = now - int(float(app.config.get("daily.waiting_buyer_hours")) * 3600)
    return daily_store.waiting_buyer_lapsed(app.store, agent, now, waited, limit)


def records_section(app, agent: str, at: datetime) -> list[dict]:
    from asx.kpi import records

    this_monday = at.date() - timedelta(days=at.weekday())
    out = []
    for monday in (this_monday - timedelta(days=7), this_monday):
        out += [r for r in records.missing(app, monday, now=at) if r["agent"] == agent]
    return out


def build(app, agent: str, at: datetime, *, limit: int = 10) -> dict:
    """Every section of ``asx me`` for ``agent`` at ``at``."""
    return {
        "agent": agent,
        "at": at,
        "shift": shift_section(app, agent, at),
        "handover": handover_section(app, agent, at),
        "due": due_section(app, agent, at, limit),
        "reviews": reviews_section(app, agent, at, limit),
        "waiting": waiting_section(app, agent, at, limit),
        "records": records_section(app, agent, at),
    }
