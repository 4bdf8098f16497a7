"""Returns 退换货 (seed 000 退换货处理 1–5, R-CASE-8; issue 16 item 7) and `asx customer show`.
Clock fixed at 2026-11-20 10:00 +08:00 (conftest NOW)."""

from __future__ import annotations

import json

from asx.testing import ws_store


def _case(asx, buyer="买家甲", order="3900000000000000001"):
    r = asx(["--as", "萌萌", "case", "add", "--category", "not_as_described", "--order", order,
             "--buyer", buyer, "--summary", "颜色不对 13812345678", "-q", "--at", "2026-11-19T09:00:00+08:00"])
    assert r.exit_code == 0, r
    return r.stdout.strip()


def test_no_reason_return_checked_against_the_policy(asx, team):
    """seed 000 退换货 1 / R-CASE-8: the request is checked against the store's policy (window from
    delivery, never-returnable categories, postage) and the result is recorded with the case."""
    cid = _case(asx)
    r = asx(["--as", "萌萌", "case", "return", cid, "--reason", "no-reason", "--goods-category", "apparel",
             "--delivered", "2026-11-14T15:00:00+08:00", "-f", "json"])
    assert r.exit_code == 0, r
    row = json.loads(r.stdout)[0]
    assert row["policy"] == "accepted" and row["postage"] == "buyer" and row["why"] == ""
    ev = [e for e in json.loads(asx(["case", "show", cid, "-f", "json"]).stdout)["history"]
          if e["action"] == "return"]
    assert ev and "accepted" in ev[-1]["note"]

    # the same request with a 3-day window: refused, exit 1, the reason said and recorded
    assert asx("config set returns.no_reason_days 3").exit_code == 0
    r = asx(["--as", "萌萌", "case", "return", cid, "--reason", "no-reason", "--delivered", "2026-11-14T15:00:00+08:00"])
    assert r.exit_code == 1 and "no-reason window is 3 days" in r.stderr and "13812345678" not in r.output
    st = ws_store(team)
    rec = st.one("SELECT * FROM case_returns WHERE case_id = ?", [int(cid)])
    st.close()
    assert rec["policy_result"] == "refused" and "window is 3 days" in rec["policy_why"]

    # a never-returnable category, even inside the window; a fault return: any category, store pays
    assert asx(["config", "set", "returns.never_returnable", '["fresh_food"]']).exit_code == 0
    cid2 = _case(asx, order="3900000000000000002")
    r = asx(["--as", "萌萌", "case", "return", cid2, "--reason", "no-reason", "--goods-category", "fresh_food",
             "--delivered", "2026-11-19T08:00:00+08:00"])
    assert r.exit_code == 1 and "never returnable" in r.stderr
    r = asx(["--as", "萌萌", "case", "return", cid2, "--reason", "fault", "-f", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["postage"] == "store"


def test_waybill_receipt_inspection_and_the_customers_file(asx, team):
    """seed 000 退换货 2–5 / R-CASE-8: waybill and courier searchable, receipt and inspection recorded,
    closing the return updates the customer's file."""
    cid = _case(asx)
    other = _case(asx, buyer="买家乙", order="3900000000000000003")
    assert asx(["--as", "萌萌", "case", "respond", cid, "--at", "2026-11-19T09:05:00+08:00"]).exit_code == 0
    assert asx(["--as", "萌萌", "case", "return", cid, "--reason", "no-reason", "--delivered", "2026-11-17",
                "--at", "2026-11-19T09:10:00+08:00"]).exit_code == 0
    assert asx(["--as", "萌萌", "case", "return", cid, "--waybill", "SF1234567890", "--courier", "顺丰",
                "--at", "2026-11-19T11:00:00+08:00"]).exit_code == 0
    found = json.loads(asx("case list --waybill SF1234567890 -f json").stdout)
    assert [c["id"] for c in found] == [int(cid)] and int(other) not in [c["id"] for c in found]
    assert json.loads(asx("case list --waybill SF000 -f json").stdout) == []
    assert asx(["--as", "老周", "case", "return", cid, "--received", "2026-11-20T09:00:00+08:00",
                "--at", "2026-11-20T09:00:00+08:00"]).exit_code == 0
    assert asx(["--as", "老周", "case", "inspect", cid, "pass", "--at", "2026-11-20T09:10:00+08:00"]).exit_code == 0
    for step in ("apologise", "explain_product", "offer_options"):
        asx(["--as", "萌萌", "case", "check", cid, step, "--at", "2026-11-20T09:15:00+08:00"])
    r = asx(["--as", "萌萌", "case", "resolve", cid, "--resolution", "return_refund", "--party", "buyer",
             "--amount", "59.00", "--at", "2026-11-20T09:20:00+08:00"])
    assert r.exit_code == 0, r
    file = json.loads(asx("customer show 买家甲 -f json").stdout)
    ret = next(x for x in file if x["kind"] == "return")
    assert "received" in ret["state"] and "inspection pass" in ret["state"] and "closed" not in ret["state"]
    assert ret["text"] == "顺丰 SF1234567890"
    r = asx(["--as", "萌萌", "case", "close", cid, "--at", "2026-11-20T09:30:00+08:00"])
    assert r.exit_code == 0, r
    file = json.loads(asx("customer show 买家甲 -f json").stdout)
    assert [x["kind"] for x in file] == ["case", "return", "refund"]
    ret = next(x for x in file if x["kind"] == "return")
    assert "closed: return_refund/inspection pass" in ret["state"]
    assert next(x for x in file if x["kind"] == "refund")["amount"] == "59.00"
    st = ws_store(team)
    assert st.one("SELECT closed_at FROM case_returns WHERE case_id = ?", [int(cid)])["closed_at"]
    st.close()


def test_customer_show_is_masked_unless_revealed(asx, team):
    """R-SEC-1: the customer's file masks buyer data; --reveal is the supervisor's and is recorded."""
    _case(asx)
    r = asx("customer show 买家甲 -f csv")
    assert r.exit_code == 0 and "13812345678" not in r.stdout and "not_as_described" in r.stdout
    r = asx(["--as", "萌萌", "customer", "show", "买家甲", "--reveal"])
    assert r.exit_code == 2 and "13812345678" not in r.output
    r = asx("customer show 买家甲 --reveal -f csv")
    assert r.exit_code == 0 and "13812345678" in r.stdout
    st = ws_store(team)
    logged = list(st.q("SELECT * FROM access_log WHERE action = 'reveal'"))
    st.close()
    assert logged and logged[-1]["subject"].startswith("customer:") and "买家甲" not in logged[-1]["subject"]
    assert asx("customer show nobody").exit_code == 1


def test_sample_shows_a_return_checked_against_policy(asx, sample):
    """The sample store: one return accepted and closed, one refused by the no-reason window."""
    found = json.loads(asx("case list --waybill SF1400000000701 -f json").stdout)
    assert len(found) == 1 and found[0]["status"] == "closed"
    refused = json.loads(asx("customer show 退货买家_老王 -f json").stdout)
    assert any(x["kind"] == "return" and x["state"].startswith("refused") for x in refused)


def test_customer_show_finds_the_buyer_by_mobile(asx, team):
    """R-SEC-1/5, issue 17: the customer's file is found by the buyer's mobile as well as by buyer id —
    written with spaces, dashes or +86 — and then holds every case of that buyer; on a team database the
    lookup is the server's function (no raw read of contacts). Unknown numbers: exit 1, not echoed."""
    first = _case(asx)
    r = asx(["--as", "萌萌", "case", "add", "--category", "not_as_described", "--order", "3900000000000000009",
             "--buyer", "买家甲", "--phone", "+86 139-0011-2233", "--summary", "又来了", "-q",
             "--at", "2026-11-19T10:00:00+08:00"])
    assert r.exit_code == 0, r
    second = r.stdout.strip()
    other = _case(asx, buyer="买家乙", order="3900000000000000003")
    for key in ("13900112233", "139 0011 2233", "+8613900112233", "买家甲"):
        r = asx(["customer", "show", key, "-f", "json"])
        assert r.exit_code == 0, (key, r)
        refs = [x["ref"] for x in json.loads(r.stdout) if x["kind"] == "case"]
        assert refs == [f"#{first}", f"#{second}"], key
        assert f"#{other}" not in refs and "13900112233" not in r.stdout and "0011" not in r.stdout
    r = asx(["customer", "show", "13900000000"])
    assert r.exit_code == 1 and "13900000000" not in r.output
