"""Nightly job ``sla-forecast``: tomorrow morning's SLA forecast (issue 11 §3).

Writes ``sla-forecast.csv`` (one row per hour, with its ``.meta.json`` stating the method) and
``sla-forecast.txt``: one line, ``WARNING: …`` when tomorrow morning is short — breaches are
expected that no move of a case to an agent with spare capacity absorbs (setting
``daily.morning``, default 08:30–12:00) — else ``ok: …`` (with the moves that rebalance it). The warning also goes to
stderr. The forecast starts at the morning's first minute and sees the queue as it is stored.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta


def morning(app, day) -> tuple[datetime, int]:
    """Start of ``day``'s morning and its length in whole hours (rounded up)."""
    from asx.core.timeutil import parse_clock_ranges

    (a, b), *_ = parse_clock_ranges(app.config.get("daily.morning"))
    base = datetime(day.year, day.month, day.day, tzinfo=app.tz)
    return base + timedelta(minutes=a), max(1, math.ceil((b - a) / 60))


def job_sla_forecast(ctx) -> str:
    from asx.daily import forecast as fc_mod
    from asx.daily.render import forecast_columns, forecast_rows

    app = ctx.app
    tomorrow = ctx.day + timedelta(days=1)
    start, hours = morning(app, tomorrow)
    fc = fc_mod.forecast(app, start, hours)
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
