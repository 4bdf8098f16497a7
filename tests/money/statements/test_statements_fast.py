"""The merchant ledger's fast path (asx/statements/fast.py, issue 6) gives exactly what the general
path gives: the same brief rows, problems, totals and errors, on every fixture and on mutated files."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asx.core.errors import UserError
from asx.money.statements import fast
from asx.money.statements.alipay import _NAME_ACCOUNT, AlipayLedgerReader
from asx.money.statements.base import TableReader

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "statements"
LEDGERS = sorted(FIXTURES.glob("alipay_ledger_*.csv"))
PROPS = settings(derandomize=True, deadline=None, max_examples=150, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_n = iter(range(10**9))


def outcome(read, path):
    """What a reading gives: the rows and everything the statement says about itself, or the error."""
    try:
        stmt = read(path)
        rows = list(stmt.rows)
    except UserError as exc:
        return ("error", str(exc))
    return ("ok", rows, stmt.problems, stmt.declared_totals, stmt.read_totals, stmt.totals_checked,
            stmt.complete, stmt.encoding, stmt.layout)


def fast_and_general(path):
    reader = AlipayLedgerReader()
    return (outcome(reader.read_brief, path),
            outcome(lambda p: TableReader.read_brief(reader, p), path))


def assert_same(path):
    got, want = fast_and_general(path)
    assert got == want
    return got


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fast")


def put(workdir: Path, data: bytes) -> Path:
    p = workdir / f"l{next(_n)}.csv"
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("path", LEDGERS, ids=lambda p: p.name)
def test_every_ledger_fixture_reads_the_same(path):
    assert_same(path)


def test_the_fast_path_is_taken_and_reads_the_rows(fx):
    stmt = AlipayLedgerReader().read_brief(fx / "alipay_ledger_12col_gbk.csv")
    assert stmt.rows.__class__.__name__ == "generator"          # the fast path's, not map(brief_of, …)
    rows = {r[0]: r for r in stmt.rows}
    line, at, day, minute, fen, direction, txn, biz, merchant, order, note, biz_type, party = rows[7]
    assert (day, minute, fen, direction, note, biz_type) == ("2026-11-01", 10 * 60 + 22, 1000, "out",
                                                             "删除中评_萌萌", "转账")
    assert rows[6][9] == "3961024556789012" and rows[6][5] == "in"  # order from the T200P prefix
    assert rows[13][6] == "20261101200040011100370008"               # ="…" guarded row: general path
    assert stmt.totals_checked


def test_a_plugin_subclass_is_read_by_the_general_path(fx):
    class Mine(AlipayLedgerReader):
        name = "mine"

    stmt = Mine().read_brief(fx / "alipay_ledger_12col_gbk.csv")
    assert isinstance(stmt.rows, map)


# --- mutated files ------------------------------------------------------------------------------

BASE = {p.name: p.read_bytes() for p in LEDGERS}
EDITS = [
    lambda ln: ln.replace("-10.00", "-10.001"),                   # more than 2 decimals
    lambda ln: ln.replace("2026-11-01", "2026-11-31"),            # no such day
    lambda ln: ln.replace("2026-11-01 1", "2026/11/1 1"),         # Excel re-save time
    lambda ln: ln.replace(":00,", ":60,"),                        # second 60
    lambda ln: ln.replace(",", ",,", 1),                          # a cell too many
    lambda ln: ln.rsplit(",", 3)[0],                              # truncated row
    lambda ln: '"' + ln.replace(",", '","') + '"',                # every cell quoted
    lambda ln: ln.replace("删除中评", '"删除\r\n中评"'),              # a cell over two lines
    lambda ln: ln.replace("删除中评", 'x"y'),                        # a stray quote
    lambda ln: ln.replace("\t", ""),                              # no TAB padding
    lambda ln: ln.replace("20261101", "2.02611E+25", 1),          # Excel-mangled id
    lambda ln: ln.replace("萌萌", "萌萌e"),                          # an e in a note
    lambda ln: ln.replace("(13800138000)", " （138）"),             # full-width brackets
    lambda ln: ln.replace("(13800138000)", "()"),
    lambda ln: "# " + ln,                                          # a footer-looking line
    lambda ln: ln.replace("-", "="),
    lambda ln: ln.replace("-10.00", "¥-10.00"),
    lambda ln: ln.replace("-10.00", "-1,0.00"),
    lambda ln: ln.replace(",-", ",+"),                            # an amount in both columns
    lambda ln: "",                                                 # a blank line
    lambda ln: ln + "\r",                                          # a lone CR
    lambda ln: ln.replace("\r", ""),                               # LF only
    lambda ln: ln.replace("T200P", "t200p"),
    lambda ln: ln.replace(",2026", ",'2026"),                      # Excel ' guard
    lambda ln: ln.upper(),
    lambda ln: ln + ",",
    lambda ln: ln.replace("\x00", "") + "\x00",
    lambda ln: re.sub(r",(\d+)\.(\d\d),", r",\1.\2x,", ln),        # not an amount in 账户余额
    lambda ln: re.sub(r",(\d+)\.(\d\d),", r",-\1.\2,", ln),        # a negative balance
    lambda ln: ln.replace("`", "") + "`",
    lambda ln: ln.replace(",2026", ",'2026", 1),                   # ' guard on 业务流水号 only
    lambda ln: "`" + ln,                                           # backtick guard (WeChat style)
    lambda ln: ln.replace("_", "_'"),
    lambda ln: ln.replace("T200P", "T200PX"),
    lambda ln: ln.replace("T200P", "T200P３"),                      # a full-width digit is decimal too
    lambda ln: ln.replace('"-1,200.00"', "-1200.00"),              # no quote: the fast path reads it
    lambda ln: re.sub(r",(39\d+)", r",T200P\1", ln.replace('"-1,200.00"', "-1200.00")),  # 业务基础订单号
    lambda ln: re.sub(r",(39\d+)", r",T200PX\1", ln.replace('"-1,200.00"', "-1200.00")),
]


def edited(name: str, edits) -> bytes:
    data = BASE[name]
    enc = "utf-8" if data.startswith(b"\xef\xbb\xbf") else "gb18030"
    lines = data.decode(enc).split("\n")
    for where, which in edits:
        i = where % len(lines)
        lines[i] = EDITS[which](lines[i])
    return "\n".join(lines).encode(enc)


@pytest.mark.parametrize("which", range(len(EDITS)))
def test_each_edit_on_every_line_reads_the_same(workdir, which):
    for name in sorted(BASE):
        n = BASE[name].count(b"\n") + 1
        for where in range(n):
            assert_same(put(workdir, edited(name, [(where, which)])))


@PROPS
@given(name=st.sampled_from(sorted(BASE)), edits=st.lists(
    st.tuples(st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=len(EDITS) - 1)),
    max_size=4))
def test_mutated_ledgers_read_the_same(workdir, name, edits):
    assert_same(put(workdir, edited(name, edits)))


@PROPS
@given(name=st.sampled_from(sorted(BASE)), cut=st.floats(min_value=0, max_value=1),
       junk=st.binary(max_size=12), truncate=st.booleans())
def test_truncated_and_corrupted_ledgers_read_the_same(workdir, name, cut, junk, truncate):
    data = BASE[name]
    i = int(len(data) * cut)
    data = data[:i] if truncate else data[:i] + junk + data[i + len(junk):]
    assert_same(put(workdir, data))


@pytest.mark.parametrize("block", [1, 7, 64, 333])
def test_small_blocks_split_lines_cells_and_characters(fx, workdir, monkeypatch, block):
    """Blocks that end inside a line, a \\r\\n, a GBK character or a quoted cell over two lines."""
    text = (fx / "alipay_ledger_16col_gbk.csv").read_bytes().decode("gbk")
    text = text.replace("删除差评", "\"删除\r\n差评\"", 1)
    path = put(workdir, text.encode("gbk"))
    monkeypatch.setattr(fast, "BLOCK", block)
    got = assert_same(path)
    assert got[0] == "ok" and any("删除\r\n差评" in r[10] for r in got[1])


def test_big_statement_reads_the_same(workdir):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from asx.money.audit.alipay_file import LedgerLine, write

    t0 = datetime(2026, 11, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    lines = [LedgerLine(f"2026{i:020d}", t0 + timedelta(seconds=37 * i), 100 + i % 5000, "out" if i % 7 else "in",
                        merchant_order_no=f"T200P39{i:016d}" if i % 3 else "", order_no=f"39{i:016d}" if i % 5 else "",
                        counterparty=f"买家{i}(1{i % 10**10:010d})", biz_type="交易退款", note=f"退货退款_萌萌{i % 3}")
             for i in range(1, 12001)]
    path = write(workdir / "big.csv", lines, account="2088", columns=16, start=t0, end=t0 + timedelta(days=6),
                 exported=t0 + timedelta(days=7))
    got = assert_same(path)
    assert got[0] == "ok" and len(got[1]) == 12000 and got[5]


def test_bad_bytes_far_into_the_file_raise_the_general_paths_error(fx, workdir):
    text = (fx / "alipay_ledger_12col_gbk.csv").read_bytes().decode("gbk")
    head, _, rest = text.partition("备注\r\n")
    rows = rest.split("#---")[0]
    data = (head + "备注\r\n" + rows * 3000).encode("gbk") + b"\xff\xff\r\n"
    got = assert_same(put(workdir, data))
    assert got[0] == "error" and "not gb18030" in got[1]


# --- the counterparty split without the regex ---------------------------------------------------

@given(st.text(alphabet="ab 中\t\n()（）1", max_size=12))
def test_split_name_account_is_the_regex(s):
    m = _NAME_ACCOUNT.fullmatch(s)
    assert fast.split_name_account(s) == (m.groups() if m else None)


@pytest.mark.parametrize("s", ["买家甲(13800138000)", "买家 （138）", " (1)", "\n(1)", "a\n (1)", "a(b(c)", "(1)",
                               "a()", "a(1))", "a（1)", "a\u3000(1)", "张三"])
def test_split_name_account_examples(s):
    m = _NAME_ACCOUNT.fullmatch(s)
    assert fast.split_name_account(s) == (m.groups() if m else None)


def test_hour_cache_refuses_what_parse_time_refuses():
    from zoneinfo import ZoneInfo

    z = ZoneInfo("Asia/Shanghai")
    assert fast._hour("2026-11-01 10", z) == (int(datetime(2026, 11, 1, 10, tzinfo=z).timestamp()), "2026-11-01", 600)
    for bad in ("2026-11-31 10", "2026-11-01 24", "２026-11-01 10", "2026-11-01T10", "2026-11-01 1"):
        assert fast._hour(bad, z) is None


@pytest.mark.parametrize("zone, day", [("Australia/Lord_Howe", "2026-10-04"),   # 02:00 → 02:30
                                       ("America/New_York", "2026-11-01"),      # 01:00-02:00 twice
                                       ("America/New_York", "2026-03-08")])     # no 02:00-03:00
def test_times_around_a_change_of_utc_offset_read_the_same(workdir, zone, day):
    from zoneinfo import ZoneInfo

    z = ZoneInfo(zone)
    if zone == "Australia/Lord_Howe":
        assert fast._hour(f"{day} 02", z) is None                # the offset changes within 02:00-03:00
    text = (FIXTURES / "alipay_ledger_12col_gbk.csv").read_bytes().decode("gbk")
    for hh, mm in (("09:15", "01:15"), ("10:22", "02:10"), ("11:40", "02:40"), ("14:05", "03:05")):
        text = text.replace(f"2026-11-01 {hh}", f"{day} {mm}")
    path = put(workdir, text.encode("gbk"))
    reader = AlipayLedgerReader()
    got = outcome(lambda p: reader.read_brief(p, tz=z), path)
    want = outcome(lambda p: TableReader.read_brief(reader, p, tz=z), path)
    assert got == want and got[0] == "ok" and {r[3] // 60 for r in got[1]} >= {1, 2, 3}
