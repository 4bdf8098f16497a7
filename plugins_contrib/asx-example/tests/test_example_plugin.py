"""asx-example (the flower shop of docs/plugins.md): categories and checklists (R-CASE-2/3), the
solution target (R-SLA-2), the delivery label, the append-only delivery records, complaints checked
against them, the sample shop."""

from __future__ import annotations

import json
import sqlite3

import pytest

from asx.testing import ws_db

from example_testdata import sla


def test_categories_answer_to_their_chinese_labels_and_get_the_solution_target(asx, shop):
    r = asx(["--as", "萌萌", "case", "add", "--category", "花蔫了", "--channel", "chat", "--summary", "玫瑰蔫了",
             "--agent", "萌萌", "-q"])
    assert r.exit_code == 0, r
    cid = int(r.stdout)
    rec = json.loads(asx(f"case show {cid} -f json").stdout)
    assert rec["category"] == "wilted"
    assert sla(asx, cid)["solution"]["target_rule"] == "60 service min"      # the core's complaint target is 2 h


def test_solution_target_is_a_setting(asx, shop):
    with open("asx.toml", "a", encoding="utf-8") as f:
        f.write("\n[plugins.example]\nsolution_minutes = 30\n")
    cid = int(asx(["--as", "萌萌", "flowers", "complain", "FL1", "--summary", "发错花", "--category",
                   "wrong_bouquet"]).stdout)
    assert sla(asx, cid)["solution"]["target_rule"] == "30 service min"


def test_late_delivery_checklist_gains_the_call_to_the_recipient(asx, shop):
    r = asx(["--as", "萌萌", "case", "add", "--category", "late_delivery", "--summary", "还没送到", "-q"])
    cid = int(r.stdout)
    assert asx(f"--as 萌萌 case check {cid} call_recipient").exit_code == 0


def test_delivery_record_slot_label_and_listing(asx, shop):
    r = asx(["--as", "萌萌", "flowers", "deliver", "FL1120", "--slot", "上午", "--photo", "IMG_1.jpg",
             "--at", "2026-11-20 09:30"])
    assert r.exit_code == 0, r
    rows = json.loads(asx("flowers deliveries FL1120 -f json").stdout)
    assert [(d["slot"], d["photo"], d["by"]) for d in rows] == [("morning", "IMG_1.jpg", "萌萌")]
    assert asx("--as 萌萌 flowers deliver FL2 --slot midnight --photo x.jpg").exit_code != 0
    assert asx("--as 萌萌 flowers deliver FL2 --slot evening --photo x.jpg --at '2026-11-21 09:00'").exit_code != 0


def test_delivery_records_are_append_only(asx, shop):
    assert asx("--as 萌萌 flowers deliver FL3 --slot morning --photo a.jpg").exit_code == 0
    db = ws_db(".")
    try:
        for sql in ("UPDATE example_deliveries SET photo = 'b.jpg'", "DELETE FROM example_deliveries"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):   # R-CASE-6 style history
                db.execute(sql)
    finally:
        db.close()


def test_complaint_within_the_freshness_guarantee_ticks_the_delivery_check(asx, shop):
    asx("--as 萌萌 flowers deliver FL4 --slot afternoon --photo IMG_4.jpg --at '2026-11-19 15:00'")
    r = asx(["--as", "萌萌", "flowers", "complain", "FL4", "--summary", "第二天就蔫了", "--buyer", "花友小林"])
    assert r.exit_code == 0, r
    rec = json.loads(asx(f"case show {int(r.stdout)} -f json").stdout)
    notes = [h["note"] for h in rec["history"] if h["action"] == "note"]
    assert notes == ["delivered 2026-11-19 15:00 (下午), photo IMG_4.jpg: within the 3-day freshness guarantee"]
    assert "check" in [h["action"] for h in rec["history"]]


def test_complaint_after_the_guarantee_or_without_a_record(asx, shop):
    asx("--as 萌萌 flowers deliver FL5 --slot morning --photo IMG_5.jpg --at '2026-11-10 10:00'")
    late = json.loads(asx(f"case show {int(asx('--as 萌萌 flowers complain FL5 --summary 蔫了').stdout)} "
                          "-f json").stdout)
    assert any("after the 3-day freshness guarantee" in (h["note"] or "") for h in late["history"])
    none = json.loads(asx(f"case show {int(asx('--as 萌萌 flowers complain FL6 --summary 蔫了').stdout)} "
                          "-f json").stdout)
    assert [h["note"] for h in none["history"] if h["action"] == "note"] == ["no delivery record for this order"]


def test_sample_shop(asx, tmp_path, monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")
    r = asx(["init", str(tmp_path / "shop"), "--sample", "--store", "example"])
    assert r.exit_code == 0, r
    monkeypatch.chdir(tmp_path / "shop")
    assert len(json.loads(asx("flowers deliveries -f json").stdout)) == 12
    cats = [c["category"] for c in json.loads(asx("case list -f json --limit 1000").stdout)]
    assert {"wilted", "wrong_bouquet"} <= set(cats)


def test_installed_entry_point_lists_in_plugins(tmp_path):
    """Installed with pip, the plugin loads through its entry point (no test registration)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "ASX_LOAD_PLUGINS": "example"}
    code = "import sys; sys._called_from_test = False\nfrom asx.cli import main\nmain(['plugins', '-f', 'json'])"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "example" in {p["name"] for p in json.loads(r.stdout)}, r.stderr
