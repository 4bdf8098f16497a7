"""asx kpi: indicator definitions and the KPI export (R-KPI-2)."""

from __future__ import annotations

import click

from asx.commands import _complete as complete

from asx.io.output import Column, emit
from asx.io.options import output_options, say

PERIOD_HELP = ("Period: 2026-11, 2026-W47, 2026-11-03, yesterday, last-month, 2026-11-01..2026-11-15 "
               "(store timezone).")
BY = click.Choice(["agent", "team", "store", "category", "day"])


@click.group(name="kpi")
def cli():
    """KPI definitions and figures: list, show, export (R-KPI-2)."""


@cli.command("list")
@output_options
@click.pass_obj
def list_(app, out):
    """Every indicator: name, version, unit, columns, and its written definition."""
    from asx.kpi.registry import indicators

    rows = [{"name": i.name, "version": i.version, "unit": i.unit, "title": i.title, "title_zh": i.title_zh,
             "columns": ",".join(i.columns or ()), "sources": ",".join(i.sources), "definition": i.definition}
            for i in indicators(app.plugins)]
    emit(app, out, rows, [Column("name", "name", "指标"), Column("version", "version", "版本"),
                          Column("unit", "unit", "单位"), Column("title", "title", "英文名称"),
                          Column("title_zh", "中文", "名称"), Column("columns", "columns", "列"),
                          Column("sources", "sources", "数据"), Column("definition", "definition", "定义")])


def _run(app, period, by, kpis, out, fmt, output, record: bool):
    from asx.kpi import export as kpi_export

    tbl = kpi_export.kpi_table(app, period, by, [k.strip() for k in kpis.split(",")] if kpis else None)
    cols = kpi_export.output_columns(tbl)
    if fmt == "xlsx" or (output and output.lower().endswith(".xlsx") and fmt is None):
        if not output:
            raise click.UsageError("--format xlsx needs --output FILE.xlsx")
        out.format, out.output = "xlsx", output
        emit(app, out, tbl.rows, cols, meta=tbl.meta, sheet="KPI")
    else:
        out.format = fmt or out.format
        emit(app, out, tbl.rows, cols, meta=tbl.meta if (out.output or out.format in ("json", "jsonl")) else None)
    if record:
        kpi_export.record_run(app, tbl, output or "-")
    if output:
        say(f"asx: {len(tbl.rows)} rows for {tbl.meta['period']} by {by} written to {output} "
            f"(figures {tbl.meta['figures_sha256'][:12]})")


def _options(f):
    f = click.option("--period", "-p", default="last-month", show_default=True, help=PERIOD_HELP)(f)
    f = click.option("--by", type=BY, default="agent", show_default=True, help="One row per …")(f)
    f = click.option("--kpi", "kpis", shell_complete=complete.kpis, metavar="A,B", help="Only these indicators (see `asx kpi list`).")(f)
    return f


@cli.command("show")
@_options
@output_options
@click.pass_obj
def show(app, period, by, kpis, out):
    """The figures of a period on screen (a table on a terminal)."""
    _run(app, period, by, kpis, out, out.format, out.output, record=False)


@cli.command("export")
@_options
@click.option("--xlsx", "xlsx", is_flag=True, help="Write an Excel workbook (needs --output; extra asx[xlsx]).")
@output_options
@click.pass_obj
def export(app, period, by, kpis, xlsx, out):
    """Export the figures with their metadata (period, timezone, indicator versions, generation time).

    JSON carries the metadata inline; CSV written with --output gets a side-car FILE.meta.json.
    Every export is recorded (`asx kpi runs`) with a checksum of its figures: recomputing a closed
    period gives the same checksum. Output defaults to CSV.
    """
    fmt = "xlsx" if xlsx else (out.format or "csv")
    _run(app, period, by, kpis, out, fmt, out.output, record=True)


@cli.command("runs")
@output_options
@click.pass_obj
def runs(app, out):
    """The last KPI exports: when, who, period, grouping, versions and checksum of the figures."""
    from asx.store import kpi as kpi_store

    rows = [{**r, "at": app.iso(r["at"])} for r in kpi_store.runs(app.store)]
    emit(app, out, rows, [Column("id", "id", "编号"), Column("at", "at", "时间"), Column("by", "by", "操作人"),
                          Column("period", "period", "期间"), Column("group_by", "group_by", "分组"),
                          Column("rows", "rows", "行数"), Column("sha256", "sha256", "校验值sha256"),
                          Column("versions", "versions", "版本"), Column("target", "target", "目标")])
