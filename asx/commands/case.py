"""asx case: record and work after-sales cases (R-CASE, R-SLA, R-SEC)."""

from __future__ import annotations

import sys

import click

from asx.commands._filters import known_agent
from asx.commands import _complete as complete

from asx.core.money import parse_yuan, yuan
from asx.io.output import Column, emit
from asx.io.options import COUNT, INT, echo_summary, output_options, say, summary_option


def _iso(app):
    return lambda v: app.iso(v)


def list_columns(app) -> list[Column]:
    return [
        Column("id", "id", "编号"),
        Column("status", "status", "状态", kind="case_status"),
        Column("category", "category", "类别", kind="category"),
        Column("severity", "severity", "级别", kind="severity"),
        Column("channel", "channel", "渠道", kind="channel"),
        Column("agent", "agent", "客服"),
        Column("order_no", "order", "订单编号"),
        Column("buyer", "buyer", "买家", mask="name"),
        Column("buyer_contact", "phone", "手机", mask="contact"),
        Column("summary", "summary", "摘要", mask="text"),
        Column("opened_at", "opened", "创建时间", fmt=_iso(app)),
        Column("next_due_at", "due", "到期", fmt=_iso(app)),
        Column("next_due_target", "due target", "到期目标", kind="sla_target"),
        Column("overdue", "overdue", "超时", text=True),
    ]


#: Chinese headers of the EXPORT_EXTRA columns (issue 18 item 5)
EXTRA_ZH = {"specialist": "专员", "first_response_at": "首次响应时间", "solution_at": "初步方案时间",
            "resolved_at": "解决时间", "feedback_at": "回访时间", "closed_at": "关闭时间", "promised_at": "承诺时间",
            "resolution": "处理结果", "party": "责任方", "amount_fen": "金额(分)", "inspection": "检测",
            "csat": "满意度", "reopen_count": "重开次数", "merged_into": "合并到", "ext_key": "外部编号"}
EXPORT_EXTRA = ["specialist", "first_response_at", "solution_at", "resolved_at", "feedback_at", "closed_at",
                "promised_at", "resolution", "party", "amount_fen", "inspection", "csat", "reopen_count",
                "merged_into", "ext_key"]


def _remember_version(ctx, param, value):
    if value is not None:
        ctx.meta["asx.if_version"] = value
    return value


def _at_option(f):
    f = click.option("--if-version", type=INT, metavar="N", expose_value=False, callback=_remember_version,
                     help="Act only if the case is still at version N (as `case show` printed it); if someone "
                          "changed it since, refuse and say who and when.")(f)
    return click.option("--at", "at", metavar="TIME",
                        help="When it happened [default: now]; not before the case's previous event, not in the future.")(f)


def _act(app, case_id, action, at, **kw):
    from asx.cases import service

    before = _status(app, case_id)
    version = click.get_current_context().meta.get("asx.if_version")
    case = service.act(app, case_id, action, at=app.parse_time(at) if at else None, _version=version, **kw)
    arrow = f"{before} → {case['status']}" if before != case["status"] else case["status"]
    due = f"; next due {app.iso(case['next_due_at'])} ({case['next_due_target']})" if case["next_due_at"] else ""
    say(f"asx: case #{case_id} {action}: {arrow}{due}")
    return case


def _status(app, case_id):
    from asx.store import cases as case_store

    return case_store.require(app.store, case_id)["status"]


@click.group(name="case")
def cli():
    """After-sales cases: add, list, show, act on them, due queue, import/export (R-CASE, R-SLA)."""


# --- add -------------------------------------------------------------------------------------------

@cli.command("add")
@click.option("--order", help="Order number (as text: never let a spreadsheet round it).")
@click.option("--buyer", help="Buyer id (旺旺 nick); shown masked.")
@click.option("--phone", help="Buyer contact (phone or e-mail); stored as given, shown masked (R-SEC-1).")
@click.option("--category", shell_complete=complete.categories, help="not_as_described, service, missing_item, late_delivery, transit_damage, quality, "
                                 "inquiry, other (or the Chinese label, e.g. 质量问题).")
@click.option("--severity", help="low, normal, high, urgent [default: normal].")
@click.option("--channel", help="wangwang, chat, phone, email, sms, platform [default: wangwang].")
@click.option("--summary", help="What the buyer said (confidential, shown masked).")
@click.option("--store", "store_name", help="Store [default: setting store.name].")
@click.option("--agent", shell_complete=complete.agents, help="Assigned agent [default: the least-loaded agent on shift (setting daily.assignment, "
                              "assign_case hook); nobody on shift: unassigned].")
@click.option("--complaint/--not-complaint", default=None,
              help="The case is (not) a complaint: answered within 1 h, initial solution within 2 h whatever the "
                   "channel (R-SLA-2) [default: as the category (sla.complaint_categories) and severity urgent say].")
@click.option("--about", metavar="NAME", help="The agent a complaint is about (R-KPI-4) [default: the agent who "
                                              "served the order, else the buyer's previous case; else unknown].")
@click.option("--json", "json_file", type=click.File("r", encoding="utf-8"), metavar="FILE|-",
              help="Read one case (JSON object) or many (JSONL) from FILE or - (stdin); keys are the flag names.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the new case id(s) on stdout.")
@_at_option
@click.pass_obj
def add(app, order, buyer, phone, category, severity, channel, summary, store_name, agent, complaint, about,
        json_file, quiet, at):
    """Open a case. On a terminal, asks for the category, order and summary if missing.

    Scripts: id=$(asx case add --category 质量问题 --order 3512… -q)"""
    import json

    from asx.cases import service

    when = app.parse_time(at) if at else None
    if json_file is not None:
        text = json_file.read()
        items = []
        stripped = text.strip()
        try:
            if stripped.startswith("["):
                items = json.loads(stripped)
            elif stripped.startswith("{") and "\n" not in stripped:
                items = [json.loads(stripped)]
            else:
                items = [json.loads(line) for line in stripped.splitlines() if line.strip()]
                if len(items) == 0 and stripped:
                    items = [json.loads(stripped)]
        except RecursionError:
            raise click.UsageError("--json: arrays or objects nested too deeply") from None
        except ValueError as exc:  # JSONDecodeError, or an integer of over 4,300 digits
            try:
                items = [json.loads(stripped)]
            except (ValueError, RecursionError):
                from asx.core.errors import json_problem

                raise click.UsageError(f"--json: not JSON or JSONL ({json_problem(exc)})") from None
        if not isinstance(items, list):  # a scalar or a string (issue 21)
            raise click.UsageError("--json: not a JSON object, array of objects or JSONL")
        ids = []
        with app.store.tx():  # all or nothing
            for n, item in enumerate(items, 1):
                if not isinstance(item, dict):
                    raise click.UsageError(f"--json: item {n} is not an object")
                t = app.parse_time(item["opened_at"]) if item.get("opened_at") else when
                try:
                    ids.append(service.open_case(app, item, at=t))
                except Exception as exc:
                    from asx.core.errors import AsxError

                    if isinstance(exc, AsxError):
                        raise type(exc)(f"--json item {n}: {exc}") from None
                    raise
        for i in ids:
            click.echo(str(i)) if quiet else say(f"asx: opened case #{i}")
        return
    if category is None and sys.stdin.isatty():
        category = click.prompt("category (e.g. quality 质量问题)")
        order = order or click.prompt("order number", default="", show_default=False) or None
        summary = summary or click.prompt("summary", default="", show_default=False) or None
    if category is None:
        raise click.UsageError("--category is required (or --json -)")
    data = {"order": order, "buyer": buyer, "phone": phone, "category": category, "severity": severity,
            "channel": channel, "summary": summary, "store": store_name, "agent": agent, "complaint": complaint,
            "about": about}
    case_id = service.open_case(app, data, at=when)
    if quiet:
        click.echo(str(case_id))
    else:
        from asx.store import cases as case_store

        c = case_store.get(app.store, case_id)
        due = f", {c['next_due_target']} due {app.iso(c['next_due_at'])}" if c["next_due_at"] else ""
        say(f"asx: opened case #{case_id} ({c['category']}, {c['severity']}, agent {c['agent']}{due})")


# --- list / due ------------------------------------------------------------------------------------

def _with_overdue(rows, now):
    for r in rows:
        r["overdue"] = "yes" if r["next_due_at"] is not None and r["next_due_at"] < now else ""
        yield r


def _limited(rows, limit):
    n = 0
    for r in rows:
        if limit and n >= limit:
            say(f"asx: showing the first {limit}; use --limit 0 for all")
            return
        n += 1
        yield r


@cli.command("list")
@click.option("--status", shell_complete=complete.statuses, help="Only these statuses (comma-separated).")
@click.option("--agent", shell_complete=complete.agents, help="Only cases of this agent.", callback=known_agent)
@click.option("--mine", is_flag=True, help="Only my cases (the acting agent's).")
@click.option("--category", shell_complete=complete.categories, help="Only this category (code or Chinese label).")
@click.option("--severity", help="Only this severity.")
@click.option("--store", "store_name", help="Only this store.")
@click.option("--order", help="Only this order number.")
@click.option("--waybill", help="Only the return with this return waybill number (seed 000 退换货 2).")
@click.option("--since", metavar="TIME", help="Opened at or after TIME.")
@click.option("--until", metavar="TIME", help="Opened before TIME.")
@click.option("--overdue", is_flag=True, help="Only cases with an SLA target past due (R-SLA).")
@click.option("--due-within", metavar="DURATION", help="Only cases due within DURATION (e.g. 2h), overdue included.")
@click.option("--open", "open_only", is_flag=True, help="Only cases not yet resolved.")
@click.option("--sort", default="id", show_default=True,
              help="id, opened, due, severity, agent, status, category, updated; prefix - for descending.")
@click.option("--limit", type=INT, default=None, help="At most N rows [default: setting cases.list_limit; 0: all].")
@output_options
@click.pass_obj
def list_(app, status, agent, mine, category, severity, store_name, order, waybill, since, until, overdue,
          due_within, open_only, sort, limit, out):
    """List cases (buyer data masked)."""
    from asx.cases import model
    from asx.store import cases as case_store
    from asx.core.timeutil import parse_duration, to_epoch

    now = to_epoch(app.now())
    if mine:
        agent = app.actor()["name"]
    statuses = [app.labels.parse("case_status", s) for s in status.split(",")] if status else None
    due_before = None
    if due_within:
        due_before = now + int(parse_duration(due_within).total_seconds())
    if limit is None:
        limit = app.config.get("cases.list_limit")
    rows = case_store.list_cases(app.store, status=statuses, agent=agent, category=model.parse_category(app, category)
                         if category else None, severity=app.labels.parse("severity", severity) if severity else None,
                         store_name=store_name, order_no=order, waybill=waybill,
                         since=to_epoch(app.parse_time(since)) if since else None,
                         until=to_epoch(app.parse_time(until)) if until else None,
                         overdue_at=now if overdue else None, due_before=due_before, open_only=open_only,
                         sort=sort if not (overdue or due_within) or sort != "id" else "due",
                         limit=limit + 1 if limit else None)
    emit(app, out, _limited(_with_overdue(rows, now), limit), list_columns(app))


@cli.command("search")
@click.argument("text")
@click.option("--limit", type=COUNT, default=50, show_default=True, help="At most this many cases, newest first.")
@output_options
@click.pass_obj
def search(app, text, limit, out):
    """Cases whose summary or history notes contain TEXT (any substring, Chinese included:
    `asx case search 充电线`), newest first; buyer data masked (R-SEC-1)."""
    from asx.core.errors import UserError
    from asx.core.timeutil import to_epoch
    from asx.store import search as search_store

    text = text.strip()
    if not text:
        raise UserError("search for what? give some text")
    if not search_store.has_trigram_index(app.store):
        app.warn("the database server has no pg_trgm: the search scans every case (slower on large tables)")
    rows = search_store.search_cases(app.store, text, limit=limit)
    emit(app, out, _with_overdue(rows, to_epoch(app.now())), list_columns(app))


@cli.command("due")
@click.option("--within", metavar="DURATION", help="Only what falls due within DURATION (e.g. 2h); overdue included.")
@click.option("--team", is_flag=True, help="The whole team's queue, not only mine.")
@click.option("--agent", shell_complete=complete.agents, help="This agent's queue.", callback=known_agent)
@click.option("--limit", type=INT, default=50, show_default=True, help="At most N rows (0: all).")
@output_options
@click.pass_obj
def due(app, within, team, agent, limit, out):
    """The work queue ordered by time to breach (R-SLA): mine, an agent's, or the team's."""
    from asx.store import cases as case_store
    from asx.core.timeutil import parse_duration, to_epoch

    now = to_epoch(app.now())
    if not team and agent is None:
        agent = app.actor()["name"]
    before = now + int(parse_duration(within).total_seconds()) if within else 2 ** 62
    rows = case_store.list_cases(app.store, agent=agent, due_before=before, sort="due", limit=limit + 1 if limit else None)
    cal = app.calendar

    def gen():
        for r in _with_overdue(rows, now):
            d = r["next_due_at"]
            r["remaining_service_minutes"] = cal.service_minutes_between(now, d) if d - now < 86400 * 30 else None
            r["remaining_calendar_minutes"] = (d - now) // 60
            yield r

    cols = [c for c in list_columns(app) if c.key not in ("opened_at", "channel", "buyer_contact")]
    cols += [Column("remaining_service_minutes", "left (service min)", "剩余服务分钟"),
             Column("remaining_calendar_minutes", "left (min)", "剩余分钟"),
             # R-SLA-5: the queue stays on the target's due time; the promise shows beside it
             Column("promised_at", "promised", "承诺时间", fmt=_iso(app))]
    emit(app, out, _limited(gen(), limit), cols)


# --- show -----------------------------------------------------------------------------------------

def _required_text(step) -> str:
    """R-CASE-3: when a checklist step must be ticked before resolving."""
    parts = ["always"] if step.required else []
    if step.required_for:
        parts.append("for " + "/".join(step.required_for))
    if step.required_if_party:
        parts.append("if party " + "/".join(step.required_if_party))
    return ", ".join(parts)


@cli.command("show")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--reveal", is_flag=True, help="Show buyer data unmasked: supervisor only, recorded (R-SEC-1).")
@output_options
@click.pass_obj
def show(app, case_id, reveal, out):
    """One case: fields, checklist (R-CASE-3), SLA state of each target (R-SLA), history."""
    from asx.cases import model, service
    from asx.store import cases as case_store
    from asx.core.timeutil import to_epoch

    raw = None
    if reveal:
        raw = service.reveal(app, case_id)
        out.reveal = True
    case = case_store.require(app.store, case_id)
    if raw is not None:  # on a person's own login the tables show buyer data masked (R-SEC-5)
        case.update({k: raw[k] for k in ("buyer", "buyer_contact", "summary") if k in raw})
        if app.store.app_login:
            case["summary_raw"] = None  # the server's reveal (asx_reveal_case) gives the summary as written
    now = to_epoch(app.now())
    case["overdue"] = "yes" if case["next_due_at"] is not None and case["next_due_at"] < now else ""
    hist = case_store.events(app.store, case_id)
    done = case_store.checks(app.store, case_id)
    cat = model.categories(app.plugins).get(case["category"])
    checklist = [{"step": s.step, "text": s.zh if app.lang == "zh" and s.zh else s.en,
                  "done": "yes" if s.step in done else "no",
                  "done_at": app.iso(done[s.step]["done_at"]) if s.step in done else "",
                  "by": done[s.step]["done_by"] if s.step in done else "",
                  "required": _required_text(s)} for s in (cat.checklist if cat else [])]
    slas = service.sla_state(app, case)
    case["complaint"] = "yes" if service.is_complaint(app, case) else "no"  # R-SLA-2 (explicit or derived)
    fields = list_columns(app) + [Column(k, k.replace("_", " "), EXTRA_ZH.get(k)) for k in EXPORT_EXTRA if k != "ext_key"] + [
        Column("complaint", "complaint", "投诉", text=True), Column("about", "about (R-KPI-4)", "被投诉人"),
        Column("version", "version", "版本"),  # what `--if-version` of an action compares (issue 10)
        Column("updated_by", "changed by", "最后修改人")]
    for c in fields:
        if c.key.endswith("_at"):
            c.fmt = _iso(app)
        if c.key == "amount_fen":  # integer fen; yuan in a table (Column.money, issue 18)
            c.en, c.zh = "amount (yuan)", "金额(元)"
    hist_cols = [Column("at", "when", "时间", fmt=_iso(app)), Column("by", "by", "操作人"),
                 Column("action", "action", "动作"), Column("from_status", "from", "原状态", kind="case_status"),
                 Column("to_status", "to", "新状态", kind="case_status"), Column("note", "note", "备注", mask="text")]
    sla_cols = [Column("target", "target", "目标", kind="sla_target"), Column("target_rule", "rule", "规则"),
                Column("clock", "clock", "计时方式"),  # R-SLA preamble: service, calendar or working_days
                Column("state", "state", "状态", kind="sla_state"), Column("due_at", "due", "到期", fmt=_iso(app)),
                Column("met_at", "met", "完成", fmt=_iso(app)),
                Column("service_minutes", "elapsed service min", "已用服务分钟"),
                Column("calendar_minutes", "elapsed min", "已用分钟"),
                Column("remaining_service_minutes", "left service min", "剩余服务分钟"),
                Column("remaining_calendar_minutes", "left min", "剩余分钟")]
    check_cols = [Column("step", "step", "步骤"), Column("text", "what", "内容"),
                  Column("required", "required", "必做", text=True), Column("done", "done", "完成", text=True),
                  Column("done_at", "when", "时间"), Column("by", "by", "操作人")]
    # -f and -o are honoured (issue 18 item 10): table (a terminal's default), json (the default when piped,
    # with checklist, SLA and history), jsonl (the same on one line), csv/tsv/xlsx (the case's fields, one row)
    from asx.io.output import _format_from_suffix

    to_file = out.output not in (None, "-")
    fmt = out.format or (_format_from_suffix(out.output) if to_file and out.output.lower().endswith(
        (".csv", ".tsv", ".json", ".jsonl", ".xlsx")) else None) or ("table" if (
            sys.stdout.isatty() and not to_file) or app.config.get("output.format") == "table" else "json")
    if fmt in ("csv", "tsv", "xlsx"):
        out.format = fmt
        emit(app, out, [case], fields)
        return
    if fmt == "table":
        import contextlib
        import io

        from asx.io.output import emit_record

        buf = io.StringIO() if to_file else None
        with contextlib.redirect_stdout(buf) if buf is not None else contextlib.nullcontext():
            out.format, saved, out.output = "table", out.output, None
            emit_record(app, out, case, fields)
            for title, rows, cols in (("checklist (R-CASE-3)", checklist, check_cols),
                                      ("service levels (R-SLA)", slas, sla_cols), ("history", hist, hist_cols)):
                click.echo(f"\n{title}:")
                emit(app, out, rows, cols)
            out.output = saved
        if buf is not None:
            _write_text(out, buf.getvalue())
        return
    from asx.io import masking

    def m(kind, v):
        return v if out.reveal or v in (None, "") else masking.mask_value(kind, v)

    def text(row, key):  # masked at write time; a reveal shows the text as written (R-SEC-1, issue 21)
        return row.get(key + "_raw") or row[key] if out.reveal else m("text", row[key])

    rec = {**{k: v for k, v in case.items() if not k.endswith("_raw")}, "buyer": m("name", case["buyer"]),
           "buyer_contact": m("contact", case["buyer_contact"]),
           "summary": text(case, "summary"),
           "history": [{**{k: v for k, v in h.items() if not k.endswith("_raw")}, "at": app.iso(h["at"]),
                        "note": text(h, "note")} for h in hist],
           "checklist": checklist,
           "sla": [{**s, "due_at": app.iso(s["due_at"]), "met_at": app.iso(s["met_at"])} for s in slas]}
    for k in list(rec):
        if k.endswith("_at") and isinstance(rec[k], int):
            rec[k] = app.iso(rec[k])
    import json

    text = json.dumps(rec, ensure_ascii=False, default=str) if fmt == "jsonl" else \
        json.dumps(rec, ensure_ascii=False, indent=2, default=str)
    if to_file:
        _write_text(out, text + "\n")
    else:
        click.echo(text)


def _write_text(out, text: str) -> None:
    """``-o FILE``: atomically, 0600 when buyer data is revealed (docs/privacy.md)."""
    from asx.io.output import atomic_write

    with atomic_write(out.output, private=out.reveal) as f:
        f.write(text)


# --- actions --------------------------------------------------------------------------------------

@cli.command("respond")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--note", help="What was said.")
@click.option("--solution", is_flag=True, help="This response offered an initial solution (R-SLA-2).")
@_at_option
@click.pass_obj
def respond(app, case_id, note, solution, at):
    """Record a response sent to the buyer (the first one meets the first-response target; after
    resolving it is the feedback, R-SLA-4)."""
    _act(app, case_id, "respond", at, note=note, solution=solution)


@cli.command("note")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.argument("text")
@_at_option
@click.pass_obj
def note(app, case_id, text, at):
    """Add a note to the history."""
    _act(app, case_id, "note", at, note=text)


@cli.command("edit")
@click.argument("case_id", type=INT)
@click.option("--order", metavar="NO", help="The order number.")
@click.option("--buyer", help="The buyer (旺旺 nick).")
@click.option("--phone", "contact", help="The buyer's contact.")
@click.option("--summary", help="What the case is about.")
@click.option("--category", help="The category (R-CASE-2; Chinese label accepted): the SLA is recomputed.")
@click.option("--note", help="Why it was corrected.")
@_at_option
@click.pass_obj
def edit(app, case_id, order, buyer, contact, summary, category, note, at):
    """Correct what was recorded: order number, buyer, contact, summary or category. The history keeps
    each change (old → new, buyer data masked); a new category brings its SLA targets and checklist."""
    _act(app, case_id, "edit", at, order=order, buyer=buyer, contact=contact, summary=summary, category=category,
         note=note)


@cli.command("check")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.argument("step")
@_at_option
@click.pass_obj
def check(app, case_id, step, at):
    """Tick a step of the category checklist (R-CASE-3); `asx case show` lists the steps."""
    _act(app, case_id, "check", at, step=step)


@cli.command("escalate")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--to", "to", required=True, help="The specialist who takes it over (R-CASE-7).")
@click.option("--note", help="Why.")
@_at_option
@click.pass_obj
def escalate(app, case_id, to, note, at):
    """Escalate a complex case to a specialist (R-CASE-7)."""
    _act(app, case_id, "escalate", at, to=to, note=note)


@cli.command("handback")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--note", required=True, help="The solution the agent tells the buyer.")
@_at_option
@click.pass_obj
def handback(app, case_id, note, at):
    """Specialist: hand the solution back to the agent (R-CASE-7)."""
    _act(app, case_id, "handback", at, note=note)


@cli.command("inspect")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.argument("result", type=click.Choice(["pass", "fail"]))
@click.option("--note", help="What was found.")
@_at_option
@click.pass_obj
def inspect(app, case_id, result, note, at):
    """Specialist: record the inspection of returned goods (R-CASE-8)."""
    _act(app, case_id, "inspect", at, result=result, note=note)


@cli.command("return")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--reason", type=click.Choice(["no-reason", "fault"]),
              help="The return request: no-reason 无理由 (checked against the window and the never-returnable "
                   "categories) or fault (the goods are at fault; the store pays the postage).")
@click.option("--goods-category", metavar="CAT", help="The goods' category, as in setting returns.never_returnable.")
@click.option("--delivered", metavar="TIME", help="When the goods were delivered (the window counts from it).")
@click.option("--waybill", help="The return waybill number 退货运单号 (searchable: case list --waybill).")
@click.option("--courier", help="The return courier.")
@click.option("--received", metavar="TIME", help="The returned goods arrived (then `asx case inspect`, R-CASE-8).")
@_at_option
@output_options
@click.pass_obj
def return_(app, case_id, reason, goods_category, delivered, waybill, courier, received, at, out):
    """Record a return 退换货: the request checked against the store's return policy (settings
    returns.*), the waybill and courier, the receipt (seed 000 退换货 1–5, R-CASE-8).

    Exit 1 when the policy refuses the request (the reason is printed and recorded)."""
    from asx.cases import returns

    row = returns.record(app, case_id, reason=reason.replace("-", "_") if reason else None,
                         goods_category=goods_category,
                         delivered=app.parse_time(delivered) if delivered else None, waybill=waybill,
                         courier=courier, received=app.parse_time(received) if received else None,
                         at=app.parse_time(at) if at else None)
    view = {"case": case_id, "reason": row["reason"], "policy": row["policy_result"],
            "why": row["policy_why"] or "", "postage": row["postage_payer"] or "",
            "waybill": row["waybill"] or "", "courier": row["courier"] or "",
            "received": app.iso(row["received_at"]), "delivered": app.iso(row["delivered_at"])}
    emit(app, out, [view], [Column(k) for k in view])
    if reason and row["policy_result"] == "refused":
        from asx.core.errors import CheckFailed

        raise CheckFailed(f"return refused by the policy: {row['policy_why']}; tell the buyer why and offer an "
                          "alternative (R-CASE-8)")


@cli.command("assign")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--to", "to", required=True, help="The new agent.")
@click.option("--reason", required=True, help="Why (R-CASE-9).")
@_at_option
@click.pass_obj
def assign(app, case_id, to, reason, at):
    """Supervisor: reassign a case, with a reason (R-CASE-9)."""
    _act(app, case_id, "assign", at, to=to, reason=reason)


@cli.command("about")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.argument("name", shell_complete=complete.agents)
@click.option("--reason", required=True, help="Why (e.g. the chat log shows who served the buyer).")
@_at_option
@click.pass_obj
def about(app, case_id, name, reason, at):
    """Supervisor: settle whom a complaint is about; the fines ladder counts it against NAME (R-KPI-4)."""
    _act(app, case_id, "about", at, who=name, reason=reason)


@cli.command("wait")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.argument("on", type=click.Choice(["buyer", "courier", "warehouse"]))
@click.option("--note", help="What we wait for.")
@_at_option
@click.pass_obj
def wait(app, case_id, on, note, at):
    """Wait for the buyer, courier or warehouse: the SLA clock pauses (R-SLA)."""
    _act(app, case_id, "wait", at, on=on, note=note)


@cli.command("resume")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--note", help="What came back.")
@_at_option
@click.pass_obj
def resume(app, case_id, note, at):
    """Stop waiting: the SLA clock runs again."""
    _act(app, case_id, "resume", at, note=note)


@cli.command("promise")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--by", "until", required=True, metavar="TIME", help="When the buyer will have the answer (R-SLA-5).")
@click.option("--note", help="What was promised.")
@click.option("--reason", help="Why the promise lies after the SLA target (required then; shown to the supervisor).")
@_at_option
@click.pass_obj
def promise(app, case_id, until, note, reason, at):
    """Tell the buyer when the answer comes (R-SLA-5).

    A promise never hides a breach: the case stays due at its SLA target; a promise later than
    the target needs --reason and shows in `asx today` and the SLA forecast as a breach to come."""
    _act(app, case_id, "promise", at, until=app.parse_time(until), note=note, reason=reason)


@cli.command("resolve")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--resolution", required=True, help="explained, cash_compensation, coupon, reship, exchange, "
                                                   "return_refund, refund_only, repair, rejected (R-CASE-4).")
@click.option("--party", required=True, help="Responsible party: us, warehouse, courier, supplier, buyer, platform, "
                                             "unknown (R-CASE-5).")
@click.option("--amount", help="Money paid, in yuan (creates a ledger entry, R-FIN-1).")
@click.option("--inspection", type=click.Choice(["pass", "fail"]), help="Inspection of returned goods (R-CASE-8).")
@click.option("--note", help="What was agreed; for `rejected` the reason given to the buyer.")
@click.option("--override", is_flag=True, help="Supervisor: resolve although required checklist steps are "
                                               "unticked (needs --reason; recorded, R-CASE-3).")
@click.option("--reason", help="Why the checklist is overridden.")
@_at_option
@click.pass_obj
def resolve(app, case_id, resolution, party, amount, inspection, note, override, reason, at):
    """Resolve a case with a resolution and the responsible party (R-CASE-4/5/8).

    Refused while a required step of the category's checklist is unticked (the message lists
    them, R-CASE-3), unless a supervisor passes --override --reason."""
    _act(app, case_id, "resolve", at, resolution=resolution, party=party, amount_fen=parse_yuan(amount),
         inspection=inspection, note=note, override=override, reason=reason)


@cli.command("close")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--note", help="E.g. the buyer confirmed.")
@_at_option
@click.pass_obj
def close(app, case_id, note, at):
    """Close a resolved case (the buyer confirmed; else `asx nightly` closes after N days)."""
    _act(app, case_id, "close", at, note=note)


@cli.command("reopen")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--note", required=True, help="Why it is reopened.")
@_at_option
@click.pass_obj
def reopen(app, case_id, note, at):
    """Reopen a resolved or closed case (R-CASE-6)."""
    _act(app, case_id, "reopen", at, note=note)


@cli.command("link")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.argument("other", type=INT)
@click.option("--note")
@_at_option
@click.pass_obj
def link(app, case_id, other, note, at):
    """Link two related cases."""
    _act(app, case_id, "link", at, other=other, note=note)


@cli.command("merge")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.option("--into", "into", type=INT, required=True, help="The live case that stays.")
@click.option("--note")
@_at_option
@click.pass_obj
def merge(app, case_id, into, note, at):
    """Merge a duplicate CASE_ID into the live case --into (the duplicate points to it)."""
    _act(app, case_id, "merge", at, into=into, note=note)


@cli.command("rate")
@click.argument("case_id", type=INT, shell_complete=complete.case_ids)
@click.argument("score", type=click.IntRange(1, 5))
@_at_option
@click.pass_obj
def rate(app, case_id, score, at):
    """Record the buyer's satisfaction rating 1–5 (feeds CSAT, R-KPI-2)."""
    _act(app, case_id, "rate", at, score=score)


# --- import / export --------------------------------------------------------------------------------

@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json", "jsonl"]),
              help="[default: from the suffix]")
@click.option("--key", metavar="COLS", help="Columns forming the external key [default: order,category,opened_at].")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--skip-bad", is_flag=True, help="Import the good rows even if some are bad.")
@click.option("--rejects", metavar="FILE", help="Where bad rows go [default: FILE.rejects.csv; mode 0600, buyer data "
              "masked].")
@click.option("--reveal", is_flag=True, help="Keep buyer data unmasked in the rejects file: supervisor only, recorded "
              "(R-SEC-1).")
@summary_option("--summary")
@click.pass_obj
def import_(app, file, fmt, key, dry_run, skip_bad, rejects, reveal, summary_fmt):
    """Import cases from CSV, XLSX, JSON or JSONL (UTF-8 or GB18030; Chinese headers accepted).

    Idempotent: rows whose key is already in the database are skipped. All or nothing unless
    --skip-bad; bad rows are written to the rejects file with line and reason. FILE `-` reads
    standard input. --format names the file's type, so the JSON summary is --summary json."""
    from asx.cases import importer

    if reveal:
        who = app.actor()
        if not app.reveal_allowed(who):
            from asx.core.errors import PermissionDenied

            raise PermissionDenied(f"{who['name']} is {who['role']}; unmasked rejects need the supervisor role "
                                   "(R-SEC-1)")
        app.log_access("rejects_unmasked", "cases", rejects or f"{file}.rejects.csv")
    from asx.io.progress import bar

    with bar("导入案件" if app.lang == "zh" else "importing cases") as progress:  # a terminal only (issue 18 item 9)
        res = importer.import_file(app, file, fmt=fmt, key=key, dry_run=dry_run, skip_bad=skip_bad, rejects=rejects,
                                   progress=progress, reveal=reveal)
    echo_summary(summary_fmt, res.summary(), {
        "file": file, "encoding": res.encoding, "read": res.read, "added": res.added, "known": res.skipped,
        "rejected": res.bad, "rejects": res.rejects if res.bad and not dry_run else None, "dry_run": dry_run})


@cli.command("export")
@click.option("--reveal", is_flag=True, help="Unmasked: supervisor only, recorded (R-SEC-2).")
@output_options
@click.pass_obj
def export(app, reveal, out):
    """Every case with every field (buyer data masked unless --reveal)."""
    from asx.store import cases as case_store

    raw = None
    if reveal:
        who = app.actor()
        if not app.reveal_allowed(who):
            from asx.core.errors import PermissionDenied

            raise PermissionDenied(f"{who['name']} is {who['role']}; an unmasked export needs the supervisor role "
                                   "(R-SEC-2)")
        if app.store.app_login:  # R-SEC-5: the server checks, records and hands back the unmasked rows
            raw = app.store.reveal_rows("cases", None, "export_unmasked", "cases")
        else:
            app.log_access("export_unmasked", "cases", out.output or "stdout")
        out.reveal = True
    cols = [c for c in list_columns(app) if c.key != "overdue"]
    cols += [Column(k, k, EXTRA_ZH.get(k)) for k in EXPORT_EXTRA]
    for c in cols:
        c.kind = None
        if c.key.endswith("_at"):
            c.fmt = _iso(app)
    rows = case_store.export_rows(app.store)
    if raw:
        from asx.store.roles import PII

        rows = ({**r, **{k: raw[r["id"]].get(k) for k in (*PII["cases"], "summary_raw")}} if r["id"] in raw else r
                for r in rows)
    emit(app, out, rows, cols)


# --- handover -----------------------------------------------------------------------------------------

@cli.group("handover")
def handover():
    """Shift handover notes (R-CASE-10)."""


@handover.command("write")
@click.argument("text", required=False)
@click.option("--shift", help="Your shift (day, night …).")
@click.option("--for", "for_agent", help="For whom (default: the next shift).")
@_at_option
@click.pass_obj
def handover_write(app, text, shift, for_agent, at):
    """Leave a note for the next shift (TEXT or stdin)."""
    from asx.store import cases as case_store
    from asx.core.timeutil import to_epoch

    if text is None:
        text = sys.stdin.read() if not sys.stdin.isatty() else click.edit("") or ""
    text = text.strip()
    if not text:
        raise click.UsageError("an empty handover note says nothing")
    who = app.actor()
    with app.store.tx():
        case_store.add_handover(app.store, at=to_epoch(app.parse_time(at)), by=who["name"], shift=shift,
                        for_agent=for_agent, text=text)
    say("asx: handover note left")


@handover.command("read")
@click.option("--last", "last", type=INT, default=1, show_default=True, help="How many notes.")
@output_options
@click.pass_obj
def handover_read(app, last, out):
    """Read the previous shift's handover note(s) (R-CASE-10)."""
    from asx.store import cases as case_store

    rows = case_store.handovers(app.store, limit=last)
    emit(app, out, rows, [Column("at", "when", "时间", fmt=_iso(app)), Column("by", "by", "留言人"),
                          Column("shift", "shift", "班次"), Column("for_agent", "for", "交给"),
                          Column("text", "note", "内容", mask="text")])
