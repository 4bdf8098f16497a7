"""asx ledger: the after-sales money ledger and its finance sign-off (R-FIN-1)."""

from __future__ import annotations

import click

from asx.commands._filters import known_agent
from asx.commands import _complete as complete

from asx.core.money import parse_yuan, yuan
from asx.io.output import Column, emit
from asx.io.options import INT, output_options, say


def columns(app) -> list[Column]:
    return [
        Column("id", "id", "编号"),
        Column("at", "time", "时间", fmt=app.iso),
        Column("amount_fen", "amount", "金额"),
        Column("direction", "direction", "方向", kind="direction"),
        Column("reason", "reason", "原因", kind="ledger_reason"),
        Column("agent", "agent", "客服"),
        Column("case_id", "case", "工单"),
        Column("review_id", "review", "评价"),
        Column("order_no", "order", "订单号"),
        Column("channel", "channel", "渠道", kind="pay_channel"),
        Column("txn_id", "transaction", "交易号"),
        Column("note", "note", "备注", mask="text"),
        Column("signed_by", "signed by", "签核人"),
        Column("signed_at", "signed at", "签核时间", fmt=app.iso),
    ]


def _time(app, text, *, end=False):
    if text is None:
        return None
    from datetime import timedelta

    from asx.core.timeutil import to_epoch

    dt = app.parse_time(text)
    if end and len(text.strip()) == 10:          # a bare date: through the end of that day
        dt += timedelta(days=1)
    return to_epoch(dt)


@click.group(name="ledger")
def cli():
    """The money ledger: list, show, add, sign off (R-FIN-1)."""


@cli.command("list")
@click.option("--from", "since", metavar="TIME", help="From this time (e.g. 2026-11-01, -7d).")
@click.option("--to", "until", metavar="TIME", help="Up to this time (a date: through that day).")
@click.option("--agent", shell_complete=complete.agents, help="Only this agent's entries.", callback=known_agent)
@click.option("--reason", help="Only this reason (refund, compensation, reship_cost, coupon, …).")
@click.option("--case", "case_id", type=INT, help="Only entries of this case.")
@click.option("--review", "review_id", type=INT, help="Only entries of this review.")
@click.option("--order", "order_no", help="Only entries of this order number (with or without T200P).")
@click.option("--unsigned", "only_unsigned", is_flag=True, help="Only entries not signed off yet.")
@click.option("--limit", type=INT, help="At most this many rows.")
@output_options
@click.pass_obj
def list_(app, since, until, agent, reason, case_id, review_id, order_no, only_unsigned, limit, out):
    """List money movements by time."""
    from asx.store import ledger as ledger_store

    rows = ledger_store.list_entries(app.store, since=_time(app, since), until=_time(app, until, end=True), agent=agent,
                           reason=app.labels.parse("ledger_reason", reason) if reason else None, case_id=case_id,
                           review_id=review_id, order_no=order_no, unsigned=True if only_unsigned else None,
                           limit=limit)
    emit(app, out, rows, columns(app))


@cli.command("show")
@click.argument("entry_id", type=INT)
@output_options
@click.pass_obj
def show(app, entry_id, out):
    """One entry with its sign-off."""
    from asx.core.errors import UserError
    from asx.io.output import emit_record
    from asx.store import ledger as ledger_store

    row = ledger_store.get(app.store, entry_id)
    if row is None:
        raise UserError(f"no ledger entry #{entry_id}")
    row["created_at"] = app.iso(row["created_at"])
    cols = columns(app) + [Column("created_at", "recorded", "录入时间"), Column("created_by", "recorded by", "录入人")]
    if (out.format or "table") == "table" and out.output is None:
        emit_record(app, out, row, cols)
    else:
        emit(app, out, [row], cols)


@cli.command("add")
@click.option("--amount", required=True, help="Amount in yuan, e.g. 10 or 128.50.")
@click.option("--reason", required=True, help="refund, compensation, reship_cost, coupon, price_diff, shipping, other "
                                              "(English or Chinese).")
@click.option("--agent", shell_complete=complete.agents, help="Who paid it [default: the acting person].")
@click.option("--case", "case_id", type=INT, help="The case it belongs to (R-FIN-3).")
@click.option("--review", "review_id", type=INT, help="The review it belongs to (R-REV-7).")
@click.option("--order", "order_no", help="Order number [default: the case's or review's].")
@click.option("--channel", default="alipay", show_default=True, help="alipay, wechat, bank, platform, cash, coupon.")
@click.option("--txn", "txn_id", help="External transaction id (Alipay 账务流水号).")
@click.option("--note", help="The payment note as written, <content>_<agent> (R-FIN-2).")
@click.option("--content", help="Build the note from this content and the agent: 删除中评 → 删除中评_萌萌.")
@click.option("--direction", type=click.Choice(["out", "in"]), default="out", show_default=True,
              help="out: paid to a buyer; in: money received back.")
@click.option("--at", "at", metavar="TIME", help="When it was paid [default: now].")
@click.option("--key", "ext_key", help="External key that makes the entry idempotent.")
@click.pass_obj
def add(app, amount, reason, agent, case_id, review_id, order_no, channel, txn_id, note, content, direction, at,
        ext_key):
    """Record a money movement (any amount, R-FIN-1)."""
    from asx.money import ledger
    from asx.money.notes import format_note
    from asx.core.timeutil import to_epoch

    who = app.actor()
    agent = agent or who["name"]
    if content and note:
        raise click.UsageError("give either --note or --content, not both")
    if content:
        note = format_note(content, agent)
    entry = ledger.NewEntry(at=to_epoch(app.parse_time(at)), amount_fen=parse_yuan(amount),
                            reason=app.labels.parse("ledger_reason", reason), agent=agent, direction=direction,
                            case_id=case_id, review_id=review_id, order_no=order_no,
                            channel=app.labels.parse("pay_channel", channel), txn_id=txn_id, note=note, ext_key=ext_key)
    with app.store.tx():
        entry_id, warnings = ledger.add(app.store, entry, by=who["name"], now=to_epoch(app.now()))
    for w in warnings:
        app.warn(w)
    click.echo(entry_id)
    say(f"asx: ledger entry #{entry_id}: {yuan(entry.amount_fen)} yuan {entry.reason}")


@cli.command("sign")
@click.argument("ids", nargs=-1, type=INT, required=True)
@click.pass_obj
def sign(app, ids):
    """Sign off entries for finance (supervisor only; a sign-off can never be changed)."""
    from asx.money import ledger
    from asx.core.timeutil import to_epoch

    with app.store.tx():
        who = app.require_role("supervisor", action="sign off ledger entries")
        res = ledger.sign(app.store, list(ids), by=who["name"], at=to_epoch(app.now()))
    for prior in res.already:
        app.warn(f"entry #{prior['entry_id']} was already signed by {prior['by']} at {app.iso(prior['at'])}; "
                 "sign-offs cannot be changed")
    say(f"asx: signed {len(res.signed)} entr{'y' if len(res.signed) == 1 else 'ies'}"
        + (f" ({', '.join('#' + str(i) for i in res.signed)})" if res.signed else ""))


@cli.command("unsigned")
@click.option("--older-than", "days", type=INT, default=None, metavar="DAYS",
              help="Only entries older than DAYS [default: setting audit.signoff_days; 0 = all].")
@output_options
@click.pass_obj
def unsigned(app, days, out):
    """Entries waiting for the finance sign-off (oldest first)."""
    from asx.store import ledger as ledger_store
    from asx.core.timeutil import to_epoch

    if days is None:
        days = app.config.get("audit.signoff_days")
    older = to_epoch(app.now()) - days * 86400 if days else None
    emit(app, out, ledger_store.list_entries(app.store, unsigned=True, older_than=older), columns(app))


@cli.command("sync")
@click.pass_obj
def sync(app):
    """Create the missing entries of money case resolutions and review compensations (R-CASE-4, R-REV-7)."""
    from asx.money import ledger
    from asx.core.timeutil import to_epoch

    who = app.actor()
    with app.store.tx():
        created = ledger.sync_from_cases_and_reviews(app.store, by=who["name"], now=to_epoch(app.now()))
    say(f"asx: {len(created)} ledger entr{'y' if len(created) == 1 else 'ies'} created")
