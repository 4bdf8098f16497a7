from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asx.core.money import parse_yuan
from asx.io.tabular import clean_cell, excel_mangled, normalize_header
from asx.money.statements.clean import parse_time, taobao_order_no


def parse_amount(value):
    """A statement cell's amount, as the readers call it."""
    return parse_yuan(value, signed=True, cell=True)

SH = ZoneInfo("Asia/Shanghai")
FAST = settings(derandomize=True, deadline=None, max_examples=200)


@pytest.mark.parametrize("raw, want", [
    ("  2088123\t", "2088123"),
    ("2026110122001401231234567890\t", "2026110122001401231234567890"),
    ('="3961024556789012"', "3961024556789012"),
    ("'13800138000", "13800138000"),
    ("`4200002026110100000001", "4200002026110100000001"),
    ("`", ""),
    ('="', '="'),
    ("张三 ", "张三"),
    (None, ""),
    (28.16, "28.16"),
    (12.0, "12"),
    (3985734.0, "3985734"),
    (2.0**53 + 2, "9.00720E+15"),  # a float that lost digits reads like Excel's display
])
def test_clean_cell(raw, want):
    assert clean_cell(raw) == want


def test_slash_means_empty_only_when_asked():
    assert clean_cell(" / ", slash_empty=True) == ""
    assert clean_cell("/") == "/"
    assert clean_cell("a/b", slash_empty=True) == "a/b"


@pytest.mark.parametrize("raw, fen", [
    ("28.16", 2816), ("¥28.16", 2816), ("￥28.16", 2816), ("28.16元", 2816),
    ("28.16 元", 2816), ('="28.16"', 2816), ("'28.16", 2816), ("+128.00", 12800),
    ("-0.38", -38), ("- ¥ 5", -500), ("1,234.50", 123450), ("-1,215.00", -121500),
    ("１２.５", 1250), ("0", 0), (".5", 50), ("5.", 500), ("¥50.0", 5000),
    ("\u221210.00", -1000), (28.16, 2816), (100.1, 10010), (0.07, 7), (12, 1200),
    (28.160000000000004, 2816), (Decimal("3.10"), 310),
])
def test_parse_amount(raw, fen):
    assert parse_amount(raw) == fen


@pytest.mark.parametrize("raw", ["", "  ", "/", "-", "--", "无退款申请", "没有申请退款", None, "null"])
def test_parse_amount_absent(raw):
    assert parse_amount(raw) is None


@pytest.mark.parametrize("raw", ["1.2E+3", "12.345", "1.2.3", "1 000", "12,34", "¥1x", "1e5",
                                 "9" * 40, float("nan"), 0.001, True])
def test_parse_amount_rejects_non_amounts(raw):
    with pytest.raises(ValueError):
        parse_amount(raw)


@FAST
@given(st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2,
                   allow_nan=False, allow_infinity=False),
       st.sampled_from(["{}", "¥{}", "￥{}", "{}元", '="{}"', " {}\t", "{} 元"]))
def test_parse_amount_is_exact_for_decimal_strings(d, template):
    text = template.format(d)
    assert parse_amount(text) == int(d * 100)


@FAST
@given(st.integers(min_value=0, max_value=10**11 - 1))
def test_parse_amount_thousands_separators(fen):
    yuan, cents = divmod(fen, 100)
    assert parse_amount(f"{yuan:,}.{cents:02d}") == fen


@FAST
@given(st.integers(min_value=-10**11, max_value=10**11))
def test_parse_amount_of_two_decimal_floats(fen):
    # XLSX cells hold floats: the decimal shown must come back exactly.
    assert parse_amount(fen / 100) == fen


@pytest.mark.parametrize("raw, want", [
    ("2026-11-01 10:22:33", datetime(2026, 11, 1, 10, 22, 33, tzinfo=SH)),
    ("2026/11/1 10:22", datetime(2026, 11, 1, 10, 22, tzinfo=SH)),
    ("2026年11月01日 00:00:00", datetime(2026, 11, 1, tzinfo=SH)),
    ("2016-05-04  02:18:18", datetime(2016, 5, 4, 2, 18, 18, tzinfo=SH)),
    ("2026-11-01 09:15:02 \t", datetime(2026, 11, 1, 9, 15, 2, tzinfo=SH)),
    ("2026-11-01", datetime(2026, 11, 1, tzinfo=SH)),
    ("`2026-11-01 10:00:00", datetime(2026, 11, 1, 10, tzinfo=SH)),
    ("2026-11-01T02:22:33Z", datetime(2026, 11, 1, 10, 22, 33, tzinfo=SH)),
    ("2026-11-01T10:22:33+08:00", datetime(2026, 11, 1, 10, 22, 33, tzinfo=SH)),
    (datetime(2026, 11, 1, 10), datetime(2026, 11, 1, 10, tzinfo=SH)),
])
def test_parse_time(raw, want):
    got = parse_time(raw, "Asia/Shanghai")
    assert got == want
    assert got.tzinfo is not None
    assert got.utcoffset() == timedelta(hours=8)


def test_parse_time_uses_the_given_zone():
    got = parse_time("2026-07-01 12:00:00", ZoneInfo("Europe/Berlin"))
    assert got.astimezone(UTC).hour == 10


@pytest.mark.parametrize("raw", ["", "11/05 12:00", "2026-13-01 10:00", "2026-11-31 10:00:00",
                                 "2026-11-01 25:00:00", "yesterday", "2026-11-01 10:00 +99:00"])
def test_parse_time_rejects(raw):
    with pytest.raises(ValueError):
        parse_time(raw)


@FAST
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0)))
def test_parse_time_formats_round_trip(d):
    for text in (d.strftime("%Y-%m-%d %H:%M:%S"), f"{d.year}/{d.month}/{d.day} {d.hour}:{d:%M:%S}",
                 d.strftime("%Y年%m月%d日 %H:%M:%S")):
        assert parse_time(text) == d.replace(tzinfo=SH)


@pytest.mark.parametrize("raw, want", [
    ("收入金额（+元）", "收入金额(+元)"), ("金额(元)", "金额(元)"), ("金额（元）", "金额(元)"),
    ("收货地址 ", "收货地址"), ("\ufeff交易时间", "交易时间"), ("`交易时间", "交易时间"),
    ("交易号                  ", "交易号"), ("服务费（元）   ", "服务费(元)"),
])
def test_normalize_header(raw, want):
    assert normalize_header(raw) == want


@pytest.mark.parametrize("raw, mangled", [
    ("1.23457E+17", True), ("4.00123E+27", True), ("3.96102e+18", True), ('="1.2E+17"', True),
    ("3961024556789012", False), ("2023xxxxx88_2023xx57", False), ("T200P1", False), ("", False),
    ("E+17", False), (2.0**53 + 2, True), (1.23457e17, True), (2.0**53, False),
])
def test_excel_mangled(raw, mangled):
    assert excel_mangled(raw) is mangled


def test_taobao_order_no():
    assert taobao_order_no("T200P133899") == "133899"
    assert taobao_order_no("T200P") == ""
    assert taobao_order_no("S123456") == ""
