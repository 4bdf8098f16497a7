"""`asx bakery …` commands (registered through register_commands)."""

from __future__ import annotations

import json

import click

from asx.api import Column, emit, output_options, yuan


@click.group(name="bakery")
def bakery():
    """Bakery: perishable-goods order pipeline, complaint measures, customer classes (seed 004)."""


@bakery.group("order")
def order():
    """Orders: add → check → confirm → produce → ship → track → complete → follow-up (each step recorded)."""


def _at(f):
    return click.option("--at", "at_text", metavar="TIME", help="When it was done [default: now].")(f)


def _note(f):
    return click.option("--note", help="What was said or done.")(f)


def _fen(text):
    """--amount in yuan → fen (asx.api.parse_yuan), None when not given."""
    from asx.api import parse_yuan

    return None if text is None else parse_yuan(text)


@order.command("add")
@click.option("--order", "order_no", required=True, help="Order number.")
@click.option("--customer", required=True, help="Customer name or platform nick (confidential).")
@click.option("--phone", help="Contact phone (confidential).")
@click.option("--address", help="Delivery address (confidential).")
@click.option("--item", "items", multiple=True, metavar="PRODUCT:SPEC:QTY", help="An item, e.g. 生日蛋糕:8寸:1 (repeat).")
@click.option("--amount", help="Order value in yuan.")
@click.option("--payment", type=click.Choice(["online", "cod"]), default="online", show_default=True,
              help="Online payment or cash on delivery 货到付款.")
@click.option("--deliver-on", metavar="YYYY-MM-DD", help="Wanted delivery day.")
@click.option("--agent", help="Agent in charge [default: you].")
@_at
@click.pass_obj
def order_add(app, order_no, customer, phone, address, items, amount, payment, deliver_on, agent, at_text):
    """Record a received order (then `asx bakery order check`)."""
    from asx_bakery import orders

    at = app.parse_time(at_text)
    orders.add_order(app, {"order_no": order_no, "customer": customer, "phone": phone, "address": address,
                           "items": orders.parse_items(items), "amount_fen": _fen(amount), "payment": payment,
                           "deliver_on": deliver_on, "agent": agent}, at=at)
    cls = orders.class_of(app, customer, phone)
    click.echo(f"asx: order {order_no} received; customer class {cls}; next: asx bakery order check {order_no}",
               err=True)


def _step(app, order_no, action, at_text, note, **kw):
    from asx_bakery import orders

    res = orders.act(app, order_no, action, at=app.parse_time(at_text) if at_text else None, note=note, **kw)
    o = res["order"]
    click.echo(f"asx: order {order_no} {action.replace('_', '-')}: {o['status']}", err=True)
    return res


@order.command("check")
@click.argument("order_no")
@_at
@_note
@click.pass_obj
def order_check(app, order_no, at_text, note):
    """Intake review: completeness (product, spec, quantity), address, contact. Exit 1 with the
    problems when it fails (tell the customer and correct the order)."""
    res = _step(app, order_no, "check", at_text, note)
    for p in res["problems"]:
        click.echo(f"  problem: {p}")
    if res["problems"]:
        raise SystemExit(1)


@order.command("edit")
@click.argument("order_no")
@click.option("--customer", help="Customer name (confidential).")
@click.option("--phone", help="Contact phone (confidential).")
@click.option("--address", help="Delivery address (confidential).")
@click.option("--item", "items", multiple=True, metavar="PRODUCT:SPEC:QTY",
              help="The order's items, all of them (repeat): they replace the old list.")
@click.option("--amount", help="Order value in yuan.")
@click.option("--payment", type=click.Choice(["online", "cod"]))
@click.option("--deliver-on", metavar="YYYY-MM-DD", help="Wanted delivery day.")
@_at
@_note
@click.pass_obj
def order_edit(app, order_no, customer, phone, address, items, amount, payment, deliver_on, at_text, note):
    """Correct an order before production (e.g. after a failed intake check): the old values stay in
    the history and the intake check runs again. Exit 1 with the problems if it still fails."""
    from asx_bakery import orders

    res = orders.edit(app, order_no, {"customer": customer, "phone": phone, "address": address,
                                      "items": orders.parse_items(items) if items else None,
                                      "amount_fen": _fen(amount), "payment": payment, "deliver_on": deliver_on},
                      at=app.parse_time(at_text) if at_text else None, note=note)
    click.echo(f"asx: order {order_no} edited ({', '.join(res['changed'])}): {res['order']['status']}", err=True)
    for p in res["problems"]:
        click.echo(f"  problem: {p}")
    if res["problems"]:
        raise SystemExit(1)


for _name, _help in [("confirm", "Confirmation sent to the customer (order accepted, details, payment or 货到付款)."),
                     ("produce", "Handed to production and the warehouse (生产/仓储)."),
                     ("complete", "The customer received the goods and confirmed: the order is complete.")]:
    def _make(action):
        @_note
        @_at
        @click.argument("order_no")
        @click.pass_obj
        def cmd(app, order_no, at_text, note):
            _step(app, order_no, action, at_text, note)
        cmd.__doc__ = _help
        return cmd

    order.command(_name)(_make(_name))


@order.command("ship")
@click.argument("order_no")
@click.option("--waybill", required=True, help="Waybill number (told to the customer).")
@click.option("--courier", help="Courier company.")
@_at
@_note
@click.pass_obj
def order_ship(app, order_no, waybill, courier, at_text, note):
    """Shipped: record waybill and courier; tell the customer with the tracking link."""
    _step(app, order_no, "ship", at_text, note, waybill=waybill, courier=courier)


@order.command("track")
@click.argument("order_no")
@click.argument("state", type=click.Choice(["in_transit", "delayed", "lost", "damaged", "delivered"]))
@_at
@_note
@click.pass_obj
def order_track(app, order_no, state, at_text, note):
    """A tracking update; delayed/lost/damaged mark an exception: contact the courier, tell the customer."""
    _step(app, order_no, "track", at_text, note, state=state)


@order.command("follow-up")
@click.argument("order_no")
@click.option("--satisfaction", type=click.IntRange(1, 5), help="The customer's rating 1–5.")
@_at
@_note
@click.pass_obj
def order_follow_up(app, order_no, satisfaction, at_text, note):
    """Follow-up call 回访 after completion: satisfaction and feedback."""
    _step(app, order_no, "follow_up", at_text, note, satisfaction=satisfaction)


@order.command("cancel")
@click.argument("order_no")
@_at
@click.option("--note", required=True, help="Why.")
@click.pass_obj
def order_cancel(app, order_no, at_text, note):
    """Cancel an order that has not shipped."""
    _step(app, order_no, "cancel", at_text, note)


ORDER_COLUMNS = [Column("order_no", "order", "订单号"), Column("status", "status", "状态", kind="bakery_status"),
                 Column("customer", "customer", "客户", mask="name"),
                 Column("class", "class", "客户类别", kind="customer_class"),
                 Column("items", "items", "商品"), Column("amount", "amount", "金额"),
                 Column("deliver_on", "deliver on", "送达日"), Column("agent", "agent", "客服"),
                 Column("received_at", "received", "接单时间"), Column("exception", "exception", "异常",
                                                                    kind="bakery_track")]


def _items_text(items):
    return "; ".join(f"{i['product']} {i.get('spec') or ''}×{i['qty']}".replace(" ×", "×")
                     for i in json.loads(items or "[]"))


def _order_row(app, o, cls):
    from asx_bakery import orders

    key = orders.customer_key(o["phone"], o["customer"])
    return {**o, "items": _items_text(o["items"]), "class": cls.get(key, {}).get("class", "regular"),
            "amount": None if o["amount_fen"] is None else yuan(o["amount_fen"]),
            "received_at": app.iso(o["received_at"])}


@order.command("list")
@click.option("--status", multiple=True, help="Only these statuses (repeat).")
@click.option("--open", "open_", is_flag=True, help="Only orders not yet completed or cancelled.")
@output_options
@click.pass_obj
def order_list(app, status, open_, out):
    """Orders with their pipeline status and customer class."""
    from asx_bakery import orders
    from asx_bakery import store as bakery_store

    st = list(status) or (["received", "checked", "confirmed", "in_production", "shipped", "delivered"]
                          if open_ else None)
    cls = orders.classes(app)
    emit(app, out, (_order_row(app, o, cls) for o in bakery_store.orders(app.store, st)), ORDER_COLUMNS)


@order.command("show")
@click.argument("order_no")
@output_options
@click.pass_obj
def order_show(app, order_no, out):
    """One order and its history of steps."""
    from asx.api import UserError
    from asx_bakery import orders
    from asx_bakery import store as bakery_store

    o = bakery_store.get(app.store, order_no)
    if o is None:
        raise UserError(f"no bakery order {order_no!r}")
    row = _order_row(app, o, orders.classes(app))
    hist = [{**e, "at": app.iso(e["at"]), "data": _masked_data(e)} for e in bakery_store.events(app.store, o["id"])]
    cols = ORDER_COLUMNS + [Column("phone", "phone", "电话", mask="phone"), Column("address", "address", "地址",
                                                                                mask="name"),
                            Column("waybill", "waybill", "运单号"), Column("courier", "courier", "快递"),
                            Column("satisfaction", "satisfaction", "满意度")]
    if out.format in ("json", "jsonl"):
        emit(app, out, [{**row, "history": hist}], cols + [Column("history", "history", "历史")])
        return
    emit(app, out, [row], cols)
    click.echo("\nhistory:")
    emit(app, out, hist, [Column("at", "when", "时间"), Column("by", "by", "操作人"), Column("action", "step", "步骤"),
                          Column("from_status", "from", "原状态", kind="bakery_status"),
                          Column("to_status", "to", "新状态", kind="bakery_status"), Column("note", "note", "备注"),
                          Column("data", "data", "数据")])


def _masked_data(event):
    """An edit event keeps the old and new values (issue 16 item 9); shown, personal data is masked (R-SEC-1)."""
    from asx.api import mask_value
    from asx_bakery.orders import PII

    if event["action"] != "edit" or not event["data"]:
        return event["data"]
    d = json.loads(event["data"])
    kinds = {"customer": "name", "phone": "phone", "address": "name"}
    for side in ("old", "new"):
        for k in PII:
            if d.get(side, {}).get(k):
                d[side][k] = mask_value(kinds[k], d[side][k])
    return json.dumps(d, ensure_ascii=False)


@bakery.command("customers")
@click.option("--class", "cls", type=click.Choice(["regular", "important", "long_term"]), help="Only this class.")
@output_options
@click.pass_obj
def customers(app, cls, out):
    """Customer classes from order history, one customer per phone number (a name only when no phone
    was given): long_term (≥ plugins.bakery.long_term_orders orders in the
    window), important (≥ plugins.bakery.important_amount_yuan), regular."""
    from asx_bakery import orders

    rows = ({**r, "amount": yuan(r["amount_fen"]), "last_at": app.iso(r["last_at"])}
            for _, r in sorted(orders.classes(app).items(), key=lambda kv: (kv[1]["customer"], kv[0]))
            if cls is None or r["class"] == cls)
    emit(app, out, rows, [Column("customer", "customer", "客户", mask="name"),
                          Column("phone", "phone", "电话", mask="phone"),
                          Column("class", "class", "客户类别", kind="customer_class"),
                          Column("orders", "orders", "订单数"), Column("amount", "amount", "金额"),
                          Column("last_at", "last order", "最近下单")])


@bakery.group("measure")
def measure():
    """Complaint measures with deadline and owner (处理措施、时间节点、责任人)."""


@measure.command("add")
@click.argument("case_id", type=int)
@click.option("--measure", "text", required=True, help="What will be done.")
@click.option("--owner", required=True, help="Who is responsible (a person or department).")
@click.option("--due", required=True, metavar="TIME", help="Deadline (e.g. 2026-11-21T12:00 or +4h).")
@_at
@click.pass_obj
def measure_add(app, case_id, text, owner, due, at_text):
    """Add a measure to a complaint case; the case history records it."""
    from asx_bakery import orders

    mid = orders.add_measure(app, case_id, measure=text, owner=owner, due=app.parse_time(due),
                             at=app.parse_time(at_text) if at_text else None)
    click.echo(mid)


@measure.command("done")
@click.argument("measure_id", type=int)
@click.option("--result", help="What came of it.")
@_at
@click.pass_obj
def measure_done(app, measure_id, result, at_text):
    """Mark a measure done (late ones stay marked overdue)."""
    from asx_bakery import orders

    m = orders.finish_measure(app, measure_id, result=result, at=app.parse_time(at_text) if at_text else None)
    click.echo(f"asx: measure #{measure_id} done" + (" (after its deadline)" if m["done_at"] > m["due_at"] else ""),
               err=True)


@bakery.command("measures")
@click.option("--overdue", is_flag=True, help="Only open measures past their deadline.")
@click.option("--open", "open_", is_flag=True, help="Only measures not done.")
@output_options
@click.pass_obj
def measures(app, overdue, open_, out):
    """Complaint measures with deadline and owner; overdue ones first to chase."""
    from asx_bakery import orders

    rows = ({**m, "due_at": app.iso(m["due_at"]), "done_at": app.iso(m["done_at"]) if m["done_at"] else None}
            for m in orders.measure_rows(app, overdue_only=overdue, open_only=open_))
    emit(app, out, rows, [Column("id", "id", "编号"), Column("case_id", "case", "工单"),
                          Column("measure", "measure", "措施"), Column("owner", "owner", "责任人"),
                          Column("due_at", "due", "期限"), Column("done_at", "done", "完成时间"),
                          Column("overdue", "overdue", "逾期"), Column("result", "result", "结果")])


@bakery.command("complaint-summary")
@click.option("--period", "-p", default=None, help="Month or period, e.g. 2026-11, last-month [default: this month].")
@output_options
@click.pass_obj
def complaint_summary(app, period, out):
    """The complaint summary report (seed 004 三(三) 8): every complaint resolved in the period with its
    cause (responsible party), process (checklist steps done), result, improvement measures and whether
    the summary was written; totals by cause on stderr. For the departments and management."""
    from collections import Counter

    from asx.api import parse_period, to_epoch
    from asx_bakery import orders

    p = parse_period(period or app.now().strftime("%Y-%m"), app.tz, now=app.now())
    rows = orders.complaint_summary(app, to_epoch(p.start), to_epoch(p.end))
    view = [{**r, "opened_at": app.iso(r["opened_at"]), "resolved_at": app.iso(r["resolved_at"])} for r in rows]
    emit(app, out, view, [Column("case", "case", "案件"), Column("category", "category", "类别", kind="category"),
                          Column("opened_at", "opened", "投诉时间"), Column("resolved_at", "resolved", "解决时间"),
                          Column("hours", "hours", "用时(小时)"), Column("cause", "cause", "原因/责任方", kind="party"),
                          Column("result", "result", "处理结果", kind="resolution"), Column("amount", "amount", "金额"),
                          Column("csat", "satisfaction", "满意度"), Column("steps", "steps done", "处理步骤"),
                          Column("measures", "improvement measures", "改进措施"),
                          Column("summary_done", "summary written", "已总结")])
    causes = Counter(r["cause"] for r in rows)
    click.echo(f"asx: {len(rows)} complaint(s) resolved in {p.label}"
               + (": by cause " + ", ".join(f"{k} {v}" for k, v in causes.most_common()) if rows else ""), err=True)
