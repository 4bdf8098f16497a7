"""Refund-note parser R-FIN-2 and personal-data detector R-FIN-4."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asx.core.errors import UserError
from asx.money.notes import find_personal_data, format_note, parse_note

FAST = settings(derandomize=True, deadline=None, max_examples=300)


@pytest.mark.parametrize("text, content, agent, form", [
    ("删除中评_萌萌", "删除中评", "萌萌", "ok"),                 # seed 001, R-FIN-2
    ("发邮政快递 _ 萌萌", "发邮政快递", "萌萌", "spaced"),        # order-note form
    ("删除中评 _萌萌", "删除中评", "萌萌", "spaced"),
    ("删除中评＿萌萌", "删除中评", "萌萌", "fullwidth"),
    ("删除中评 ＿ 萌萌", "删除中评", "萌萌", "fullwidth"),
    ("退差价_补偿_萌萌", "退差价_补偿", "萌萌", "ok"),           # agent after the LAST underscore
    ("退差价＿补偿_萌萌", "退差价＿补偿", "萌萌", "ok"),
    ("  删除中评_萌萌  ", "删除中评", "萌萌", "ok"),
    ("", "", "", "missing"),
    ("   ", "", "", "missing"),
    (None, "", "", "missing"),
    ("删除中评", "删除中评", "", "malformed"),
    ("删除中评-萌萌", "删除中评-萌萌", "", "malformed"),
    ("_萌萌", "", "萌萌", "malformed"),
    ("删除中评_", "删除中评", "", "malformed"),
    ("_", "", "", "malformed"),
])
def test_parse_note(text, content, agent, form):
    got = parse_note(text)
    assert (got.content, got.agent, got.form) == (content, agent, form)
    assert bool(got.problems) == (form != "ok")
    assert got.well_formed == (form in ("ok", "spaced", "fullwidth"))


def test_problems_explain_the_warning():
    assert "spaces" in parse_note("发邮政快递 _ 萌萌").problems[0]
    assert "full-width" in parse_note("删除中评＿萌萌").problems[0]
    assert "found '-'" in parse_note("删除中评-萌萌").problems[0]
    assert len(parse_note("删除中评 ＿ 萌萌").problems) == 2


def test_format_note():
    assert format_note("删除中评", "萌萌") == "删除中评_萌萌"
    assert format_note("发邮政快递", "萌萌", spaced=True) == "发邮政快递 _ 萌萌"
    assert format_note(" 删除中评 ", " 萌萌 ") == "删除中评_萌萌"


@pytest.mark.parametrize("content, agent, words", [
    ("", "萌萌", "content"), ("删除中评", " ", "agent"), ("删除中评", "萌_萌", "must not contain"),
    ("删除中评", "萌＿萌", "must not contain"), ("删除\n中评", "萌萌", "line breaks"),
])
def test_format_note_rejects(content, agent, words):
    with pytest.raises(UserError, match=words):
        format_note(content, agent)


@FAST
@given(st.one_of(st.none(), st.text(), st.text(alphabet="_＿ 　\t删除中评萌萌-", max_size=12)))
def test_parse_note_never_crashes(text):
    got = parse_note(text)
    assert got.form in ("ok", "spaced", "fullwidth", "missing", "malformed")
    assert "_" not in got.agent and "＿" not in got.agent
    if got.form == "ok":
        assert f"{got.content}_{got.agent}" == text.strip()


_part = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), min_size=1)


@FAST
@given(content=_part.filter(lambda s: s.strip()),
       agent=_part.filter(lambda s: s.strip() and "_" not in s and "＿" not in s),
       spaced=st.booleans())
def test_format_then_parse_round_trips(content, agent, spaced):
    got = parse_note(format_note(content, agent, spaced=spaced))
    assert (got.content, got.agent) == (content.strip(), agent.strip())
    assert got.form == ("spaced" if spaced else "ok")


# ------------------------------------------------------------ R-FIN-4

@pytest.mark.parametrize("text, kinds", [
    ("返现13800138000_萌萌", ["phone"]),
    ("电话 138 0013 8000_萌萌", ["phone"]),
    ("138-0013-8000", ["phone"]),
    ("+86 13800138000", ["phone"]),
    ("１３８００１３８０００", ["phone"]),                     # full-width digits
    ("联系 buyer.name+tag@example.com.cn", ["email"]),
    ("身份证11010519491231002X退款_萌萌", ["id_card"]),
    ("退到卡号6222 0212 3456 7890 128_萌萌", ["bank_card"]),
    ("6222021234567890128_萌萌", ["bank_card"]),           # UnionPay prefix, Luhn valid
    ("13800138000 a@b.cn 11010519491231002X 6222021234567890128",
     ["phone", "email", "id_card", "bank_card"]),
])
def test_personal_data_found(text, kinds):
    assert find_personal_data(text) == kinds


@pytest.mark.parametrize("text", [
    "删除中评_萌萌", "", None, "138****8000", "rim***@qq.com", "订单3961024556789012退款_萌萌",
    "退差价 12.50 元_萌萌", "订单号2026110122001401231234567890_萌萌",
    "4200002026110100000001",              # WeChat order number
    "110105194912310021",                  # 18 digits, wrong check character
    "6222021234567890123",                 # fails Luhn
    "23800138000", "1380013800", "138001380001",
])
def test_no_false_alarm(text):
    assert find_personal_data(text) == []
