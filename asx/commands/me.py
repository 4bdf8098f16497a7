"""asx me: my shift, handover note, due queue, reviews, waiting cases and daily records (issue 11)."""

from __future__ import annotations

import click

from asx.io.options import INT, output_options


@click.command("me")
@click.option("--at", "at", metavar="TIME", help="As of TIME [default: now].")
@click.option("--limit", type=INT, default=None, help="Rows per section on the screen [default: daily.list_limit].")
@output_options
@click.pass_obj
def cli(app, at, limit, out):
    """What matters to me now: my shift now and next (handover 17:30), the handover note left for
    me (R-CASE-10), my due queue by time to breach, my reviews actionable now (call windows,
    R-REV-5), my cases waiting on a buyer past the promise, my missing daily records (R-KPI-1).

    On a terminal (or -f table) one screen; -f json one object for scripts; csv/tsv/jsonl one row
    per item (section, ref, agent, when, detail)."""
    from asx.daily import me, render

    who = app.actor()
    when = app.parse_time(at)
    limit = limit or int(app.config.get("daily.list_limit"))
    screen = render.wants_screen(out)
    data = me.build(app, who["name"], when, limit=limit if screen else 1000)
    if screen:
        render.print_screen(render.me_screen, app, data, limit)
    elif out.format == "json":
        render.write_json(out, render.jsonable(app, data))
    else:
        render.emit_items(app, out, render.me_items(app, data))
