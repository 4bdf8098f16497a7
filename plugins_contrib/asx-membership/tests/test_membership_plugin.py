"""asx-membership (seed 002): tier targets, service scope, warranty quotes, acceptance before close,
archive, sample store, entry point."""

from __future__ import annotations

from asx.testing import ws_db
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from membership_testdata import open_case, sla


def test_tier_targets_apply_to_member_cases_only(asx, club):
    gold, regular, stranger = (open_case(asx, b) for b in ("会员甲", "会员乙", "路人"))
    g, r, s = sla(asx, gold), sla(asx, regular), sla(asx, stranger)
    # seed 002: reply 1 h, analysis 2 h, start 3 h, general 24 h; gold tier is stricter
    assert g["first_response"]["target_rule"] == "30 service min"
    assert r["first_response"]["target_rule"] == "60 service min"
    assert r["solution"]["target_rule"] == "120 service min" and r["start"]["target_rule"] == "180 service min"
    assert r["resolution"]["target_rule"] == "24 calendar h"   # R-SLA preamble: "24 小时" on the wall clock
    assert "start" not in s and s["first_response"]["target_rule"] == "1 working day(s)"  # core rule (phone)


def test_complex_categories_get_working_days_and_feedback_after_resolving(asx, club):
    cid = open_case(asx, "会员乙", category="保修期内维修")
    assert sla(asx, cid)["resolution"]["target_rule"] == "3 working day(s)"
    assert asx(f"--as 萌萌 case check {cid} warranty_checked").exit_code == 0
    assert asx(f"--as 萌萌 case resolve {cid} --resolution repair --party supplier").exit_code == 0
    assert sla(asx, cid)["feedback"]["target_rule"] == "60 service min"


def test_member_tier_wins_over_core_urgent_rule(asx, club):
    cid = open_case(asx, "会员乙", severity="urgent", channel="chat")
    assert sla(asx, cid)["first_response"]["target_rule"] == "60 service min"


def test_tier_settings_from_asx_toml(asx, club):
    with open("asx.toml", "a", encoding="utf-8") as f:
        f.write('\n[plugins.membership]\ntiers = {vip = {reply_minutes = 10}, gold = {}}\n')
    assert asx("member add M9 --buyer 会员丙 --tier vip").exit_code == 0
    t = sla(asx, open_case(asx, "会员丙"))
    assert t["first_response"]["target_rule"] == "10 service min"
    assert t["start"]["target_rule"] == "180 service min"  # seed value for keys left out
    assert asx("member add M8 --buyer 会员丁 --tier silver").exit_code == 2  # no such tier any more


def test_tier_change_recomputes_open_cases_and_is_recorded(asx, club):
    cid = open_case(asx, "会员乙")
    r = asx("member tier M2 gold --reason 年消费满5000")
    assert r.exit_code == 0, r
    assert sla(asx, cid)["first_response"]["target_rule"] == "30 service min"
    rec = json.loads(asx("member show M2 -f json").stdout)
    assert [(h["from_tier"], h["to_tier"]) for h in rec["tier_history"]] == [(None, "regular"), ("regular", "gold")]
    assert asx("member tier M2 gold").exit_code == 2
    with pytest.raises(sqlite3.IntegrityError):
        ws_db(".").execute("DELETE FROM member_tier_changes")


def test_start_meets_the_start_target(asx, club):
    cid = open_case(asx, "会员甲", at="2026-11-20 09:00")
    assert asx(f"--as 萌萌 member start {cid} --note 已安排上门").exit_code == 0
    s = sla(asx, cid)["start"]
    assert s["state"] == "met" and s["met_at"].startswith("2026-11-20T10:00")
    assert asx(f"--as 萌萌 member start {open_case(asx, '路人')}").exit_code == 2  # not a member's case


def test_quote_only_out_of_warranty_and_repair_needs_acceptance_of_it(asx, club):
    cid = open_case(asx, "会员甲", category="保修期外维修")
    r = asx(f"--as 萌萌 member quote {cid} --product SN-NEW --amount 99")
    assert r.exit_code == 2 and "in warranty" in r.stderr
    r = asx(f"--as 萌萌 case resolve {cid} --resolution repair --party buyer")
    assert r.exit_code == 2 and "quote_given" in r.stderr
    r = asx(f"--as 萌萌 member quote {cid} --product SN-OLD --amount 180.00 --note 更换电机")
    assert r.exit_code == 0, r
    r = asx(f"--as 萌萌 case resolve {cid} --resolution repair --party buyer")
    assert r.exit_code == 2 and "quote_accepted" in r.stderr
    assert asx(f"--as 萌萌 case check {cid} quote_accepted").exit_code == 0
    assert asx(f"--as 萌萌 case resolve {cid} --resolution repair --party buyer").exit_code == 0
    q = ws_db(".").execute("SELECT amount_fen, note FROM member_quotes").fetchall()
    assert q == [(18000, "更换电机")]


def test_member_products_warranty_dates(asx, club):
    prods = {p["serial"]: p for p in json.loads(asx("member show M1 -f json").stdout)["products"]}
    assert prods["SN-OLD"]["warranty_until"] == "2025-01-09" and prods["SN-OLD"]["warranty"] == "out"
    assert prods["SN-NEW"]["warranty_until"] == "2028-05-31" and prods["SN-NEW"]["warranty"] == "in"


def test_close_needs_the_members_acceptance(asx, club):
    cid = open_case(asx, "会员甲")
    assert asx(f"--as 萌萌 member accept {cid}").exit_code == 2  # not resolved yet
    assert asx(f"--as 萌萌 case resolve {cid} --resolution explained --party buyer").exit_code == 0
    r = asx(f"--as 萌萌 case close {cid}")
    assert r.exit_code == 2 and f"asx member accept {cid}" in r.stderr
    assert asx(f"--as 萌萌 member accept {cid} --score 5 --note 满意").exit_code == 0
    assert asx(f"--as 萌萌 case close {cid}").exit_code == 0
    # reopened and resolved again: a new acceptance is needed
    assert asx(f"--as 萌萌 case reopen {cid} --note 又坏了").exit_code == 0
    assert asx(f"--as 萌萌 case resolve {cid} --resolution explained --party buyer").exit_code == 0
    assert asx(f"--as 萌萌 case close {cid}").exit_code == 2
    # a stranger's case closes without
    other = open_case(asx, "路人")
    assert asx(f"--as 萌萌 case resolve {other} --resolution explained --party buyer").exit_code == 0
    assert asx(f"--as 萌萌 case close {other}").exit_code == 0
    rec = json.loads(asx(f"case show {cid} -f json").stdout)
    assert rec["csat"] == 5 and "accept" in [h["action"] for h in rec["history"]]


def test_nightly_autoclose_leaves_unaccepted_member_cases(asx, club, monkeypatch):
    m, s = open_case(asx, "会员甲"), open_case(asx, "路人")
    for cid in (m, s):
        assert asx(f"--as 萌萌 case resolve {cid} --resolution explained --party buyer").exit_code == 0
    monkeypatch.setenv("ASX_NOW", "2026-11-30T10:00:00+08:00")
    from asx.core.app import App
    from asx.cases import service
    from asx.testing import plugin_host

    app = App(plugins=plugin_host())
    try:
        assert "closed 1" in service.autoclose(app)
        st = dict(app.store.execute("SELECT id, status FROM cases").fetchall())
    finally:
        app.close()
    assert st == {m: "resolved", s: "closed"}


def test_archive_marks_and_exports_closed_member_cases(asx, club, tmp_path):
    cids = [open_case(asx, b) for b in ("会员甲", "会员乙", "路人")]
    for cid in cids:
        assert asx(f"--as 萌萌 case resolve {cid} --resolution explained --party buyer").exit_code == 0
        if cid != cids[2]:
            assert asx(f"--as 萌萌 member accept {cid}").exit_code == 0
        assert asx(f"--as 萌萌 case close {cid}").exit_code == 0
    r = asx("--as 萌萌 member archive --before tomorrow")
    assert r.exit_code != 0 and "supervisor" in r.stderr
    out = tmp_path / "archive.csv"
    r = asx(["member", "archive", "--before", "tomorrow", "-o", str(out)])
    assert r.exit_code == 0, r
    text = out.read_text(encoding="utf-8-sig")
    assert text.count("\n") == 3 and "M1" in text and "M2" in text and "会员甲" not in text  # masked
    rows = json.loads(asx("member cases -f json").stdout)
    assert all(c["archived_at"] for c in rows if c["status"] == "closed")
    assert json.loads(asx("member archive --before tomorrow -f json").stdout) == []  # once only


def test_categories_of_the_service_scope(asx, club):
    for zh in ("使用问题", "退换货", "保修期内维修", "保修期外维修", "会员投诉", "质量问题", "咨询"):
        assert open_case(asx, "会员乙", category=zh) > 0


def test_member_add_validates(asx, club):
    assert asx("member add M1 --buyer 新人 --tier gold").exit_code == 2
    assert asx("member add M3 --buyer 会员甲 --tier gold").exit_code == 2
    assert asx("member add M3 --buyer x --tier gold --joined 2026-13-01").exit_code == 2
    assert asx("member list -f json --tier gold").stdout.count("M1") == 1


def test_sample_store_membership(asx, membership_shop):
    rows = json.loads(asx("member cases -f json").stdout)
    assert len(rows) >= 10
    states = {c["status"] for c in rows}
    assert {"open", "resolved", "closed"} <= states
    assert any(c["archived_at"] for c in rows) and any(c["accepted_at"] for c in rows)
    waiting = [c for c in rows if c["status"] == "resolved" and not c["accepted_at"]]
    assert waiting and asx(f"case close {waiting[0]['id']}").exit_code == 2
    tiers = {m["tier"] for m in json.loads(asx("member list -f json").stdout)}
    assert tiers == {"gold", "silver", "regular"}


def test_installed_entry_point_lists_in_plugins(tmp_path):
    """Installed with pip, the plugin loads through its entry point (no test registration)."""
    env = {**os.environ, "ASX_LOAD_PLUGINS": "membership"}
    code = "import sys; sys._called_from_test = False\nfrom asx.cli import main\nmain(['plugins', '-f', 'json'])"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    names = {p["name"] for p in json.loads(r.stdout)}
    assert "membership" in names, r.stderr
