"""asx-tmall: the 千牛 order export as an XLSX workbook (issue 18 item 3; formats.md "Tmall/Taobao
seller exports": sheets 订单报表, 销售明细, 发货报表), read as the CSV report is: header aliases,
rejects with line and reason, idempotent."""

from __future__ import annotations

from datetime import datetime

import pytest

from asx.testing import ws_db
from tmall_testdata import HEADER

openpyxl = pytest.importorskip("openpyxl")


def rows(ws, sql):
    return [tuple(r) for r in ws_db(ws).execute(sql).fetchall()]


def _workbook(path, orders):
    wb = openpyxl.Workbook()
    sales = wb.active
    sales.title = "销售明细"                      # the active sheet is not the order report
    sales.append(["订单编号", "宝贝标题", "数量"])
    sales.append(["3901234567890123456", "纯棉四件套", 1])
    report = wb.create_sheet("订单报表")
    report.append(["订单报表 导出时间 2026-11-20"])  # a preamble row
    report.append(HEADER.split(","))
    head = [h.strip() for h in HEADER.split(",")]
    for o in orders:
        row = [None] * len(head)
        for k, v in o.items():
            row[head.index(k)] = v
        report.append(row)
    wb.create_sheet("发货报表").append(["订单编号", "物流单号"])
    wb.active = 0
    wb.save(path)
    return path


ORDERS = [
    {"订单编号": "3901234567890123456", "买家会员名": "tb_小王", "买家实际支付金额": 128, "订单状态": "交易成功",
     "订单创建时间": datetime(2026, 11, 1, 10, 0), "订单付款时间": datetime(2026, 11, 1, 10, 1),
     "联系手机": "13812345678", "收货人姓名": "张三丰", "店铺名称": "示例天猫旗舰店"},
    {"订单编号": "3901234567890123457", "买家会员名": "tb_阿花", "买家实际支付金额": "59.90元",
     "订单状态": "卖家已发货，等待买家确认", "订单创建时间": "2026-11-02 11:00:00"},
]


def test_qianniu_xlsx_orders_import_idempotent(asx, workspace, tmp_path):
    f = _workbook(tmp_path / "千牛订单.xlsx", ORDERS)
    r = asx(["tmall", "import-orders", str(f)])
    assert r.exit_code == 0, r
    assert "xlsx" in r.stderr
    assert rows(workspace, "SELECT order_no, buyer, paid_fen, status FROM orders ORDER BY order_no") == [
        ("3901234567890123456", "tb_小王", 12800, "success"), ("3901234567890123457", "tb_阿花", 5990, "shipped")]
    dump = "\n".join(map(str, rows(workspace, "SELECT * FROM orders")))
    assert "13812345678" not in dump and "张三丰" not in dump        # read past, not kept (R-SEC)
    again = asx(["tmall", "import-orders", str(f)])
    assert again.exit_code == 0 and "0 added or changed" in again.stderr


def test_qianniu_xlsx_number_cell_order_rejected(asx, workspace, tmp_path):
    """An order number typed into a number cell has lost its digits: the row is rejected with its line."""
    bad = dict(ORDERS[1], 订单编号=3901234567890123457)
    f = _workbook(tmp_path / "orders.xlsx", [ORDERS[0], bad])
    r = asx(["tmall", "import-orders", str(f)])
    assert r.exit_code == 2 and f"{f}:4:" in r.stderr and "mangled by Excel" in r.stderr, r
    assert rows(workspace, "SELECT count(*) FROM orders") == [(0,)]
    assert ",4," in (f.parent / (f.name + ".rejects.csv")).read_text(encoding="utf-8")
    assert asx(["tmall", "import-orders", str(f), "--skip-bad"]).exit_code == 0
    assert rows(workspace, "SELECT order_no FROM orders") == [("3901234567890123456",)]


def test_import_orders_from_stdin_with_json_summary(asx, workspace, tmp_path):
    """`-` reads standard input (CSV or a workbook); --format json prints the counts (issue 18 item 10)."""
    import json

    from tmall_testdata import order_line

    text = "\r\n".join([HEADER, order_line("3901234567890123456", "tb_小王", "128.00", "交易成功",
                                           "2026-11-01 10:00:00"), order_line("3.90123E+18", "tb_阿花", "1.00",
                                                                              "交易成功", "2026-11-02 11:00:00")])
    r = asx(["tmall", "import-orders", "-", "--skip-bad", "-f", "json"], input=text.encode("gbk"))
    assert r.exit_code == 0, r
    s = json.loads(r.stdout)
    assert (s["file"], s["read"], s["added"], s["known"], s["rejected"], s["rejects"]) == \
        ("-", 2, 1, 0, 1, "stdin.rejects.csv")
    book = _workbook(tmp_path / "o.xlsx", ORDERS).read_bytes()
    s = json.loads(asx(["tmall", "import-orders", "-", "-f", "json"], input=book).stdout)
    assert (s["added"], s["known"], s["encoding"]) == (2, 0, "xlsx")   # one new, one with more fields
    s = json.loads(asx(["tmall", "import-orders", "-", "-f", "json"], input=book).stdout)
    assert (s["added"], s["known"]) == (0, 2)
