"""`asx member …` commands (registered through register_commands)."""

from __future__ import annotations

import click

from asx.api import Column, emit, output_options


@click.group(name="member")
def member():
    """Membership after-sales: members and tiers, warranty, repair quotes, acceptance, archive (seed 002)."""


MEMBER_COLUMNS = [Column("member_id", "member", "会员号"), Column("buyer", "buyer", "买家", mask="name"),
                  Column("name", "name", "姓名", mask="name"), Column("tier", "tier", "等级", kind="member_tier"),
                  Column("joined_on", "joined", "入会日期"), Column("products", "products", "产品"),
                  Column("cases", "cases", "售后单")]


@member.command("add")
@click.argument("member_id")
@click.option("--buyer", required=True, help="The buyer id (旺旺 nick) the member's cases carry.")
@click.option("--tier", required=True, help="Tier (plugins.membership.tiers), e.g. gold.")
@click.option("--joined", metavar="DATE", help="Date of joining [default: today].")
@click.option("--name", help="The member's name (personal data, shown masked).")
@click.pass_obj
def add(app, member_id, buyer, tier, joined, name):
    """Register a member."""
    from asx_membership import members

    m = members.add_member(app, member_id, buyer=buyer, tier=tier, joined=joined, name=name)
    click.echo(f"asx: member {m['member_id']} added ({m['tier']}, joined {m['joined_on']})", err=True)


@member.command("list")
@click.option("--tier", help="Only this tier.")
@output_options
@click.pass_obj
def list_(app, tier, out):
    """Members with their tier, products and number of cases."""
    from asx_membership import members

    emit(app, out, members.member_rows(app, tier), MEMBER_COLUMNS)


@member.command("show")
@click.argument("member")
@output_options
@click.pass_obj
def show(app, member, out):
    """One member: tier and its targets, products with warranty status, tier history, cases."""
    from asx.api import emit_record
    from asx_membership import members, store as member_store

    m = members.require_member(app, member)
    today = app.now().date()
    prods = [{**p, "warranty": "in" if members.in_warranty(p, today) else "out"}
             for p in member_store.products(app.store, m["member_id"])]
    targets = members.tiers(app.config).get(m["tier"], {})
    cases = [{**c, "opened_at": app.iso(c["opened_at"]), "accepted_at": app.iso(c["accepted_at"])}
             for c in members.member_cases(app, m["member_id"])]
    history = [{**h, "at": app.iso(h["at"])} for h in member_store.tier_changes(app.store, m["member_id"])]
    if (out.format or "table") == "table" and out.output is None:
        out.format = "table"
        emit_record(app, out, {**m, "targets": ", ".join(f"{k}={v}" for k, v in targets.items())},
                    [*MEMBER_COLUMNS[:5], Column("targets", "tier targets", "等级时限")])
        for title, rows, cols in (
                ("products (warranty)", prods, PRODUCT_COLUMNS),
                ("tier history", history, [Column("at", "when", "时间"), Column("from_tier", "from", "原等级"),
                                           Column("to_tier", "to", "新等级"), Column("by", "by", "操作人"),
                                           Column("reason", "reason", "原因")]),
                ("cases", cases, CASE_COLUMNS)):
            click.echo(f"\n{title}:")
            emit(app, out, rows, cols)
    else:
        import json

        from asx.api import mask_value

        rec = {**m, "name": m["name"] if out.reveal else mask_value("name", m["name"]),
               "buyer": m["buyer"] if out.reveal else mask_value("name", m["buyer"]),
               "targets": targets, "products": prods, "tier_history": history,
               "cases": [{**c, "buyer": mask_value("name", c["buyer"])} for c in cases]}
        click.echo(json.dumps(rec, ensure_ascii=False, indent=2, default=str))


PRODUCT_COLUMNS = [Column("id", "id", "编号"), Column("product", "product", "产品"), Column("serial", "serial", "序列号"),
                   Column("purchased_on", "purchased", "购买日期"), Column("warranty_until", "warranty until", "保修至"),
                   Column("warranty", "warranty", "保修")]
CASE_COLUMNS = [Column("id", "case", "单号"), Column("member_id", "member", "会员号"),
                Column("tier", "tier", "等级", kind="member_tier"), Column("status", "status", "状态", kind="case_status"),
                Column("category", "category", "类别", kind="category"), Column("opened_at", "opened", "创建"),
                Column("accepted_at", "accepted", "会员验收")]


@member.command("tier")
@click.argument("member")
@click.argument("tier")
@click.option("--reason", help="Why (recorded in the tier history).")
@click.pass_obj
def tier(app, member, tier, reason):
    """Change a member's tier; their open cases get the new tier's targets."""
    from asx_membership import members

    m = members.change_tier(app, member, tier, reason)
    click.echo(f"asx: {m['member_id']} is now {m['tier']}", err=True)


@member.command("product")
@click.argument("member")
@click.argument("product")
@click.option("--serial", help="Serial number of the unit.")
@click.option("--purchased", required=True, metavar="DATE", help="Purchase date.")
@click.option("--warranty-until", metavar="DATE", help="Last day of the warranty.")
@click.option("--warranty-months", type=int, help="Warranty length [default: plugins.membership.warranty_months].")
@click.pass_obj
def product(app, member, product, serial, purchased, warranty_until, warranty_months):
    """Record a product the member bought, with its warranty dates."""
    from asx_membership import members

    p = members.add_product(app, member, product=product, serial=serial, purchased=purchased,
                            warranty_until=warranty_until, warranty_months=warranty_months)
    click.echo(f"asx: product #{p['id']} {p['product']} in warranty until {p['warranty_until']}", err=True)


@member.command("cases")
@click.option("--member", "member_key", help="Only this member's cases.")
@click.option("--status", multiple=True, help="Only cases in this status (repeatable).")
@output_options
@click.pass_obj
def cases(app, member_key, status, out):
    """Member cases with tier, the member's acceptance and archive state."""
    from asx.api import parse_label
    from asx_membership import members

    mid = members.require_member(app, member_key)["member_id"] if member_key else None
    st = [parse_label(app, "case_status", s) for s in status] or None
    rows = ({**c, "opened_at": app.iso(c["opened_at"]), "accepted_at": app.iso(c["accepted_at"]),
             "archived_at": app.iso(c["archived_at"])} for c in members.member_cases(app, mid, st))
    emit(app, out, rows, CASE_COLUMNS + [Column("archived_at", "archived", "归档")])


@member.command("quote")
@click.argument("case_id", type=int)
@click.option("--product", "product_key", required=True, help="The member's product (id or serial).")
@click.option("--amount", required=True, help="Quoted repair price in yuan, e.g. 180.00.")
@click.option("--note", help="What the price covers.")
@click.pass_obj
def quote(app, case_id, product_key, amount, note):
    """Quote an out-of-warranty repair (refused in warranty: the repair is free)."""
    from asx.api import yuan
    from asx_membership import members

    q = members.quote(app, case_id, product_key=product_key, amount_fen=_fen(amount), note=note)
    click.echo(f"asx: case #{case_id}: repair quoted {yuan(q['amount_fen'])} yuan; when the member agrees: "
               f"asx case check {case_id} quote_accepted", err=True)


def _fen(text: str) -> int:
    """An amount in yuan → fen (asx.api.parse_yuan)."""
    from asx.api import parse_yuan

    return parse_yuan(text)


@member.command("start")
@click.argument("case_id", type=int)
@click.option("--note", help="What is being done.")
@click.pass_obj
def start(app, case_id, note):
    """Record that the solution is being carried out (meets the tier's `start` target)."""
    from asx_membership import members

    members.start(app, case_id, note)
    click.echo(f"asx: case #{case_id}: solution started", err=True)


@member.command("accept")
@click.argument("case_id", type=int)
@click.option("--score", type=click.IntRange(1, 5), help="The member's satisfaction 1–5.")
@click.option("--note", help="The member's feedback.")
@click.pass_obj
def accept(app, case_id, score, note):
    """The member accepts the resolved case (验收反馈); required before `asx case close`."""
    from asx_membership import members

    members.accept(app, case_id, score=score, note=note)
    click.echo(f"asx: case #{case_id}: accepted by the member; it may be closed now", err=True)


@member.command("archive")
@click.option("--before", required=True, metavar="DATE", help="Archive member cases closed before this time.")
@output_options
@click.pass_obj
def archive(app, before, out):
    """Mark closed member cases archived (案件归档) and export them: supervisor."""
    from asx_membership import members

    rows = members.archive(app, before)
    cols = [Column("id", "case", "单号"), Column("member_id", "member", "会员号"),
            Column("tier", "tier", "等级", kind="member_tier"), Column("buyer", "buyer", "买家", mask="name"),
            Column("category", "category", "类别", kind="category"), Column("severity", "severity", "严重度",
                                                                             kind="severity"),
            Column("agent", "agent", "客服"), Column("opened_at", "opened", "创建"),
            Column("resolved_at", "resolved", "解决"), Column("accepted_at", "accepted", "会员验收"),
            Column("closed_at", "closed", "关闭"), Column("resolution", "resolution", "处理结果", kind="resolution"),
            Column("csat", "satisfaction", "满意度")]
    for c in cols:
        if c.key.endswith("_at"):
            c.fmt = app.iso
    n = emit(app, out, rows, cols)
    click.echo(f"asx: {n} member case(s) archived", err=True)
