"""asx today: the supervisor's screen — shifts, cover gaps, due cases, reviews, money, complaints, records."""

from __future__ import annotations

import click


@click.command("today")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "jsonl"]), default="table",
              show_default=True, help="table: one screen for a person; json: one object for scripts; csv, tsv, "
                                      "jsonl: one row per item (section, ref, agent, when, detail).")
@click.option("--at", "at", metavar="TIME", help="As of TIME [default: now].")
@click.option("--hours", type=int, default=None, help="Forecast hours [default: daily.forecast_hours].")
@click.option("--limit", type=int, default=None, help="Rows per section on the screen [default: daily.list_limit].")
@click.pass_obj
def cli(app, fmt, at, hours, limit):
    """Today at a glance for the supervisor: who is on which shift now and later, leave and
    uncovered shifts (R-ROS-7), overdue and soon-due cases per agent, the SLA forecast, the review
    queue by step, unsigned ledger entries and audit findings since yesterday, this month's
    complaint ladder (R-KPI-4) and missing daily records (R-KPI-1)."""
    import json
    import sys

    from asx.daily import render, today

    app.require_role("supervisor", action="see the supervisor's day (asx today; R-KPI-4 fines, money)")
    when = app.parse_time(at)
    limit = limit or int(app.config.get("daily.list_limit"))
    data = today.build(app, when, limit=limit if fmt == "table" else 1000, forecast_hours=hours)
    if fmt not in ("table", "json"):
        from asx.output import OutputSpec, emit

        emit(app, OutputSpec(format=fmt), render.today_items(app, data), render.items_columns())
        return
    if fmt == "json":
        fc = data.pop("forecast")
        out = render.jsonable(app, data)
        out["forecast"] = render.forecast_json(app, fc)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(render.today_screen(app, data, color=sys.stdout.isatty(), total=render.screen_size(), limit=limit),
               nl=False)
