"""Readers of the Tmall/Taobao seller exports (formats.md "Tmall/Taobao seller exports").

The order report 订单报表 and the refund report 退款报表 are GBK (or UTF-8) CSV files, or the newer
千牛 XLSX workbook (read through ``asx.api.open_rows``), whose header is found by content; cells are cleaned with the helpers of :mod:`asx.api` (``clean_cell``,
``normalize_header``, ``parse_amount``: ``="…"``, ``'``, ``元``, padding, trailing spaces in header
names). A row whose order number Excel turned into
``1.23457E+17`` is rejected with its line and reason — never stored with a wrong number.
Receiver name, address and phones are read past and not kept (data minimisation, R-SEC).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from asx.api import UserError

ORDER_REQUIRED = ("订单编号", "买家会员名", "订单状态", "订单创建时间")
REFUND_REQUIRED = ("订单编号", "退款编号", "退款状态", "买家退款金额")

STATUS = {
    "等待买家付款": "unpaid",
    "买家已付款,等待卖家发货": "paid",
    "卖家已发货,等待买家确认": "shipped",
    "交易成功": "success",
    "交易关闭": "closed",
}


@dataclass
class ReadResult:
    path: str
    encoding: str
    rows: list[dict] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    read: int = 0


def _open(path: Path, required: tuple[str, ...], what: str):
    from asx.api import normalize_header, open_rows

    if not path.is_file():
        raise UserError(f"{path}: no such file")
    # CSV (GBK or UTF-8) or the 千牛 XLSX workbook (sheets 订单报表, 销售明细, 发货报表: the one with the
    # header is read), issue 18
    src, encoding = open_rows(path)
    want = {normalize_header(h) for h in required}

    def is_header(cells: list[str]) -> bool:
        return want <= {normalize_header(c) for c in cells}

    header = src.find_header(is_header)
    if header is None:
        src.close()
        raise UserError(f"{path}: not a Tmall {what}: no header row with the columns {', '.join(required)}")
    index = {normalize_header(c): i for i, c in enumerate(header[1])}
    return src, encoding, index


def _cell(cells: list[str], index: dict[str, int], name: str) -> str:
    from asx.api import clean_cell, normalize_header

    i = index.get(normalize_header(name))
    if i is None or i >= len(cells):
        return ""
    return clean_cell(cells[i])


def _time(text: str, tz: str, what: str) -> int | None:
    from asx.api import parse_time, to_epoch

    if not text:
        return None
    try:
        return to_epoch(parse_time(text, tz))
    except ValueError:
        raise ValueError(f"{what} {text!r} is not a date and time")


def _amount(text: str, what: str) -> int | None:
    from asx.api import parse_amount

    try:
        return parse_amount(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not an amount")


def _order_no(text: str) -> str:
    from asx.api import excel_mangled

    if not text:
        raise ValueError("订单编号 is empty")
    if excel_mangled(text):
        raise ValueError(f"订单编号 {text!r} was mangled by Excel (scientific notation lost digits); "
                         "export the report again without opening it in Excel")
    if not text.isdigit():
        raise ValueError(f"订单编号 {text!r} is not an order number")
    return text


def status_code(text: str) -> str:
    from asx.api import normalize_text

    key = normalize_text(text).replace(" ", "")
    return STATUS.get(key, key)


def read_orders(path: str | Path, *, tz: str, store_name: str | None = None) -> ReadResult:
    path = Path(path)
    src, encoding, index = _open(path, ORDER_REQUIRED, "order report (订单报表)")
    res = ReadResult(str(path), encoding)
    try:
        for line, cells in src.rows():
            if not any(c.strip() for c in cells):
                continue
            res.read += 1
            try:
                order_no = _order_no(_cell(cells, index, "订单编号"))
                paid = _amount(_cell(cells, index, "买家实际支付金额"), "买家实际支付金额")
                created = _time(_cell(cells, index, "订单创建时间"), tz, "订单创建时间")
                if created is None:
                    raise ValueError("订单创建时间 is empty")
                paid_at = _time(_cell(cells, index, "订单付款时间"), tz, "订单付款时间")
                extra = {k: v for k, v in {
                    "title": _cell(cells, index, "宝贝标题"),
                    "items": _cell(cells, index, "宝贝总数量"),
                    "courier": _cell(cells, index, "物流公司"),
                    "waybill": _cell(cells, index, "物流单号"),
                    "memo": _cell(cells, index, "订单备注"),
                    "close_reason": _cell(cells, index, "订单关闭原因"),
                }.items() if v}
                res.rows.append({
                    "order_no": order_no,
                    "store": _cell(cells, index, "店铺名称") or store_name,
                    "buyer": _cell(cells, index, "买家会员名") or None,
                    "paid_fen": paid,
                    "status": status_code(_cell(cells, index, "订单状态")),
                    "created_at": created,
                    "paid_at": paid_at,
                    "data": json.dumps(extra, ensure_ascii=False, sort_keys=True),
                })
            except ValueError as exc:
                res.problems.append((line, str(exc)))
    finally:
        src.close()
    return res


def read_refunds(path: str | Path, *, tz: str) -> ReadResult:
    path = Path(path)
    src, encoding, index = _open(path, REFUND_REQUIRED, "refund report (退款报表)")
    res = ReadResult(str(path), encoding)
    try:
        for line, cells in src.rows():
            if not any(c.strip() for c in cells):
                continue
            res.read += 1
            try:
                refund_id = _cell(cells, index, "退款编号")
                if not refund_id or not refund_id.isdigit():
                    raise ValueError(f"退款编号 {refund_id!r} is not a refund number")
                res.rows.append({
                    "refund_id": refund_id,
                    "order_no": _order_no(_cell(cells, index, "订单编号")),
                    "alipay_txn": _cell(cells, index, "支付宝交易号") or None,
                    "paid_fen": _amount(_cell(cells, index, "买家实际支付金额"), "买家实际支付金额"),
                    "refund_fen": _amount(_cell(cells, index, "买家退款金额"), "买家退款金额"),
                    "status": _cell(cells, index, "退款状态"),
                    "goods_status": _cell(cells, index, "货物状态") or None,
                    "reason": _cell(cells, index, "买家退款原因") or None,
                    "party": _cell(cells, index, "责任方") or None,
                    "phase": _cell(cells, index, "售中或售后") or None,
                    "operator": _cell(cells, index, "退款操作人") or None,
                    "applied_at": _time(_cell(cells, index, "退款的申请时间"), tz, "退款的申请时间"),
                    "finished_at": _time(_cell(cells, index, "退款完结时间"), tz, "退款完结时间"),
                    "title": _cell(cells, index, "宝贝标题") or None,
                })
            except ValueError as exc:
                res.problems.append((line, str(exc)))
    finally:
        src.close()
    return res


def write_rejects(res: ReadResult, dest: Path) -> Path:
    """A CSV of the rejected lines: file, line, reason."""
    import csv

    from asx.api import atomic_write

    with atomic_write(dest, encoding="utf-8", newline="", private=True) as f:  # rows of buyers' orders: 0600
        w = csv.writer(f)
        w.writerow(["file", "line", "reason"])
        for line, reason in res.problems:
            w.writerow([res.path, line, reason])
    return dest
