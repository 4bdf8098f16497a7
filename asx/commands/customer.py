"""asx customer: one buyer's file (issue 16 item 7)."""

from __future__ import annotations

import click

from asx.io.output import Column, emit
from asx.io.options import output_options


@click.group(name="customer")
def cli():
    """A buyer's file: cases, reviews, refunds and returns across time (masked, R-SEC-1)."""


@cli.command("show")
@click.argument("buyer", metavar="BUYER_OR_MOBILE")
@click.option("--reveal", is_flag=True, help="Show buyer-written text unmasked: supervisor only, recorded (R-SEC-1).")
@output_options
@click.pass_obj
def show(app, buyer, reveal, out):
    """What an agent looks at before answering a buyer, named by buyer id (旺旺 nick) or mobile number
    (138…): every case, review, refund and return of that buyer, oldest first. Exit 1 when the buyer
    has no file. On a team database the lookup by mobile is the server's (R-SEC-5)."""
    from asx.cases import customer
    from asx.core.errors import CheckFailed
    from asx.io import masking

    rows = customer.history(app, buyer, reveal=reveal)
    if not rows:
        raise CheckFailed("no case, review, refund or return for that buyer")
    view = [{"at": app.iso(r["at"]), "kind": r["kind"], "ref": r["ref"], "what": r["what"], "state": r["state"],
             "amount_fen": r["amount_fen"],
             "order_no": r["order_no"],
             "text": (r.get("text_raw") or r["text"]) if reveal or r["kind"] == "return"
             else masking.mask_text(r["text"])}
            for r in rows]
    emit(app, out, view, [Column("at", "at", "时间"), Column("kind", "kind", "类型"), Column("ref", "ref", "编号"),
                          Column("what", "what", "内容"), Column("state", "state", "状态"),
                          Column("amount_fen", "amount", "金额"), Column("order_no", "order", "订单号"),
                          Column("text", "text", "说明")])
