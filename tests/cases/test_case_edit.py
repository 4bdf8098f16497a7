"""`case edit`: correct order, buyer, contact, summary, category; the history keeps each change and a new
category recomputes the SLA (issue 18 item 11; R-CASE-2, R-CASE-6 append-only history, R-SLA, R-SEC-1)."""

from __future__ import annotations

import json


def _show(asx, cid):
    r = asx(f"case show {cid} -f json")
    assert r.exit_code == 0, r
    return json.loads(r.stdout)


def test_edit_category_recomputes_sla_and_keeps_history(team, asx):
    r = asx(["--as", "萌萌", "case", "add", "--order", "3308299098846212345", "--category", "quality",
             "--buyer", "买家甲", "--summary", "拉链坏了", "--at", "2026-11-20T09:00", "-q"])
    assert r.exit_code == 0, r
    cid = int(r.stdout.strip())
    before = _show(asx, cid)
    assert {s["target"] for s in before["sla"]} == {"first_response", "solution", "resolution"}
    r = asx(["--as", "萌萌", "case", "edit", str(cid), "--category", "咨询", "--order", "3308299098846212346",
             "--buyer", "买家乙", "--summary", "问尺码 13812345678", "--note", "录错了", "--at", "2026-11-20T09:30"])
    assert r.exit_code == 0, r
    after = _show(asx, cid)
    assert (after["category"], after["order_no"]) == ("inquiry", "3308299098846212346")
    assert {s["target"] for s in after["sla"]} != {s["target"] for s in before["sla"]}   # inquiry's own targets
    ev = after["history"][-1]
    assert (ev["action"], ev["by"], ev["note"]) == ("edit", "萌萌", "录错了")
    data = json.loads(ev["data"])
    assert data["category"] == ["quality", "inquiry"]
    assert data["order_no"] == ["3308299098846212345", "3308299098846212346"]
    assert "13812345678" not in ev["data"] and "买家乙" not in ev["data"]      # masked in the history
    assert [e["action"] for e in after["history"]] == ["open", "edit"]       # appended, nothing rewritten


def test_edit_refusals(team, asx):
    cid = int(asx(["--as", "萌萌", "case", "add", "--order", "1001", "--category", "quality",
                   "--at", "2026-11-20T09:00", "-q"]).stdout.strip())
    for args, msg in ((["case", "edit", str(cid)], "nothing to change"),
                      (["case", "edit", str(cid), "--category", "quality"], "nothing changes"),
                      (["case", "edit", str(cid), "--order", "3.30830E+18"], "mangled"),
                      (["case", "edit", str(cid), "--category", "no-such"], "categor")):
        r = asx(["--as", "萌萌", *args])
        assert r.exit_code == 2 and msg in r.stderr, (args, r)
    assert [e["action"] for e in _show(asx, cid)["history"]] == ["open"]
