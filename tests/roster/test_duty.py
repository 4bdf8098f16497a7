"""asx.roster.duty: who is on duty at a minute (R-ROS-9), including the night shift's break."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from asx.roster.duty import next_on_duty, on_duty
from asx.store import open_store

TZ = ZoneInfo("Asia/Shanghai")


def _store(tmp_path):
    st = open_store(tmp_path / "r.db", create=True)
    with st.tx():
        for day, agent, shift, mark, seg in [
            ("2026-12-03", "萌萌", "D", "work", "08:30-17:30"),
            ("2026-12-03", "小雨", "N", "work", "10:00-14:00,17:30-23:00"),
            ("2026-12-03", "阿杰", None, "rest", None),
            ("2026-12-03", "夜猫", "X", "work", "22:00-02:00"),
        ]:
            st.insert("roster_days", {"day": day, "agent": agent, "shift": shift, "mark": mark, "segments": seg,
                                      "updated_at": 0})
    return st


def at(s):
    return datetime.fromisoformat(s).replace(tzinfo=TZ)


def test_night_shift_break(tmp_path):
    st = _store(tmp_path)
    assert set(on_duty(st, at("2026-12-03T13:59")).on) == {"萌萌", "小雨"}
    assert set(on_duty(st, at("2026-12-03T14:01")).on) == {"萌萌"}
    assert set(on_duty(st, at("2026-12-03T21:40")).on) == {"小雨"}
    d = on_duty(st, at("2026-12-03T23:30"))
    assert set(d.on) == {"夜猫"} and d.known
    assert d.rostered["阿杰"] == "rest"


def test_overnight_segment_counts_on_next_day(tmp_path):
    st = _store(tmp_path)
    d = on_duty(st, at("2026-12-04T01:30"))
    assert set(d.on) == {"夜猫"}
    assert d.known is False  # nothing rostered for the 4th itself: said, not guessed


def test_next_on_duty(tmp_path):
    st = _store(tmp_path)
    assert next_on_duty(st, "小雨", at("2026-12-03T14:30")) == at("2026-12-03T17:30")
    assert next_on_duty(st, "小雨", at("2026-12-03T11:00")) == at("2026-12-03T11:00")
    assert next_on_duty(st, "阿杰", at("2026-12-03T08:00")) is None
