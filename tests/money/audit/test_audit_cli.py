"""`asx audit refunds` through the real CLI: statement variants in their original encodings, exit
codes, the stderr summary, stored runs, plugins' checks and readers, and no unmasked buyer data."""

from __future__ import annotations

from asx.testing import ws_db
import json
import sqlite3

import pytest

from asx.io.masking import find_unmasked


def _lines(shop):
    shop.entry("2026-11-03 09:55:00", 10.0, order_no="1001")
    shop.entry("2026-11-03 10:55:00", 12.0, order_no="1002", case_id=2)
    return [shop.line("2026-11-03 10:00:00", 10.0, order="1001"),
            shop.line("2026-11-03 11:00:00", 12.0, "删除差评 _ 萌萌", order="1002"),
            shop.line("2026-11-03 12:00:00", 99.0, "", direction="in", biz_type="在线支付")]


@pytest.mark.parametrize("variant", [
    dict(name="gbk12.csv"),                                    # GBK, # preamble/footer, 12 columns
    dict(name="gbk16.csv", columns=16),                        # the 16-column variant
    dict(name="bom.csv", encoding="utf-8-sig"),                # UTF-8 with BOM
    dict(name="padded.csv", pad=True),                         # space-padded cells
])
def test_statement_variants_read_the_same(shop, asx, variant):
    path = shop.statement(_lines(shop), **variant)
    raw = path.read_bytes()
    if variant.get("encoding") == "utf-8-sig":
        assert raw.startswith(b"\xef\xbb\xbf")
    else:
        raw.decode("gbk")
        assert raw.startswith(b"#")
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    r = asx(["audit", "refunds", str(path), "-f", "json"])
    assert r.exit_code == 0, r
    rows = json.loads(r.stdout)
    assert [(x["rule"], x["line"], x["severity"]) for x in rows] == [("note-spacing", 7, "warning")]
    assert "3 rows read, 2 payouts, 22.00 yuan paid" in r.stderr
    assert "note-spacing 1" in r.stderr


def test_footer_mismatch_is_a_clear_error_exit_2(shop, asx):
    path = shop.statement(_lines(shop), footer=(3, 12000, 1, 9900))
    r = asx(["audit", "refunds", str(path)])
    assert r.exit_code == 2, r
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and "footer totals do not match" in err[0] and "3 rows" in err[0]
    assert r.stdout == ""


def test_errors_exit_1_after_printing_and_the_run_is_stored(shop, asx, monkeypatch):
    lines = _lines(shop) + [shop.line("2026-11-03 13:00:00", 30.0, "返现13912345678_萌萌")]
    path = shop.statement(lines)
    r = asx(["audit", "refunds", str(path), "-f", "csv"])
    assert r.exit_code == 1, r
    assert "note-personal-data" in r.stdout and "no-ledger-entry" in r.stdout
    assert "the audit found 2 error(s)" in r.stderr
    assert "findings: no-ledger-entry 1, note-personal-data 1, note-spacing 1 (2 errors, 1 warnings)" in r.stderr
    db = ws_db(shop.ws)
    assert db.execute("SELECT count(*), sum(errors), sum(payouts), sum(paid_fen), max(exit_code) FROM audit_runs"
                      ).fetchone() == (1, 2, 3, 5200, 1)
    assert db.execute("SELECT count(*) FROM audit_findings").fetchone()[0] == 3
    # findings since yesterday: new ones only, once
    r2 = asx(["audit", "findings", "--since", "2026-11-09", "-f", "json"])
    assert r2.exit_code == 0 and len(json.loads(r2.stdout)) == 3
    monkeypatch.setenv("ASX_NOW", "2026-11-11T10:00:00+08:00")
    asx(["audit", "refunds", str(path)])
    r3 = asx(["audit", "findings", "--since", "today", "-f", "json"])
    assert json.loads(r3.stdout) == []                    # the second run found nothing new
    r4 = asx(["audit", "runs", "-f", "json"])
    assert len(json.loads(r4.stdout)) == 2
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM audit_findings")


def test_output_never_shows_buyer_data(shop, asx):
    lines = _lines(shop) + [shop.line("2026-11-03 13:00:00", 30.0, "返现13912345678_萌萌 rimu@qq.com",
                                      party="李四(13712345678)")]
    path = shop.statement(lines)
    for fmt in ("table", "csv", "json"):
        r = asx(["audit", "refunds", str(path), "-f", fmt])
        text = r.stdout + r.stderr
        assert find_unmasked(text) == [], text
        for raw in ("13912345678", "13712345678", "13800138000", "张三", "李四", "rimu@qq.com"):
            assert raw not in text


def test_from_to_limits_the_period(shop, asx):
    path = shop.statement(_lines(shop) + [shop.line("2026-11-05 13:00:00", 30.0, "")])
    r = asx(["audit", "refunds", str(path), "--from", "2026-11-03", "--to", "2026-11-03", "-f", "json",
             "--no-record"])
    assert r.exit_code == 0, r
    assert "2 payouts" in r.stderr
    assert ws_db(shop.ws).execute("SELECT count(*) FROM audit_runs").fetchone()[0] == 0


def test_unknown_layout_is_exit_2(shop, asx):
    p = shop.ws / "x.csv"
    p.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    r = asx(["audit", "refunds", str(p)])
    assert r.exit_code == 2 and "not a known statement layout" in r.stderr


def test_rules_lists_every_check(workspace, asx):
    r = asx(["audit", "rules", "-f", "json"])
    got = {x["rule"] for x in json.loads(r.stdout)}
    assert {"note-missing", "agent-off-duty", "no-ledger-entry", "entry-no-payout", "unsigned", "over-limit",
            "duplicate-payout", "refund-over-paid", "note-personal-data"} <= got


class _ShopPolicy:
    """A store plugin: no payout above 50 yuan on Sundays, and a bank CSV layout."""

    from asx import hookimpl

    @staticmethod
    @hookimpl
    def register_audit_checks(register):
        from asx.money.audit.model import Finding

        def weekend(ctx, p):
            if p.amount_fen > 5000 and p.day == "2026-11-03":
                return [Finding.of_payout(p, "shop-tuesday-cap", "error", "over 50 yuan on a Tuesday", "ask the boss")]

        register("shop-tuesday-cap", weekend, severity="error", title="Tuesday cap")

    @staticmethod
    @hookimpl
    def register_statement_readers(register):
        from asx.money.statements import GenericCsvReader

        register(GenericCsvReader("mybank", {"time": "记账日期", "amount": "发生额", "txn_id": "流水号",
                                             "note": "摘要"}))


def test_plugins_add_checks_and_readers(shop, asx):
    from asx.testing import plugin_registered

    shop.entry("2026-11-03 11:55:00", 60.0, order_no=None)
    bank = shop.ws / "bank.csv"
    bank.write_text("流水号,记账日期,发生额,摘要\nB1,2026-11-03 12:00:00,-60.00,删除中评_萌萌\n", encoding="utf-8")
    with plugin_registered(_ShopPolicy, "shop-policy"):
        r = asx(["audit", "refunds", str(bank), "-f", "json"])
    assert r.exit_code == 1, r
    assert [x["rule"] for x in json.loads(r.stdout)] == ["shop-tuesday-cap"]
    r = asx(["audit", "refunds", str(bank)])
    assert r.exit_code == 2 and "not a known statement layout" in r.stderr     # plugin gone


def test_generic_layout_from_settings(shop, asx):
    (shop.ws / "asx.toml").write_text((shop.ws / "asx.toml").read_text(encoding="utf-8") + """
[statements.layouts.mybank]
columns = {time = "记账日期", amount = "发生额", txn_id = "流水号", note = "摘要"}
""", encoding="utf-8")
    shop.entry("2026-11-03 11:55:00", 60.0, order_no=None)
    bank = shop.ws / "bank.csv"
    bank.write_text("流水号,记账日期,发生额,摘要\nB1,2026-11-03 12:00:00,-60.00,删除中评_萌萌\n", encoding="gbk")
    r = asx(["audit", "refunds", str(bank), "-f", "json"])
    assert r.exit_code == 0, r
    assert json.loads(r.stdout) == []


def test_sample_inbox_statement_shows_real_findings(sample, asx):
    files = sorted(str(p) for p in (sample / "inbox").glob("alipay-ledger-*.csv"))
    assert len(files) == 1
    (sample / "inbox" / files[0]).read_bytes().decode("gbk")
    r = asx(["audit", "refunds", *files, "-f", "json"])
    assert r.exit_code == 1, r
    got = {x["rule"] for x in json.loads(r.stdout)}
    assert {"note-missing", "note-malformed", "note-spacing", "agent-unknown", "agent-retired",
            "note-personal-data", "no-ledger-entry", "entry-no-payout", "duplicate-payout", "refund-over-paid",
            "over-limit", "unsigned"} <= got, got
    assert find_unmasked(r.stdout + r.stderr) == []
