"""asx.io.tabular: header finding, aliases, rows with line numbers, rejects (decoding: test_tabular_decode)."""

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asx.core.errors import UserError
from asx.io.tabular import (
    Columns,
    Reject,
    RejectsWriter,
    TextSource,
    clean_cell,
    excel_mangled,
    header_key,
    open_rows,
)


def test_clean_cell_strips_padding_tabs_full_width_spaces_and_guards():
    assert clean_cell("\u3000 2088123\t") == "2088123"
    assert clean_cell('="3961024556789012"') == "3961024556789012"
    assert clean_cell("'13800138000") == "13800138000"
    assert excel_mangled("1.23457E+17") and not excel_mangled("20261101")


@pytest.mark.parametrize("a, b", [("opened_at", "Opened At"), ("金额（元） ", "金额(元)"), ("订单编号", '="订单编号"'),
                                  ("order-no", "ORDER_NO"), ("\ufeffday", "day")])
def test_header_key_ignores_what_exports_vary(a, b):
    assert header_key(a) == header_key(b)


def test_columns_map_chinese_and_english_aliases():
    cols = Columns({"order": ["订单编号", "订单号"], "opened_at": ["创建时间"]})
    assert cols.names_of(["订单编号 ", "Opened At", "其他", None]) == ["order", "opened_at", None, None]
    assert cols.name_of("ORDER") == "order"


def test_header_found_below_title_lines_and_rows_keep_physical_lines():
    text = ("导出时间: 2026-11-20\n\n订单编号,创建时间\n"
            '1,2026-11-01 10:00\n"2\nsecond line",2026-11-01 11:00\n3,2026-11-01 12:00\n')
    source = TextSource.from_text(text, "x.csv")
    cols = Columns({"order": ["订单编号"], "opened_at": ["创建时间"]})
    line, header = source.find_header(lambda cells: bool(cells) and None not in cols.names_of(cells))
    assert (line, header) == (3, ["订单编号", "创建时间"])
    assert [n for n, _ in source.preamble()] == [1, 2]
    assert [(n, cells[0]) for n, cells in source.rows()] == [(4, "1"), (5, "2\nsecond line"), (7, "3")]


def test_no_header_gives_none():
    source = TextSource.from_text("a,b\n1,2\n", "x.csv")
    assert source.find_header(lambda cells: "订单编号" in cells) is None


def test_open_rows_decodes_gb18030_and_reports_bad_bytes_with_the_line(tmp_path):
    p = tmp_path / "r.csv"
    p.write_bytes("日期,客服\n2026-11-16,萌萌\n".encode("gb18030"))
    source = open_rows(p)
    assert source.encoding == "gb18030"
    assert source.find_header(lambda cells: "客服" in cells)[0] == 1
    assert list(source.rows()) == [(2, ["2026-11-16", "萌萌"])]
    source.close()
    p.write_bytes(b"day,agent\n" + "x,萌萌\n".encode() * 10 + b"\xff\xfe\xfa\n")
    with pytest.raises(UserError, match="r.csv: not text: neither UTF-8 nor GB18030"):
        open_rows(p)


def test_rejects_writer_writes_file_line_reason_and_the_row(tmp_path):
    out = tmp_path / "x.rejects.csv"
    with RejectsWriter(out, fields=("order", "amount"), keep=1) as rejects:
        rejects.add(Reject("x.csv", 3, "bad amount '1.234'"), ["A1", "1.234"])
        rejects.add(Reject("x.csv", 5, "order number mangled"), ["1.2E+17", ""])
    assert rejects.count == 2 and [str(r) for r in rejects.first] == ["x.csv:3: bad amount '1.234'"]
    assert list(csv.reader(out.open(encoding="utf-8"))) == [
        ["file", "line", "reason", "order", "amount"], ["x.csv", "3", "bad amount '1.234'", "A1", "1.234"],
        ["x.csv", "5", "order number mangled", "1.2E+17", ""]]


def test_rejects_writer_leaves_no_file_when_nothing_is_bad(tmp_path):
    with RejectsWriter(tmp_path / "none.csv"):
        pass
    assert not (tmp_path / "none.csv").exists()


@settings(derandomize=True, deadline=None, max_examples=100)
@given(st.lists(st.lists(st.text(alphabet="ab,\"\n 好", max_size=6), min_size=2, max_size=2), max_size=8),
       st.integers(min_value=0, max_value=3))
def test_rows_line_numbers_match_the_physical_lines(rows, preamble):
    import io

    buf = io.StringIO()
    buf.write("title\n" * preamble + "h1,h2\n")
    w = csv.writer(buf, lineterminator="\n")
    starts = []
    for r in rows:
        starts.append(buf.getvalue().count("\n") + 1)
        w.writerow(r)
    source = TextSource.from_text(buf.getvalue(), "p.csv")
    assert source.find_header(lambda cells: cells == ["h1", "h2"])[0] == preamble + 1
    got = [(n, cells) for n, cells in source.rows()]
    assert [n for n, _ in got] == starts
    assert [cells for _, cells in got] == rows
