"""One test per finding type of the refund audit (R-FIN-2/3/4, R-ROS-9): each plants exactly one
violation beside a clean payout and fails if that check is removed."""

from __future__ import annotations


CLEAN = ("2026-11-03 10:00:00", 10.0)   # 萌萌 on the day shift, ledger entry on order 1001


def _clean(shop):
    shop.entry("2026-11-03 09:55:00", 10.0, order_no="1001")
    return shop.line("2026-11-03 10:00:00", 10.0, order="1001")


def test_clean_payout_has_no_finding(shop):
    r = shop.audit([_clean(shop)])
    assert r.findings == []
    assert r.payouts == 1 and r.paid_fen == 1000 and r.errors == 0


def test_note_missing(shop):
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, "", order="1002")])
    assert shop.rules(r, 7) == {"note-missing"}
    assert shop.rules(r, 6) == set()
    assert r.errors == 1


def test_note_malformed(shop):
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, "删除中评-萌萌", order="1002")])
    assert shop.rules(r, 7) == {"note-malformed"}
    f = next(f for f in r.findings if f.rule == "note-malformed")
    assert f.severity == "error" and "'-'" in f.message


def test_note_spacing_and_fullwidth_are_warnings(shop):
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=2)
    shop.entry("2026-11-03 12:00:00", 13.0, order_no="1003", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, "删除中评 _ 萌萌", order="1002"),
                    shop.line("2026-11-03 12:05:00", 13.0, "删除中评＿萌萌", order="1003")])
    assert shop.rules(r, 7) == {"note-spacing"} and shop.rules(r, 8) == {"note-spacing"}
    assert {f.severity for f in r.findings} == {"warning"}
    assert r.errors == 0


def test_note_personal_data_is_shown_masked(shop):
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, "返现13912345678_萌萌", order="1002")])
    assert shop.rules(r, 7) == {"note-personal-data"}
    f = next(f for f in r.findings if f.rule == "note-personal-data")
    assert "13912345678" not in f.message and "139****5678" in f.message


def test_agent_unknown(shop):
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, "删除中评_小美", order="1002")])
    assert shop.rules(r, 7) == {"agent-unknown"}


def test_agent_retired(shop):
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, "删除中评_阿强", order="1002")])
    assert "agent-retired" in shop.rules(r, 7)
    assert "2026-10-01" in next(f.message for f in r.findings if f.rule == "agent-retired")


def test_agent_off_duty(shop):
    # 小雨 works 10:00-14:00 and 17:30-23:00: at 15:40 she is between her two segments
    shop.entry("2026-11-03 15:35:00", 12.0, agent="小雨", order_no="1002", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 15:40:00", 12.0, "删除中评_小雨", order="1002")])
    assert shop.rules(r, 7) == {"agent-off-duty"}
    # within the grace after a segment ends it counts as on duty
    r2 = shop.audit([shop.line("2026-11-03 14:20:00", 12.0, "删除中评_小雨", order="1002")])
    assert "agent-off-duty" not in shop.rules(r2)


def test_roster_missing_says_so_instead_of_guessing(shop):
    shop.entry("2026-11-05 11:00:00", 12.0, order_no="1002", case_id=2)
    shop.entry("2026-11-05 12:00:00", 13.0, order_no="1003", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-05 11:05:00", 12.0, order="1002"),
                    shop.line("2026-11-05 12:05:00", 13.0, order="1003")])
    found = [f for f in r.findings if f.rule == "roster-missing"]
    assert len(found) == 1 and found[0].severity == "warning"          # one per day
    assert "no roster for 2026-11-05" in found[0].message and "2 payout(s)" in found[0].message
    assert "agent-off-duty" not in shop.rules(r)


def test_no_ledger_entry_names_the_case_on_the_order(shop):
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, order="1002")])
    assert shop.rules(r, 7) == {"no-ledger-entry"}
    f = next(f for f in r.findings if f.rule == "no-ledger-entry")
    assert "case #2" in f.action


def test_entry_no_payout(shop):
    lost = shop.entry("2026-11-03 12:00:00", 20.0, order_no="1002", case_id=2)
    shop.entry("2026-11-03 12:00:00", 30.0, order_no="1002", case_id=2, channel="coupon")   # not in Alipay
    r = shop.audit([_clean(shop), shop.line("2026-11-03 13:00:00", 1.0, "x_萌萌", order="1009",
                                            biz_type="收费")])   # a fee is not a payout
    got = [f for f in r.findings if f.rule == "entry-no-payout"]
    assert [f.ledger_id for f in got] == [lost]


def test_duplicate_payout(shop):
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=2)
    shop.entry("2026-11-04 11:00:00", 12.0, order_no="1002", case_id=2)   # recorded twice, paid twice
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, order="1002"),
                    shop.line("2026-11-04 11:05:00", 12.0, order="1002")], )
    assert "duplicate-payout" in shop.rules(r, 8)
    assert "duplicate-payout" not in shop.rules(r, 7)


def test_same_row_in_two_statements_is_counted_once(shop):
    clean = _clean(shop)
    a = shop.statement([clean], "a.csv")
    b = shop.statement([clean], "b.csv")
    r = shop.audit(paths=[a, b])
    assert r.findings == [] and r.payouts == 1 and r.overlap == 1


def test_refund_over_paid(shop):
    shop.order("1002", 99.0)
    shop.entry("2026-11-03 11:00:00", 129.0, "refund", order_no="1002", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 129.0, "退货退款_萌萌", order="1002",
                                            biz_type="交易退款")])
    assert shop.rules(r, 7) == {"refund-over-paid"}
    shop.order("1002", 129.0)
    assert shop.audit([shop.line("2026-11-03 11:05:00", 129.0, "退货退款_萌萌", order="1002")]).findings == []


def test_over_limit(shop):
    shop.entry("2026-11-03 11:00:00", 250.0, order_no="1002", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 250.0, order="1002")])
    assert shop.rules(r, 7) == {"over-limit"}
    assert "200.00" in next(f.message for f in r.findings if f.rule == "over-limit")
    # the limits are settings
    assert shop.audit([shop.line("2026-11-03 11:05:00", 250.0, order="1002")],
                      limits_yuan={"compensation": 300.0}).findings == []


def test_over_limit_guesses_the_reason_of_an_unrecorded_payout(shop):
    r = shop.audit([shop.line("2026-11-03 11:05:00", 250.0, "破损补偿_萌萌")])
    assert {"no-ledger-entry", "over-limit"} <= shop.rules(r, 6)


def test_unsigned(shop):
    e = shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=2, signed=False)
    fresh = shop.entry("2026-11-09 11:00:00", 13.0, order_no="1003", case_id=2, signed=False)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, order="1002"),
                    shop.line("2026-11-09 11:05:00", 13.0, order="1003")])
    got = [f for f in r.findings if f.rule == "unsigned"]
    assert [f.ledger_id for f in got] == [e]          # 7 days old; the 1-day-old one is not due yet
    assert fresh not in [f.ledger_id for f in got]


def test_no_case(shop):
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=None)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, order="1002")])
    assert shop.rules(r, 7) == {"no-case"}


def test_amount_mismatch(shop):
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 15.0, order="1002")])
    assert shop.rules(r, 7) == {"amount-mismatch"}


def test_statement_row_rejected(shop):
    bad = shop.line("2026-11-03 11:05:00", 12.0)
    bad.txn_id = "1.23457E+17"          # re-saved by Excel: digits lost
    r = shop.audit([_clean(shop), bad], since=None)
    got = [f for f in r.findings if f.rule == "statement-row"]
    assert len(got) == 1 and got[0].line == 7 and "Excel" in got[0].message


# --- matching (R-FIN-3) -----------------------------------------------------------------------

def test_matching_by_transaction_id_order_number_and_amount_window(shop):
    by_txn = shop.entry("2026-11-01 09:00:00", 12.0, txn_id="TX-1", order_no=None)       # days before
    by_order = shop.entry("2026-11-02 09:00:00", 13.0, order_no="T200P1002", case_id=2)   # prefix in ledger
    by_amount = shop.entry("2026-11-03 10:30:00", 14.0, order_no=None)
    far = shop.entry("2026-11-03 16:30:00", 15.0, order_no=None)                           # 4 h away
    r = shop.audit([shop.line("2026-11-03 11:00:00", 12.0, txn="TX-1"),
                    shop.line("2026-11-03 11:05:00", 13.0, order="1002"),
                    shop.line("2026-11-03 11:10:00", 14.0),
                    shop.line("2026-11-03 12:10:00", 15.0)], until=shop.ep("2026-11-04 00:00:00"))
    assert "no-ledger-entry" not in shop.rules(r, 6) and "no-ledger-entry" not in shop.rules(r, 7)
    assert "no-ledger-entry" not in shop.rules(r, 8)
    assert "no-ledger-entry" in shop.rules(r, 9)
    assert {f.ledger_id for f in r.findings if f.rule == "entry-no-payout"} == {far}
    assert by_txn and by_order and by_amount


def test_period_limits_payouts_and_entries(shop):
    shop.entry("2026-11-05 11:00:00", 12.0, order_no="1002", case_id=2)
    r = shop.audit([_clean(shop), shop.line("2026-11-05 11:05:00", 99.0, "")],
                   since=shop.ep("2026-11-03 00:00:00"), until=shop.ep("2026-11-04 00:00:00"))
    assert r.payouts == 1 and r.findings == []


def test_severity_can_be_overridden_by_setting(shop):
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=None)
    r = shop.audit([_clean(shop), shop.line("2026-11-03 11:05:00", 12.0, order="1002")], severity={"no-case": "error"})
    assert [f.severity for f in r.findings if f.rule == "no-case"] == ["error"]


def test_statement_without_note_column(shop):
    """The 2021 Alipay app export has no 备注 column: one warning per file, no note-missing per row."""
    path = shop.ws / "app2021.csv"
    text = ("------------------------------------------------------------------------------------\n"
            "导出信息：\n电子客户回单\n"
            "收/支,交易对方,对方账号,商品说明,收/付款方式,金额,交易状态,交易分类,交易订单号,商家订单号,交易时间\n"
            "支出,张三,138****0000,退款,余额,12.00,交易成功,退款,2026110322001,T200P1002,2026-11-03 11:05:00\n")
    path.write_bytes(text.encode("gbk"))
    shop.entry("2026-11-03 11:00:00", 12.0, order_no="1002", case_id=2)
    r = shop.audit(paths=[path])
    assert [f.rule for f in r.findings] == ["statement-no-notes"]
    assert r.findings[0].severity == "warning" and r.payouts == 1


def test_bulk_lookup_of_many_keys_matches_small_lookups(shop, monkeypatch):
    """R-FIN-3: orders_paid for >18,000 keys (one query with the keys as JSON, or a temporary table)
    gives the same answer as the chunked IN (…) path."""
    import sqlite3

    from asx.store import ledger as ledger_store

    shop.order("1001", 30.0)
    shop.order("1002", 45.5)
    keys = [str(100000 + i) for i in range(19000)] + ["1002", "1001", "1001", "", "T200P1001"]
    want = {"1001": 3000, "1002": 4550}
    assert ledger_store.orders_paid(shop.store, ["1001", "1002", "9"]) == want
    assert ledger_store.orders_paid(shop.store, keys) == want
    real = ledger_store._tuples

    def no_json(store, sql, params=()):
        if "json_each" in sql:
            raise sqlite3.OperationalError("no such table: json_each")
        return real(store, sql, params)

    monkeypatch.setattr(ledger_store, "_tuples", no_json)
    assert ledger_store.orders_paid(shop.store, keys) == want
