"""asx sla: service levels seen with the roster (issue 11)."""

from __future__ import annotations

import click

from asx.io.options import INT, output_options


@click.group("sla")
def cli():
    """Service levels with the roster: which hours will breach, and what would fix it."""


@cli.command("forecast")
@click.option("--hours", type=INT, default=None, help="Hours ahead [default: daily.forecast_hours, 8].")
@click.option("--at", "at", metavar="TIME", help="Start of the forecast [default: now].")
@click.option("--no-covers", is_flag=True, help="Skip ranking cover candidates (faster).")
@output_options
@click.pass_obj
def forecast(app, hours, at, no_covers, out):
    """For each coming hour: cases falling due against the agents rostered then (with their queues
    and handling rates), the hours where breaches are expected and by how many, and the fix — move
    a case to an agent with capacity, or call in a cover ranked by the roster (R-ROS-7). The method
    is stated in the metadata (JSON `meta`, or the .meta.json beside --output)."""
    import json
    import sys

    from asx.daily import forecast as fc_mod
    from asx.daily import render
    from asx.io.term import use_color
    from asx.io.output import emit

    fc = fc_mod.forecast(app, app.parse_time(at), hours, covers=not no_covers)
    if out.format == "json" and not out.output:
        click.echo(json.dumps(render.forecast_json(app, fc), ensure_ascii=False, indent=2, default=str))
        return
    if out.format in (None, "table") and not out.output and sys.stdout.isatty() or out.format == "table":
        click.echo(render.forecast_screen(app, fc, color=use_color(app, sys.stdout), total=render.screen_size()), nl=False)
        return
    emit(app, out, render.forecast_rows(app, fc), render.forecast_columns(), meta=fc.meta(app))
