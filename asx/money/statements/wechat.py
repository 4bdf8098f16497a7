"""WeChat Pay statement layouts (formats.md "WeChat Pay …").

* ``wechat-personal`` — personal bill: CSV (UTF-8, until mid-2025) or XLSX
  (2025: header on row 17; 2026: row 18, amounts without ``¥``);
* ``wechat-merchant`` — merchant trade bill (every value prefixed with a
  backtick, a summary header and row after the data, checked against the rows).
"""

from __future__ import annotations

from asx.core.errors import UserError
from asx.core.money import parse_yuan, yuan
from asx.money.statements.base import RowError, TableReader
from asx.io.tabular import Row, clean_cell, normalize_header
from asx.money.statements.model import Direction, Statement, StatementRow, Total


class WeChatPersonalReader(TableReader):
    """WeChat Pay personal bill 微信支付账单明细 (CSV or XLSX)."""

    name = "wechat-personal"
    title = "WeChat Pay personal bill"
    anchor = "微信支付账单明细列表"
    formats = ("csv", "xlsx")
    columns = {
        "time": ("交易时间",),
        "biz_type": ("交易类型",),
        "counterparty": ("交易对方",),
        "item": ("商品",),
        "direction": ("收/支",),
        "amount": ("金额(元)", "金额"),
        "channel": ("支付方式",),
        "status": ("当前状态",),
        "txn_id": ("交易单号",),
        "merchant_order_no": ("商户单号",),
        "note": ("备注",),
    }
    required = ("time", "biz_type", "counterparty", "direction", "amount", "txn_id",
                "merchant_order_no")
    slash_empty = True


class WeChatMerchantReader(TableReader):
    """WeChat Pay merchant trade bill (backtick-prefixed values, summary after)."""

    name = "wechat-merchant"
    title = "WeChat Pay merchant bill"
    anchor = ""
    columns = {
        "time": ("交易时间",),
        "appid": ("公众账号ID",),
        "wx_order_no": ("微信订单号",),
        "merchant_order_no": ("商户订单号",),
        "counterparty_account": ("用户标识",),
        "channel": ("交易类型",),
        "trade_state": ("交易状态",),
        "settled": ("应结订单金额", "总金额"),
        "refund_id": ("微信退款单号",),
        "merchant_refund_no": ("商户退款单号",),
        "refund": ("退款金额",),
        "refund_state": ("退款状态",),
        "item": ("商品名称",),
    }
    required = ("time", "appid", "wx_order_no", "merchant_order_no", "trade_state",
                "settled", "refund")
    txn_id_required = False

    def is_trailer(self, cells: list[str]) -> bool:
        return bool(cells) and normalize_header(cells[0]) == "总交易单数"

    def amount_and_direction(self, rec: dict[str, str], shown: dict[str, str]) -> tuple[int, Direction]:
        state = rec["trade_state"].upper()
        if state == "REFUND":
            fen = self._amount(rec, shown, "refund")
            if fen is None:
                raise RowError(f"refund row without {shown['refund']}")
            return abs(fen), "out"
        fen = self._amount(rec, shown, "settled")
        if fen is None:
            raise RowError(f"no amount in {shown['settled']}")
        return abs(fen), ("in" if state == "SUCCESS" else "none")

    def tally(self, stmt: Statement, rec: dict[str, str], fen: int, direction: Direction) -> None:
        # The summary row sums the columns over all rows: 应结订单总金额, 退款总金额.
        totals = stmt.read_totals
        totals.setdefault("all", Total(0, None)).count += 1  # type: ignore[operator]
        for key, column in (("in", "settled"), ("out", "refund")):
            try:
                value = parse_yuan(rec.get(column, ""), signed=True, cell=True) or 0
            except ValueError:
                value = 0
            totals.setdefault(key, Total(None, 0)).fen += value  # type: ignore[operator]

    def on_trailer(self, lines: list[Row], stmt: Statement) -> None:
        filled = [(n, c) for n, c in lines if any(x.strip() for x in c)]
        if len(filled) < 2:
            stmt.problem(filled[0][0] if filled else 0, "summary block without its values row")
            return
        (_, head), (line, values) = filled[0], filled[1]
        summary = {normalize_header(h): clean_cell(v) for h, v in zip(head, values, strict=False)}
        declared: dict[str, Total] = {}
        try:
            if "总交易单数" in summary:
                declared["all"] = Total(int(summary["总交易单数"]), None)
            for key, names in (("in", ("应结订单总金额", "总交易额")), ("out", ("退款总金额",))):
                for name in names:
                    if name in summary:
                        declared[key] = Total(None, parse_yuan(summary[name], signed=True, cell=True) or 0)
                        break
        except ValueError as exc:
            stmt.problem(line, f"summary row unreadable: {exc}")
            return
        stmt.declared_totals.update(declared)
        for number, _cells in filled[2:]:
            stmt.problem(number, "line after the summary row: not read")

    def finish(self, stmt: Statement, last_line: int) -> None:
        declared = stmt.declared_totals
        if not declared:
            stmt.complete = False
            stmt.problem(last_line, "file ends without the summary (总交易单数…): truncated file?")
            return
        wrong = []
        labels = {"all": "总交易单数", "in": "应结订单总金额", "out": "退款总金额"}
        for key, want in declared.items():
            got = stmt.read_totals.get(key, Total(0, 0))
            if key == "all" and want.count != (got.count or 0):
                wrong.append(f"{labels[key]} declared {want.count}, read {got.count or 0} rows")
            elif key != "all" and want.fen != (got.fen or 0):
                wrong.append(f"{labels[key]} declared {yuan(want.fen) or '?'}, read {yuan(got.fen or 0)} yuan")
        if wrong:
            rejected = (f"; {len(stmt.problems)} line(s) rejected, first {stmt.problems[0]}"
                        if stmt.problems else "")
            raise UserError(f"{stmt.path}: summary does not match the rows: "
                            + "; ".join(wrong) + rejected)
        stmt.totals_checked = True

    def refine(self, row: StatementRow, rec: dict[str, str], shown: dict[str, str]) -> StatementRow:
        refund = rec["trade_state"].upper() == "REFUND"
        row.biz_id = rec["wx_order_no"]
        row.txn_id = rec.get("refund_id", "") if refund else rec["wx_order_no"]
        if not row.txn_id:
            raise RowError(f"no {shown['refund_id' if refund else 'wx_order_no']}")
        row.biz_type = rec["trade_state"]
        row.status = rec.get("refund_state", "") if refund else rec["trade_state"]
        return row
