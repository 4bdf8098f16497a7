"""`case import` and `review import` read XLSX workbooks as they read CSV (issue 18 item 3): the sheet
with the header (after a preamble), Chinese/English header aliases, rejects with line and reason,
idempotence. Workbooks are built here with openpyxl, read by python-calamine (R-CASE-1, R-REV-1)."""

from __future__ import annotations

from datetime import datetime

import pytest

openpyxl = pytest.importorskip("openpyxl")

CASE_HEADER = ["订单编号", "买家", "手机", "类别", "级别", "渠道", "摘要", "客服", "创建时间"]


def _book(path, header, rows, *, preamble=("导出时间: 2026-11-20",), first_sheet=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet:                      # another sheet before the data (a cover or a pivot)
        ws.title = first_sheet
        ws.append(["说明", "本表由客服组维护"])
        ws = wb.create_sheet("工单")
    for p in preamble:
        ws.append([p])
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_case_import_xlsx_aliases_rejects_idempotent(team, asx, app):
    rows = [
        ["3308299098846212345", "买家甲", "13812345678", "质量问题", "normal", "旺旺", "拉链坏了", "萌萌",
         datetime(2026, 11, 10, 10, 0)],
        ["3308299098846212346", "买家乙", "13812345679", "少发货", "normal", "旺旺", "少一件", "萌萌",
         "2026-11-11 11:00:00"],
        ["3308299098846212347", "买家丙", "13812345670", "不存在的类别", "normal", "旺旺", "?", "萌萌",
         "2026-11-12 12:00:00"],
    ]
    f = _book(team / "team-cases.xlsx", CASE_HEADER, rows, first_sheet="封面")
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 2 and "line 5" in r.stderr and "nothing imported" in r.stderr, r
    assert app.store.scalar("SELECT count(*) FROM cases") == 0
    rejects = (team / "team-cases.xlsx.rejects.csv").read_text(encoding="utf-8")
    assert ",5," in rejects and "13812345670" not in rejects          # masked (R-SEC-1)
    r = asx(["case", "import", "--skip-bad", str(f)])
    assert r.exit_code == 0 and "imported 2" in r.stderr and "(xlsx)" in r.stderr, r
    got = {(c["order_no"], c["category"]) for c in app.store.q("SELECT order_no, category FROM cases")}
    assert got == {("3308299098846212345", "quality"), ("3308299098846212346", "missing_item")}
    opened = app.store.scalar("SELECT opened_at FROM cases WHERE order_no = '3308299098846212345'")
    assert app.iso(opened) == "2026-11-10T10:00:00+08:00"            # a date cell, in store time
    r = asx(["case", "import", "--skip-bad", str(f)])
    assert r.exit_code == 0 and "imported 0" in r.stderr and "2 already present" in r.stderr, r


def test_case_import_xlsx_number_cell_order_is_rejected(team, asx, app):
    """A 19-digit order number in a number cell lost its digits (3.30830E+18): rejected, never stored."""
    f = _book(team / "n.xlsx", CASE_HEADER, [[3308299098846212345, "买家甲", "", "quality", "normal", "chat", "x",
                                              "萌萌", "2026-11-10 10:00:00"]], preamble=())
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 2 and "line 2" in r.stderr, r
    assert app.store.scalar("SELECT count(*) FROM cases") == 0


def test_case_import_xlsx_english_headers_and_explicit_format(team, asx, app):
    f = _book(team / "cases.bin", ["order", "category", "opened_at", "agent", "summary"],
              [["4001", "inquiry", "2026-11-03 09:00", "小雨", "问发货"]], preamble=())
    r = asx(["case", "import", "--format", "xlsx", str(f)])
    assert r.exit_code == 0 and "imported 1" in r.stderr, r
