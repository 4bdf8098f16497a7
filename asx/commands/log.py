"""asx log: daily records of buyers served and orders, shipments and returns (R-KPI-1)."""

from __future__ import annotations

import click

from asx.commands._filters import known_agent
from asx.commands import _complete as complete

from asx.io.output import Column, emit
from asx.io.options import COUNT, echo_summary, output_options, say, summary_option


@click.group(name="log")
def cli():
    """Daily records: add, import, list, missing (handed in by Friday 11:00, R-KPI-1)."""


@cli.command("add")
@click.option("--day", help="The day recorded (YYYY-MM-DD, yesterday …) [default: today].")
@click.option("--agent", shell_complete=complete.agents, help="Whose record (supervisor only for someone else) [default: who is acting].")
@click.option("--served", type=COUNT, help="Buyers served [default: number of --served-ids].")
@click.option("--served-ids", metavar="ID,ID", help="旺旺 ids of the buyers served.")
@click.option("--ordered", type=COUNT, help="Buyers who ordered [default: number of --ordered-ids].")
@click.option("--ordered-ids", metavar="ID,ID", help="旺旺 ids of the buyers who ordered.")
@click.option("--amount", metavar="YUAN", help="Amount those buyers ordered, in yuan.")
@click.option("--shipment", "shipments", multiple=True, metavar="CATEGORY=QTY",
              help="Order clerk: shipped quantity of a category (repeat).")
@click.option("--return", "returns", multiple=True, metavar="CATEGORY=QTY",
              help="Order clerk: returned quantity of a category (repeat).")
@click.option("--note", help="Remarks.")
@click.option("--replace", is_flag=True, help="Overwrite a different record of the same day.")
@click.pass_obj
def add(app, day, agent, served, served_ids, ordered, ordered_ids, amount, shipments, returns, note, replace):
    """Hand in the record of one day."""
    from asx.core.money import parse_yuan
    from asx.kpi import records
    from asx.core.errors import UserError
    from asx.store import agents
    from asx.core.timeutil import to_epoch

    d = app.parse_time(day).date() if day else app.now().date()
    if d > app.now().date():
        raise UserError(f"{d} is in the future; a record is handed in for a day that has begun")
    rec = records.Record(day=d.isoformat(), agent="", served=served, served_ids=records.parse_ids(served_ids),
                         ordered=ordered, ordered_ids=records.parse_ids(ordered_ids),
                         order_fen=parse_yuan(amount) or 0,
                         items=records.parse_items("shipment", list(shipments)) +
                         records.parse_items("return", list(returns)), note=note)
    with app.store.tx():
        who = app.actor()
        rec.agent = agent or who["name"]
        if rec.agent != who["name"]:
            app.require_role("supervisor", action="hand in records for others")
            if agents.get(app.store, rec.agent) is None:
                raise UserError(f"no agent named {rec.agent!r}")
        result = records.save(app.store, rec, at=to_epoch(app.now()), by=who["name"], replace=replace)
    say(f"asx: record of {rec.agent} for {rec.day}: {result}")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--replace", is_flag=True, help="Overwrite different records of the same day and agent.")
@click.option("--skip-bad", is_flag=True, help="Import the good rows, list the bad ones in FILE.rejects.csv "
              "(stdin.rejects.csv for `-`).")
@summary_option()
@click.pass_obj
def import_(app, file, replace, skip_bad, summary_fmt):
    """Import records from a CSV file (UTF-8 or GB18030) with a header row:
    day, agent, served, served_ids, ordered, ordered_ids, amount, shipments, returns, note.

    Ids are separated by ; | or 、; shipments and returns are CATEGORY=QTY;CATEGORY=QTY.
    All-or-nothing unless --skip-bad; importing the same file twice changes nothing. FILE `-` reads
    standard input.
    """
    from pathlib import Path

    from asx.core.errors import UserError
    from asx.io.tabular import input_file
    from asx.kpi import records
    from asx.core.timeutil import to_epoch

    who = app.require_role("supervisor", "order_clerk", action="import daily records")
    if file != "-" and not Path(file).is_file():
        raise UserError(f"{file}: no such file")
    rejects = Path("stdin.rejects.csv") if file == "-" else Path(file + ".rejects.csv")
    from asx.io.progress import bar

    with input_file(file) as path, \
            bar("导入日报" if app.lang == "zh" else "importing records") as progress:  # a terminal only (issue 18 item 9)
        c = records.import_file(app.store, path, at=to_epoch(app.now()), by=who["name"], replace=replace,
                                skip_bad=skip_bad, rejects=rejects, progress=progress)
    echo_summary(summary_fmt, f"asx: {c['read']} rows: {c['added']} added, {c['replaced']} replaced, {c['same']} "
                 f"unchanged, {c['bad']} bad" + (f" (see {c['rejects']})" if c["rejects"] else ""),
                 {"file": file, "read": c["read"], "added": c["added"], "replaced": c["replaced"],
                  "known": c["same"], "rejected": c["bad"], "rejects": c["rejects"] or None})


@cli.command("list")
@click.option("--period", "-p", default="this-week", show_default=True, help="Days: 2026-W46, 2026-11 …")
@click.option("--agent", shell_complete=complete.agents, help="Only this agent.", callback=known_agent)
@output_options
@click.pass_obj
def list_(app, period, agent, out):
    """The records of a period (buyer ids masked)."""
    from asx.kpi import records
    from asx.io.masking import mask_name
    from asx.store import records as record_store
    from asx.core.timeutil import parse_period

    def ids(value):  # buyer 旺旺 ids are personal data: masked one by one (R-SEC-1)
        return "、".join(mask_name(x) for x in records.ids_of(value))

    p = parse_period(period, app.tz, now=app.now())
    rows = []
    for r in record_store.list_records(app.store, p.start.date().isoformat(), p.end.date().isoformat(), agent):
        rows.append({**r, "served_ids": ids(r["served_ids"]), "ordered_ids": ids(r["ordered_ids"]),
                     "submitted_at": app.iso(r["submitted_at"])})
    emit(app, out, rows, [Column("day", "day", "日期"), Column("agent", "agent", "客服"),
                          Column("served", "served", "接待"), Column("served_ids", "served ids", "接待旺旺"),
                          Column("ordered", "ordered", "下单"), Column("order_fen", "amount", "金额"),
                          Column("items", "shipments/returns", "发货/退货"),
                          Column("submitted_at", "handed in", "提交时间")])


@cli.command("missing")
@click.option("--week", default=None, metavar="WEEK",
              help="ISO week of the records, e.g. 2026-W46 [default: last week].")
@output_options
@click.pass_obj
def missing(app, week, out):
    """Who has not handed in the week's records by Friday 11:00 of the following week (R-KPI-1).

    Worked days come from the roster (Monday–Saturday for someone without a roster row).
    Exit code 1 when someone is missing or late and the deadline has passed.
    """
    from asx.kpi import records

    monday = records.week_monday(app, week)
    rows = records.missing(app, monday)
    emit(app, out, rows, [Column("agent", "agent", "客服"), Column("role", "role", "角色", kind="role"),
                          Column("day", "day", "日期"), Column("status", "status", "状态", kind="record_status"),
                          Column("due", "due", "截止"), Column("submitted_at", "handed in", "提交时间")])
    if rows and any(r["overdue"] for r in rows):
        return 1
    return 0
