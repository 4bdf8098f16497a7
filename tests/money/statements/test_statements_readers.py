"""Each layout read from synthetic fixtures (tests/fixtures/statements) and
from the real samples (<repo>/../shared/fixtures/statements)."""

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from asx.core.errors import UserError
from asx.money.statements import (
    READERS,
    GenericCsvReader,
    ReaderRegistry,
    Statement,
    StatementRow,
    default_readers,
    detect_and_read,
)
from asx.money.statements.alipay import AlipayLedgerReader
from asx.money.statements.base import TableReader

SH = ZoneInfo("Asia/Shanghai")


def by_line(stmt):
    return {r.line: r for r in stmt.rows}


# ------------------------------------------------------------------ ledger

def test_ledger_12_columns_gbk(fx):
    s = detect_and_read(fx / "alipay_ledger_12col_gbk.csv")
    assert (s.layout, s.encoding) == ("alipay-ledger", "gb18030")
    assert len(s.rows) == 8 and s.problems == []
    assert s.totals_checked and s.complete
    rows = by_line(s)
    assert sorted(rows) == list(range(6, 14))  # physical lines: 5 preamble/header lines first
    sale = rows[6]
    assert (sale.txn_id, sale.biz_id) == ("20261101200040011100370001", "2026110122001401230000000001")
    assert (sale.amount_fen, sale.direction, sale.balance_fen) == (12800, "in", 112800)
    assert sale.merchant_order_no == "T200P3961024556789012"
    assert sale.order_no == "3961024556789012"  # from the T200P prefix
    assert sale.time == datetime(2026, 11, 1, 9, 15, 2, tzinfo=SH)
    assert (sale.counterparty, sale.counterparty_account) == ("买家甲", "13800138000")
    assert sale.item == "羊毛围巾 灰色"  # padding stripped, inner space kept
    payout = rows[7]
    assert (payout.amount_fen, payout.direction, payout.biz_type) == (1000, "out", "转账")
    assert payout.note == "删除中评_萌萌"  # R-FIN-2
    refund = rows[8]
    assert refund.biz_type == "交易退款" and refund.direction == "out"
    assert refund.refund_of == "2026110122001401230000000001"
    assert rows[9].note == "补偿运费 _ 小美" and rows[10].note == "退差价＿萌萌"
    fee = rows[13]  # ="…" Excel guards
    assert (fee.txn_id, fee.amount_fen, fee.merchant_order_no) == ("20261101200040011100370008", 38, "")
    assert s.declared_totals["out"].count == 7 and s.declared_totals["out"].fen == 17488
    assert s.declared_totals["in"].fen == 12800


def test_ledger_16_columns_business_base_order_number(fx):
    s = detect_and_read(fx / "alipay_ledger_16col_gbk.csv")
    assert s.layout == "alipay-ledger" and s.problems == [] and s.totals_checked
    rows = by_line(s)
    assert rows[6].order_no == "3961024556789013"  # 业务基础订单号
    assert rows[6].merchant_order_no == "20261102AB0001"
    assert rows[6].amount_fen == 129900  # "+1,299.00"
    assert (rows[7].amount_fen, rows[7].direction) == (120000, "out")  # "-1,200.00"
    assert rows[7].order_no == "3961024556789013"
    assert rows[8].order_no == "3961024556789014"  # empty 业务基础订单号 → T200P prefix
    assert rows[6].raw["业务账单来源"] == "淘宝"


def test_ledger_utf8_bom_resaved_by_excel(fx):
    s = detect_and_read(fx / "alipay_ledger_utf8_bom.csv")
    assert (s.layout, s.encoding) == ("alipay-ledger", "utf-8-sig")
    rows = by_line(s)
    assert rows[6].txn_id == "20261103200040011100370201"
    assert rows[6].time == datetime(2026, 11, 3, 9, 5, tzinfo=SH)
    assert rows[6].counterparty_account == "13800138000"  # leading ' guard removed
    assert rows[7].note == "补邮费_萌萌" and rows[7].amount_fen == 600


def test_ledger_footer_mismatch_is_an_error_naming_file_declared_and_read(fx):
    with pytest.raises(UserError) as exc:
        detect_and_read(fx / "alipay_ledger_bad_footer_gbk.csv")
    msg = str(exc.value)
    assert "alipay_ledger_bad_footer_gbk.csv" in msg
    assert "declared 6 rows 174.88 yuan" in msg and "read 7 rows 174.88 yuan" in msg
    assert "\n" not in msg


def test_ledger_bad_rows_reported_with_line_and_reason(fx):
    s = detect_and_read(fx / "alipay_ledger_bad_rows_gbk.csv")
    assert [r.line for r in s.rows] == [6, 11]
    reasons = {p.line: p.reason for p in s.problems}
    assert sorted(reasons) == [7, 8, 9, 10]
    assert "3.96102E+18" in reasons[7] and "Excel" in reasons[7]
    assert "发生时间" in reasons[8] and "2026-11-31" in reasons[8]
    assert "账务流水号" in reasons[9]
    assert "both" in reasons[10]
    assert s.totals_checked  # rejected rows with readable amounts still count for the footer


def test_excel_mangled_row_is_never_stored(fx):
    s = detect_and_read(fx / "alipay_ledger_bad_rows_gbk.csv")
    assert all("E+" not in (r.merchant_order_no + r.order_no) for r in s.rows)


def test_truncated_ledger_reports_the_cut_row_and_missing_footer(fx):
    s = detect_and_read(fx / "alipay_ledger_truncated_gbk.csv")
    assert len(s.rows) == 5 and not s.complete and not s.totals_checked
    assert [p.line for p in s.problems] == [11, 11]
    assert "truncated row" in s.problems[0].reason
    assert "footer" in s.problems[1].reason


def test_unquoted_comma_shifts_cells_and_breaks_the_footer(fx, tmp_path):
    text = (fx / "alipay_ledger_12col_gbk.csv").read_bytes().decode("gbk")
    text = text.replace("羊毛围巾 灰色             ,2026-11-01 09:15:02", "羊毛围巾,灰色,2026-11-01 09:15:02")
    p = tmp_path / "comma.csv"
    p.write_bytes(text.encode("gbk"))
    rejected = r"1 line\(s\) rejected, first line 6: row has 13 cells, the header has 12"
    with pytest.raises(UserError, match=rejected):
        detect_and_read(p)


def test_data_after_the_footer_is_a_problem(fx, tmp_path):
    text = (fx / "alipay_ledger_12col_gbk.csv").read_bytes().decode("gbk")
    p = tmp_path / "after.csv"
    p.write_bytes((text + "1,2,3\r\n").encode("gbk"))
    s = detect_and_read(p)
    assert s.problems[-1].line == 18 and "after the footer" in s.problems[-1].reason


def test_ledger_header_found_by_content_not_line_count(fx, tmp_path):
    text = (fx / "alipay_ledger_12col_gbk.csv").read_bytes().decode("gbk")
    extra = "#新增的说明行一\r\n#新增的说明行二\r\n\r\n"
    p = tmp_path / "more_preamble.csv"
    p.write_bytes((extra + text).encode("gbk"))
    s = detect_and_read(p)
    assert len(s.rows) == 8 and s.rows[0].line == 9


def test_streaming_gives_an_iterator_and_checks_the_footer_at_its_end(fx):
    s = detect_and_read(fx / "alipay_ledger_12col_gbk.csv", stream=True)
    assert not isinstance(s.rows, list)
    assert sum(1 for _ in s.rows) == 8 and s.totals_checked
    bad = detect_and_read(fx / "alipay_ledger_bad_footer_gbk.csv", stream=True)
    got = []
    with pytest.raises(UserError, match="footer totals"):
        for row in bad.rows:
            got.append(row)
    assert len(got) == 8


def test_reader_accepts_decoded_text(fx):
    text = (fx / "alipay_ledger_12col_gbk.csv").read_bytes().decode("gbk")
    s = AlipayLedgerReader().read("ledger.csv", text)
    assert len(s.rows) == 8 and s.rows[0].file == "ledger.csv"


def test_personal_data_stays_out_of_repr(fx):
    s = detect_and_read(fx / "alipay_ledger_12col_gbk.csv")
    text = repr(s.rows[0])
    assert "13800138000" not in text and "买家甲" not in text
    assert "20261101200040011100370001" in text


# ---------------------------------------------------------- alipay personal

def test_alipay_app_bad_rows(fx):
    s = detect_and_read(fx / "alipay_app_bad_rows_gbk.csv")
    assert s.layout == "alipay-app-2023"
    reasons = {p.line: p.reason for p in s.problems}
    assert sorted(reasons) == [10, 11, 12, 13, 14]
    assert "more than 2 decimals" in reasons[10]
    assert "1.2E+3" in reasons[11]
    assert "借出" in reasons[12]
    assert "11/05 12:00" in reasons[13]
    assert "3 cells" in reasons[14]
    (row,) = s.rows
    assert (row.line, row.amount_fen, row.direction) == (15, 100, "none")
    assert row.refund_of == "2026110522001400000001" and row.order_no == "3961024556789017"


def test_real_alipay_web_legacy(shared):
    s = detect_and_read(shared / "alipay_web_legacy_gbk.csv")
    assert (s.layout, s.encoding, len(s.rows), s.problems) == ("alipay-web", "gb18030", 6, [])
    rows = by_line(s)
    assert (rows[6].txn_id, rows[6].amount_fen, rows[6].direction) == ("123456", 2700, "out")
    assert rows[7].txn_id == "123456" and rows[7].merchant_order_no == ""  # "123456 \t", "    \t"
    refund = rows[8]  # 收/支 empty: 资金状态 已收入
    assert (refund.txn_id, refund.refund_of, refund.amount_fen, refund.direction) == (
        "987654_321", "987654", 272542, "in")
    assert rows[10].order_no == "133899" and rows[10].refund_of == "202011"
    assert rows[11].merchant_order_no == "T200P133899" and rows[11].status == "交易关闭"
    assert s.declared_totals["all"].count == 6


def test_real_alipay_app_2021(shared):
    s = detect_and_read(shared / "alipay_app_2021_gbk.csv")
    assert (s.layout, len(s.rows), s.problems) == ("alipay-app-2021", 9, [])
    rows = by_line(s)
    assert (rows[3].amount_fen, rows[3].direction, rows[3].counterparty_account) == (651, "out", "")
    assert (rows[4].direction, rows[4].biz_type, rows[4].amount_fen) == ("none", "退款", 10990)
    assert rows[4].counterparty_account == "zhi***@hkmanon.com"
    assert rows[3].time == datetime(2021, 6, 14, 14, 0, 38, tzinfo=SH)


def test_real_alipay_app_2023(shared):
    s = detect_and_read(shared / "alipay_app_2023_gbk.csv")
    assert (s.layout, len(s.rows), s.problems) == ("alipay-app-2023", 10, [])
    rows = by_line(s)
    assert rows[26].line == 26  # header on line 25 after the 24-line preamble
    assert (rows[30].amount_fen, rows[30].direction) == (22222850, "in")
    assert rows[28].direction == "none" and rows[28].counterparty_account == ""  # "/" is empty
    assert rows[32].txn_id == "2023xxxxx88_2023xx57" and rows[32].refund_of == "2023xxxxx88"
    assert s.declared_totals["out"].count == 63  # preamble figures kept, not checked
    assert not s.totals_checked


# ------------------------------------------------------------------ wechat

def test_real_wechat_personal_csv(shared):
    s = detect_and_read(shared / "wechat_personal_utf8.csv")
    assert (s.layout, s.encoding, len(s.rows), s.problems) == ("wechat-personal", "utf-8", 27, [])
    rows = by_line(s)
    assert (rows[18].amount_fen, rows[18].direction, rows[18].txn_id) == (2816, "out", "3985734")
    assert rows[18].merchant_order_no == "129847129"  # quoted value then TAB
    assert rows[19].direction == "in" and rows[23].direction == "none"  # "/" → none
    assert rows[22].merchant_order_no == ""  # "/\t"
    assert rows[24].note == "服务费¥0.10" and rows[42].amount_fen == 5000  # ¥50.0


@pytest.mark.parametrize("name, first_line, count", [
    ("wechat_personal_2025.xlsx", 18, 28),  # header on row 17
    ("wechat_personal_2026.xlsx", 19, 27),  # header on row 18, amounts as numbers
])
def test_real_wechat_personal_xlsx(shared, name, first_line, count):
    pytest.importorskip("python_calamine")
    s = detect_and_read(shared / name)
    assert (s.layout, s.encoding, len(s.rows), s.problems) == ("wechat-personal", "xlsx", count, [])
    first = s.rows[0]
    assert (first.line, first.amount_fen, first.direction) == (first_line, 2816, "out")
    assert first.txn_id == "3985734"
    amounts = {r.line - first_line: r.amount_fen for r in s.rows}
    assert amounts[6] == 10010 and amounts[3] == 50000  # 100.1 and 500 exactly


def test_xlsx_reading_needs_calamine_not_openpyxl(shared, monkeypatch):
    """Reading a workbook needs python-calamine only (issue 21); without it, one line says what to
    install."""
    pytest.importorskip("python_calamine")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    assert len(detect_and_read(shared / "wechat_personal_2026.xlsx").rows) == 27
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    with pytest.raises(UserError, match=r"pip install python-calamine"):
        detect_and_read(shared / "wechat_personal_2026.xlsx")


def test_wechat_merchant_bill(fx):
    s = detect_and_read(fx / "wechat_merchant_utf8.csv")
    assert (s.layout, s.encoding, len(s.rows), s.problems) == ("wechat-merchant", "utf-8-sig", 3, [])
    assert s.totals_checked
    sale, _, refund = s.rows
    assert (sale.txn_id, sale.amount_fen, sale.direction, sale.order_no) == (
        "4200002026110100000001", 9900, "in", "3961024556789012")
    assert (refund.txn_id, refund.biz_id, refund.amount_fen, refund.direction) == (
        "50300002026110100000001", "4200002026110100000001", 2000, "out")
    assert refund.time == datetime(2026, 11, 1, 15, 30, tzinfo=SH)  # double space in the time
    assert refund.counterparty_account == "oUpF8uTESTOPENID000000001"


def test_wechat_merchant_summary_mismatch(fx, tmp_path):
    text = (fx / "wechat_merchant_utf8.csv").read_text("utf-8-sig").replace("`3,`1149.00", "`4,`1149.00")
    p = tmp_path / "wx.csv"
    p.write_text(text, "utf-8")
    with pytest.raises(UserError, match="总交易单数 declared 4, read 3 rows"):
        detect_and_read(p)


# ----------------------------------------------------------------- generic

BANK = {"time": "记账日期", "txn_id": "流水号", "note": "摘要", "counterparty": "对方户名",
        "amount": "发生额", "balance": "余额"}


def test_generic_csv_with_a_mapping(fx):
    reader = GenericCsvReader("bank", BANK)
    s = detect_and_read(fx / "generic_bank_utf8.csv", [reader])
    assert s.layout == "bank"
    assert [(r.txn_id, r.amount_fen, r.direction) for r in s.rows] == [
        ("B0001", 50000, "in"), ("B0002", 2000, "out"), ("B0003", 100000, "out")]
    assert s.rows[1].note == "退款_萌萌" and s.rows[2].balance_fen == 48000


def test_generic_direction_column_and_config(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("日期,单号,方向,金额\n2026-11-01 10:00,A1,出,5.00\n2026-11-01 11:00,A2,进,6.00\n", "utf-8")
    reader = GenericCsvReader.from_config("mine", {
        "columns": {"time": "日期", "txn_id": "单号", "direction": "方向", "amount": "金额"},
        "directions": {"出": "out", "进": "in"}})
    s = detect_and_read(p, [reader])
    assert [(r.amount_fen, r.direction) for r in s.rows] == [(500, "out"), (600, "in")]


def test_generic_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["导出说明"])
    ws.append(["记账日期", "流水号", "摘要", "对方户名", "发生额", "余额"])
    ws.append([datetime(2026, 11, 6, 9, 0), "B0001", "货款", "买家丙", 500.0, 1500])
    ws.append(["2026-11-06 10:00:00", 1.23457e17, "退款", "买家丙", -20.5, 1479.5])
    p = tmp_path / "bank.xlsx"
    wb.save(p)
    s = detect_and_read(p, [GenericCsvReader("bank", BANK)])
    assert [(r.line, r.amount_fen, r.time.hour) for r in s.rows] == [(3, 50000, 9)]
    assert s.problems[0].line == 4 and "Excel" in s.problems[0].reason


@pytest.mark.parametrize("mapping, words", [
    ({"time": "a", "amount": "b", "txn_id": "c", "colour": "d"}, "unknown field"),
    ({"amount": "b", "txn_id": "c"}, "'time'"),
    ({"time": "a", "txn_id": "c"}, "'amount'"),
    ({"time": "a", "amount": "b"}, "'txn_id'"),
])
def test_generic_mapping_errors(mapping, words):
    with pytest.raises(UserError, match=words):
        GenericCsvReader("bad", mapping)


# ---------------------------------------------------- detection & registry

def test_unknown_layout_lists_the_known_ones(tmp_path):
    p = tmp_path / "other.csv"
    p.write_text("名称,数量\n苹果,3\n", "utf-8")
    with pytest.raises(UserError) as exc:
        detect_and_read(p)
    msg = str(exc.value)
    assert "other.csv" in msg and "not a known statement layout" in msg
    for name in ("alipay-ledger", "alipay-web", "alipay-app-2021", "alipay-app-2023",
                 "wechat-personal", "wechat-merchant"):
        assert name in msg
    assert "asx audit layouts" in msg and len(msg) < 400  # one clear line; the details are one command away
    from asx.money.statements import READERS

    ledger = next(r for r in READERS if r.name == "alipay-ledger").describe()
    assert "#支付宝账务明细查询" in ledger and "账务流水号" in ledger


@pytest.mark.parametrize("data, words", [
    (b"", "empty file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    (b"PK\x03\x04 definitely not a zip", "XLSX"),
    (b"\x00\x01\x02binary", "NUL"),
])
def test_files_that_are_not_statements(tmp_path, data, words):
    p = tmp_path / "f.csv"
    p.write_bytes(data)
    with pytest.raises(UserError, match=words):
        detect_and_read(p)


def test_every_real_sample_is_detected(shared):
    found = {}
    for p in sorted(shared.iterdir()):
        if p.suffix in (".csv", ".xlsx"):
            if p.suffix == ".xlsx" and pytest.importorskip("python_calamine") is None:
                continue
            found[p.name] = detect_and_read(p).layout
    assert found["alipay_web_legacy_gbk.csv"] == "alipay-web"
    assert found["alipay_app_2021_gbk.csv"] == "alipay-app-2021"
    assert found["alipay_app_2023_gbk.csv"] == "alipay-app-2023"
    assert found["wechat_personal_utf8.csv"] == "wechat-personal"


def test_registry_register_replace_unregister(fx):
    reg = ReaderRegistry(default_readers())
    assert reg.names()[0] == "alipay-ledger" and len(reg) == 6

    class Shop(TableReader):
        name = "shop"
        title = "Shop export"
        columns = {"time": ("日期",), "txn_id": ("号",), "amount": ("钱",)}
        required = ("time", "txn_id", "amount")

    reg.register(Shop())
    assert reg.names()[-1] == "shop"
    reg.register(GenericCsvReader("alipay-ledger", BANK))  # same name: replaced in place
    assert reg.names()[0] == "alipay-ledger" and len(reg) == 7
    assert detect_and_read(fx / "generic_bank_utf8.csv", reg).layout == "alipay-ledger"
    reg.unregister("shop")
    assert "shop" not in reg.names()
    with pytest.raises(TypeError):
        reg.register(object())  # type: ignore[arg-type]
    with pytest.raises(UserError, match="unknown statement layout 'nope'"):
        reg.get("nope")


def test_global_registry_accepts_plugins(fx, tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("日期,单号,方向,金额\n2026-11-01 10:00,A1,支出,5.00\n", "utf-8")
    reader = GenericCsvReader("plugin-layout", {"time": "日期", "txn_id": "单号",
                                                "direction": "方向", "amount": "金额"})
    READERS.register(reader, first=True)
    try:
        assert detect_and_read(p).layout == "plugin-layout"
    finally:
        READERS.unregister("plugin-layout")
    with pytest.raises(UserError):
        detect_and_read(p)


def test_statement_row_helpers():
    row = StatementRow(file="f", line=1, txn_id="A_1", time=datetime(2026, 1, 1, tzinfo=SH),
                       amount_fen=5, direction="out")
    assert row.signed_fen == -5 and row.refund_of == "A"
    assert Statement(path=None, layout="x", encoding="utf-8").materialize().rows == []  # type: ignore[arg-type]


def test_problem_reasons_do_not_echo_phone_numbers(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("日期,单号,金额\n买家 13812345678,A1,1.00\n2026-11-01 10:00,A2,a.b@qq.com 1\n", "utf-8")
    s = detect_and_read(p, [GenericCsvReader("x", {"time": "日期", "txn_id": "单号", "amount": "金额"})])
    text = " ".join(p.reason for p in s.problems)
    assert "13812345678" not in text and "a.b@qq.com" not in text
    assert "138****5678" in text
