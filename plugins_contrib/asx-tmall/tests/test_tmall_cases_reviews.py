"""asx-tmall: night-shift first response (R-SLA-1), Tmall checklists (R-CASE-3), 千牛 review
export and severity words (R-REV-1/4), sample store."""

from __future__ import annotations

from asx.testing import ws_db
import json
import sqlite3

import pytest

from tmall_testdata import QIANNIU_HEADER, qianniu_line


@pytest.fixture
def shop(workspace, asx, monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")
    for name, role in (("萌萌", "agent"), ("小雨", "agent"), ("阿敏", "order_clerk")):
        assert asx(["agent", "add", name, "--role", role]).exit_code == 0
    db = ws_db(workspace)
    db.executemany("INSERT INTO roster_days (day, agent, shift, mark, segments, updated_at) VALUES (?, ?, ?, 'work', ?, 0)",
                   [("2026-11-19", "萌萌", "N", "10:00-14:00,17:30-23:00"), ("2026-11-19", "小雨", "D", "08:30-17:30")])
    db.commit()
    return workspace


def add_case(asx, agent, at, category="inquiry", channel="wangwang"):
    r = asx(["--as", agent, "case", "add", "--category", category, "--channel", channel, "--agent", agent,
             "--order", "3901234567890123456", "--summary", "咨询", "--at", at, "-q"])
    assert r.exit_code == 0, r
    return int(r.stdout.strip())


def first_response(asx, cid):
    sla = json.loads(asx(f"case show {cid} -f json").stdout)
    rows = sla["sla"] if "sla" in sla else sla[0]["sla"]
    return next(r for r in rows if r["target"] == "first_response")


def test_night_shift_first_response_is_one_minute(asx, shop):
    night = add_case(asx, "萌萌", "2026-11-19T18:00")      # 萌萌 works N 17:30-23:00 (R-SLA-1, seed 001)
    day = add_case(asx, "小雨", "2026-11-19T12:00")        # 小雨 on the day shift: the core 3 minutes
    assert first_response(asx, night)["due_at"] == "2026-11-19T18:01:00+08:00"
    assert first_response(asx, day)["due_at"] == "2026-11-19T12:03:00+08:00"
    phone = add_case(asx, "萌萌", "2026-11-19T18:10", channel="phone")  # offline: not the chat target
    assert first_response(asx, phone)["due_at"] != "2026-11-19T18:11:00+08:00"
    asx(["--as", "萌萌", "case", "respond", str(night), "--note", "亲在的", "--at", "2026-11-19T18:02"])
    assert first_response(asx, night)["state"] == "breached"


def test_night_target_is_a_setting(asx, shop):
    (shop / "asx.toml").write_text((shop / "asx.toml").read_text(encoding="utf-8")
                                   + "\n[plugins.tmall]\nnight_first_response_minutes = 0\n", encoding="utf-8")
    night = add_case(asx, "萌萌", "2026-11-19T18:00")
    assert first_response(asx, night)["due_at"] == "2026-11-19T18:03:00+08:00"


def test_tmall_checklist_steps_and_order_clerk(asx, shop):
    cid = add_case(asx, "萌萌", "2026-11-19T12:00", category="少发货")
    show = json.loads(asx(f"case show {cid} -f json").stdout)
    steps = [s["step"] for s in (show["checklist"] if "checklist" in show else show[0]["checklist"])]
    assert steps.index("check_staff_error") + 1 == steps.index("ask_photos")
    assert {"check_split_waybills", "reship", "coupon", "platform_intervention", "record_for_meeting"} <= set(steps)
    assert steps.count("check_split_waybills") == 1                           # extended, not duplicated
    assert asx(["--as", "阿敏", "case", "check", str(cid), "reship"]).exit_code == 0  # 制单客服 reships
    r = asx(["--as", "阿敏", "case", "resolve", str(cid), "--resolution", "reship", "--party", "us"])
    assert r.exit_code != 0                                                   # but does not resolve
    assert asx(["--as", "萌萌", "case", "check", str(cid), "check_split_waybills"]).exit_code == 0
    cats = json.loads(asx("case categories -f json").stdout) if asx("case categories -f json").exit_code == 0 else None
    if cats is not None:
        assert any("少发" in json.dumps(c, ensure_ascii=False) for c in cats)


def qianniu_file(tmp_path, lines, encoding="gbk"):
    p = tmp_path / "评价管理.csv"
    p.write_bytes(("\r\n".join(["评价管理导出,2026-11-20", QIANNIU_HEADER, *lines]) + "\r\n").encode(encoding))
    return p


def test_qianniu_export_import(asx, shop, tmp_path):
    f = qianniu_file(tmp_path, [
        qianniu_line("2026-11-18 21:00:00", "t**小鹿", "3901888800000001", "差评", "怀疑是假货", oid="3901888800000002"),
        qianniu_line("2026-11-18 22:00:00", "q**阿福", "3901888800000003", "中评", "颜色有色差", append="洗了起球",
                     item_id="612345678902"),
        qianniu_line("2026-11-18 23:00:00", "m**开心", "3901888800000004", "好评", "很好"),
    ])
    r = asx(["--as", "萌萌", "review", "import", str(f)])
    assert r.exit_code == 0, r
    assert "tmall-qianniu" in r.stderr
    rows = {x["tid"]: x for x in json.loads(asx("review list -f json --all").stdout
                                           if asx("review list -f json --all").exit_code == 0
                                           else asx("review list -f json").stdout)}
    assert set(rows) == {"3901888800000001", "3901888800000003"}           # the good review is skipped
    assert rows["3901888800000001"]["severity"] == 3                         # 假货 (tmall words / R-REV-4)
    assert rows["3901888800000003"]["content"] == "颜色有色差 【追评】洗了起球"
    db = ws_db(shop)
    assert db.execute("SELECT item_id, oid FROM reviews WHERE tid = '3901888800000001'").fetchone() == \
        ("612345678901", "3901888800000002")
    again = asx(["--as", "萌萌", "review", "import", str(f)])
    assert again.exit_code == 0 and db.execute("SELECT count(*) FROM reviews").fetchone() == (2,)


def test_qianniu_mangled_order_rejected(asx, shop, tmp_path):
    f = qianniu_file(tmp_path, ["2026-11-18 21:00:00,t**小鹿,3.90189E+18,,差评,太差,,枕头,https://x/item.htm?id=1,"])
    r = asx(["--as", "萌萌", "review", "import", str(f)])
    assert r.exit_code != 0 or "Excel" in r.stderr
    assert ws_db(shop).execute("SELECT count(*) FROM reviews").fetchone() == (0,)


def test_traderate_json_still_read_by_the_core_reader(asx, shop, tmp_path):
    f = tmp_path / "rates.json"
    f.write_text(json.dumps({"traderates_get_response": {"trade_rates": {"trade_rate": [
        {"tid": 3901888800000009, "oid": 3901888800000010, "role": "buyer", "nick": "tb小明", "result": "neutral",
         "created": "2026-11-18 20:00:00", "item_title": "蚕丝被", "content": "一般，要投诉"}]}}}, ensure_ascii=False),
        encoding="utf-8")
    r = asx(["--as", "萌萌", "review", "import", str(f)])
    assert r.exit_code == 0 and "traderate" in r.stderr, r
    db = ws_db(shop)
    assert db.execute("SELECT severity FROM reviews").fetchone() == (3,)     # 投诉 → severe


def test_severity_rule_direct():
    from asx_tmall.reviews import DEFAULT_SEVERE, rule_tmall_words

    class Cfg(dict):
        pass

    assert rule_tmall_words({"content": "再不处理就打12315"}) == 3
    assert rule_tmall_words({"content": "还行"}) is None
    assert rule_tmall_words({"content": "还行", "settings": {"config": Cfg({"plugins.tmall.severe_words": ["还行"]})}}) == 3
    assert "假货" in DEFAULT_SEVERE


def test_sample_shows_night_target_checklists_and_qianniu(asx, tmall_shop):
    db = ws_db(tmall_shop)
    night = db.execute("SELECT id FROM cases WHERE order_no = '3901777700000001'").fetchone()[0]
    fr = first_response(asx, night)
    assert fr["target_rule"] == "1 service min" and fr["state"] == "met"
    late = db.execute("SELECT id FROM cases WHERE order_no = '3901777700000002'").fetchone()[0]
    assert first_response(asx, late)["state"] == "breached"
    assert db.execute("SELECT count(*) FROM case_checks WHERE step = 'check_split_waybills'").fetchone()[0] >= 1
    assert db.execute("SELECT count(*) FROM reviews WHERE tid LIKE '39018888%'").fetchone()[0] == 2
