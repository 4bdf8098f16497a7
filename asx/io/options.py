"""The shared output options of every listing (the click side of :mod:`asx.io.output`).

``@output_options`` gives a command ``--format table|csv|tsv|json|jsonl``, ``--columns``,
``--no-headers``, ``--output FILE`` and ``--excel``; the command receives an
:class:`~asx.io.output.OutputSpec` as ``out`` and calls :func:`~asx.io.output.emit`.
Domain code never imports this module (it keeps click out of the domain layer).
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import click

from asx.io.output import FORMATS, OutputSpec

#: The integers a command line takes: ids, limits, counts. Bounded so that a 20-digit value is a
#: one-line usage error, not an OverflowError inside the store (SQLite integers are 64-bit; issue 21).
MAX_INT = 2**53  # also exact in JSON and in a double
INT = click.IntRange(-MAX_INT, MAX_INT)
#: A count or a limit: 0 … MAX_INT.
COUNT = click.IntRange(0, MAX_INT)


def output_options(f: Callable) -> Callable:
    """Add the shared output options; the command gets ``out: OutputSpec``."""

    def collect(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        return value

    opts = [
        click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
                     help="Output format [default: table on a terminal, csv when piped; setting output.format]."),
        click.option("--columns", default=None, metavar="A,B,…", help="Only these columns, in this order."),
        click.option("--no-headers", is_flag=True, help="Leave out the header row (table/csv/tsv)."),
        click.option("-o", "--output", default=None, metavar="FILE",
                     help="Write to FILE (atomically: a temp file renamed into place) instead of stdout."),
        click.option("--excel", is_flag=True, help="CSV for Excel/WPS/LibreOffice: UTF-8 with BOM, CRLF line ends, long numbers (order ids) kept as text."),
        click.option("--wide", is_flag=True,
                     help="On a terminal, every column at full width (tables are otherwise fitted to it)."),
    ]
    @functools.wraps(f)
    def wrapper(*args, fmt=None, columns=None, no_headers=False, output=None, excel=False, wide=False, **kwargs):
        if excel and fmt not in (None, "csv"):
            raise click.UsageError(f"--excel makes CSV; it cannot be combined with --format {fmt}")
        spec = OutputSpec(format="csv" if excel else fmt,
                          columns=[c.strip() for c in columns.split(",") if c.strip()] if columns else None,
                          headers=not no_headers, output=output, excel=excel, wide=wide)
        return f(*args, out=spec, **kwargs)

    for opt in reversed(opts):
        wrapper = opt(wrapper)
    return wrapper


def summary_option(*decls: str) -> Callable:
    """``-f/--format text|json`` of an import (or ``--summary`` where ``--format`` names the input's
    type): with ``json`` the import's summary is one JSON object on stdout, for scripts (issue 18)."""
    decls = decls or ("-f", "--format")
    return click.option(*decls, "summary_fmt", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help="The summary as text on stderr, or as JSON on stdout: file, read, "
                        "added, known, rejected, rejects.")


def echo_summary(summary_fmt: str, text: str, data: dict) -> None:
    """The summary line on stderr; with ``json`` also the counts as one object on stdout."""
    say(text)
    if summary_fmt == "json":
        import json

        click.echo(json.dumps(data, ensure_ascii=False, default=str))


def say(msg: str) -> None:
    """A status or info line on stderr (``asx: case #12 responded …``), through ``app.say`` of the running
    command so that ``--lang zh`` shows it in Chinese (issue 18 item 5); English is printed as it is."""
    ctx = click.get_current_context(silent=True)
    app = getattr(ctx, "obj", None) if ctx is not None else None
    if app is not None and hasattr(app, "in_lang"):
        msg = app.in_lang(str(msg))
    click.echo(msg, err=True)
