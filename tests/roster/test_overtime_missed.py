"""Overtime after the night shift (R-ROS-2) and possible missed shifts (R-ROS-9), derived from
recorded case and review events (issue 16 item 8). Clock fixed at 2026-11-20 10:00 +08:00."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def night(workspace, asx, monkeypatch):
    """小七 on the night shift (10:00–14:00, 17:30–23:00) and 萌萌 on the day shift, on 2026-11-18/19."""
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")
    assert asx("config set daily.assignment none").exit_code == 0
    for name in ("小七", "萌萌"):
        assert asx(["agent", "add", name, "--role", "agent"]).exit_code == 0
    # a hand-made roster is imported (`roster set` only overrides days of a stored roster, issue 19)
    (workspace / "hand.csv").write_text("day,agent,code\n" + "".join(
        f"{day},小七,N\n{day},萌萌,D\n" for day in ("2026-11-18", "2026-11-19")), encoding="utf-8")
    r = asx(["roster", "import", str(workspace / "hand.csv"), "--reason", "test"])
    assert r.exit_code == 0, r
    return workspace


def _who(asx, at):
    out = json.loads(asx(["roster", "who", "--at", at, "-f", "json"]).stdout)
    return out["rows"] if isinstance(out, dict) else out  # the meta envelope of `roster who`


def _case(asx, who, at):
    r = asx(["--as", who, "case", "add", "--category", "late_delivery", "--order", "1", "--buyer", "b",
             "--summary", "快递没动", "-q", "--at", at])
    assert r.exit_code == 0, r
    return r.stdout.strip()


def test_night_agent_after_23_is_overtime_in_who_and_the_month(asx, night):
    """R-ROS-2: the night agent's case events after 23:00 are overtime, shown by `roster who --at
    23:10` and in the month's figures; the day agent's work inside their shift is not."""
    cid = _case(asx, "小七", "2026-11-19T22:50:00+08:00")
    assert asx(["--as", "小七", "case", "respond", cid, "--at", "2026-11-19T22:52:00+08:00"]).exit_code == 0
    assert asx(["--as", "小七", "case", "note", cid, "仍在沟通", "--at", "2026-11-19T23:25:00+08:00"]).exit_code == 0
    _case(asx, "萌萌", "2026-11-19T15:00:00+08:00")
    rows = _who(asx, "2026-11-19T23:10:00+08:00")
    assert [(r["agent"], r["shift"]) for r in rows] == [("小七", "N")]
    assert rows[0]["overtime"] == "since 23:00, last activity 23:25 (25 min)"
    # after the last recorded activity, not any more
    assert _who(asx, "2026-11-19T23:40:00+08:00") == []
    days = json.loads(asx("roster overtime --month 2026-11 -f json").stdout)
    assert [(d["day"], d["agent"], d["minutes"], d["events"]) for d in days] == [("2026-11-19", "小七", 25, 1)]
    assert f"case {cid} note 23:25" in days[0]["evidence"]
    totals = json.loads(asx("roster overtime --month 2026-11 --totals -f json").stdout)
    assert totals == [{"agent": "小七", "days": 1, "minutes": 25, "hours": 0.42}]
    # during the shifts: on duty, no overtime
    rows = _who(asx, "2026-11-19T12:00:00+08:00")
    assert [(r["agent"], r["overtime"]) for r in rows] == [("萌萌", ""), ("小七", "")]


def test_the_day_shift_earns_overtime_only_when_set(asx, night):
    """R-ROS-2: after the day shift (17:30) the night shift has taken over: not overtime by default;
    with roster.overtime_all_shifts every shift counts."""
    _case(asx, "萌萌", "2026-11-19T18:10:00+08:00")
    assert json.loads(asx("roster overtime --month 2026-11 -f json").stdout) == []
    assert asx("config set roster.overtime_all_shifts true").exit_code == 0
    days = json.loads(asx("roster overtime --month 2026-11 -f json").stdout)
    assert [(d["agent"], d["minutes"]) for d in days] == [("萌萌", 40)]


def test_a_shift_without_any_activity_is_flagged_with_evidence(asx, night):
    """R-ROS-9: a working day with no recorded activity at all is flagged for the supervisor as a
    possible missed shift, with the evidence; a day with activity is not."""
    _case(asx, "小七", "2026-11-18T11:00:00+08:00")
    _case(asx, "小七", "2026-11-19T20:00:00+08:00")
    _case(asx, "萌萌", "2026-11-19T09:00:00+08:00")
    r = asx("roster missed --month 2026-11 -f json")
    assert r.exit_code == 1 and "possible missed shift" in r.stderr
    rows = json.loads(r.stdout)
    assert [(x["day"], x["agent"]) for x in rows] == [("2026-11-18", "萌萌")]
    ev = rows[0]["evidence"]
    assert "no case or review event by 萌萌 from 08:30 to 20:30" in ev
    assert "first after: 2026-11-19T09:00:00+08:00" in ev and "last activity before: none" in ev
    # once 萌萌's activity that day is recorded (late, e.g. from an import), nothing is flagged
    _case(asx, "萌萌", "2026-11-18T16:00:00+08:00")
    r = asx("roster missed --month 2026-11 -f json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []


def test_sample_shows_overtime_after_23(asx, sample):
    """The sample store: yesterday's night agent worked past 23:00 (R-ROS-2)."""
    rows = _who(asx, "2026-11-19T23:10:00+08:00")
    assert any(r["overtime"].startswith("since 23:00") for r in rows)
