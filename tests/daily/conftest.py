"""Fixtures for the daily view: a tiny roster on Thursday 2026-12-03, inserted straight into roster_days.

萌萌 day shift 08:30–17:30; 小雨 night shift 10:00–14:00 + 17:30–23:00 (break 14:00–17:30);
阿杰 resting; 晓琳 on leave (a roster_leave row too). 2026-12-04 has a day shift only (the night
shift is uncovered, R-ROS-3/7). 2026-12-05 has no roster at all.
"""

from __future__ import annotations

from asx.testing import ws_store
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")
DAY = "2026-12-03"
ROSTER = [
    (DAY, "萌萌", "D", "work", "08:30-17:30"),
    (DAY, "小雨", "N", "work", "10:00-14:00,17:30-23:00"),
    (DAY, "阿杰", None, "rest", None),
    (DAY, "晓琳", None, "leave", None),
    ("2026-12-04", "萌萌", "D", "work", "08:30-17:30"),
    ("2026-12-04", "小雨", None, "rest", None),
    ("2026-12-04", "阿杰", "D", "work", "08:30-17:30"),
    ("2026-12-04", "晓琳", None, "leave", None),
]


def at(hm: str, day: str = DAY) -> str:
    return f"{day}T{hm}:00+08:00"


def dt(hm: str, day: str = DAY) -> datetime:
    return datetime.fromisoformat(at(hm, day))


def put_roster(ws, rows) -> None:
    from asx.store import open_store

    st = ws_store(ws)
    with st.tx():
        for day, agent, shift, mark, seg in rows:
            st.execute("INSERT INTO roster_days (day, agent, shift, mark, segments, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (day, agent) DO UPDATE SET shift = excluded.shift, "
                       "mark = excluded.mark, segments = excluded.segments, updated_at = excluded.updated_at",
                       (day, agent, shift, mark, seg))
    st.close()


@pytest.fixture
def shop(workspace, monkeypatch, asx):
    """李主管 (supervisor) + four agents and the roster above; clock at 2026-12-03 09:00."""
    monkeypatch.setenv("ASX_NOW", at("09:00"))
    for name in ("萌萌", "小雨", "阿杰", "晓琳"):
        r = asx(["agent", "add", name, "--role", "agent", "--joined", "2026-01-01"])
        assert r.exit_code == 0, r
    put_roster(workspace, ROSTER)
    from asx.store import open_store

    st = ws_store(workspace)
    with st.tx():
        st.execute("INSERT INTO roster_leave (agent, from_day, to_day, reason, at, by) "
                   "VALUES ('晓琳', '2026-12-03', '2026-12-04', '病假', 0, '李主管')")
    st.close()
    return workspace


@pytest.fixture
def clock(monkeypatch):
    def set_(hm: str, day: str = DAY):
        monkeypatch.setenv("ASX_NOW", at(hm, day))
    return set_


@pytest.fixture
def app(shop):
    from asx.core.app import App

    a = App(shop)
    yield a
    a.close()
