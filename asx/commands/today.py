"""asx today: the supervisor's screen — shifts, cover gaps, due cases, reviews, money, complaints, records."""

from __future__ import annotations

import click

from asx.io.options import INT, output_options


@click.command("today")
@click.option("--at", "at", metavar="TIME", help="As of TIME [default: now].")
@click.option("--hours", type=INT, default=None, help="Forecast hours [default: daily.forecast_hours].")
@click.option("--limit", type=INT, default=None, help="Rows per section on the screen [default: daily.list_limit].")
@output_options
@click.pass_obj
def cli(app, at, hours, limit, out):
    """Today at a glance for the supervisor: who is on which shift now and later, leave and
    uncovered shifts (R-ROS-7), overdue and soon-due cases per agent, the SLA forecast, the review
    queue by step, unsigned ledger entries and audit findings since yesterday, this month's
    complaint ladder (R-KPI-4) and missing daily records (R-KPI-1).

    On a terminal (or -f table) one screen; -f json one object for scripts; csv/tsv/jsonl one row
    per item (section, ref, agent, when, detail)."""
    from asx.daily import render, today

    app.require_role("supervisor", action="see the supervisor's day (asx today; R-KPI-4 fines, money)")
    when = app.parse_time(at)
    limit = limit or int(app.config.get("daily.list_limit"))
    screen = render.wants_screen(out)
    data = today.build(app, when, limit=limit if screen else 1000, forecast_hours=hours)
    if screen:
        render.print_screen(render.today_screen, app, data, limit)
    elif out.format == "json":
        fc = data.pop("forecast")
        obj = render.jsonable(app, data)
        obj["forecast"] = render.forecast_json(app, fc)
        render.write_json(out, obj)
    else:
        render.emit_items(app, out, render.today_items(app, data))
