import codecs

import pytest

from asx.core.errors import UserError
from asx.io.tabular import decode_bytes, open_text, read_text, sniff_encoding

TEXT = "交易时间,金额\n2026-11-01 10:00:00,¥1.00\n"


def test_utf8_without_bom():
    assert decode_bytes(TEXT.encode("utf-8"), "a.csv") == (TEXT, "utf-8")


def test_utf8_with_bom_drops_the_bom():
    text, enc = decode_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "a.csv")
    assert (text, enc) == (TEXT, "utf-8-sig")


def test_gbk_falls_back_to_gb18030():
    data = TEXT.replace("¥", "￥").encode("gbk")
    assert decode_bytes(data, "a.csv") == (TEXT.replace("¥", "￥"), "gb18030")


def test_gb18030_only_characters():
    data = "€ 𠀀 交易".encode("gb18030")  # not in GBK, in GB18030
    assert decode_bytes(data, "a.csv")[1] == "gb18030"


@pytest.mark.parametrize("data, words", [
    (b"abc\x00def", "NUL"),
    (b"\x80\x80\x80\xff", "not text"),
    (codecs.BOM_UTF16_LE + "交易".encode("utf-16-le"), "UTF-16"),
    (bytes(range(1, 9)) * 20, "control characters"),
])
def test_binary_junk_is_rejected_naming_the_file(data, words):
    with pytest.raises(UserError) as exc:
        decode_bytes(data, "statement.csv")
    assert "statement.csv" in str(exc.value)
    assert words in str(exc.value)


def test_partial_head_may_end_inside_a_character():
    data = "交易".encode()[:-1]
    assert sniff_encoding(data, "x", final=False) == "utf-8"
    gbk = "交易".encode("gbk")[:-1]
    assert sniff_encoding(gbk, "x", final=False) == "gb18030"


def test_open_text_streams_with_the_sniffed_encoding(tmp_path):
    p = tmp_path / "s.csv"
    p.write_bytes(TEXT.replace("¥", "￥").encode("gbk"))
    stream, enc = open_text(p)
    with stream:
        assert enc == "gb18030"
        assert stream.readline() == "交易时间,金额\n"


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="cannot read"):
        read_text(tmp_path / "nope.csv")
