"""R-SEC-4: asx db purge pseudonymises buyers of old closed cases; statistics stay."""

from __future__ import annotations

from asx.testing import ws_store, ws_db
import sqlite3

from asx.store import open_store


def _case(st, cid, buyer, contact, closed_at, note):
    st.insert("cases", {"id": cid, "channel": "wangwang", "order_no": f"39{cid:017d}", "buyer": buyer,
                        "buyer_contact": contact, "category": "quality", "summary": f"买家{contact}说质量差",
                        "status": "closed" if closed_at else "open", "opened_at": 1_700_000_000,
                        "closed_at": closed_at, "updated_at": 0, "csat": 4})
    st.insert("case_events", {"case_id": cid, "at": 1_700_000_000, "by": "萌萌", "action": "note",
                              "note": note})


def test_purge_pseudonymises_old_closed_cases(asx, workspace):
    st = ws_store(workspace)
    old = 1_700_000_100  # 2023-11
    with st.tx():
        _case(st, 1, "tb_小王", "13812345678", old, "已电话 13812345678 沟通")
        _case(st, 2, "tb_小王", "13812345678", old, "ok")
        _case(st, 3, "tb_阿花", "rim@qq.com", None, "call rim@qq.com")  # still open: kept
    st.close()
    r = asx("db purge --before 2024-01-01 --dry-run")
    assert r.exit_code == 0, r
    assert "2 cases" in r.stderr and "nothing changed" in r.stderr  # every purger ran, then rolled back
    assert ws_db(workspace).execute("SELECT count(*) FROM cases WHERE buyer LIKE 'anon-%'").fetchone()[0] == 0
    r = asx("db purge --before 2024-01-01 --yes")
    assert r.exit_code == 0, r
    conn = ws_db(workspace)
    rows = conn.execute("SELECT id, buyer, buyer_key, buyer_contact, summary, csat FROM cases ORDER BY id").fetchall()
    assert rows[0][1].startswith("anon-") and rows[0][1] == rows[1][1]  # same buyer, same key
    assert rows[0][3] is None and "13812345678" not in rows[0][4]
    assert rows[0][5] == 4  # statistics untouched
    assert rows[2][1] == "tb_阿花" and rows[2][3] == "rim@qq.com"
    notes = [n for (n,) in conn.execute("SELECT note FROM case_events ORDER BY case_id")]
    assert "13812345678" not in notes[0] and notes[2] == "call rim@qq.com"
    # history is append-only again afterwards, and the purge is recorded
    import pytest

    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE case_events SET note = 'x'")
    assert conn.execute("SELECT count(*) FROM access_log WHERE action = 'purge'").fetchone()[0] == 1


def test_purge_is_supervisor_only(asx, workspace):
    asx("agent add 萌萌 --role agent")
    r = asx("--as 萌萌 db purge --before 2024-01-01 --yes")
    assert r.exit_code == 2 and "supervisor" in r.stderr


def test_dry_run_and_its_warning_read_in_chinese(asx, workspace):
    # --lang zh: the late cut-off warning and the dry run's counts are phrases (issue 18 item 5)
    r = asx("--lang zh db purge --before 2099-01-01 --dry-run")
    assert r.exit_code == 0, r
    assert "晚于保留期设置" in r.stderr and "未做任何更改" in r.stderr
    assert "later than" not in r.stderr and "dry run" not in r.stderr
