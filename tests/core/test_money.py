"""asx.core.money: the one yuan parser and formatter."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asx.core.errors import UserError
from asx.core.money import MAX_YUAN, AmountError, parse_yuan, yuan

FAST = settings(derandomize=True, deadline=None, max_examples=300)


@pytest.mark.parametrize("text, fen", [
    ("12.5", 1250), ("¥12.50", 1250), ("￥12.50", 1250), ("1,234.50", 123450), ("12元", 1200),
    ("12 元", 1200), (" 12.50 ", 1250), ("+3", 300), ("0", 0), ("0.07", 7), (".5", 50), ("5.", 500),
    ("RMB 8", 800), ("１２.５", 1250), (12, 1200), (12.5, 1250), (Decimal("3.10"), 310),
])
def test_parse_yuan_accepts_what_users_write(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["12.345", "nan", "NaN", "inf", "-inf", "Infinity", "1e3", "1.2E+3",
                                  "abc", "1.2.3", "12,34", "1 000", "无", "9" * 13, "1" + "0" * 12,
                                  float("nan"), float("inf"), 0.001, True])
def test_parse_yuan_refuses_non_amounts_with_one_line(text):
    with pytest.raises(AmountError) as exc:
        parse_yuan(text)
    assert "\n" not in str(exc.value)
    assert isinstance(exc.value, UserError) and isinstance(exc.value, ValueError)


@pytest.mark.parametrize("text", [None, "", "   "])
def test_parse_yuan_blank_is_none(text):
    assert parse_yuan(text) is None


def test_negative_only_when_signed():
    with pytest.raises(AmountError, match="negative"):
        parse_yuan("-3")
    assert parse_yuan("-3", signed=True) == -300
    assert parse_yuan("-1,215.00", signed=True) == -121500
    assert parse_yuan("-0") == 0


def test_cell_mode_reads_export_cells():
    assert parse_yuan('="28.16"', cell=True) == 2816
    assert parse_yuan("'28.16", cell=True) == 2816
    assert parse_yuan("`28.16", cell=True) == 2816
    for absent in ("无退款申请", "没有申请退款", "/", "-", "null"):
        assert parse_yuan(absent, cell=True) is None
    with pytest.raises(AmountError):
        parse_yuan('="28.16"')          # a user does not type Excel guards


def test_absurd_sizes():
    assert parse_yuan(str(MAX_YUAN - 1)) == (MAX_YUAN - 1) * 100
    with pytest.raises(AmountError, match="implausibly large"):
        parse_yuan(str(MAX_YUAN))


@pytest.mark.parametrize("fen, text", [
    (1250, "12.50"), (-300, "-3.00"), (None, ""), (0, "0.00"), (7, "0.07"), (-5, "-0.05"),
    (123456789, "1234567.89"),
])
def test_yuan(fen, text):
    assert yuan(fen) == text


@FAST
@given(st.integers(min_value=-(MAX_YUAN * 100 - 1), max_value=MAX_YUAN * 100 - 1))
def test_parse_yuan_inverts_yuan(fen):
    assert parse_yuan(yuan(fen), signed=True) == fen
    assert parse_yuan(yuan(fen), signed=True, cell=True) == fen


@FAST
@given(st.integers(min_value=0, max_value=MAX_YUAN * 100 - 1),
       st.sampled_from(["{}", "¥{}", "￥{}", "{}元", " {} ", "{} 元"]))
def test_parse_yuan_decorated(fen, template):
    assert parse_yuan(template.format(yuan(fen))) == fen


@FAST
@given(st.integers(min_value=0, max_value=MAX_YUAN * 100 - 1))
def test_thousands_separators(fen):
    whole, cents = divmod(fen, 100)
    assert parse_yuan(f"{whole:,}.{cents:02d}") == fen


@FAST
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**6, max_value=10**6, places=3))
def test_three_decimals_refused_or_exact(d):
    if d != d.quantize(Decimal("0.01")):
        with pytest.raises(AmountError, match="more than 2 decimals"):
            parse_yuan(str(d), signed=True)
    else:
        assert parse_yuan(str(d), signed=True) == int(d * 100)
