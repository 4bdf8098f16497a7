"""``asx today``: the supervisor's morning screen (issue 11 §2).

Sections:

* ``roster`` — everyone rostered today: on shift now, later today, done, resting, on leave
  (``roster_days``, asx.roster.duty R-ROS-9);
* ``leave`` — leave recorded over today; ``uncovered`` — shifts of today and tomorrow below the
  R-ROS-3 minimum (R-ROS-7: the supervisor's responsibility);
* ``due`` — per agent, cases overdue now and due within ``daily.soon_hours`` (R-SLA);
* ``reviews`` — the review queue by step: due now, later, first later (R-REV-4/5);
* ``ledger`` — entries since yesterday 00:00 without a finance sign-off (R-FIN-1);
  ``audit`` — findings of the audit runs since yesterday 00:00 (R-FIN-3);
* ``complaints`` — this month's complaint ladder (asx.kpi.grades, R-KPI-4);
* ``records`` — daily records missing or late, last week and this week (R-KPI-1);
* ``forecast`` — the SLA forecast of the next ``daily.forecast_hours`` hours (asx.daily.forecast;
  covers are ranked by ``asx sla forecast``, not here, to keep this screen fast).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from asx.core.timeutil import to_epoch


def roster_section(app, at: datetime) -> dict:
    from asx.roster.duty import on_duty, segments_of
    from asx.store import roster as rstore

    day = at.date().isoformat()
    rows = rstore.days_on(app.store, day)
    duty = on_duty(app.store, at)
    out = []
    for r in rows:
        segs = segments_of([r], at.tzinfo)
        if r["agent"] in duty.on:
            state = "on_shift"
        elif r["mark"] != "work":
            state = r["mark"]  # rest | leave | holiday
        elif any(s.start > at for s in segs):
            state = "on_break" if any(s.end <= at for s in segs) else "later"
        else:
            state = "done"
        nxt = next((s.start for s in segs if s.start > at), None)
        out.append({"agent": r["agent"], "shift": r["shift"], "mark": r["mark"], "segments": r["segments"],
                    "state": state, "next_start": nxt})
    for name, sid in duty.on.items():  # last night's segment running past midnight
        if not any(o["agent"] == name for o in out):
            out.append({"agent": name, "shift": sid, "mark": "work", "segments": None, "state": "on_shift",
                        "next_start": None})
    order = {"on_shift": 0, "on_break": 1, "later": 2, "done": 3, "rest": 4, "holiday": 5, "leave": 6}
    out.sort(key=lambda o: (order.get(o["state"], 9), o["shift"] or "", o["agent"]))
    return {"known": duty.known, "people": out}


def ledger_section(app, at: datetime, limit: int) -> dict:
    """Ledger entries since yesterday 00:00 without a finance sign-off (R-FIN-1): count, amount, the
    first ``limit`` rows (``asx today`` and ``asx desk``)."""
    from asx.store import daily as daily_store

    day = at.date()
    yesterday = to_epoch(datetime(day.year, day.month, day.day, tzinfo=at.tzinfo)) - 86400
    n_unsigned, fen_unsigned, unsigned = daily_store.unsigned_ledger(app.store, yesterday, limit)
    return {"count": n_unsigned, "amount_fen": fen_unsigned, "items": unsigned, "since": yesterday}


def build(app, at: datetime, *, limit: int = 10, forecast_hours: int | None = None) -> dict:
    """Every section of ``asx today`` at ``at``."""
    from asx.kpi import records
    from asx.daily import forecast as fc_mod
    from asx.kpi import grades
    from asx.reviews import ladder
    from asx.reviews.service import policy
    from asx.roster.coverage import uncovered as uncovered_shifts
    from asx.store import daily as daily_store
    from asx.store import reviews as review_store
    from asx.store import roster as rstore

    now = to_epoch(at)
    day = at.date()
    yesterday = to_epoch(datetime(day.year, day.month, day.day, tzinfo=at.tzinfo)) - 86400
    soon = now + int(float(app.config.get("daily.soon_hours")) * 3600)
    uncovered = []
    for d in (day, day + timedelta(days=1)):
        try:
            uncovered += uncovered_shifts(app, d)
        except Exception as exc:  # roster settings broken: say so, keep the screen
            app.warn(f"cannot check coverage of {d}: {exc}")
    audit_counts, findings = daily_store.audit_findings(app.store, yesterday, limit)
    month = f"{day.year}-{day.month:02d}"
    ladder_rows = grades.complaint_ladder(app, month)
    summary = grades.ladder_summary(ladder_rows)
    this_monday = day - timedelta(days=day.weekday())
    missing = (records.missing(app, this_monday - timedelta(days=7), now=at)
               + records.missing(app, this_monday, now=at))
    pol = policy(app)
    fc = fc_mod.forecast(app, at, forecast_hours, covers=False)
    return {
        "at": at,
        "roster": roster_section(app, at),
        "leave": rstore.leaves(app.store, day.isoformat(), day.isoformat()),
        "uncovered": uncovered,
        "due": daily_store.due_counts(app.store, now, soon),
        "soon_hours": float(app.config.get("daily.soon_hours")),
        "reviews": {"steps": review_store.queue_summary(app.store, at=now, agent=None),
                    "in_call_window": ladder.in_window(at, pol.call_windows),
                    "call_windows": ladder.window_text(pol.call_windows)},
        "ledger": ledger_section(app, at, limit),
        "audit": {"counts": audit_counts, "items": findings, "since": yesterday},
        "complaints": {"month": month, "rows": ladder_rows,
                       "agents": [{"agent": a, **s} for a, s in sorted(summary.items())]},
        "records": missing,
        "forecast": fc,
    }
