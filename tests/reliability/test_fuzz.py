"""Issue 9 §4: bad input. Every importer (case import csv/jsonl, review import, log import, tmall
import-orders/import-refunds, the statement readers through `asx audit refunds` when it exists)
gets random bytes, wrong encodings, truncated files, huge fields, spliced garbage and SQL-looking
cells (hypothesis, bounded and derandomized). asx either imports (exit 0) or answers exit 2 with one
clear ``Error:`` line — never a traceback or an internal error (exit 3) — and a refused import
writes nothing (checksum of every table before/after). SQL-looking filter values on the list
commands change nothing and match nothing.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asx.testing import invoke, ws_db, ws_store

NOW = "2026-11-20T10:00:00+08:00"
ENV = {"ASX_NOW": NOW, "ASX_AGENT": "李主管"}
EXAMPLES = 50
TRIED: dict[str, int] = {}
EXIT3: dict[str, int] = {}
HANGS: dict[str, int] = {}
SLOWEST: dict[str, float] = {}
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])

SQLISH = ["x' OR 1=1 --", "'; DROP TABLE cases; --", '" OR ""="', "1; DELETE FROM reviews", "%' --",
          "萌萌' UNION SELECT buyer FROM cases --", "\\x00", "%", "_"]


def db_checksum(ws: Path, exclude: tuple[str, ...] = ()) -> str:
    """One hash of every row of every table of workspace ``ws``'s database (its content, not its
    pages), whatever the backend; rows in the order of all their columns (deterministic on both)."""
    store = ws_store(ws, migrate=False)
    h = hashlib.sha256()
    try:
        for name in store.tables():
            if name in exclude or name.startswith("sqlite_"):
                continue
            h.update(name.encode())
            n = len(store.columns(name))
            order = ", ".join(str(i) for i in range(1, n + 1))
            for row in store.rows(f'SELECT * FROM "{name}" ORDER BY {order}'):
                h.update(repr(tuple(row)).encode())
    finally:
        store.close()
    return h.hexdigest()


# --- valid files of each importer (the base the mutations start from) ----------------------------

def _cases_csv() -> tuple[str, str, str]:
    import csv
    import io

    from gen import case_csv_rows

    buf = io.StringIO()
    csv.writer(buf).writerows(case_csv_rows(4, seed=9))
    return buf.getvalue(), "utf-8", ".csv"


def _cases_jsonl() -> tuple[str, str, str]:
    from gen import case_csv_rows

    rows = list(case_csv_rows(4, seed=10, first=100))
    return "".join(json.dumps(dict(zip(rows[0], r)), ensure_ascii=False) + "\n" for r in rows[1:]), "utf-8", ".jsonl"


def _reviews_csv(tmp: Path) -> tuple[str, str, str]:
    from gen import write_reviews_csv

    return write_reviews_csv(tmp / "r.csv", 4, seed=11).read_text(encoding="utf-8"), "utf-8", ".csv"


def _log_csv() -> tuple[str, str, str]:
    return ("day,agent,served,served_ids,ordered,ordered_ids,amount,shipments,returns,note\n"
            "2026-11-18,萌萌,30,tb1;tb2,2,tb1,128.50,quality=2,quality=1,正常\n"
            "2026-11-19,小雨,12,tb3,0,,0,,,\n"), "utf-8", ".csv"


def _tmall_orders(tmp: Path) -> tuple[str, str, str]:
    from gen import write_tmall_orders

    return write_tmall_orders(tmp / "o.csv", 4, seed=12).read_text(encoding="gbk"), "gbk", ".csv"


REFUND_HEADER = ("订单编号,退款编号,支付宝交易号,订单付款时间,商品编码,退款完结时间,买家实际支付金额,宝贝标题,买家退款金额,"
                 "手工退款/系统退款,是否需要退货,退款的申请时间,超时时间,退款状态,货物状态,退货物流信息,发货物流信息,客服介入状态,"
                 "卖家真实姓名,卖家真实姓名新,卖家退货地址,卖家邮编,卖家电话,卖家手机,退货物流单号,退货物流公司,买家退款原因,"
                 "买家退款说明,买家退货时间,责任方,售中或售后,商家备注,完结时间,部分退款/全部退款,审核操作人,举证超时,是否零秒响应,"
                 "退款操作人,退款原因标签,业务类型,是否帮他退款,帮他退款操作账号")


def _tmall_refunds() -> tuple[str, str, str]:
    line = ('="3901234567890123456",="123456789012",2026110122001,2026-11-01 10:01:00,,2026-11-03 12:00:00,128.00,'
            "四件套,28.00,手工退款,否,2026-11-02 09:00:00,,SUCCESS,买家已收到货,,,,王五,,,,,,,,质量问题,线头多,,商家,售后,,,"
            "部分退款,萌萌,,,萌萌,,,,")
    return REFUND_HEADER + "\r\n" + line + "\r\n", "gbk", ".csv"


def _alipay(tmp: Path) -> tuple[str, str, str]:
    from gen import write_alipay_statement

    p = tmp / "a.csv"
    write_alipay_statement(p, 6, seed=13)
    return p.read_text(encoding="gbk"), "gbk", ".csv"


OUT_OF_RANGE = ["123456789012345678901234", "-99999999999999999999", "9999-12-31 23:59:59", "0001-01-01 00:00:00",
                "9999-12-31T10:00:00+08:00", "0001-01-01", "99999999999999999999.99", "1e400"]

#: buyer data in a cell (issue 21, R-SEC-1): what a message or a stored free text must never show in clear
PII_PHONE, PII_ID = "13912345678", "330106199001011234"
PII = [f"欧阳娜娜 {PII_PHONE} 杭州市西湖区文三路100号", f"身份证{PII_ID}", f"{PII_PHONE}",
       f"欧阳娜娜说寄到杭州市西湖区文三路100号，电话{PII_PHONE}，身份证{PII_ID}"]
#: importers whose messages and stored texts are masked (issue 21 items 4-5); the others are counted
MASKED_IMPORTERS = ("case import csv", "case import jsonl", "review import", "log import")
LEAKS: dict[str, int] = {}

ENCODINGS = ["utf-16", "utf-32", "shift_jis", "latin-1", "big5", "cp1252", "utf-8-sig", "gb18030", "utf-8"]


@st.composite
def mutated(draw, text: str, encoding: str) -> tuple[str, bytes]:
    base = text.encode(encoding, errors="replace")
    kind = draw(st.sampled_from(["random", "encoding", "truncate", "huge", "splice", "sqlish", "formula",
                                 "lines", "json-scalar", "nested", "out-of-range", "severity", "bom-bad",
                                 "pii"]))
    if kind == "random":
        return kind, draw(st.binary(min_size=0, max_size=3000))
    if kind == "encoding":
        return kind, text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if kind == "truncate":
        return kind, base[:draw(st.integers(0, max(0, len(base) - 1)))]
    # issue 21 classes: a JSON scalar or string, brackets nested 100,000 deep, a UTF-8 BOM before invalid
    # UTF-8, and (below) cells beyond storage (20-digit numbers, years 0001/9999) and audit severities
    if kind == "json-scalar":
        return kind, draw(st.sampled_from([b"5", b"null", b"true", b'"a string"', b"-1e999", b"[]", b"{}"]))
    if kind == "nested":
        depth = draw(st.sampled_from([1_000, 100_000]))
        return kind, b"[" * depth + b"]" * draw(st.sampled_from([0, depth]))
    if kind == "bom-bad":
        at = draw(st.integers(0, len(base)))
        return kind, b"\xef\xbb\xbf" + base[:at] + b"\xff\xfe\x80" + base[at:]
    lines = text.splitlines(keepends=True)
    i = draw(st.integers(1, max(1, len(lines) - 1))) if len(lines) > 1 else 0
    if kind == "huge":
        size = draw(st.sampled_from([70_000, 300_000, 1_500_000]))
        ch = draw(st.sampled_from(["x", "好", "\"", ",", "9"]))
        cut = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:cut] + ch * size + lines[i][cut:]
        return kind, "".join(lines).encode(encoding, errors="replace")
    if kind == "splice":
        at = draw(st.integers(0, len(base)))
        return kind, base[:at] + draw(st.binary(min_size=1, max_size=200)) + base[at:]
    if kind == "lines":  # rows dropped, repeated, shuffled
        picked = draw(st.lists(st.sampled_from(lines), max_size=8)) if lines else []
        return kind, "".join(lines[:1] + picked).encode(encoding, errors="replace")
    # a cell replaced by SQL-looking, formula, out-of-range or audit-severity text
    cells = lines[i].rstrip("\r\n").split(",")
    j = draw(st.integers(0, max(0, len(cells) - 1)))
    choices = {"sqlish": SQLISH, "out-of-range": OUT_OF_RANGE, "severity": ["error", "warning", "info"],
               "pii": PII}.get(
        kind, ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\")"])
    cells[j] = draw(st.sampled_from(choices))
    lines[i] = ",".join(cells) + "\r\n"
    return kind, "".join(lines).encode(encoding, errors="replace")


# the import journal (`imports`) records a refused attempt as status 'failed' with 0 rows added: by
# design (kill-safety marker and audit of attempts); it is checked separately, every other table must
# be byte-for-byte the same
JOURNAL = ("imports",)


def _last_import(ws: Path) -> int:
    conn = ws_db(ws)
    return conn.execute("SELECT coalesce(max(id), 0) FROM imports").fetchone()[0]


def _check_answer(name: str, kind: str, r, before: str, after: str, blob: bytes = b"x") -> None:
    text = r.stdout + r.stderr
    assert "Traceback" not in text and r.exit_code != 3, (name, kind, r)
    assert r.exit_code in (0, 1, 2), (name, kind, r)
    if r.exit_code == 2:
        errors = [ln for ln in r.stderr.splitlines() if ln.startswith("Error:")]
        assert len(errors) == 1, (name, kind, r.stderr[-2000:])
        assert len(errors[0]) < 600, (name, kind, errors[0][:300])  # a clear line, not the huge field echoed
        assert after == before, f"{name}: a refused import ({kind}) changed the database"
    if kind in ("random", "nested") and blob.strip():  # (an empty JSONL file is a valid file of no rows)
        assert r.exit_code == 2, (name, r)


def _pii_in_clear(ws: Path, stderr: str) -> list[str]:
    """Where the planted phone or ID number shows in clear: the messages, or a masked free-text column."""
    out = [f"stderr has {v}" for v in (PII_PHONE, PII_ID) if v in stderr]
    conn = ws_db(ws)
    for table, col in (("cases", "summary"), ("case_events", "note"), ("reviews", "content"),
                       ("handover_notes", "text")):
        for v in (PII_PHONE, PII_ID):
            if conn.execute(f"SELECT count(*) FROM {table} WHERE {col} LIKE ?", (f"%{v}%",)).fetchone()[0]:
                out.append(f"{table}.{col} has {v}")
    return out


def _fuzz(name, ws: Path, args: list[str], base: tuple[str, str, str], examples: int = EXAMPLES):
    text, encoding, suffix = base
    # the base file itself is accepted (else the mutations test nothing)
    good = ws / f"good{suffix}"
    good.write_bytes(text.encode(encoding))
    r = invoke([*args, str(good)], cwd=ws, env=ENV)
    assert r.exit_code in (0, 1), (name, r)
    counter = {"n": 0}

    @settings(FUZZ, max_examples=examples)
    @given(data=mutated(text, encoding))
    def run(data: tuple[str, bytes]):
        kind, blob = data
        counter["n"] += 1
        f = ws / f"in{suffix}"
        f.write_bytes(blob)
        before = db_checksum(ws, exclude=JOURNAL)
        last = _last_import(ws)
        t0 = time.perf_counter()
        r = invoke([*args, str(f)], cwd=ws, env=ENV)
        took = time.perf_counter() - t0
        SLOWEST[name] = max(SLOWEST.get(name, 0.0), took)
        if took > 10:
            HANGS[name] = HANGS.get(name, 0) + 1
        if r.exit_code == 3:
            EXIT3[name] = EXIT3.get(name, 0) + 1
        _check_answer(name, kind, r, before, db_checksum(ws, exclude=JOURNAL), blob)
        leftovers = [p.name for p in ws.iterdir() if p.name.endswith(".tmp")]
        assert not leftovers, (name, kind, leftovers)  # no temporary file left (issue 21)
        if kind == "pii":  # issue 21: messages mask the cells they quote; stored free texts are masked
            leaked = _pii_in_clear(ws, r.stderr)
            if leaked:
                LEAKS[name] = LEAKS.get(name, 0) + 1
            assert not (leaked and name in MASKED_IMPORTERS), (name, leaked, r.stderr[-500:])
        if r.exit_code == 2:  # the import journal may note the refused attempt, with nothing added
            conn = ws_db(ws)
            new = conn.execute("SELECT status, rows_added FROM imports WHERE id > ?", (last,)).fetchall()
            assert all(st_ == "failed" and not added for st_, added in new), new

    run()
    TRIED[name] = counter["n"]
    print(f"fuzz {name}: {counter['n']} inputs tried, exit 3: {EXIT3.get(name, 0)}, over 10 s: "
          f"{HANGS.get(name, 0)} (slowest {SLOWEST.get(name, 0):.2f} s), partial writes: 0, "
          f"buyer data in clear (messages/free text): {LEAKS.get(name, 0)}")
    assert not HANGS.get(name), (name, SLOWEST[name])


@pytest.fixture
def team(workspace):
    from gen import NAMED_AGENTS

    for a in NAMED_AGENTS:
        assert invoke(["agent", "add", a, "--role", "agent"], env=ENV).exit_code == 0
    return workspace


def test_fuzz_case_import_csv(team):
    _fuzz("case import csv", team, ["case", "import"], _cases_csv())


def test_fuzz_case_import_jsonl(team):
    _fuzz("case import jsonl", team, ["case", "import"], _cases_jsonl())


def test_fuzz_review_import(team, tmp_path):
    _fuzz("review import", team, ["review", "import"], _reviews_csv(tmp_path))


def test_fuzz_log_import(team):
    _fuzz("log import", team, ["log", "import"], _log_csv())


def test_fuzz_tmall_imports(team, tmp_path):
    asx_tmall = pytest.importorskip("asx_tmall")
    from asx.testing import plugin_registered

    with plugin_registered(asx_tmall, "tmall"):
        invoke(["db", "migrate"], cwd=team, env=ENV)
        _fuzz("tmall import-orders", team, ["tmall", "import-orders"], _tmall_orders(tmp_path))
        _fuzz("tmall import-refunds", team, ["tmall", "import-refunds"], _tmall_refunds())


@pytest.mark.heavy
def test_fuzz_every_importer_heavy(team, tmp_path):
    """The heavy variant: 1,000 inputs per importer."""
    for name, args, base in [("case import csv", ["case", "import"], _cases_csv()),
                             ("case import jsonl", ["case", "import"], _cases_jsonl()),
                             ("review import", ["review", "import"], _reviews_csv(tmp_path)),
                             ("log import", ["log", "import"], _log_csv())]:
        _fuzz(name, team, args, base, examples=1000)


def test_fuzz_statement_readers(team, tmp_path):
    """The Alipay/WeChat/generic statement readers, through `asx audit refunds` once it exists."""
    from asx.cli import cli

    if "audit" not in cli.list_commands(None):
        pytest.skip("asx audit refunds is not on this branch yet (branch money)")
    _fuzz("audit refunds", team, ["audit", "refunds"], _alipay(tmp_path))


def test_fuzz_nightly_inbox(sample, tmp_path):
    """Issue 21: a mutated statement dropped into inbox/ beside the sample's good one: `asx nightly` answers
    0 (read) or 1 (reported: file and masked reason), never 3 or a hang; the good statement is audited
    every time and the bad one never recorded (no partial write of it)."""
    name = "nightly inbox"
    good = sorted((sample / "inbox").iterdir())
    assert good
    base = _alipay(tmp_path)
    counter = {"n": 0}

    @settings(FUZZ, max_examples=25)
    @given(data=mutated(*base[:2]))
    def run(data):
        kind, blob = data
        counter["n"] += 1
        bad = sample / "inbox" / "fuzz.csv"
        bad.write_bytes(blob)
        conn = ws_db(sample)
        last = conn.execute("SELECT coalesce(max(id), 0) FROM audit_runs").fetchone()[0]
        t0 = time.perf_counter()
        r = invoke(["nightly", "--only", "refund-audit"], cwd=sample, env=ENV)
        took = time.perf_counter() - t0
        SLOWEST[name] = max(SLOWEST.get(name, 0.0), took)
        if took > 10:
            HANGS[name] = HANGS.get(name, 0) + 1
        if r.exit_code == 3:
            EXIT3[name] = EXIT3.get(name, 0) + 1
        assert "Traceback" not in r.output and r.exit_code in (0, 1), (kind, r)
        runs = ws_db(sample).execute("SELECT files FROM audit_runs WHERE id > ?", (last,)).fetchall()
        assert len(runs) == 1 and good[0].name in runs[0][0], (kind, runs, r.stderr[-800:])
        if r.exit_code == 1:
            assert "refund-audit: fuzz.csv: " in r.stderr and "fuzz.csv" not in runs[0][0], (kind, r.stderr[-800:])
        assert PII_PHONE not in r.stderr
        bad.unlink()

    run()
    TRIED[name] = counter["n"]
    print(f"fuzz {name}: {counter['n']} inputs tried, exit 3: {EXIT3.get(name, 0)}, over 10 s: "
          f"{HANGS.get(name, 0)} (slowest {SLOWEST.get(name, 0):.2f} s), partial writes: 0")
    assert not HANGS.get(name)


def test_fuzz_purge_cutoff(sample):
    """Issue 21: `db purge --before X --yes` with odd cut-offs (years 0001/9999, offsets, garbage, 20 digits):
    0 or one line with exit 2, never 3; a refused purge changes nothing."""
    name = "db purge --before"
    counter = {"n": 0}

    @settings(FUZZ, max_examples=30)
    @given(value=st.one_of(st.sampled_from(OUT_OF_RANGE + SQLISH + [
        "2023-11-20T03:00:00Z", "2023-11-20", "2026-11-21", "2020-02-29", "2021-02-29", "", "now", "tomorrow",
        "2023-11-20T25:00", "+08:00", "2023-11-20T12:00:00+14:00"]), st.text(max_size=30)))
    def run(value):
        counter["n"] += 1
        before = db_checksum(sample, exclude=("access_log",))
        r = invoke(["db", "purge", "--before", value, "--yes"], cwd=sample, env=ENV)
        if r.exit_code == 3:
            EXIT3[name] = EXIT3.get(name, 0) + 1
        assert "Traceback" not in r.output and r.exit_code in (0, 2), (value, r)
        if r.exit_code == 2:
            assert len([ln for ln in r.stderr.splitlines() if ln.startswith("Error:")]) == 1, r.stderr
            assert db_checksum(sample, exclude=("access_log",)) == before, value

    run()
    TRIED[name] = counter["n"]
    print(f"fuzz {name}: {counter['n']} inputs tried, exit 3: {EXIT3.get(name, 0)}, partial writes: 0")


def test_fuzz_asx_toml(team):
    """Issue 21: asx.toml mutated (encodings, BOM, truncation, garbage, bad calendar values, numbers beyond
    storage): every command answers 0 or one line with exit 2, and a refused one stores nothing."""
    toml = team / "asx.toml"
    good = toml.read_text(encoding="utf-8") + ('\n[calendar]\nworkdays = ["2026-02-28"]\n'
                                               '[sla]\nfirst_response_minutes = 3\n')
    toml.write_text(good, encoding="utf-8")
    assert invoke(["case", "list"], cwd=team, env=ENV).exit_code == 0
    counter = {"n": 0}
    name = "asx.toml"

    @settings(FUZZ, max_examples=EXAMPLES)
    @given(data=st.one_of(mutated(good, "utf-8"), st.sampled_from([
        ("calendar", good.replace('"2026-02-28"', v).encode()) for v in ('"2026-13-01"', '"x"', '"2026-02-30"', "5",
                                                                         '"9999-12-31"')] + [
        ("minutes", good.replace("first_response_minutes = 3", f"first_response_minutes = {v}").encode())
        for v in ("-5", "123456789012345678901", "1e3", '"x"')] + [
        ("bom", b"\xef\xbb\xbf" + good.encode()), ("gbk", good.encode("gbk")), ("utf-16", good.encode("utf-16"))])))
    def run(data):
        kind, blob = data
        counter["n"] += 1
        before = db_checksum(team, exclude=JOURNAL)  # (the checksum reads the good asx.toml)
        try:
            for args in (["case", "list"], ["case", "add", "--category", "质量问题"], ["case", "due"]):
                toml.write_bytes(blob)
                t0 = time.perf_counter()
                r = invoke(args, cwd=team, env=ENV)
                took = time.perf_counter() - t0
                toml.write_text(good, encoding="utf-8")
                SLOWEST[name] = max(SLOWEST.get(name, 0.0), took)
                if r.exit_code == 3:
                    EXIT3[name] = EXIT3.get(name, 0) + 1
                assert "Traceback" not in r.output and r.exit_code in (0, 2), (kind, args, r)
                assert took < 10, (kind, args, took)
                if r.exit_code == 2:
                    assert len([ln for ln in r.stderr.splitlines() if ln.startswith("Error:")]) == 1, r.stderr
                    assert db_checksum(team, exclude=JOURNAL) == before, (kind, args)
                else:
                    before = db_checksum(team, exclude=JOURNAL)
                if kind == "bom":
                    assert r.exit_code == 0, r
        finally:
            toml.write_text(good, encoding="utf-8")

    run()
    TRIED[name] = counter["n"]
    print(f"fuzz {name}: {counter['n']} inputs tried, exit 3: {EXIT3.get(name, 0)}, "
          f"slowest {SLOWEST.get(name, 0):.2f} s, partial writes: 0")


@FUZZ
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace")),
                 st.sampled_from(SQLISH + ["删除中评_萌萌", "补偿 _ 小美", "＿", "_", "a_", "_b", "=cmd|x_萌萌"])))
def test_note_parser_never_raises(text):
    from asx.money.notes import find_personal_data, format_note, parse_note

    TRIED["note parser"] = TRIED.get("note parser", 0) + 1
    p = parse_note(text)
    assert p.form in ("ok", "spaced", "fullwidth", "missing", "malformed")
    find_personal_data(text)
    if p.form == "ok":
        assert parse_note(format_note(p.content, p.agent)).agent == p.agent


# --- SQL-looking filter values on the list commands ---------------------------------------------

LIST_FILTERS = [
    ["case", "list", "--agent"], ["case", "list", "--category"], ["case", "list", "--status"],
    ["case", "list", "--order"], ["case", "list", "--store"], ["case", "list", "--severity"],
    ["case", "list", "--sort"], ["case", "due", "--agent"], ["review", "list", "--agent"],
    ["review", "list", "--progress"], ["review", "next", "--agent"], ["log", "list", "--agent"],
    ["agent", "list", "--role"], ["kpi", "export", "--period"], ["kpi", "export", "--kpi"],
]


def test_sql_looking_filter_values_change_and_match_nothing(sample):
    from asx.cli import cli

    # kpi export records each run (kpi_runs): the only table a listing may add to
    before = db_checksum(sample, exclude=("kpi_runs",))
    tried = 0
    for cmd in LIST_FILTERS:
        group = cli.get_command(None, cmd[0])
        leaf = group.get_command(None, cmd[1]) if group else None
        if leaf is None or not any(cmd[2] in p.opts for p in leaf.params):
            continue
        for value in SQLISH:
            tried += 1
            r = invoke([*cmd, value, "-f", "json"])
            assert "Traceback" not in r.output and r.exit_code in (0, 2), (cmd, value, r)
            if r.exit_code == 2:
                # one Error: line (click adds its Usage/Try lines to a refused option value)
                assert len([ln for ln in r.stderr.splitlines() if ln.startswith("Error:")]) == 1, (cmd, value, r)
            elif cmd[1] in ("list", "due", "next") and cmd[2] != "--sort":
                assert json.loads(r.stdout or "[]") == [], (cmd, value, r.stdout[:300])  # matched nothing
    after = db_checksum(sample, exclude=("kpi_runs",))
    TRIED["sql-looking filters"] = tried
    print(f"sql-looking filter values tried: {tried}")
    assert tried >= 60
    assert after == before
