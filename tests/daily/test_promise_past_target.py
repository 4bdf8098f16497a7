"""R-SLA-5: a promise never hides a breach. A promise later than the target needs --reason (one line
otherwise), is recorded, shows in `asx today` and the SLA forecast as a breach to come; `case due`
still orders by the target's due time and shows the promise. Fixed clock 2026-12-03 (conftest)."""

from __future__ import annotations

import json

from tests.daily.conftest import at


def _case(asx, category="quality", channel="email"):
    r = asx(["--as", "萌萌", "case", "add", "--category", category, "--channel", channel, "--agent", "萌萌",
             "--order", "9", "-q", "--at", at("08:40")])
    assert r.exit_code == 0, r
    return int(r.stdout)


def test_promise_past_the_target_needs_a_reason_and_shows_to_the_supervisor(shop, asx, clock):
    clock("09:00")
    cid = _case(asx)                     # quality complaint: initial solution due 10:40 (R-SLA-2)
    far = "2026-12-20T12:00:00+08:00"   # after the 3-working-day resolution target too
    r = asx(["--as", "萌萌", "case", "promise", str(cid), "--by", far, "--at", at("08:50")])
    assert r.exit_code == 2 and "--reason" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "solution" in r.stderr
    r = asx(["--as", "萌萌", "case", "promise", str(cid), "--by", far, "--at", at("08:50"),
             "--reason", "厂家检测需两周"])
    assert r.exit_code == 0, r
    # case due: ordered by the target (solution 10:40), the promise beside it
    rows = json.loads(asx(["--as", "萌萌", "case", "due", "-f", "json"]).stdout)
    row = next(x for x in rows if x["id"] == cid)
    assert row["next_due_target"] == "solution" and row["next_due_at"].startswith("2026-12-03T10:40")
    assert row["promised_at"].startswith("2026-12-20T12:00")
    r = asx(["--as", "萌萌", "me", "--at", at("09:02"), "-f", "table"])
    assert "solution" in r.stdout and "promised" in r.stdout                 # `me` too: target first, promise beside
    # asx today and the forecast list it as a breach to come, with its reason
    t = json.loads(asx(["--as", "李主管", "today", "-f", "json", "--at", at("09:02"), "--hours", "2"]).stdout)
    late = t["forecast"]["promised_past_target"]
    assert [(x["case_id"], x["target"], x["reason"]) for x in late] == [(cid, "solution", "厂家检测需两周")]
    assert t["forecast"]["meta"]["promised_past_target"] == 1
    r = asx(["--as", "李主管", "today", "--at", at("09:02"), "--hours", "2", "-f", "table"])
    assert "Promised past the target" in r.stdout and f"#{cid}" in r.stdout
    r = asx(["--as", "李主管", "sla", "forecast", "--hours", "2", "--at", at("09:02"), "-f", "table"])
    assert "Promised past the target" in r.stdout and "厂家检测需两周" in r.stdout


def test_promise_within_the_target_needs_no_reason(shop, asx, clock):
    clock("09:00")
    cid = _case(asx)
    r = asx(["--as", "萌萌", "case", "promise", str(cid), "--by", at("10:30"), "--at", at("08:50")])
    assert r.exit_code == 0, r
    t = json.loads(asx(["--as", "李主管", "today", "-f", "json", "--at", at("09:02"), "--hours", "2"]).stdout)
    assert t["forecast"]["promised_past_target"] == []
