"""asx me: my shift, handover note, due queue, reviews, waiting cases and daily records (issue 11)."""

from __future__ import annotations

import click


@click.command("me")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "jsonl"]), default="table",
              show_default=True, help="table: one screen for a person; json: one object for scripts; csv, tsv, "
                                      "jsonl: one row per item (section, ref, agent, when, detail).")
@click.option("--at", "at", metavar="TIME", help="As of TIME [default: now].")
@click.option("--limit", type=int, default=None, help="Rows per section on the screen [default: daily.list_limit].")
@click.pass_obj
def cli(app, fmt, at, limit):
    """What matters to me now: my shift now and next (handover 17:30), the handover note left for
    me (R-CASE-10), my due queue by time to breach, my reviews actionable now (call windows,
    R-REV-5), my cases waiting on a buyer past the promise, my missing daily records (R-KPI-1)."""
    import json
    import sys

    from asx.daily import me, render

    who = app.actor()
    when = app.parse_time(at)
    limit = limit or int(app.config.get("daily.list_limit"))
    data = me.build(app, who["name"], when, limit=limit if fmt == "table" else 1000)
    if fmt == "json":
        click.echo(json.dumps(render.jsonable(app, data), ensure_ascii=False, indent=2, default=str))
        return
    if fmt != "table":
        from asx.output import OutputSpec, emit

        emit(app, OutputSpec(format=fmt), render.me_items(app, data), render.items_columns())
        return
    click.echo(render.me_screen(app, data, color=sys.stdout.isatty(), total=render.screen_size(), limit=limit),
               nl=False)
