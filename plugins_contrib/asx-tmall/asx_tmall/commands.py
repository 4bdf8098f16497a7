"""`asx tmall …` commands (registered through register_commands)."""

from __future__ import annotations

from pathlib import Path

import click

from asx.api import Column, emit, output_options

FLAG_COLORS = ("red", "blue", "green", "yellow", "purple", "grey")


@click.group(name="tmall")
def tmall():
    """Tmall shop: order flags, 16:00 payment reminders, order/refund report import (seed 001)."""


@tmall.command("flag")
@click.argument("order_no")
@click.argument("color", type=click.Choice(FLAG_COLORS + ("红", "蓝")))
@click.argument("content", required=False)
@click.option("--at", "at_text", metavar="TIME", help="When it was done [default: now].")
@click.pass_obj
def flag(app, order_no, color, content, at_text):
    """Flag ORDER. red = special request, noted as `<content> _ <agent>` (e.g. 发邮政快递 _ 萌萌);
    blue = payment reminder sent."""
    from asx.api import UserError, to_epoch
    from asx_tmall import store as tmall_store

    color = {"红": "red", "蓝": "blue"}.get(color, color)
    who = app.actor()
    if color == "red" and not content:
        raise click.UsageError("a red flag records the buyer's special request: asx tmall flag ORDER red \"发邮政快递\"")
    if content and "_" in content.replace("＿", "_"):
        raise UserError("write only the request; asx adds ` _ <agent>` itself (R-FIN-2 note form)")
    at = app.parse_time(at_text)
    if at > app.now():
        raise UserError("--at lies in the future")
    text = content or ("付款提醒" if color == "blue" else None)
    note = f"{text} _ {who['name']}" if text else None  # house order-note form (seed 001)
    with app.store.tx():
        tmall_store.add_flag(app.store, order_no=order_no, color=color, note=note, agent=who["name"], at=to_epoch(at))
    click.echo(f"asx: {order_no} flagged {color}" + (f": {note}" if note else ""), err=True)


FLAG_COLUMNS = [Column("order_no", "order", "订单编号"), Column("color", "flag", "旗帜", kind="tmall_flag"),
                Column("note", "note", "备注"), Column("agent", "agent", "客服"), Column("at", "at", "时间")]


@tmall.command("flags")
@click.argument("order_no", required=False)
@output_options
@click.pass_obj
def flags(app, order_no, out):
    """The flags recorded (append-only), for one order or all."""
    from asx_tmall import store as tmall_store

    rows = ({**r, "at": app.iso(r["at"])} for r in tmall_store.flags(app.store, order_no))
    emit(app, out, rows, FLAG_COLUMNS)


@tmall.command("remind")
@click.option("--at", "at_text", metavar="TIME", help="As of this time [default: now].")
@output_options
@click.pass_obj
def remind(app, at_text, out):
    """Unpaid orders due today's payment reminder (16:00, setting plugins.tmall.remind_at) that
    were never reminded: an order blue-flagged once never comes back (seed 001 避免多次催单)."""
    from asx.api import to_epoch, yuan
    from asx_tmall import store as tmall_store

    at = app.parse_time(at_text)
    hh, mm = app.config.get("plugins.tmall.remind_at").split(":")
    remind_time = at.replace(hour=int(hh), minute=int(mm), second=0, microsecond=0)
    due_iso = app.iso(remind_time)
    rows = ({"order_no": r["order_no"], "buyer": r["buyer"], "created_at": app.iso(r["created_at"]),
             "amount": None if r["paid_fen"] is None else yuan(r["paid_fen"]), "due_at": due_iso,
             "overdue": "yes" if at >= remind_time else "no"}
            for r in tmall_store.unpaid_without_blue(app, to_epoch(remind_time)))
    n = emit(app, out, rows, [Column("order_no", "order", "订单编号"), Column("buyer", "buyer", "买家", mask="name"),
                              Column("created_at", "created", "创建时间"), Column("amount", "amount", "金额"),
                              Column("due_at", "remind at", "提醒时间"), Column("overdue", "overdue", "已超时")])
    click.echo(f"asx: {n} unpaid order(s) to remind at {remind_time:%H:%M}; flag each blue when done "
               f"(asx tmall flag ORDER blue)", err=True)


def _import(app, path, skip_bad, dry_run, kind, summary_fmt="text"):
    from asx.api import UserError, input_file, upsert_orders
    from asx_tmall import reports
    from asx_tmall import store as tmall_store

    tz = app.config.get("store.timezone")
    with input_file(path) as source:  # `-`: standard input (issue 18)
        if kind == "orders":
            res = reports.read_orders(source, tz=tz, store_name=app.config.get("store.name"))
        else:
            res = reports.read_refunds(source, tz=tz)
    res.path = path
    rej = None
    if res.problems:
        rej = reports.write_rejects(res, Path("stdin.rejects.csv" if path == "-" else str(path) + ".rejects.csv"))
        for line, reason in res.problems[:5]:
            click.echo(f"{path}:{line}: {reason}", err=True)
        if len(res.problems) > 5:
            click.echo(f"… and {len(res.problems) - 5} more in {rej}", err=True)
        if not skip_bad:
            raise UserError(f"{path}: {len(res.problems)} bad row(s) of {res.read}; nothing imported "
                            f"(rejects: {rej}; --skip-bad imports the rest)")
    summary = {"file": path, "encoding": res.encoding, "read": res.read, "rejected": len(res.problems),
               "rejects": str(rej) if rej else None}
    if dry_run:
        _summary(summary_fmt, f"asx: {path} ({res.encoding}): {len(res.rows)} row(s) would be imported, "
                 f"{len(res.problems)} rejected (dry run)", {**summary, "added": len(res.rows), "known": None,
                                                              "dry_run": True})
        return
    with app.store.tx():
        changed = upsert_orders(app, res.rows) if kind == "orders" else tmall_store.upsert_refunds(app.store, res.rows)
    _summary(summary_fmt, f"asx: {path} ({res.encoding}): {res.read} row(s) read, {changed} added or changed, "
             f"{len(res.rows) - changed} unchanged, {len(res.problems)} rejected",
             {**summary, "added": changed, "known": len(res.rows) - changed})


def _summary(summary_fmt: str, text: str, data: dict) -> None:
    """The summary on stderr; with --format json also one JSON object on stdout (issue 18)."""
    click.echo(text, err=True)
    if summary_fmt == "json":
        import json

        click.echo(json.dumps(data, ensure_ascii=False))


_SUMMARY = click.option("-f", "--format", "summary_fmt", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, help="The summary as text on stderr, or as JSON on stdout.")


@tmall.command("import-orders")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--skip-bad", is_flag=True, help="Import the good rows even if some are bad.")
@click.option("--dry-run", is_flag=True, help="Read and check only.")
@_SUMMARY
@click.pass_obj
def import_orders(app, path, skip_bad, dry_run, summary_fmt):
    """Import the order report 订单报表 (CSV, GBK or UTF-8, or the 千牛 XLSX) into the orders table. Idempotent."""
    _import(app, path, skip_bad, dry_run, "orders", summary_fmt)


@tmall.command("import-refunds")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--skip-bad", is_flag=True, help="Import the good rows even if some are bad.")
@click.option("--dry-run", is_flag=True, help="Read and check only.")
@_SUMMARY
@click.pass_obj
def import_refunds(app, path, skip_bad, dry_run, summary_fmt):
    """Import the refund report 退款报表 (CSV). Idempotent on 退款编号."""
    _import(app, path, skip_bad, dry_run, "refunds", summary_fmt)


@tmall.command("refunds")
@output_options
@click.pass_obj
def refunds(app, out):
    """Refunds imported from the refund report."""
    from asx.api import yuan
    from asx_tmall import store as tmall_store

    rows = ({**r, "applied_at": app.iso(r["applied_at"]), "finished_at": app.iso(r["finished_at"]),
             "refund": None if r["refund_fen"] is None else yuan(r["refund_fen"])}
            for r in tmall_store.refunds(app.store))
    emit(app, out, rows, [Column("refund_id", "refund", "退款编号"), Column("order_no", "order", "订单编号"),
                          Column("refund", "amount", "退款金额"), Column("status", "status", "退款状态"),
                          Column("party", "party", "责任方"), Column("applied_at", "applied", "申请时间"),
                          Column("finished_at", "finished", "完结时间")])


@tmall.command("accounts")
@output_options
@click.pass_obj
def accounts(app, out):
    """Each agent's 旺旺 sub-account (set with `asx agent update NAME --wangwang …`)."""
    from asx.api import list_agents

    rows = ({"name": a["name"], "role": a["role"], "wangwang": a["wangwang"] or "(none)"}
            for a in list_agents(app))
    emit(app, out, rows, [Column("name", "agent", "客服"), Column("role", "role", "角色", kind="role"),
                          Column("wangwang", "sub-account", "旺旺子账号")])
