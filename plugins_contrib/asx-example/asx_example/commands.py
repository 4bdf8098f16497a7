"""`asx flowers …` commands (registered through register_commands): a few lines each around
:mod:`asx_example.shop`."""

from __future__ import annotations

import click

from asx.api import Column, emit, output_options

DELIVERY_COLUMNS = [Column("order_no", "order", "订单编号"),
                    Column("slot", "slot", "配送时段", kind="delivery_slot"),
                    Column("photo", "photo", "配送照片"), Column("note", "note", "备注"),
                    Column("by", "by", "配送人"), Column("at", "delivered", "送达时间")]


@click.group(name="flowers")
def flowers():
    """Flower shop: delivery photos, wilted-flower and wrong-bouquet complaints (example plugin)."""


@flowers.command("deliver")
@click.argument("order_no")
@click.option("--slot", required=True, help="Delivery slot: morning 上午, afternoon 下午, evening 晚上.")
@click.option("--photo", required=True, help="The photo taken before handing over (file name or link).")
@click.option("--note", help="Anything worth knowing later.")
@click.option("--at", "at_text", metavar="TIME", help="When it was handed over [default: now].")
@click.pass_obj
def deliver(app, order_no, slot, photo, note, at_text):
    """Record that ORDER's bouquet was handed over, with its photo (append-only)."""
    from asx_example import shop

    d = shop.record_delivery(app, order_no, slot=slot, photo=photo, note=note, at=app.parse_time(at_text))
    click.echo(f"asx: {d['order_no']} delivered ({d['slot']}), photo {d['photo']}", err=True)


@flowers.command("deliveries")
@click.argument("order_no", required=False)
@output_options
@click.pass_obj
def deliveries(app, order_no, out):
    """The delivery records, of one order or all."""
    from asx_example import store

    emit(app, out, ({**d, "at": app.iso(d["at"])} for d in store.deliveries(app.store, order_no)), DELIVERY_COLUMNS)


@flowers.command("complain")
@click.argument("order_no")
@click.option("--summary", required=True, help="What the customer says.")
@click.option("--category", default="wilted", show_default=True, help="wilted 花材枯萎 or wrong_bouquet 花束不符.")
@click.option("--buyer", help="The buyer id (platform nick).")
@click.option("--channel", default="chat", show_default=True, help="Where the complaint came in.")
@click.option("--at", "at_text", metavar="TIME", help="When it came in [default: now].")
@click.pass_obj
def complain(app, order_no, summary, category, buyer, channel, at_text):
    """Open a complaint case for ORDER, checked against its delivery record; prints the case id."""
    from asx_example import shop

    case = shop.complain(app, order_no, summary=summary, category=category, buyer=buyer, channel=channel,
                         at=app.parse_time(at_text))
    click.echo(case["id"])
    click.echo(f"asx: case #{case['id']} opened ({case['category']}); `asx case show {case['id']}` for its "
               "checklist and targets", err=True)
