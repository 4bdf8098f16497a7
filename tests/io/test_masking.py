"""Masking (R-SEC-1; formats.md "Masking")."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from asx.io.masking import (
    KINDS,
    find_unmasked,
    mask_account,
    mask_contact,
    mask_email,
    mask_name,
    mask_phone,
    mask_text,
    mask_value,
)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138 **** 5678"),
        ("138-1234-5678", "138-****-5678"),
        ("+86 13812345678", "+86 138****5678"),
        ("+86-138-1234-5678", "+86-138-****-5678"),
        ("008613812345678", "0086138****5678"),
        ("１３８１２３４５６７８", "１３８****５６７８"),
        ("010-12345678", "***-****5678"),
        ("0755 8765 4321", "**** **** 4321"),
        ("138****5678", "138****5678"),
        ("110", "***"),
    ],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("张三丰", "张**"), ("张三", "张*"), ("张", "张"), ("Rimu", "R***"), ("Rimu Li", "R*** **"), ("张**", "张**")],
)
def test_mask_name(value, expected):
    assert mask_name(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("rimu@qq.com", "r***@qq.com"),
        ("rim***@qq.com", "rim***@qq.com"),  # masked by the platform: stays
        ("r***@qq.com", "r***@qq.com"),
        ("a@qq.com", "*@qq.com"),
        ("13812345678@163.com", "1**********@163.com"),
    ],
)
def test_mask_email(value, expected):
    assert mask_email(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("6222021234567890", "************7890"),
        ("6222 0212 3456 7890", "**** **** **** 7890"),
        ("************7890", "************7890"),
        ("rimu@qq.com", "r***@qq.com"),  # Alipay account that is an e-mail
        ("13812345678", "138****5678"),  # … or a mobile
        ("123", "***"),
    ],
)
def test_mask_account(value, expected):
    assert mask_account(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("13812345678", "138****5678"), ("rimu@qq.com", "r***@qq.com"), ("wx_rimu2020", "w**********"), ("张三", "张*")],
)
def test_mask_contact(value, expected):
    assert mask_contact(value) == expected
    assert mask_value("contact", value) == expected


def test_mask_text():
    text = "买家13812345678（备用 +86 139-8765-4321）邮箱 rimu@qq.com，卡号6222021234567890，订单于2026-11-03 09:00签收"
    assert mask_text(text) == (
        "买家138****5678（备用 +86 139-****-4321）邮箱 r***@qq.com，卡号************7890，订单于2026-11-03 09:00签收"
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("value", [None, ""])
def test_none_and_empty_pass_through(kind, value):
    assert mask_value(kind, value) is value


def test_mask_value_unknown_kind():
    with pytest.raises(ValueError, match="unknown masking kind"):
        mask_value("address", "x")


def test_find_unmasked():
    text = "a 13812345678 b rimu@qq.com r***@qq.com rim***@qq.com 138****5678 2026110312345"
    assert find_unmasked(text) == [("phone", "13812345678"), ("email", "rimu@qq.com")]
    assert find_unmasked(None) == []


# -- properties ---------------------------------------------------------------

DIGIT = st.sampled_from("0123456789")
mobiles = st.builds(
    lambda second, rest: "1" + second + "".join(rest),
    st.sampled_from("3456789"),
    st.lists(DIGIT, min_size=9, max_size=9),
)
SEP = st.sampled_from(["", " ", "-"])
formatted_mobiles = st.builds(
    lambda prefix, m, s1, s2: f"{prefix}{m[:3]}{s1}{m[3:7]}{s2}{m[7:]}",
    st.sampled_from(["", "+86 ", "+86", "0086", "86", "+86-"]),
    mobiles,
    SEP,
    SEP,
)
emails = st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    st.text("abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=12),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8),
    st.sampled_from(["com", "cn", "net", "com.cn"]),
)
noise = st.text(
    alphabet=st.sampled_from(list("abc xyz 张三*@.-+,，。:0123456789\n")) | st.characters(codec="utf-8"),
    max_size=30,
)
any_text = st.text(max_size=60) | noise


@given(mobiles)
def test_mobile_shape_is_preserved(m):
    out = mask_phone(m)
    assert len(out) == 11
    assert out[:3] == m[:3] and out[7:] == m[7:] and out[3:7] == "****"


@given(formatted_mobiles)
def test_no_middle_digit_survives(p):
    out = mask_phone(p)
    assert len(out) == len(p)
    digits = [c for c in p if c.isdigit()]
    mobile = "".join(digits[-11:])
    # the separators and prefix are untouched, exactly four digits are hidden
    assert [c for c in out if not c.isdigit() and c != "*"] == [c for c in p if not c.isdigit()]
    assert out.count("*") == 4
    assert "".join(c for c in out if c.isdigit() or c == "*")[-11:] == mobile[:3] + "****" + mobile[7:]
    assert find_unmasked(out) == []


@settings(max_examples=300)
@given(kind=st.sampled_from(KINDS), value=any_text | formatted_mobiles | emails)
@example(kind="account", value="张@qq.com")
@example(kind="contact", value="1abcdefg")
@example(kind="text", value="1234567,8@qq.com")
def test_masking_is_idempotent(kind, value):
    once = mask_value(kind, value)
    assert mask_value(kind, once) == once


@given(value=any_text | formatted_mobiles | emails)
def test_positional_kinds_preserve_length(value):
    for func in (mask_phone, mask_name, mask_account, mask_contact):
        out = func(value)
        if func in (mask_account, mask_contact) and "@" in value:
            continue  # may route to e-mail masking
        assert len(out) == len(value)


@settings(max_examples=300)
@given(st.lists(any_text | formatted_mobiles | emails, min_size=1, max_size=8))
def test_mask_text_leaves_nothing_findable(parts):
    text = " ".join(parts)
    masked = mask_text(text)
    assert find_unmasked(masked) == []
    assert mask_text(masked) == masked


@given(st.lists(formatted_mobiles | emails, min_size=1, max_size=4), any_text)
def test_find_unmasked_sees_every_inserted_value(values, filler):
    text = "，".join(f"{filler} {v} " for v in values)
    found = [m for _, m in find_unmasked(text)]
    # every inserted phone/e-mail is found (the filler may add more of its own)
    for v in values:
        assert v in found
    assert find_unmasked(mask_text(text)) == []
