"""Issue 21: bad input, bad files, bad moments — one clear line, exit 2 (1 for a check that found
problems), nothing stored, no temporary file left, no personal data in the message. Each test here
failed before its fix; the classes of input are also in the fuzz suite (test_fuzz.py)."""

from __future__ import annotations

import os

import pytest

from asx.testing import ws_db

NOW = "2026-11-20T10:00:00+08:00"
HUGE = "123456789012345678901234"


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setenv("ASX_NOW", NOW)


def one_error(r, code: int = 2) -> str:
    """The answer is exit ``code`` with exactly one ``Error:`` line and no traceback; returns it."""
    assert r.exit_code == code, r
    assert "Traceback" not in r.output and "internal error" not in r.output, r
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("Error:")]
    assert len(lines) == 1, r.stderr
    return lines[0]


def count(ws, table: str) -> int:
    return ws_db(ws).execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# --- JSON imports: scalars, strings, deep nesting ----------------------------------------------------

@pytest.mark.parametrize("text", ["5", "null", "true", '"a string"', "[" * 100_000 + "]" * 100_000])
def test_json_case_import_of_a_non_array_is_one_line(workspace, asx, text):
    (workspace / "x.json").write_text(text, encoding="utf-8")
    one_error(asx("case import x.json"))
    assert count(workspace, "cases") == 0


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_deeply_nested_json_is_one_line_in_every_json_reader(workspace, asx, suffix):
    (workspace / f"d{suffix}").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for cmd in (f"case import d{suffix}", f"review import d{suffix}"):
        r = asx(cmd)
        assert r.exit_code == 2 and "RecursionError" not in r.output and "internal error" not in r.output, r
    r = asx(f"case add --json d{suffix}")
    assert r.exit_code == 2 and "internal error" not in r.output, r


# --- numbers and dates beyond what is stored ----------------------------------------------------------

@pytest.mark.parametrize("cmd", [f"case list --limit {HUGE}", f"roster generate --start 2026-11-23 --weeks {HUGE}",
                                 f"log add --served {HUGE} --day 2026-11-19", f"case show {HUGE}",
                                 f"review list --limit {HUGE}", "roster generate --start 2026-11-23 --weeks 0"])
def test_twenty_digit_counts_are_usage_errors(workspace, asx, cmd):
    one_error(asx(cmd))
    assert count(workspace, "daily_records") == 0


def test_amount_of_twenty_digits_is_refused(workspace, asx):
    one_error(asx(f"log add --served 3 --amount {HUGE} --day 2026-11-19"))
    assert count(workspace, "daily_records") == 0


@pytest.mark.parametrize("at", ["0001-01-01T10:00:00+08:00", "0001-01-01", "9999-12-31 23:59:59"])
def test_case_add_at_a_year_out_of_range_is_one_line(workspace, asx, at):
    line = one_error(asx(["case", "add", "--category", "质量问题", "--at", at]))
    assert "year" in line or "future" in line
    assert count(workspace, "cases") == 0


@pytest.mark.parametrize("opened", ["9999-12-31T10:00:00+08:00", "0001-01-01T00:00:00+08:00", "0001-01-01"])
def test_case_import_of_a_year_out_of_range_is_a_bad_row(workspace, asx, opened):
    (workspace / "y.csv").write_text(f"order,buyer,category,opened_at\n3512345678901234567,张三,质量问题,{opened}\n"
                                     "3512345678901234568,李四,质量问题,2026-11-19T10:00:00+08:00\n", encoding="utf-8")
    one_error(asx("case import y.csv"))
    assert count(workspace, "cases") == 0
    r = asx("case import y.csv --skip-bad")
    assert r.exit_code == 0, r
    assert count(workspace, "cases") == 1


@pytest.mark.parametrize("created", ["0001-01-01 00:00:00", "9999-12-31 10:00:00", HUGE])
def test_review_import_of_a_year_out_of_range_is_a_bad_row(workspace, asx, created):
    (workspace / "r.json").write_text(f'[{{"tid": "1", "created": "{created}", "content": "差", "result": "bad", '
                                      '"nick": "a"}]', encoding="utf-8")
    r = asx("review import r.json")
    assert r.exit_code == 2 and "internal error" not in r.output, r
    assert count(workspace, "reviews") == 0


def test_statement_row_dated_9999_is_a_finding_and_the_audit_stores_all_or_nothing(sample, asx):
    src = sample / "inbox" / "alipay-ledger-202611.csv"
    lines = src.read_bytes().decode("gbk").splitlines(keepends=True)
    i = next(n for n, ln in enumerate(lines) if "交易退款" in ln)
    import re

    lines[i] = re.sub(r"20\d\d-\d\d-\d\d (\d\d:)", r"9999-12-31 \1", lines[i], count=1)
    bad = sample / "s9999.csv"
    bad.write_bytes("".join(lines).encode("gbk"))
    runs = count(sample, "audit_runs")
    r = asx(["audit", "refunds", str(bad), "-f", "json"])
    assert r.exit_code in (1, 2) and "internal error" not in r.output, r
    if r.exit_code == 1:  # stored: the run and all its findings, the bad row among them
        assert count(sample, "audit_runs") == runs + 1
        assert "statement-row" in r.stdout
    else:
        assert count(sample, "audit_runs") == runs


# --- severities: a case's are low/normal/high/urgent only ----------------------------------------------

@pytest.mark.parametrize("sev", ["error", "warning", "info"])
def test_case_add_with_an_audit_severity_is_refused(workspace, asx, sev):
    line = one_error(asx(["case", "add", "--category", "质量问题", "--severity", sev]))
    assert "error (" not in line  # the message no longer offers the audit's severities
    assert count(workspace, "cases") == 0


@pytest.mark.parametrize("flag", [[], ["--skip-bad"]])
def test_case_import_with_an_audit_severity_is_a_bad_row(workspace, asx, flag):
    (workspace / "s.csv").write_text("order,buyer,category,severity,opened_at\n"
                                     "3512345678901234567,张三,质量问题,error,2026-11-19T10:00:00+08:00\n"
                                     "3512345678901234568,李四,质量问题,normal,2026-11-19T10:00:00+08:00\n",
                                     encoding="utf-8")
    r = asx(["case", "import", "s.csv", *flag])
    assert r.exit_code == (0 if flag else 2) and "internal error" not in r.output, r
    assert count(workspace, "cases") == (1 if flag else 0)


# --- encodings -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_asx_toml_not_utf8_is_one_line(workspace, asx, encoding):
    toml = workspace / "asx.toml"
    toml.write_bytes(toml.read_text(encoding="utf-8").encode(encoding))
    line = one_error(asx("case list"))
    assert "UTF-8" in line


def test_asx_toml_with_a_bom_just_works(workspace, asx):
    toml = workspace / "asx.toml"
    toml.write_bytes(b"\xef\xbb\xbf" + toml.read_bytes())
    assert asx("case list").exit_code == 0
    assert asx("config set sla.first_response_minutes 5").exit_code == 0
    assert asx("config get sla.first_response_minutes").stdout.strip() == "5"


def test_roster_import_of_a_gbk_csv(sample, asx):
    r = asx("roster show -f csv --from 2026-11-23 --to 2026-11-29")
    assert r.exit_code == 0, r
    (sample / "r.csv").write_bytes(r.stdout.encode("gbk"))
    r = asx("roster import r.csv")
    assert r.exit_code in (0, 1) and "internal error" not in r.output, r


def test_review_import_bom_then_invalid_utf8(workspace, asx):
    (workspace / "b.csv").write_bytes(b"\xef\xbb\xbftid,created,content\n1,2026-11-01 10:00:00,\xff\xfe\x80bad\n")
    one_error(asx("review import b.csv"))


def test_qianniu_review_csv_with_a_field_over_131072_characters(workspace, asx):
    asx_tmall = pytest.importorskip("asx_tmall")
    from asx.testing import plugin_registered

    with plugin_registered(asx_tmall, "tmall"):
        asx("db migrate")
        (workspace / "qn.csv").write_text("评价时间,订单号,评价结果,评价内容,追加评论\n2026-11-01 10:00:00,123,差评,\""
                                          + "好" * 140_000 + "\",\n", encoding="gbk")
        line = one_error(asx("review import qn.csv"))
        assert len(line) < 300
    assert count(workspace, "reviews") == 0


# --- calendar values and int settings, on load and on `config set` ----------------------------------

@pytest.mark.parametrize("key,value", [("calendar.workdays", '["2026-02-30"]'), ("calendar.workdays", '["x"]'),
                                       ("calendar.holidays", '{"2026-13-01" = "x"}'),
                                       ("sla.first_response_minutes", "-5"),
                                       ("sla.first_response_minutes", "123456789012345678901")])
def test_config_set_refuses_bad_calendar_and_minutes(workspace, asx, key, value):
    before = (workspace / "asx.toml").read_bytes()
    one_error(asx(["config", "set", key, "--", value] if value.startswith("-") else ["config", "set", key, value]))
    assert (workspace / "asx.toml").read_bytes() == before


@pytest.mark.parametrize("extra", ['[calendar]\nworkdays = ["x"]\n', '[calendar]\nholidays = {"2026-13-01" = "x"}\n',
                                   "[sla]\nresolution_minutes = -1\n"])
@pytest.mark.parametrize("cmd", ["case add --category 质量问题", "case due", "me"])
def test_bad_calendar_in_asx_toml_is_refused_on_load(workspace, asx, extra, cmd):
    toml = workspace / "asx.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    line = one_error(asx(cmd))
    assert "asx.toml" in line
    assert count(workspace, "cases") == 0


# --- -o naming an existing folder --------------------------------------------------------------------------

@pytest.mark.parametrize("cmd", ["case list", "kpi export", "report weekly"])
def test_output_to_an_existing_folder_leaves_no_temp_file(sample, asx, cmd):
    (sample / "d").mkdir()
    one_error(asx(f"{cmd} -o d"))
    assert [p.name for p in sample.iterdir() if p.name.startswith(".d.")] == []
    assert list((sample / "d").iterdir()) == []
