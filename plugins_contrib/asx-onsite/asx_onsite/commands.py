"""`asx onsite …` commands (registered through register_commands)."""

from __future__ import annotations

import click

from asx.api import Column, emit, output_options


@click.group(name="onsite")
def onsite():
    """On-site equipment service: units, engineer dispatch and visits, repeat faults, repairs at cost,
    follow-up visits and the monthly quality report (seed 003)."""


def _fen(text: str | None) -> int:
    """An amount in yuan → fen (asx.api.parse_yuan); 0 when not given."""
    from asx.api import parse_yuan

    return 0 if text is None else parse_yuan(text)


def _yuan(v):
    from asx.api import yuan

    return None if v is None else yuan(v)


@onsite.group("unit")
def unit():
    """Installed units (serial, model, warranty)."""


@unit.command("add")
@click.argument("serial")
@click.option("--model", required=True, help="Product model, e.g. RZ-500.")
@click.option("--buyer", help="The customer id their cases carry.")
@click.option("--installed", metavar="DATE", help="Installation date (warranty starts).")
@click.option("--warranty-until", metavar="DATE", help="Last day of the warranty.")
@click.option("--warranty-months", type=int, help="Warranty from installation [default: plugins.onsite.warranty_months].")
@click.pass_obj
def unit_add(app, serial, model, buyer, installed, warranty_until, warranty_months):
    """Register a unit."""
    from asx_onsite import service

    u = service.add_unit(app, serial, model=model, buyer=buyer, installed=installed, warranty_until=warranty_until,
                         warranty_months=warranty_months)
    click.echo(f"asx: unit {u['serial']} ({u['model']}) warranty until {u['warranty_until'] or 'unknown'}", err=True)


@onsite.command("units")
@output_options
@click.pass_obj
def units(app, out):
    """Registered units with their warranty and number of visits."""
    from asx_onsite import service, store as onsite_store

    today = app.now().date()
    rows = ({**u, "warranty": {True: "in", False: "out", None: "unknown"}[service.in_warranty(u, today)]}
            for u in onsite_store.units(app.store))
    emit(app, out, rows, [Column("serial", "serial", "序列号"), Column("model", "model", "型号"),
                          Column("buyer", "customer", "客户", mask="name"),
                          Column("installed_on", "installed", "安装日期"),
                          Column("warranty_until", "warranty until", "质保至"), Column("warranty", "warranty", "质保"),
                          Column("visits", "visits", "上门次数")])


@onsite.command("dispatch")
@click.argument("case_id", type=int)
@click.option("--engineer", required=True, help="The engineer sent.")
@click.option("--at", "at_text", metavar="TIME", help="When [default: now].")
@click.option("--note")
@click.pass_obj
def dispatch(app, case_id, engineer, at_text, note):
    """Dispatch an engineer to CASE (meets the `dispatch` target: 8 h in warranty)."""
    from asx_onsite import service

    d = service.dispatch(app, case_id, engineer=engineer, at=app.parse_time(at_text) if at_text else None, note=note)
    click.echo(f"asx: case #{case_id}: {d['engineer']} dispatched at {app.iso(d['at'])}", err=True)


@onsite.command("visit")
@click.argument("case_id", type=int)
@click.option("--arrived", required=True, metavar="TIME", help="When the engineer arrived on site.")
@click.option("--done", required=True, metavar="TIME", help="When the work was finished.")
@click.option("--fault", required=True, metavar="CODE", help="Fault code found, e.g. E02.")
@click.option("--unit", "serial", required=True, metavar="SERIAL", help="Serial number of the unit.")
@click.option("--parts", help="Parts replaced, comma-separated (主板,风扇).")
@click.option("--engineer", help="Who visited [default: the engineer dispatched].")
@click.option("--model", help="Model of a unit not registered yet (registers it).")
@click.option("--not-fixed", is_flag=True, help="The fault could not be fixed on this visit.")
@click.option("--note")
@click.pass_obj
def visit(app, case_id, arrived, done, fault, serial, parts, engineer, model, not_fixed, note):
    """Record a visit on site (meets the `on_site` target at the arrival). A fault already repaired on
    the same unit is flagged as a repeat (the same fault is never repaired twice)."""
    from asx_onsite import service

    v = service.record_visit(app, case_id, arrived=app.parse_time(arrived), done=app.parse_time(done), fault=fault,
                             serial=serial, parts=(parts or "").replace("，", ",").split(","), engineer=engineer,
                             fixed=not not_fixed, model=model, note=note)
    click.echo(f"asx: case #{case_id}: visit #{v['id']} recorded ({v['engineer']}, {v['serial']} {v['fault_code']})",
               err=True)
    if v["repeat_of"]:
        click.echo(f"asx: REPEAT FAULT: {v['fault_code']} on {v['serial']} was repaired before (case "
                   f"#{v['previous_case']}, {app.iso(v['previous_at'])}, {v['previous_engineer']}) — seed 003 四(一)8",
                   err=True)


VISIT_COLUMNS = [Column("id", "visit", "上门单"), Column("case_id", "case", "单号"), Column("engineer", "engineer", "工程师"),
                 Column("model", "model", "型号"), Column("serial", "serial", "序列号"),
                 Column("fault_code", "fault", "故障代码"), Column("arrived_at", "arrived", "到达"),
                 Column("done_at", "done", "完成"), Column("parts", "parts", "更换部件"), Column("fixed", "fixed", "修复"),
                 Column("previous_case", "repeat of case", "重复于")]


def _visit_rows(app, rows):
    for v in rows:
        yield {**v, "arrived_at": app.iso(v["arrived_at"]), "done_at": app.iso(v["done_at"]),
               "previous_at": app.iso(v["previous_at"]), "parts": ", ".join(v["parts"]),
               "fixed": "yes" if v["fixed"] else "no"}


@onsite.command("visits")
@click.argument("case_id", type=int, required=False)
@output_options
@click.pass_obj
def visits(app, case_id, out):
    """Visit records, of one case or all."""
    from asx_onsite import service

    emit(app, out, _visit_rows(app, service.visits(app, case_id)), VISIT_COLUMNS)


@onsite.command("repeats")
@click.option("--month", help="Only visits of this period (2026-11, last-month …).")
@output_options
@click.pass_obj
def repeats(app, month, out):
    """Visits that repaired a fault already repaired on the same unit (flagged, seed 003 四(一)8)."""
    from asx.api import parse_period, to_epoch
    from asx_onsite import service

    since = until = None
    if month:
        p = parse_period(month, app.tz, now=app.now())
        since, until = to_epoch(p.start), to_epoch(p.end)
    rows = _visit_rows(app, service.visits(app, repeats=True, since=since, until=until))
    n = emit(app, out, rows, VISIT_COLUMNS + [Column("previous_at", "previous visit", "上次维修"),
                                              Column("previous_engineer", "previous engineer", "上次工程师")])
    click.echo(f"asx: {n} repeat fault(s)", err=True)


@onsite.command("quote")
@click.argument("case_id", type=int)
@click.option("--unit", "serial", metavar="SERIAL", help="The unit [default: the one of the last visit].")
@click.option("--parts", "parts", metavar="YUAN", help="Cost of parts.")
@click.option("--labour", metavar="YUAN", help="Labour at cost.")
@click.option("--note")
@click.pass_obj
def quote(app, case_id, serial, parts, labour, note):
    """Quote an out-of-warranty repair at cost (refused in warranty: it is free)."""
    from asx_onsite import service

    q = service.quote(app, case_id, serial=serial, parts_fen=_fen(parts), labour_fen=_fen(labour), note=note)
    click.echo(f"asx: case #{case_id}: quoted {_yuan(q['parts_fen'] + q['labour_fen'])} yuan at cost "
               f"(parts {_yuan(q['parts_fen'])}, labour {_yuan(q['labour_fen'])}); when accepted: "
               f"asx case check {case_id} quote_accepted; charge with asx onsite charge {case_id}", err=True)


@onsite.command("ship-back")
@click.argument("case_id", type=int)
@click.option("--waybill", required=True, help="The courier's waybill number of the repaired unit.")
@click.option("--courier", help="The courier (顺丰, 德邦 …).")
@click.option("--told", "told_via", required=True, type=click.Choice(["phone", "sms", "wechat", "email"]),
              help="How the customer was told the waybill number.")
@click.option("--unit", "serial", metavar="SERIAL", help="The unit [default: the one of the last visit].")
@click.option("--at", "at_text", metavar="TIME", help="When [default: now].")
@click.option("--note")
@click.pass_obj
def ship_back(app, case_id, waybill, courier, told_via, serial, at_text, note):
    """A depot repair 返厂维修 shipped back to the customer, who is told the waybill (seed 003 三(一)7)."""
    from asx_onsite import service

    s = service.ship_back(app, case_id, waybill=waybill, courier=courier, told_via=told_via, serial=serial,
                          at=app.parse_time(at_text) if at_text else None, note=note)
    click.echo(f"asx: case #{case_id}: shipped back ({s['courier'] or 'courier'} {s['waybill']}), customer told "
               f"by {s['told_via']}", err=True)


@onsite.command("shipments")
@click.option("--case", "case_id", type=int, help="Only this case.")
@output_options
@click.pass_obj
def shipments(app, case_id, out):
    """Repaired units shipped back: waybill, courier, how and when the customer was told."""
    from asx_onsite import store as onsite_store

    rows = [{**r, "shipped_at": app.iso(r["shipped_at"]), "told_at": app.iso(r["told_at"])}
            for r in onsite_store.shipments(app.store, case_id)]
    emit(app, out, rows, [Column("case_id", "case", "单号"), Column("serial", "unit", "序列号"),
                          Column("waybill", "waybill", "快递单号"), Column("courier", "courier", "快递"),
                          Column("shipped_at", "shipped", "寄出"), Column("told_via", "told via", "告知方式"),
                          Column("by", "by", "经办")])


@onsite.command("charge")
@click.argument("case_id", type=int)
@click.option("--channel", help="How it was paid (alipay, wechat, bank, cash …).")
@click.option("--txn", "txn_id", help="The payment's transaction id.")
@click.pass_obj
def charge(app, case_id, channel, txn_id):
    """Charge the case's quote: a ledger entry of money in (R-FIN-1)."""
    from asx_onsite import service

    e = service.charge(app, case_id, channel=channel, txn_id=txn_id)
    click.echo(f"asx: case #{case_id}: {_yuan(e['amount_fen'])} yuan in, ledger #{e['id']} ({e['note']})", err=True)


@onsite.command("followup")
@click.argument("case_id", type=int)
@click.option("--score", required=True, type=click.IntRange(1, 5), help="Satisfaction 1–5.")
@click.option("--note", help="What the customer said.")
@click.pass_obj
def followup(app, case_id, score, note):
    """The follow-up visit 回访 with the satisfaction survey (after the repair)."""
    from asx_onsite import service

    service.followup(app, case_id, score=score, note=note)
    click.echo(f"asx: case #{case_id}: follow-up recorded, satisfaction {score}/5", err=True)


@onsite.command("quality")
@click.option("--month", default="last-month", show_default=True, help="Period: 2026-11, this-month, last-month …")
@output_options
@click.pass_obj
def quality(app, month, out):
    """Monthly quality report: faults by model (visits, units, repeats, parts) for the quality department."""
    from asx_onsite import service

    rows, totals = service.quality_report(app, month)
    n = emit(app, out, rows, [Column("model", "model", "型号"), Column("fault_code", "fault", "故障代码"),
                              Column("visits", "visits", "上门次数"), Column("units", "units", "台数"),
                              Column("repeats", "repeats", "重复故障"), Column("not_fixed", "not fixed", "未修复"),
                              Column("parts_used", "parts used", "更换部件")], meta=totals)
    sat = "n/a" if totals["satisfaction"] is None else f"{totals['satisfaction']:.1%}"
    click.echo(f"asx: {totals['period']}: {totals['visits']} visit(s), {totals['repeats']} repeat fault(s), "
               f"{n} model/fault row(s); follow-ups {totals['followups']}, satisfied (4–5) {sat}", err=True)
