"""Training records 培训 (seed 000 培训与发展, seed 003 六, seed 004 四(一); issue 16 item 11).

A supervisor records course, date and result (pass / fail / attended, optional score); the records
are append-only. The monthly evaluation (``asx eval show``) shows each person's training of that
month, and a course whose latest result is a fail as a retake due (seed 000: 培训考核不合格者补考).
"""

from __future__ import annotations

from datetime import date

from asx.core.errors import UserError

RESULTS = ("pass", "fail", "attended")


def record(app, agent: str, *, course: str, held_on: str, result: str, score: float | None = None,
           note: str | None = None) -> int:
    from asx.core.timeutil import to_epoch
    from asx.store import agents
    from asx.store import training as ts

    course = (course or "").strip()
    if not course:
        raise UserError("--course is empty")
    if result not in RESULTS:
        raise UserError(f"--result must be one of {', '.join(RESULTS)}, not {result!r}")
    try:
        day = date.fromisoformat(held_on)
    except (TypeError, ValueError):
        raise UserError(f"--date {held_on!r} is not a date (YYYY-MM-DD)") from None
    if day > app.now().date():
        raise UserError(f"--date {held_on} lies in the future; record a training once it was held")
    with app.store.tx():
        by = app.require_role("supervisor", action="record training")["name"]
        if agents.get(app.store, agent) is None:
            raise UserError(f"no agent named {agent!r}")
        return ts.add(app.store, agent=agent, course=course, held_on=day.isoformat(), result=result, score=score,
                      note=note, at=to_epoch(app.now()), by=by)


def records(app, *, agent: str | None = None, since: str | None = None, until: str | None = None) -> list[dict]:
    from asx.store import training as ts

    return ts.list_records(app.store, agent=agent, since=since, until=until)


def annotate(app, rows: list[dict], month: str) -> list[dict]:
    """Add ``training`` to the evaluation rows of ``month`` (YYYY-MM): that month's courses with
    their results, and any course whose latest result (up to the month's end) is a fail."""
    y, m = (int(x) for x in month.split("-"))
    start = date(y, m, 1).isoformat()
    end = (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)).isoformat()
    upto = records(app, until=end)
    out = []
    for r in rows:
        mine = [t for t in upto if t["agent"] == r["agent"]]
        parts = [f"{t['course']}: {t['result']}" + (f" {t['score']:g}" if t["score"] is not None else "")
                 + f" ({t['held_on']})" for t in mine if t["held_on"] >= start]
        latest: dict[str, dict] = {}
        for t in mine:
            latest[t["course"]] = t
        parts += [f"retake due: {c}" for c, t in latest.items() if t["result"] == "fail" and t["held_on"] < start]
        out.append({**r, "training": "; ".join(parts)})
    return out
