"""asx review: neutral 中评 / negative 差评 review tracking (R-REV-1..7)."""

from __future__ import annotations

import click

from asx.commands._filters import known_agent
from asx.commands import _complete as complete

from asx.core.money import parse_yuan, yuan
from asx.io.output import Column, emit
from asx.io.options import INT, echo_summary, output_options, say, summary_option

AT = click.option("--at", "at_text", metavar="TIME",
                  help="When it happened [default: now]; not in the future, not before the previous event.")
NOTE = click.option("--note", help="Free text kept in the history.")


def _iso(app):
    return lambda v: app.iso(v) if v is not None else None


def review_columns(app, *, extra: bool = False) -> list[Column]:
    cols = [
        Column("id", "id", "编号"),
        Column("created_at", "review time", "评价时间", fmt=_iso(app)),
        Column("tid", "order", "订单号"),
        Column("result", "result", "评价", kind="review_result"),
        Column("severity", "sev", "严重程度"),
        Column("buyer", "buyer", "旺旺id", mask="name"),
        Column("phone", "phone", "联系电话", mask="phone"),
        Column("item", "item", "购买物品"),
        Column("content", "text", "评价内容", mask="text"),
        Column("last_contact_via", "handling", "处理状态", kind="review_handling"),
        Column("progress", "progress", "进展状况", kind="review_progress"),
        Column("promised_until", "promised by", "答应修改时间", fmt=_iso(app)),
        Column("owner", "owner", "负责人"),
        Column("next_step", "next step", "下一步", kind="review_step"),
        Column("due_at", "due", "到期", fmt=_iso(app)),
        Column("case_id", "case", "工单"),
    ]
    if extra:
        cols += [
            Column("oid", "sub-order", "子订单号"),
            Column("item_id", "item id", "商品id"),
            Column("item_price_fen", "price", "价格"),
            Column("reply", "reply", "回复", mask="text"),
            Column("severity_rule", "severity rule", "严重程度规则"),
            Column("contact_count", "contacts", "联系次数"),
            Column("last_contact_at", "last contact", "最近联系", fmt=_iso(app)),
            Column("compensated_fen", "compensation", "补偿金额"),
            Column("resolved_at", "resolved", "完结时间", fmt=_iso(app)),
            Column("added_at", "recorded", "录入时间", fmt=_iso(app)),
        ]
    return cols


def _ctx(app, at_text):
    """(actor name, epoch of --at)."""
    from asx.core.timeutil import to_epoch

    who = app.actor()
    return who["name"], to_epoch(app.parse_time(at_text))


def _label(kind, code, app):
    return app.labels.label(kind, code, app.lang)


@click.group(name="review")
def cli():
    """Neutral 中评 and negative 差评 reviews: record, contact in order, queue, weekly report (R-REV)."""


@cli.command("add")
@click.option("--tid", required=True, help="Platform order id (TradeRate.tid).")
@click.option("--oid", default="", help="Sub-order id (TradeRate.oid).")
@click.option("--created", "created_text", required=True, metavar="TIME", help="When the buyer posted the review.")
@click.option("--result", "result", required=True, help="neutral (中评) or negative (差评).")
@click.option("--buyer", help="Buyer 旺旺 id (personal data: shown masked).")
@click.option("--phone", help="Buyer phone (personal data: shown masked).")
@click.option("--item", help="Item title.")
@click.option("--item-id", help="Item id (num_iid).")
@click.option("--content", help="The review text.")
@click.option("--severity", type=click.IntRange(1, 3), help="1–3 [default: from the severity rules].")
@click.option("--owner", help="Agent who handles it [default: whoever contacts first].")
@AT
@click.pass_obj
def add(app, tid, oid, created_text, result, buyer, phone, item, item_id, content, severity, owner, at_text):
    """Record one review by hand (R-REV-1)."""
    from asx.reviews import service
    from asx.core.timeutil import to_epoch

    by, at = _ctx(app, at_text)
    data = {"tid": tid.strip(), "oid": oid.strip(), "created_at": to_epoch(app.parse_time(created_text)),
            "result": app.labels.parse("review_result", result, what="result"), "buyer": buyer, "phone": phone,
            "item": item, "item_id": item_id, "content": content, "severity": severity, "owner": owner}
    with app.store.tx():
        rid = service.add(app, data, at=at, by=by)
    r = service.get(app, rid)
    click.echo(rid)
    say(f"asx: review {rid} recorded, severity {r['severity']} ({r['severity_rule']}); next: "
        f"{_label('review_step', r['next_step'], app)}")


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--reader", help="Reader to use [default: the first that recognises the file].")
@click.option("--skip-bad", is_flag=True, help="Import the good rows even if some rows are bad.")
@click.option("--rejects", metavar="FILE", help="Write the bad rows (line, reason) to this CSV file.")
@click.option("--owner", help="Give every new review to this agent.")
@AT
@summary_option()
@click.pass_obj
def import_(app, file, reader, skip_bad, rejects, owner, at_text, summary_fmt):
    """Import reviews from FILE: CSV, XLSX, JSON or JSONL in TradeRate field names (tid, oid, nick, result,
    created, item_title, content …). Idempotent on (tid, oid, created); good reviews are skipped;
    bad rows are listed with their line and reason and, unless --skip-bad, nothing is imported.
    FILE `-` reads standard input."""
    from asx.io.tabular import input_file
    from asx.reviews import service

    by, at = _ctx(app, at_text)
    from asx.io.progress import bar

    with input_file(file) as path, \
            bar("导入评价" if app.lang == "zh" else "importing reviews") as progress:  # a terminal only (issue 18 item 9)
        s = service.import_file(app, path, at=at, by=by, reader=reader, skip_bad=skip_bad, owner=owner,
                                progress=progress)
    if rejects and s["bad"]:
        from asx.io.tabular import Reject, RejectsWriter

        with RejectsWriter(rejects) as w:  # atomic, 0600, reasons masked (issue 21, R-SEC-1)
            for line, why in s["bad"]:
                w.add(Reject(str(file), line, why))
    for line, why in s["bad"][:20]:
        say(f"{file}:{line}: {why}")
    if len(s["bad"]) > 20:
        say(f"… and {len(s['bad']) - 20} more bad rows" + (f" (all in {rejects})" if rejects else
                                                           " (use --rejects FILE for all)"))
    head = f"asx: {file} ({s['reader']}, {s['encoding']}): {s['read']} rows"
    data = {"file": file, "reader": s["reader"], "encoding": s["encoding"], "read": s["read"], "added": s["added"],
            "known": s["duplicates"], "not_tracked": s["skipped"], "rejected": len(s["bad"]),
            "rejects": rejects if rejects and s["bad"] else None, "imported": s["imported"]}
    if not s["imported"]:
        if summary_fmt == "json":
            import json

            click.echo(json.dumps(data, ensure_ascii=False))
        raise click.ClickException(f"{len(s['bad'])} bad row(s) in {file}; nothing imported "
                                   "(fix them, or --skip-bad to import the rest)")
    echo_summary(summary_fmt, f"{head}, {s['added']} added, {s['duplicates']} already known, {s['skipped']} not "
                 f"tracked (good reviews / seller ratings), {len(s['bad'])} bad", data)


@cli.command("list")
@click.option("--progress", "progress", multiple=True, help="open, promised, refused, awaiting_compensation, "
              "revised (repeatable; Chinese labels accepted).")
@click.option("--severity", "severity", multiple=True, type=click.IntRange(1, 3), help="1–3 (repeatable).")
@click.option("--owner", help="Only this agent's reviews (`none`: unowned).", callback=known_agent)
@click.option("--older-than", metavar="DURATION", help="Reviews posted more than this long ago (e.g. 3d, 48h).")
@click.option("--newer-than", metavar="DURATION", help="Reviews posted within this long (e.g. 7d).")
@click.option("--item", help="Item title contains this text (or is this item id).")
@click.option("--open", "open_only", is_flag=True, help="Only reviews that still need work.")
@click.option("--overdue", is_flag=True, help="Only reviews whose next step is due now.")
@click.option("--limit", type=INT, help="At most this many rows.")
@output_options
@click.pass_obj
def list_(app, progress, severity, owner, older_than, newer_than, item, open_only, overdue, limit, out):
    """The tracking table (R-REV-1), severe first then oldest. Personal data is masked."""
    from asx.store import reviews as review_store
    from asx.core.timeutil import parse_duration, to_epoch

    now = to_epoch(app.now())
    rows = review_store.list_reviews(
        app.store, progress=[app.labels.parse("review_progress", p, what="progress") for p in progress] or None,
        severity=list(severity) or None, owner=None if owner in (None, "none") else owner,
        unowned=owner == "none",
        created_before=now - int(parse_duration(older_than).total_seconds()) if older_than else None,
        created_after=now - int(parse_duration(newer_than).total_seconds()) if newer_than else None,
        item=item, open_only=open_only, overdue_at=now if overdue else None, limit=limit)
    emit(app, out, rows, review_columns(app))


@cli.command("search")
@click.argument("text")
@click.option("--limit", type=INT, default=50, show_default=True, help="At most this many reviews, newest first.")
@output_options
@click.pass_obj
def search(app, text, limit, out):
    """Reviews whose text, seller's reply or item contain TEXT (any substring, Chinese included:
    `asx review search 假货`), newest first; buyer data and text masked (R-SEC-1)."""
    from asx.core.errors import UserError
    from asx.store import search as search_store

    text = text.strip()
    if not text:
        raise UserError("search for what? give some text")
    if limit is None or limit < 1:
        raise UserError("--limit must be at least 1")
    if not search_store.has_trigram_index(app.store):
        app.warn("the database server has no pg_trgm: the search scans every review (slower on large tables)")
    emit(app, out, search_store.search_reviews(app.store, text, limit=limit), review_columns(app))


def _reveal(app, reveal: bool, subject: str, action: str = "reveal", ids: list[int] | None = None):
    """Check and record a reveal. On a person's own login of a team database (R-SEC-5) the server does
    both and hands back the unmasked rows by id (its tables show this login masked values only)."""
    from asx.core.errors import PermissionDenied

    if not reveal:
        return None
    who = app.actor()
    if not app.reveal_allowed(who):
        raise PermissionDenied(f"{who['name']} is {who['role']}; only {', '.join(app.guarded('privacy.reveal_roles'))}"
                               " may reveal personal data (R-SEC-1)")
    if app.store.app_login:
        return app.store.reveal_rows("reviews", ids, action, subject)
    app.log_access(action, subject)
    return None


def _unmasked(rows, raw):
    """``rows`` with the personal-data fields of ``raw`` (by id) put back."""
    from asx.store.roles import PII

    for row in rows:
        got = raw.get(row.get("id")) if raw else None
        yield {**row, **{k: got[k] for k in (*PII["reviews"], "content_raw") if k in got}} if got else row


@cli.command("show")
@click.argument("review_id", type=INT)
@click.option("--reveal", is_flag=True, help="Show personal data unmasked (supervisor; recorded, R-SEC-1).")
@output_options
@click.pass_obj
def show(app, review_id, reveal, out):
    """One review and its whole contact history."""
    from asx.io.output import emit_record
    from asx.reviews import service
    from asx.store import reviews as review_store

    r = service.get(app, review_id)
    raw = _reveal(app, reveal, f"review:{review_id}", ids=[review_id])
    r = next(_unmasked([r], raw))
    out.reveal = reveal
    events = list(review_store.events(app.store, review_id))
    ev_cols = [Column("at", "when", "时间", fmt=_iso(app)), Column("by", "by", "操作人"),
               Column("action", "action", "动作"), Column("via", "via", "方式", kind="contact_via"),
               Column("result", "result", "结果"), Column("note", "note", "备注", mask="text"),
               Column("data", "details", "详情")]
    if (out.format or "table") == "table" and out.output is None:
        emit_record(app, out, r, review_columns(app, extra=True))
        click.echo("")
        emit(app, out, events, ev_cols)
    else:
        from asx.io import masking

        hist = [{**e, "at": app.iso(e["at"]),
                 "note": e["note"] if reveal else masking.mask_value("text", e["note"])} for e in events]
        emit(app, out, [{**r, "history": hist}], review_columns(app, extra=True) + [Column("history", "history", "记录")])


@cli.command("contact")
@click.argument("review_id", type=INT)
@click.option("--via", required=True, help="wangwang (旺旺), sms (短信) or phone (电话) (R-REV-2).")
@click.option("--result", "result", required=True, help="no_answer, answered, promised or refused.")
@click.option("--by", "by_text", metavar="DATE", help="With --result promised: the promised date.")
@NOTE
@AT
@click.pass_obj
def contact(app, review_id, via, result, by_text, note, at_text):
    """Record a contact attempt and its result (R-REV-2, R-REV-5)."""
    from asx.reviews import service

    by, at = _ctx(app, at_text)
    via = app.labels.parse("contact_via", via, what="--via")
    result = app.labels.parse("contact_result", result, what="--result")
    if by_text and result != "promised":
        raise click.UsageError("--by goes with --result promised")
    until = service.promise_deadline(app, by_text) if by_text else None
    r, warnings = service.contact(app, review_id, via=via, result=result, at=at, by=by, note=note,
                                  promised_until=until)
    for w in warnings:
        app.warn(w)
    _said(app, r)


def _said(app, r) -> None:
    nxt = (f"next: {_label('review_step', r['next_step'], app)} due {app.iso(r['due_at'])}" if r["next_step"]
           else "nothing more to do")
    say(f"asx: review {r['id']} {_label('review_progress', r['progress'], app)}; {nxt}")


@cli.command("promise")
@click.argument("review_id", type=INT)
@click.option("--by", "by_text", required=True, metavar="DATE",
              help="Date (end of that day) or time by which the buyer will revise.")
@NOTE
@AT
@click.pass_obj
def promise(app, review_id, by_text, note, at_text):
    """The buyer promised to revise by DATE (R-REV-3); if it passes, contact re-opens (R-REV-6)."""
    from asx.reviews import service

    by, at = _ctx(app, at_text)
    r = service.promise(app, review_id, until=service.promise_deadline(app, by_text), at=at, by=by, note=note)
    _said(app, r)


@cli.command("resolve")
@click.argument("review_id", type=INT)
@click.argument("progress")
@NOTE
@AT
@click.pass_obj
def resolve(app, review_id, progress, note, at_text):
    """Set the progress: revised (已删除/修改), refused (拒绝修改), awaiting_compensation
    (等待补偿后修改) or open (re-open) (R-REV-3)."""
    from asx.reviews import service

    by, at = _ctx(app, at_text)
    r = service.resolve(app, review_id, app.labels.parse("review_progress", progress, what="progress"), at=at, by=by,
                        note=note)
    _said(app, r)


@cli.command("compensate")
@click.argument("review_id", type=INT)
@click.option("--amount", required=True, help="Yuan, e.g. 10 or 10.50.")
@click.option("--content", help="Why, for the payment note <content>_<agent> (R-FIN-2) "
              "[default: 删除中评 / 删除差评].")
@click.option("--channel", default="alipay", show_default=True, help="alipay, wechat, bank, platform …")
@click.option("--txn", help="The payment's transaction id.")
@NOTE
@AT
@click.pass_obj
def compensate(app, review_id, amount, content, channel, txn, note, at_text):
    """Pay compensation for a revision: a ledger entry linked to the review, which the refund audit
    checks (R-REV-7, R-FIN-1/2)."""
    from asx.reviews import service

    by, at = _ctx(app, at_text)
    fen = parse_yuan(amount)
    r, entry, pay_note = service.compensate(app, review_id, amount_fen=fen, at=at, by=by,
                                            content=content, channel=channel, txn_id=txn, note=note)
    click.echo(entry)
    say(f"asx: ledger entry {entry}: {yuan(fen)} yuan via {channel}, "
        f"note {pay_note!r}")
    _said(app, r)


@cli.command("assign")
@click.argument("review_id", type=INT)
@click.option("--to", "to", help="Agent [default: yourself]. Taking someone else's review needs a supervisor.")
@NOTE
@AT
@click.pass_obj
def assign(app, review_id, to, note, at_text):
    """Give a review to an agent."""
    from asx.reviews import service

    by, at = _ctx(app, at_text)
    service.assign(app, review_id, to=to or by, at=at, by=by, note=note)
    say(f"asx: review {review_id} is now {to or by}'s")


@cli.command("link")
@click.argument("review_id", type=INT)
@click.option("--case", "case_id", type=INT, required=True, help="The case (it must exist).")
@NOTE
@AT
@click.pass_obj
def link(app, review_id, case_id, note, at_text):
    """Link a review to an existing case."""
    from asx.reviews import service

    by, at = _ctx(app, at_text)
    service.link_case(app, review_id, case_id=case_id, at=at, by=by, note=note)
    say(f"asx: review {review_id} linked to case {case_id}")


@cli.command("open-case")
@click.argument("review_id", type=INT)
@click.option("--category", shell_complete=complete.categories, help="Case category [default: guessed from the review text].")
@NOTE
@AT
@click.pass_obj
def open_case(app, review_id, category, note, at_text):
    """Open a case from a review (R-CASE-1) and link it."""
    from asx.reviews import service

    by, at = _ctx(app, at_text)
    case_id = service.open_case(app, review_id, at=at, by=by, category=category, note=note)
    click.echo(case_id)
    say(f"asx: case {case_id} opened from review {review_id}")


@cli.command("severity")
@click.argument("review_id", type=INT)
@click.argument("level", type=click.IntRange(1, 3))
@NOTE
@AT
@click.pass_obj
def severity(app, review_id, level, note, at_text):
    """Set a review's severity by hand (1–3; overrides the rules)."""
    from asx.reviews import service

    by, at = _ctx(app, at_text)
    service.set_severity(app, review_id, severity=level, at=at, by=by, note=note)
    say(f"asx: review {review_id} severity {level}")


@cli.command("next")
@click.option("--agent", shell_complete=complete.agents, help="Whose queue: their reviews and unowned ones, only while on shift "
              "[default: the acting person; `all` for the whole team].", callback=known_agent)
@click.option("--at", "at_text", metavar="TIME", help="As of this time [default: now].")
@click.option("--limit", type=INT, default=50, show_default=True, help="At most this many rows (0: all).")
@click.option("--all", "everything", is_flag=True,
              help="Every open review with its next step, when it is due and when it becomes actionable.")
@output_options
@click.pass_obj
def next_(app, agent, at_text, limit, everything, out):
    """The work queue: what to do now, severe first then oldest (R-REV-4), following the ladder
    旺旺 → SMS → phone after 48 h without answer, calls only in the call windows (R-REV-5); passed
    promises come back (R-REV-6). Says when the rest becomes actionable."""
    from asx.reviews import queue, service

    at = app.parse_time(at_text)
    if agent is None:
        who = app.actor(required=False)
        # an agent sees their own queue; a supervisor or manager the whole team's
        agent = who["name"] if who and not app.may(who, "supervisor") else None
    elif agent == "all":
        agent = None
    if agent:
        service._check_agent(app, agent)
    q = queue.build(app.store, service.policy(app), at=at, agent=agent, limit=limit or None,
                    everything=everything)
    cols = [Column("id", "id", "编号"), Column("severity", "sev", "严重"),
            Column("result", "result", "评价", kind="review_result"),
            Column("next_step", "do", "下一步", kind="review_step"), Column("reason", "why", "原因", text=True),
            Column("due_at", "due", "到期", fmt=_iso(app))]
    if everything:
        cols.append(Column("actionable_at", "actionable", "可处理", fmt=_iso(app)))
    cols += [Column("created_at", "review time", "评价时间", fmt=_iso(app)),
             Column("buyer", "buyer", "旺旺id", mask="name"), Column("item", "item", "购买物品"),
             Column("content", "text", "评价内容", mask="text"), Column("owner", "owner", "负责人")]
    n = emit(app, out, q.items, cols)
    _queue_footer(app, q, n, everything)


def _queue_footer(app, q, shown, everything) -> None:
    from asx.reviews import ladder

    line = lambda s: say(f"asx: {s}")  # noqa: E731
    T = lambda code, **kw: app.labels.text(code, app.lang, **kw)  # noqa: E731
    line(app.labels.translate(q.availability.note, app.lang))
    win = ladder.window_text(q.windows)
    line(T("rq_in_window", w=win) if q.in_window else T("rq_out_window", at=q.next_window.isoformat(), w=win))
    if not everything:
        if q.availability.available:
            more = T("rq_showing", n=shown) if shown < q.due_now else ""
            line(T("rq_actionable", n=q.due_now, open=q.open) + more)
        else:
            line(T("rq_nothing", open=q.open))
    for later in q.later:
        kw = dict(count=later["count"], step=_label("review_step", later["step"], app),
                  why=app.labels.translate(later["why"], app.lang))
        # no shift ahead: say so, not "from no shift rostered"
        line(T("rq_later", at=later["from"].isoformat(), **kw) if later["from"] else T("rq_later_no_shift", **kw))


@cli.command("report")
@click.option("--week", "week", is_flag=False, flag_value="last-week", default=None, metavar="[WEEK]",
              help="A week, e.g. 2026-W47 [--week alone: the week just ended, for the Monday meeting].")
@click.option("--period", help="Any period instead: 2026-11, 2026-11-01..2026-11-15, last-month …")
@output_options
@click.pass_obj
def report(app, week, period, out):
    """The Monday view (R-REV-7): counts by progress and severity, revision rate, median time to
    revision, compensation paid, reviews stuck on each step, contacts per agent."""
    from asx.reviews import report as rep
    from asx.core.timeutil import parse_period

    if week and period:
        raise click.UsageError("give --week or --period, not both")
    p = parse_period(week or period or "last-week", app.tz, now=app.now())
    rows = rep.weekly(app, p)
    emit(app, out, rows, [Column("section", "section", "部分", text=True), Column("key", "item", "项目", text=True),
                          Column("value", "value", "数值"), Column("detail", "detail", "说明", text=True)],
         meta={"period": p.label, "from": p.start.isoformat(), "to": p.end.isoformat(),
               "definitions": rep.DEFINITIONS})


@cli.command("export")
@click.option("--reveal", is_flag=True, help="Unmasked (supervisor only; recorded, R-SEC-2).")
@output_options
@click.pass_obj
def export(app, reveal, out):
    """Every review with all its fields, for the KPI export or an archive. Masked unless --reveal."""
    from asx.store import reviews as review_store

    raw = _reveal(app, reveal, "reviews", action="export_unmasked")
    out.reveal = reveal
    emit(app, out, _unmasked(review_store.export_rows(app.store), raw), review_columns(app, extra=True) + [Column("events", "events", "记录数")])
