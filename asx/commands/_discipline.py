"""asx agent discipline: disciplinary records a supervisor confirmed (R-KPI-4, seed 000 惩罚)."""

from __future__ import annotations

import click

from asx.commands._filters import known_agent
from asx.commands import _complete as complete

from asx.io.output import Column, emit
from asx.io.options import output_options, say

COLUMNS = [
    Column("id", "id", "编号"), Column("agent", "agent", "客服"), Column("kind", "kind", "类别"),
    Column("month", "month", "月份"), Column("amount_fen", "amount", "金额"),
    Column("case_id", "case", "案件"), Column("revokes", "revokes", "撤销"), Column("note", "note", "说明"),
    Column("at", "recorded", "记录时间"), Column("by", "by", "记录人"),
]


@click.group(name="discipline")
def cli():
    """Warnings, fines and dismissal reviews a supervisor confirmed (R-KPI-4); append-only."""


@cli.command("add")
@click.argument("name", shell_complete=complete.agents)
@click.option("--kind", required=True, type=click.Choice(["warning", "fine", "dismissal_review", "revoked"]),
              help="What the supervisor confirmed; `revoked` cancels an earlier record (--revokes).")
@click.option("--month", "-p", help="The month it belongs to (YYYY-MM) [default: this month].")
@click.option("--amount", help="A fine's amount in yuan (the ladder: kpi.complaint_fines).")
@click.option("--case", "case_id", type=int, help="The complaint it answers.")
@click.option("--revokes", type=int, metavar="ID", help="The record a `revoked` record cancels.")
@click.option("--note", help="Why; required for a revocation.")
@click.pass_obj
def add(app, name, kind, month, amount, case_id, revokes, note):
    """Supervisor: record a confirmed measure against NAME (never changed afterwards)."""
    from asx.core.money import parse_yuan
    from asx.kpi import discipline

    fen = parse_yuan(amount) if amount else None
    rid = discipline.add(app, name, kind, month=month, amount_fen=fen, case_id=case_id, revokes=revokes,
                         note=note)
    say(f"asx: disciplinary record #{rid} ({kind}) of {name} saved")


@cli.command("list")
@click.option("--agent", shell_complete=complete.agents, help="Only this person.", callback=known_agent)
@click.option("--month", "-p", help="Only this month (YYYY-MM).")
@output_options
@click.pass_obj
def list_(app, agent, month, out):
    """The disciplinary history, oldest first (supervisor only)."""
    from asx.kpi import discipline

    app.require_role("supervisor", action="read disciplinary records (R-KPI-4)")
    rows = [{**r, "amount_fen": r["amount_fen"] or None, "at": app.iso(r["at"])}
            for r in discipline.records(app, agent=agent, month=month)]
    emit(app, out, rows, COLUMNS)
