"""asx-bakery (seed 004): order pipeline, intake review, customer classes, measures, KPIs, sample."""

from __future__ import annotations

from asx.testing import ws_db
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from bakery_testdata import add_args


def step(asx, *args):
    r = asx(["--as", "小美", "bakery", "order", *args])
    assert r.exit_code == 0, r
    return r


def test_pipeline_each_step_is_an_event(asx, bakery_team):
    assert asx(add_args("B1")).exit_code == 0
    step(asx, "check", "B1", "--at", "2026-11-20T08:05")
    step(asx, "confirm", "B1", "--at", "2026-11-20T08:10")
    step(asx, "produce", "B1", "--at", "2026-11-20T08:30")
    step(asx, "ship", "B1", "--waybill", "SF1", "--courier", "顺丰", "--at", "2026-11-20T09:00")
    step(asx, "track", "B1", "delayed", "--note", "快递延误", "--at", "2026-11-20T09:10")
    assert json.loads(asx("bakery order list -f json").stdout)[0]["exception"] == "delayed"
    step(asx, "track", "B1", "delivered", "--at", "2026-11-20T09:30")
    step(asx, "complete", "B1", "--at", "2026-11-20T09:40")
    step(asx, "follow-up", "B1", "--satisfaction", "5", "--note", "好吃", "--at", "2026-11-20T09:50")
    o = json.loads(asx("bakery order show B1 -f json").stdout)[0]
    assert o["status"] == "followed_up" and o["satisfaction"] == 5 and o["customer"] == "王**"
    assert o["phone"] == "138****5678"                                           # R-SEC-1
    assert [e["action"] for e in o["history"]] == ["receive", "check", "confirm", "produce", "ship", "track", "track",
                                                   "complete", "follow_up"]
    with pytest.raises(sqlite3.IntegrityError):
        ws_db(bakery_team).execute("UPDATE bakery_order_events SET note = 'x'")


def test_steps_out_of_order_and_times_refused(asx, bakery_team):
    assert asx(add_args("B2")).exit_code == 0
    r = asx(["--as", "小美", "bakery", "order", "ship", "B2", "--waybill", "SF2"])
    assert r.exit_code == 2 and "received" in r.stderr
    r = asx(["--as", "小美", "bakery", "order", "check", "B2", "--at", "2026-11-20T07:00"])
    assert r.exit_code == 2 and "precedes" in r.stderr
    assert asx(add_args("B2")).exit_code == 2                                      # exists already


def test_intake_review_finds_problems(asx, bakery_team):
    assert asx(add_args("B3", phone="12345", address="北京", item="吐司")).exit_code == 0
    r = asx(["--as", "小美", "bakery", "order", "check", "B3"])
    assert r.exit_code == 1
    assert "spec missing" in r.stdout and "address unclear" in r.stdout and "phone" in r.stdout
    assert json.loads(asx("bakery order list -f json").stdout)[0]["status"] == "received"


def test_intake_problems_direct():
    from asx_bakery.orders import intake_problems

    ok = {"items": [{"product": "蛋糕", "spec": "8寸", "qty": 1}], "address": "上海市徐汇区漕溪北路88号",
          "phone": "021-64871234"}
    assert intake_problems(ok) == []
    assert intake_problems({**ok, "items": []}) == ["no items: product, spec and quantity are required"]
    assert any("passed" in p for p in intake_problems({**ok, "deliver_on": "2026-11-01"}, today="2026-11-20"))
    assert any("quantity" in p for p in intake_problems({**ok, "items": [{"product": "a", "spec": "b", "qty": 0}]}))


def test_customer_classes_rule(asx, bakery_team):
    for i in range(5):                                                      # 5 orders → long-term
        assert asx(add_args(f"L{i}", customer="老顾客", phone="13800000001", at=f"2026-11-1{i}T10:00",
                            amount="30")).exit_code == 0
    assert asx(add_args("I1", customer="公司客户", phone="13800000002", amount="1200")).exit_code == 0  # ≥ 1000 yuan
    assert asx(add_args("R1", customer="新客户", phone="13800000003", amount="30")).exit_code == 0
    assert asx(add_args("OLD", customer="新客户", phone="13800000003", amount="5000",
                        at="2026-01-01T10:00")).exit_code == 0  # outside window
    got = {r["customer"]: r["class"] for r in json.loads(asx("bakery customers -f json").stdout)}
    assert got == {"老**": "long_term", "公***": "important", "新**": "regular"}   # masked (R-SEC-1)


def test_measures_deadline_owner_overdue(asx, bakery_team, monkeypatch):
    r = asx(["--as", "小美", "case", "add", "--category", "变质", "--order", "B9", "--summary", "蛋糕有酸味", "-q",
             "--channel", "phone"])
    assert r.exit_code == 0, r
    cid = r.stdout.strip()
    r = asx(["--as", "小美", "bakery", "measure", "add", cid, "--measure", "同批次留样送检", "--owner", "质检部",
             "--due", "2026-11-20T12:00"])
    assert r.exit_code == 0, r
    mid = r.stdout.strip()
    assert asx("bakery measures --overdue -f json").stdout.strip() in ("[]", "")
    monkeypatch.setenv("ASX_NOW", "2026-11-20T13:00:00+08:00")
    over = json.loads(asx("bakery measures --overdue -f json").stdout)
    assert [m["owner"] for m in over] == ["质检部"]
    assert asx(["--as", "小美", "bakery", "measure", "done", mid, "--result", "已送检"]).exit_code == 0
    assert json.loads(asx("bakery measures -f json").stdout)[0]["overdue"] == "yes"   # done late
    hist = json.loads(asx(f"case show {cid} -f json").stdout)
    text = json.dumps(hist, ensure_ascii=False)
    assert "措施#" in text and "质检部" in text
    show = json.loads(asx(f"case show {cid} -f json").stdout)
    steps = [s["step"] for s in (show["checklist"] if "checklist" in show else show[0]["checklist"])]
    assert {"keep_sample", "notify_qc", "measures"} <= set(steps)


def test_kpis_satisfaction_vs_target_and_timeliness(asx, bakery_team):
    pytest.importorskip("asx.kpi")
    for no, conf, score in (("K1", "08:10", 5), ("K2", "08:20", 3), ("K3", "09:50", 4)):
        assert asx(add_args(no, at="2026-11-19T08:00", deliver_on="2026-11-20")).exit_code == 0
        step(asx, "check", no, "--at", "2026-11-19T08:05")
        step(asx, "confirm", no, "--at", f"2026-11-19T{conf}")
        step(asx, "produce", no, "--at", "2026-11-19T10:00")
        step(asx, "ship", no, "--waybill", "SF", "--at", "2026-11-19T11:00")
        step(asx, "complete", no, "--at", "2026-11-19T18:00")
        step(asx, "follow-up", no, "--satisfaction", str(score), "--at", "2026-11-19T20:00")
    assert asx(add_args("K4", at="2026-11-19T09:00")).exit_code == 0                 # received only
    r = asx("kpi show --period 2026-11 --by team -f json --kpi bakery_order_timeliness,bakery_order_completion,"
            "bakery_satisfaction")
    assert r.exit_code == 0, r
    row = json.loads(r.stdout)["rows"][0]
    assert row["bakery_order_timeliness"] == 0.75          # K1, K2 confirmed ≤ 120 min, K3 too (110 min); K4 not
    assert row["bakery_order_completion"] == 0.75
    assert row["satisfaction"] == pytest.approx(0.6667, abs=1e-4) and row["satisfaction_target"] == 0.95
    assert row["satisfaction_gap"] < 0


def test_sample_store_bakery(asx, bakery_shop):
    orders = json.loads(asx("bakery order list -f json").stdout)
    assert len(orders) == 60 and {"received", "followed_up"} <= {o["status"] for o in orders}
    classes = {c["class"] for c in json.loads(asx("bakery customers -f json").stdout)}
    assert classes == {"regular", "important", "long_term"}
    assert len(json.loads(asx("bakery measures --overdue -f json").stdout)) == 1
    assert asx("bakery order show " + orders[0]["order_no"]).exit_code == 0


def test_installed_entry_point_lists_in_plugins(tmp_path):
    env = {**os.environ, "ASX_LOAD_PLUGINS": "bakery"}
    code = "import sys; sys._called_from_test = False\nfrom asx.cli import main\nmain(['plugins', '-f', 'json'])"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "bakery" in {p["name"] for p in json.loads(r.stdout)}, r.stderr


# --- issue 16 item 9 (seed 004): order edit, classes by phone, accuracy KPIs, complaint summary ------

def test_order_edit_keeps_history_and_reruns_the_intake_check(asx, bakery_team):
    """seed 004 三(二) 2: an order that failed the intake check is corrected with `order edit`: the old
    values stay in the history (masked when shown, R-SEC-1) and the check runs again."""
    assert asx(add_args("E1", phone="12345", address="北京", item="吐司")).exit_code == 0
    assert asx(["--as", "小美", "bakery", "order", "check", "E1", "--at", "2026-11-20T08:05"]).exit_code == 1
    # still wrong: the check runs again, fails, exit 1 with the problems
    r = asx(["--as", "小美", "bakery", "order", "edit", "E1", "--phone", "13812345678", "--at", "2026-11-20T08:20"])
    assert r.exit_code == 1 and "address unclear" in r.stdout and "phone" not in r.stdout
    r = asx(["--as", "小美", "bakery", "order", "edit", "E1", "--address", "上海市浦东新区世纪大道100号",
             "--item", "吐司:原味:2", "--note", "客户来电补全", "--at", "2026-11-20T08:30"])
    assert r.exit_code == 0, r
    o = json.loads(asx("bakery order show E1 -f json").stdout)[0]
    assert o["status"] == "checked" and "吐司 原味×2" in o["items"]
    hist = o["history"]
    assert [e["action"] for e in hist] == ["receive", "check", "edit", "check", "edit", "check"]
    first_edit = json.loads(hist[2]["data"])
    assert first_edit["changed"] == ["phone"] and first_edit["old"]["phone"] != "12345"  # masked
    assert "13812345678" not in json.dumps(hist, ensure_ascii=False)            # masked when shown
    assert json.loads(hist[5]["data"])["problems"] == [] and hist[5]["to_status"] == "checked"
    # the stored history keeps the old values unmasked for the record
    ev = [r[0] for r in ws_db(bakery_team).execute(
        "SELECT data FROM bakery_order_events WHERE action = 'edit' ORDER BY id").fetchall()]
    assert json.loads(ev[0])["new"]["phone"] == "13812345678"
    # nothing changed, or too late (in production): refused
    r = asx(["--as", "小美", "bakery", "order", "edit", "E1", "--item", "吐司:原味:2"])
    assert r.exit_code == 2 and "nothing changed" in r.stderr
    step(asx, "confirm", "E1")
    step(asx, "produce", "E1")
    r = asx(["--as", "小美", "bakery", "order", "edit", "E1", "--amount", "30"])
    assert r.exit_code == 2 and "in_production" in r.stderr


def test_edit_of_a_confirmed_order_that_breaks_the_check_sends_it_back(asx, bakery_team):
    """seed 004 三(二) 2: the check re-runs after an edit; a confirmed order that fails goes back to received."""
    assert asx(add_args("E2")).exit_code == 0
    step(asx, "check", "E2", "--at", "2026-11-20T08:05")
    step(asx, "confirm", "E2", "--at", "2026-11-20T08:10")
    r = asx(["--as", "小美", "bakery", "order", "edit", "E2", "--address", "北京", "--at", "2026-11-20T08:20"])
    assert r.exit_code == 1
    assert json.loads(asx("bakery order show E2 -f json").stdout)[0]["status"] == "received"


def test_customer_classes_are_keyed_by_phone(asx, bakery_team):
    """seed 004 六(二) 2 / issue 16 item 9: a new 王女士 with another phone is not the long-term 王女士."""
    for i in range(5):
        assert asx(add_args(f"W{i}", customer="王女士", phone="13800000001",
                            at=f"2026-11-1{i}T10:00", amount="30")).exit_code == 0
    assert asx(add_args("W9", customer="王女士", phone="13900000002", amount="30")).exit_code == 0
    got = sorted((r["phone"], r["class"]) for r in json.loads(asx("bakery customers -f json").stdout))
    assert got == [("138****0001", "long_term"), ("139****0002", "regular")]
    listed = {o["order_no"]: o["class"] for o in json.loads(asx("bakery order list -f json").stdout)}
    assert listed["W9"] == "regular" and listed["W0"] == "long_term"
    r = asx(add_args("W10", customer="王女士", phone="13900000002", amount="30"))
    assert "customer class regular" in r.stderr


def test_order_and_delivery_accuracy_kpis(asx, bakery_team):
    """seed 004 四(二) 订单/配送准确率 (issue 16 item 9): first intake check passed ÷ checked; delivered
    by the wanted day without a tracking exception ÷ shipped."""
    pytest.importorskip("asx.kpi")
    for no in ("A1", "A2", "A3"):
        assert asx(add_args(no, at="2026-11-18T08:00", deliver_on="2026-11-19")).exit_code == 0
    assert asx(add_args("A4", at="2026-11-18T08:00", phone="1")).exit_code == 0
    for no in ("A1", "A2", "A3"):
        step(asx, "check", no, "--at", "2026-11-18T08:05")
        step(asx, "confirm", no, "--at", "2026-11-18T08:10")
        step(asx, "produce", no, "--at", "2026-11-18T09:00")
        step(asx, "ship", no, "--waybill", "SF", "--at", "2026-11-18T10:00")
    asx(["--as", "小美", "bakery", "order", "check", "A4", "--at", "2026-11-18T08:05"])      # fails: phone
    step(asx, "edit", "A4", "--phone", "13812345678", "--at", "2026-11-18T08:30")         # corrected
    step(asx, "track", "A1", "delivered", "--at", "2026-11-19T11:00")                     # on time
    step(asx, "track", "A2", "delayed", "--note", "延误", "--at", "2026-11-19T09:00")
    step(asx, "track", "A2", "delivered", "--at", "2026-11-19T15:00")                     # an exception
    step(asx, "track", "A3", "delivered", "--at", "2026-11-20T09:00")                     # a day late
    r = asx("kpi show --period 2026-11 --by team -f json --kpi bakery_order_accuracy,bakery_delivery_accuracy")
    assert r.exit_code == 0, r
    row = json.loads(r.stdout)["rows"][0]
    assert row["bakery_order_accuracy"] == 0.75             # A1–A3 passed the first check, A4 did not
    assert row["bakery_delivery_accuracy"] == pytest.approx(1 / 3, abs=1e-4)


def test_complaint_summary_report(asx, bakery_team):
    """seed 004 三(三) 8: the complaint summary — cause, process, result, improvement measures, summary written."""
    r = asx(["--as", "小美", "case", "add", "--category", "变质", "--order", "B9", "--summary", "蛋糕有酸味", "-q",
             "--channel", "phone", "--at", "2026-11-18T09:00"])
    cid = r.stdout.strip()
    assert asx(["--as", "小美", "case", "respond", cid, "--at", "2026-11-18T09:05"]).exit_code == 0
    assert asx(["--as", "小美", "bakery", "measure", "add", cid, "--measure", "同批次留样送检", "--owner", "质检部",
                "--due", "2026-11-19T12:00", "--at", "2026-11-18T09:30"]).exit_code == 0
    for s in ("apologise", "record", "photo_evidence", "keep_sample", "notify_qc", "measures", "tell_customer",
              "follow_result", "summary"):
        assert asx(["--as", "小美", "case", "check", cid, s, "--at", "2026-11-18T10:00"]).exit_code == 0
    r = asx(["--as", "小美", "case", "resolve", cid, "--resolution", "refund_only", "--party", "supplier",
             "--amount", "88", "--at", "2026-11-18T11:00"])
    assert r.exit_code == 0, r
    other = asx(["--as", "小美", "case", "add", "--category", "inquiry", "--order", "B8", "--summary", "营业时间?",
                 "-q", "--at", "2026-11-18T09:10"]).stdout.strip()
    asx(["--as", "小美", "case", "resolve", other, "--resolution", "explained", "--party", "buyer",
         "--at", "2026-11-18T09:20"])
    r = asx("bakery complaint-summary -p 2026-11 -f json")
    assert r.exit_code == 0, r
    rows = json.loads(r.stdout)
    assert [x["case"] for x in rows] == [int(cid)]                                  # consultations left out
    x = rows[0]
    assert (x["cause"], x["result"], x["amount"], x["steps"], x["summary_done"], x["hours"]) == \
        ("supplier", "refund_only", "88.00", "9/9", "yes", 2.0)
    assert x["measures"] == "同批次留样送检 (质检部, open)"
    assert "by cause supplier 1" in r.stderr


def test_sample_bakery_has_a_corrected_order(asx, bakery_shop):
    """The bakery sample: an order that failed the intake check was corrected and checked again."""
    orders_ = json.loads(asx("bakery order list -f json").stdout)
    edited = [o for o in orders_ if any(e["action"] == "edit" for e in
              json.loads(asx(["bakery", "order", "show", o["order_no"], "-f", "json"]).stdout)[0]["history"])]
    assert len(edited) == 1 and edited[0]["status"] == "checked"
    assert json.loads(asx("bakery complaint-summary -f json").stdout)


def test_spoiled_cake_complaint_needs_the_apology_first(asx, bakery_team):
    """R-CASE-3, seed 004 三(三): a perishable complaint is not resolved before the apology is ticked."""
    cid = asx(["--as", "小美", "case", "add", "--category", "变质", "--order", "B7", "--summary", "奶油变味", "-q",
               "--channel", "phone", "--at", "2026-11-18T09:00"]).stdout.strip()
    assert asx(["--as", "小美", "case", "respond", cid, "--at", "2026-11-18T09:05"]).exit_code == 0
    r = asx(["--as", "小美", "case", "resolve", cid, "--resolution", "explained", "--party", "supplier",
             "--at", "2026-11-18T10:00"])
    assert r.exit_code == 2 and "apologise" in r.stderr, r
    assert asx(["--as", "小美", "case", "check", cid, "apologise", "--at", "2026-11-18T10:01"]).exit_code == 0
    r = asx(["--as", "小美", "case", "resolve", cid, "--resolution", "explained", "--party", "supplier",
             "--at", "2026-11-18T10:02"])
    assert r.exit_code == 0, r


def test_purge_pseudonymises_finished_orders(asx, bakery_team, monkeypatch):
    """R-SEC-4: `asx db purge` reaches the bakery's orders (hook register_purgers): a finished order's
    customer becomes a pseudonymous key, its phone and address go, and so do the customer data an edit
    event kept and the names in its notes; an order still open is kept; the KPIs and classes stay."""
    pytest.importorskip("asx.kpi")
    assert asx(add_args("P1", phone="13900001111")).exit_code == 0
    step(asx, "edit", "P1", "--phone", "13812345678", "--note", "王女士来电改号", "--at", "2026-11-20T08:02")
    for args in (("confirm", "P1", "--at", "2026-11-20T08:10"), ("produce", "P1", "--at", "2026-11-20T08:30"),
                 ("ship", "P1", "--waybill", "SF1", "--at", "2026-11-20T09:00"),
                 ("complete", "P1", "--at", "2026-11-20T09:40")):
        step(asx, *args)
    assert asx(add_args("P2", at="2026-11-20T08:20")).exit_code == 0       # the same customer (phone)
    step(asx, "cancel", "P2", "--note", "客户取消", "--at", "2026-11-20T08:30")
    assert asx(add_args("P3", customer="李先生", phone="13700002222", at="2026-11-20T08:40")).exit_code == 0
    kpis = "kpi show --period 2026-11 --by team -f json --kpi bakery_order_timeliness,bakery_order_completion"
    before = json.loads(asx(kpis).stdout)["rows"]

    r = asx("db purge --before 2026-11-21 --dry-run")
    assert r.exit_code == 0, r
    assert "2 bakery_orders" in r.stderr and "nothing changed" in r.stderr
    assert ws_db(bakery_team).execute("SELECT count(*) FROM bakery_orders WHERE phone IS NULL").fetchone()[0] == 0
    r = asx("db purge --before 2026-11-21 --yes")
    assert r.exit_code == 0, r
    assert "2 bakery_orders" in r.stderr
    con = ws_db(bakery_team)
    rows = {no: (c, p, a) for no, c, p, a in con.execute(
        "SELECT order_no, customer, phone, address FROM bakery_orders ORDER BY order_no")}
    assert rows["P1"][0].startswith("anon-") and rows["P1"][0] == rows["P2"][0]  # one customer, one key
    assert rows["P1"][1:] == (None, None) and rows["P2"][1:] == (None, None)
    assert rows["P3"] == ("李先生", "13700002222", "上海市浦东新区世纪大道100号")  # still open: kept
    kept = " ".join(str(x) for row in con.execute(
        "SELECT e.note, e.data FROM bakery_order_events e JOIN bakery_orders o ON o.id = e.order_id "
        "WHERE o.order_no IN ('P1', 'P2')") for x in row)
    assert "13900001111" not in kept and "13812345678" not in kept and "王女士" not in kept
    assert "客户取消" in kept  # notes without personal data stay readable
    with pytest.raises(Exception):  # the events are append-only again
        con.execute("UPDATE bakery_order_events SET note = 'x'")
    con.close()
    assert json.loads(asx(kpis).stdout)["rows"] == before
    assert "0 bakery_orders" in asx("db purge --before 2026-11-21 --yes").stderr  # done once
