"""asx me / asx today with a fixed clock (ASX_NOW) and a tiny roster (issue 11 §1–2).

09:00 only the day shift is on; 13:59 day and night; 14:01 the night shift's break (R-ROS-2);
22:50 only the night shift. 阿杰 rests and 晓琳 is on leave all day.
"""

from __future__ import annotations

from asx.testing import ws_store
import json
from pathlib import Path

import pytest

from tests.daily.conftest import at, dt

ON = {"09:00": {"萌萌"}, "13:59": {"萌萌", "小雨"}, "14:01": {"萌萌"}, "22:50": {"小雨"}}
ME_STATUS = {  # R-ROS-2: the night shift is split, handover at 17:30
    "09:00": {"萌萌": "on_shift", "小雨": "off_duty", "阿杰": "resting", "晓琳": "on_leave"},
    "13:59": {"萌萌": "on_shift", "小雨": "on_shift", "阿杰": "resting", "晓琳": "on_leave"},
    "14:01": {"萌萌": "on_shift", "小雨": "on_break", "阿杰": "resting", "晓琳": "on_leave"},
    "22:50": {"萌萌": "off_duty", "小雨": "on_shift", "阿杰": "resting", "晓琳": "on_leave"},
}


def _me(asx, who, hm):
    r = asx(["--as", who, "me", "-f", "json", "--at", at(hm)])
    assert r.exit_code == 0, r
    return json.loads(r.stdout)


def _today(asx, hm):
    r = asx(["--as", "李主管", "today", "-f", "json", "--at", at(hm)])
    assert r.exit_code == 0, r
    return json.loads(r.stdout)


@pytest.mark.parametrize("hm", list(ON))
def test_who_is_on_shift(shop, asx, clock, hm):
    clock("23:59")
    for who, status in ME_STATUS[hm].items():
        d = _me(asx, who, hm)
        assert d["shift"]["status"] == status, (who, hm, d["shift"])
    t = _today(asx, hm)
    on = {p["agent"] for p in t["roster"]["people"] if p["state"] == "on_shift"}
    assert on == ON[hm]  # R-ROS-9
    states = {p["agent"]: p["state"] for p in t["roster"]["people"]}
    assert states["阿杰"] == "rest" and states["晓琳"] == "leave"
    assert [lv["agent"] for lv in t["leave"]] == ["晓琳"]
    if hm == "14:01":
        assert states["小雨"] == "on_break"
    if hm == "09:00":
        assert states["小雨"] == "later"
    if hm == "22:50":
        assert states["萌萌"] == "done"


def test_next_shift_and_handover_time(shop, asx, clock):
    clock("23:59")
    d = _me(asx, "萌萌", "22:50")
    assert d["shift"]["now"] is None
    assert d["shift"]["next"]["start"] == "2026-12-04T08:30:00+08:00"
    d = _me(asx, "小雨", "14:01")
    assert d["shift"]["next"]["start"] == at("17:30")
    assert d["shift"]["handovers"] == [at("17:30")]  # R-ROS-2: handover at 17:30
    assert [s["start"] for s in d["shift"]["today"]] == [at("10:00"), at("17:30")]


def test_uncovered_shift_is_reported(shop, asx, clock):
    clock("23:59")
    t = _today(asx, "09:00")
    assert {"day": "2026-12-04", "shift": "N", "min": 1, "have": 0} in t["uncovered"]  # R-ROS-3/7
    assert not [u for u in t["uncovered"] if u["day"] == "2026-12-03"]


@pytest.fixture
def items(shop, asx, clock):
    """Work planted through the real commands: cases, a promise, a handover note, a review, money."""
    clock("09:00")
    r = asx(["--as", "萌萌", "case", "add", "--category", "quality", "--severity", "urgent", "--agent", "萌萌",
             "--order", "100001", "-q", "--at", at("09:00")])
    assert r.exit_code == 0, r
    urgent = int(r.stdout)
    r = asx(["--as", "萌萌", "case", "add", "--category", "late_delivery", "--agent", "萌萌", "--order", "100002",
             "-q", "--at", at("09:00")])
    waiting = int(r.stdout)
    clock("10:05")
    assert asx(["--as", "萌萌", "case", "promise", str(waiting), "--by", at("11:00"), "--at", at("10:00")]).exit_code == 0
    assert asx(["--as", "萌萌", "case", "wait", str(waiting), "buyer", "--at", at("10:01")]).exit_code == 0
    # R-KPI-4: the complaint is about 小雨 (said: no earlier case of the buyer to default from)
    r = asx(["--as", "小雨", "case", "add", "--category", "service", "--agent", "小雨", "--about", "小雨", "-q",
             "--at", at("10:02")])
    complaint = int(r.stdout)
    for step in ("apologise", "review_chat_log", "record_fault"):  # R-CASE-3
        assert asx(["--as", "小雨", "case", "check", str(complaint), step, "--at", at("10:03")]).exit_code == 0
    assert asx(["--as", "小雨", "case", "resolve", str(complaint), "--resolution", "explained", "--party", "us",
                "--at", at("10:04")]).exit_code == 0
    r = asx(["--as", "李主管", "review", "add", "--tid", "T1", "--created", at("10:03"), "--result", "negative",
             "--item", "羽绒枕", "--owner", "小雨", "--severity", "3", "--at", at("10:03")])
    assert r.exit_code == 0, r
    clock("17:25")
    assert asx(["--as", "萌萌", "case", "handover", "write", "买家100002等照片，晚班跟进", "--for", "小雨",
                "--shift", "D", "--at", at("17:25")]).exit_code == 0
    from asx.store import open_store

    st = ws_store(shop)
    with st.tx():
        lid = st.insert("ledger", {"at": int(dt("08:00").timestamp()), "amount_fen": 1500, "reason": "compensation",
                                   "agent": "萌萌", "created_at": 0})
        st.insert("ledger", {"at": int(dt("08:10").timestamp()), "amount_fen": 900, "reason": "refund",
                             "agent": "萌萌", "created_at": 0})
        st.insert("ledger_signoffs", {"entry_id": lid, "by": "财务", "at": 0})
        rid = st.insert("audit_runs", {"at": int(dt("07:00").timestamp()), "by": "李主管"})
        st.insert("audit_findings", {"run_id": rid, "rule": "R-FIN-2", "severity": "error",
                                     "message": "payment note without agent name"})
    st.close()
    clock("23:59")
    return {"urgent": urgent, "waiting": waiting, "complaint": complaint}


def test_me_items_follow_the_clock(items, asx):
    d = _me(asx, "萌萌", "13:59")
    due = {r["id"]: r for r in d["due"]}
    assert due[items["urgent"]]["overdue"] is True            # urgent response was due 10:00 (R-SLA-2)
    assert due[items["urgent"]]["left_minutes"] < 0
    assert items["waiting"] not in due                         # waiting: clock paused
    assert [r["id"] for r in d["waiting"]] == [items["waiting"]]  # promise 11:00 passed (R-SLA-5)
    assert d["handover"] is None                               # the note comes at 17:25, not for her
    assert any(r["day"] == "2026-11-30" and r["status"] == "missing" for r in d["records"])  # R-KPI-1
    assert "buyer" not in json.dumps(d["due"])                 # R-SEC-1: no buyer data on this screen

    x = _me(asx, "小雨", "13:59")
    assert [r["id"] for r in x["reviews"]["items"]] == [1]     # on shift: the review is actionable now
    x = _me(asx, "小雨", "14:01")
    assert x["reviews"]["items"] == []                         # on the night shift's break (R-ROS-9)
    assert "not on shift" in x["reviews"]["availability"]
    assert x["handover"] is None
    x = _me(asx, "小雨", "22:50")
    assert x["handover"]["by"] == "萌萌" and "晚班跟进" in x["handover"]["text"]  # R-CASE-10
    assert [r["id"] for r in x["reviews"]["items"]] == [1]
    m = _me(asx, "萌萌", "09:00")
    assert m["waiting"] == []                                  # the promise lies ahead at 09:00


def test_today_items(items, asx):
    t = _today(asx, "13:59")
    due = {r["agent"]: r for r in t["due"]}
    assert due["萌萌"]["overdue"] == 1
    assert t["ledger"]["count"] == 1 and t["ledger"]["amount_fen"] == 900   # the signed one is not listed
    assert t["audit"]["counts"] == {"error": 1}
    assert t["complaints"]["agents"] == [{"agent": "小雨", "complaints": 1, "fines_fen": 5000, "dismissal": False,
                                          "action": "fines 50 yuan"}]  # R-KPI-4
    steps = {s["step"]: s for s in t["reviews"]["steps"]}
    assert steps["wangwang"]["due_now"] == 1
    assert {r["agent"] for r in t["records"]} >= {"萌萌", "小雨"}
    assert "method" in t["forecast"]["meta"]
    t9 = {r["agent"]: r for r in _today(asx, "09:30")["due"]}
    assert t9["萌萌"]["overdue"] == 1 and t9["萌萌"]["first_due"] == at("09:03")  # 3-minute first response (R-SLA-1)
    assert t9["小雨"]["overdue"] == 0 and t9["小雨"]["soon"] == 1     # feedback due 11:04 (R-SLA-4)


def test_screens_fit_the_terminal(items, asx, monkeypatch):
    from asx.daily.render import width

    monkeypatch.setenv("COLUMNS", "60")
    for args in (["--as", "萌萌", "me", "--at", at("13:59"), "-f", "table"],
                 ["--as", "李主管", "today", "--at", at("13:59"), "-f", "table"],
                 ["--as", "小雨", "me", "--at", at("22:50"), "-f", "table"]):
        r = asx(args)
        assert r.exit_code == 0, r
        assert "\x1b[" not in r.stdout                         # not a TTY: no colour
        assert all(width(line) <= 60 for line in r.stdout.splitlines()), r.stdout
    r = asx(["--as", "小雨", "me", "--at", at("22:50"), "-f", "table"])
    assert "Handover note" in r.stdout and "萌萌" in r.stdout
    r = asx(["--as", "李主管", "today", "--at", at("13:59"), "-f", "table"])
    assert "UNCOVERED 2026-12-04" in r.stdout
    r = asx(["--as", "小雨", "me", "--at", at("22:50")])          # piped: one row per item, CSV
    assert r.stdout.startswith("section,ref,agent,when,detail") and "\nhandover," in r.stdout
    r = asx(["--as", "小雨", "me", "--at", at("22:50"), "-f", "json", "-o", "me.json"])
    assert json.loads(Path("me.json").read_text(encoding="utf-8"))["agent"] == "小雨"   # cwd: the workspace


def test_today_is_for_supervisors(shop, asx):
    r = asx(["--as", "萌萌", "today"])
    assert r.exit_code != 0 and "only supervisor" in r.stderr


def test_width_helpers():
    from asx.daily.render import cut, pad, table, width

    assert width("萌萌ab") == 6
    assert width(cut("一二三四五六", 7)) <= 7 and cut("一二三四五六", 7).endswith("…")
    assert pad("萌", 4) == "萌  "
    lines = table([["萌萌", "x"], ["ab", "y"]], 80, indent=0)
    assert [width(ln[:ln.index(c)]) for ln, c in zip(lines, "xy")] == [6, 6]  # aligned by display width


def test_real_entry_point(shop, script_runner, monkeypatch):
    monkeypatch.setenv("ASX_NOW", at("13:59"))
    r = script_runner.run(["asx", "--as", "萌萌", "me", "-f", "json"], cwd=str(shop))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["shift"]["status"] == "on_shift"


def test_colour_only_on_a_terminal(items, app):
    from asx.daily import me, render

    d = me.build(app, "萌萌", dt("13:59"))
    plain = render.me_screen(app, d, color=False, total=80, limit=10)
    coloured = render.me_screen(app, d, color=True, total=80, limit=10)
    assert "\x1b[" not in plain and "\x1b[" in coloured       # click.style only when stdout is a TTY
    import click

    assert click.unstyle(coloured).splitlines()[0] == plain.splitlines()[0]


def test_records_as_of_at(shop, asx, clock):
    """R-KPI-1: the missing days are those before the day of --at, not before the clock."""
    clock("23:59")
    r = asx(["--as", "萌萌", "me", "-f", "json", "--at", at("09:00", "2026-12-01")])
    days = {x["day"] for x in json.loads(r.stdout)["records"]}
    assert "2026-11-30" in days and "2026-12-01" not in days and "2026-12-02" not in days
    r = asx(["--as", "萌萌", "me", "-f", "json", "--at", at("09:00")])
    assert "2026-12-02" in {x["day"] for x in json.loads(r.stdout)["records"]}
