"""The money ledger (R-FIN-1): add, list, show, sign (supervisor, append-only), unsigned, sync from
cases and reviews — through the CLI and the domain module."""

from __future__ import annotations

from asx.testing import ws_store, ws_db
import json
import sqlite3

import pytest

from asx.core.errors import UserError


@pytest.fixture
def team(workspace, asx, monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-10T10:00:00+08:00")
    for name in ("萌萌", "小雨"):
        assert asx(["agent", "add", name, "--role", "agent"]).exit_code == 0
    db = ws_db(workspace)
    db.execute("INSERT INTO cases (id, channel, category, order_no, opened_at, updated_at, resolution, amount_fen, "
               "resolved_at, agent) VALUES (7, 'wangwang', 'quality', '3961024556789012', 1793500000, 1793500000, "
               "'refund_only', 12800, 1793600000, '萌萌')")
    db.commit()
    return workspace


def test_add_list_show(team, asx):
    r = asx(["--as", "萌萌", "ledger", "add", "--amount", "10", "--reason", "补偿", "--case", "7",
             "--content", "删除中评", "--txn", "2026110320004001", "--at", "2026-11-03 10:00"])
    assert r.exit_code == 0, r
    entry_id = int(r.stdout.strip())
    rows = json.loads(asx(["ledger", "list", "-f", "json"]).stdout)
    assert len(rows) == 1
    row = rows[0]
    assert row["amount_fen"] == 1000 and row["reason"] == "compensation" and row["agent"] == "萌萌"
    assert row["note"] == "删除中评_萌萌" and row["order_no"] == "3961024556789012"      # order taken from the case
    assert row["at"] == "2026-11-03T10:00:00+08:00" and row["signed_by"] is None
    r = asx(["ledger", "show", str(entry_id)])
    assert r.exit_code == 0 and "删除中评_萌萌" in r.stdout
    assert asx(["ledger", "show", "99"]).exit_code == 2
    # filters
    assert json.loads(asx(["ledger", "list", "--agent", "小雨", "-f", "json"]).stdout) == []
    assert len(json.loads(asx(["ledger", "list", "--order", "T200P3961024556789012", "-f", "json"]).stdout)) == 1
    assert len(json.loads(asx(["ledger", "list", "--from", "2026-11-03", "--to", "2026-11-03", "-f", "json"]).stdout)) == 1
    assert json.loads(asx(["ledger", "list", "--from", "2026-11-04", "-f", "json"]).stdout) == []


def test_add_refuses_bad_input(team, asx):
    r = asx(["--as", "萌萌", "ledger", "add", "--amount", "10", "--reason", "compensation",
             "--note", "返现13812345678_萌萌"])
    assert r.exit_code == 2 and "personal data" in r.stderr and "13812345678" not in r.stderr      # R-FIN-4
    assert asx(["--as", "萌萌", "ledger", "add", "--amount", "-3", "--reason", "refund"]).exit_code == 2
    assert asx(["--as", "萌萌", "ledger", "add", "--amount", "1.234", "--reason", "refund"]).exit_code == 2
    assert asx(["--as", "萌萌", "ledger", "add", "--amount", "3", "--reason", "bribe"]).exit_code == 2
    assert asx(["--as", "萌萌", "ledger", "add", "--amount", "3", "--reason", "refund", "--case", "99"]).exit_code == 2
    r = asx(["--as", "萌萌", "ledger", "add", "--amount", "3", "--reason", "refund", "--note", "退款-萌萌"])
    assert r.exit_code == 0 and "warning" in r.stderr and "case or review" in r.stderr


def test_sign_is_supervisor_only_and_append_only(team, asx):
    ids = [asx(["--as", "萌萌", "ledger", "add", "--amount", str(a), "--reason", "refund", "--case", "7",
                "--at", "2026-11-01 10:00"]).stdout.strip() for a in (5, 6)]
    r = asx(["--as", "萌萌", "ledger", "sign", ids[0]])
    assert r.exit_code == 2 and "only supervisor" in r.stderr
    r = asx(["ledger", "sign", "99", ids[0]])
    assert r.exit_code == 2 and "#99" in r.stderr
    assert json.loads(asx(["ledger", "show", ids[0], "-f", "json"]).stdout)[0]["signed_by"] is None   # nothing signed
    r = asx(["ledger", "sign", *ids])
    assert r.exit_code == 0 and "signed 2 entries" in r.stderr
    r = asx(["ledger", "sign", ids[0]])
    assert r.exit_code == 0 and "already signed by 李主管" in r.stderr
    db = ws_db(team)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE ledger_signoffs SET by = 'x'")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM ledger_signoffs")
    row = json.loads(asx(["ledger", "show", ids[0], "-f", "json"]).stdout)[0]
    assert row["signed_by"] == "李主管" and row["signed_at"] == "2026-11-10T10:00:00+08:00"


def test_unsigned_lists_entries_older_than_the_limit(team, asx):
    old = asx(["--as", "萌萌", "ledger", "add", "--amount", "5", "--reason", "refund", "--case", "7",
               "--at", "2026-11-01 10:00"]).stdout.strip()
    asx(["--as", "萌萌", "ledger", "add", "--amount", "6", "--reason", "refund", "--case", "7",
         "--at", "2026-11-09 10:00"])
    got = [r["id"] for r in json.loads(asx(["ledger", "unsigned", "-f", "json"]).stdout)]
    assert got == [int(old)]
    assert len(json.loads(asx(["ledger", "unsigned", "--older-than", "0", "-f", "json"]).stdout)) == 2
    asx(["ledger", "sign", old])
    assert json.loads(asx(["ledger", "unsigned", "-f", "json"]).stdout) == []


def test_sync_creates_missing_entries_once(team, asx):
    db = ws_db(team)
    db.execute("INSERT INTO reviews (id, tid, created_at, result, updated_at) VALUES (3, '3961000000000001', "
               "1793500000, 'negative', 1793500000)")
    db.execute("INSERT INTO review_events (review_id, at, by, action, data) VALUES (3, 1793550000, '小雨', "
               "'compensate', '{\"amount\": \"15.00\", \"note\": \"删除差评_小雨\"}')")
    db.commit()
    r = asx(["ledger", "sync"])
    assert r.exit_code == 0 and "2 ledger entries created" in r.stderr
    rows = json.loads(asx(["ledger", "list", "-f", "json"]).stdout)
    assert {(x["reason"], x["amount_fen"], x["case_id"], x["review_id"]) for x in rows} == {
        ("refund", 12800, 7, None), ("compensation", 1500, None, 3)}
    assert "0 ledger entries created" in asx(["ledger", "sync"]).stderr


def test_domain_add_and_parse_yuan(team):
    from asx.core.money import parse_yuan
    from asx.money import ledger
    from asx.store import open_store

    assert parse_yuan("¥1,299.50") == 129950 and parse_yuan(12) == 1200
    with pytest.raises(UserError):
        parse_yuan("abc")
    st = ws_store(team)
    with st.tx():
        i, warnings = ledger.add(st, ledger.NewEntry(at=1793600000, amount_fen=500, reason="coupon", agent="萌萌",
                                                     case_id=7, note="删除中评 _ 萌萌"), by="萌萌", now=1793600000)
    assert warnings and "spaces" in warnings[0]
    with pytest.raises(UserError, match="agent"):
        with st.tx():
            ledger.add(st, ledger.NewEntry(at=1, amount_fen=5, reason="coupon", agent="nobody"), by="x", now=1)
    assert ledger.normalize_order("T200P123") == "123" and ledger.normalize_order(" ") is None
