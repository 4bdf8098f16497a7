"""asx audit: check payment statements against the ledger, cases and roster (R-FIN-2/3/4)."""

from __future__ import annotations

import click

from asx.core.money import yuan
from asx.io.output import Column, emit
from asx.io.options import INT, output_options, say


FINDING_COLUMNS = [
    Column("rule", "rule", "规则"),
    Column("severity", "severity", "级别", kind="finding_severity"),
    Column("file", "file", "文件"),
    Column("line", "line", "行"),
    Column("txn_id", "transaction", "交易号"),
    Column("amount_fen", "amount", "金额"),
    Column("order_no", "order", "订单号"),
    Column("agent", "agent", "客服"),
    Column("ledger_id", "ledger", "台账"),
    Column("message", "finding", "问题", text=True),
    Column("action", "what to do", "处理", text=True),
]


@click.group(name="audit")
def cli():
    """Audits of money movements (R-FIN-3): `asx audit refunds STATEMENT…`."""


@cli.command("refunds")
@click.argument("statements", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--from", "since", metavar="TIME", help="Only payouts from this time [default: the statements' span].")
@click.option("--to", "until", metavar="TIME", help="Only payouts before this time (a date: through that day).")
@click.option("--no-record", is_flag=True, help="Do not store this run (audit_runs/audit_findings).")
@output_options
@click.pass_obj
def refunds(app, statements, since, until, no_record, out):
    """Audit payouts in Alipay/WeChat statements: note form <content>_<agent>, known agent on duty,
    a matching ledger entry with case or review, no duplicate, within the order's paid amount and the
    policy limit, finance sign-off, no buyer data in notes.

    Exits 1 when any error-level finding exists. A summary goes to stderr. A STATEMENT `-` is read
    from standard input.
    """
    import contextlib

    from asx.io.tabular import input_file
    from asx.money.audit import engine
    from asx.core.errors import CheckFailed, UserError
    from asx.core.timeutil import to_epoch

    from asx.commands.ledger import _time

    if list(statements).count("-") > 1:
        raise UserError("standard input (-) can be read once")
    now = to_epoch(app.now())
    from asx.io.progress import bar

    with contextlib.ExitStack() as stack:
        paths = [str(stack.enter_context(input_file(p))) for p in statements]
        progress = stack.enter_context(bar("稽核退款" if app.lang == "zh" else "auditing refunds"))  # a terminal only (issue 18 item 9)
        result = engine.run(app.store, paths, tz=app.tz, now=now,
                            settings=engine.Settings.from_config(app.config), since=_time(app, since),
                            until=_time(app, until, end=True),
                            reader_registry=engine.readers(app.plugins, app.config), plugins=app.plugins,
                            progress=progress)
    for given, path in zip(statements, paths):
        if given == "-":  # findings name standard input "-", not its spooled copy
            for f in result.findings:
                f.file = given if f.file == path else f.file
                f.message = f.message.replace(path, given)
    code = 1 if result.errors else 0
    # everything that can fail comes before the run is stored: all or nothing (issue 21)
    rules = ", ".join(f"{r} {n}" for r, n in result.by_rule().items()) or "none"
    summary = (f"asx: audit: {len(result.statements)} statement(s), {result.rows_read} rows read"
               f"{f' ({result.rows_bad} rejected)' if result.rows_bad else ''}, {result.payouts} payouts, "
               f"{yuan(result.paid_fen)} yuan paid, {app.iso(result.period_from)} – {app.iso(result.period_to)}; "
               f"findings: {rules} ({result.errors} errors, {result.warnings} warnings)")
    emit(app, out, (f.as_row() for f in result.findings), FINDING_COLUMNS)
    if not no_record:
        engine.record(app.store, result, at=now, by=app.acting_name, exit_code=code)
    say(summary)
    for info in result.statements:
        if not info.complete:
            app.warn(f"{info.path}: no footer totals: the file may be truncated")
    if code:
        raise CheckFailed(f"the audit found {result.errors} error(s)")


@cli.command("runs")
@click.option("--since", metavar="TIME", help="Only runs from this time.")
@click.option("--limit", type=INT, default=20, show_default=True)
@output_options
@click.pass_obj
def runs(app, since, limit, out):
    """Past audit runs (newest first)."""
    from asx.store import ledger as ledger_store

    from asx.commands.ledger import _time

    emit(app, out, ledger_store.runs(app.store, since=_time(app, since), limit=limit), [
        Column("id", "run", "编号"), Column("at", "time", "时间", fmt=app.iso), Column("by", "by", "执行人"),
        Column("files", "files", "文件"), Column("rows_read", "rows", "行数"), Column("payouts", "payouts", "支出笔数"),
        Column("paid_fen", "paid", "支出金额"), Column("errors", "errors", "错误"),
        Column("warnings", "warnings", "警告")])


@cli.command("findings")
@click.option("--since", metavar="TIME", default="yesterday", show_default=True,
              help="Findings of runs from this time.")
@click.option("--all", "everything", is_flag=True, help="Also findings an earlier run had already reported.")
@output_options
@click.pass_obj
def findings(app, since, everything, out):
    """Findings of recent audit runs — by default only the new ones (for the daily view)."""
    from asx.money.audit import engine

    from asx.commands.ledger import _time

    rows = engine.findings_since(app.store, _time(app, since), new_only=not everything)
    emit(app, out, rows, [Column("run_at", "run", "检查时间", fmt=app.iso)] + FINDING_COLUMNS)


@cli.command("rules")
@output_options
@click.pass_obj
def rules(app, out):
    """The registered audit checks (built-in and plugins')."""
    from asx.money.audit import engine

    emit(app, out, ({"rule": c.rule, "severity": app.config.get("audit.severity").get(c.rule, c.severity),
                     "scope": c.scope, "ref": c.ref, "title": c.title} for c in engine.checks(app.plugins)),
         [Column("rule", "rule", "规则"), Column("severity", "severity", "级别", kind="finding_severity"),
          Column("scope", "scope", "范围"), Column("ref", "rule ref", "条款"), Column("title", "what", "说明", text=True)])


@cli.command("layouts")
@output_options
@click.pass_obj
def layouts(app, out):
    """The statement layouts asx reads (built-in, plugins', [statements.layouts]): how each is recognised."""
    from asx.money.audit import engine

    emit(app, out, ({"name": r.name, "formats": ", ".join(r.formats), "looks_like": r.describe()}
                    for r in engine.readers(app.plugins, app.config)),
         [Column("name", "layout", "格式"), Column("formats", "files", "文件"),
          Column("looks_like", "recognised by", "识别依据")])
