"""asx report: the Monday meeting pack (seed 001) as Markdown and self-contained HTML."""

from __future__ import annotations

import click

from asx.io.options import say


@click.group(name="report")
def cli():
    """Reports: the weekly Monday meeting pack."""


@cli.command("weekly")
@click.option("--week", default=None, metavar="WEEK", help="ISO week, e.g. 2026-W47 [default: last week].")
@click.option("--format", "-f", "page", type=click.Choice(["md", "html"]), default="md", show_default=True,
              help="Markdown, or one HTML page with inline SVG charts (no network).")
@click.option("--output", "-o", default=None, metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
@click.pass_obj
def weekly(app, week, page, output):
    """Cases by category and responsible party, SLA attainment trend, reviews by progress, refunds,
    the fines ladder, next week's roster and missing daily records."""
    from asx.kpi import records
    from asx.io.output import atomic_write
    from asx.reports import weekly as w

    monday = records.week_monday(app, week)
    data = w.collect(app, monday)
    text = w.markdown(data, app.labels) if page == "md" else w.html(data, app.labels)
    if output and output != "-":  # `-o -`: standard output
        with atomic_write(output) as f:
            f.write(text)
        say(f"asx: weekly pack {data['week']} written to {output}")
    else:
        click.echo(text, nl=False)
