"""The roster-aware SLA forecast (issue 11 §3): a planted shortfall is found, a false one is not."""

from __future__ import annotations

from asx.testing import ws_store
import json

import pytest

from tests.daily.conftest import ROSTER, at, dt, put_roster


def _urgent(asx, n, *extra):
    """n urgent phone cases opened at 09:00: respond within 1 hour, by 10:00 (R-SLA-2)."""
    ids = []
    for i in range(n):
        r = asx(["--as", "李主管", "case", "add", "--category", "quality", "--severity", "urgent", "--channel", "phone", "-q",
                 "--order", f"20000{i}", "--at", at("09:00"), *extra])
        assert r.exit_code == 0, r
        ids.append(int(r.stdout))
    return ids


def _forecast(asx, hm="09:00", hours=2, *extra):
    r = asx(["--as", "李主管", "sla", "forecast", "--hours", str(hours), "--at", at(hm), "-f", "json", *extra])
    assert r.exit_code == 0, r
    return json.loads(r.stdout)


def _due_at(shop, ids):
    from asx.store import open_store

    st = ws_store(shop)
    try:
        return {r["id"]: (r["next_due_at"], r["next_due_target"]) for r in st.q(
            f"SELECT id, next_due_at, next_due_target FROM cases WHERE id IN ({','.join(map(str, ids))})")}
    finally:
        st.close()


def _plant(shop, asx, clock, *extra):
    clock("09:00")
    ids = _urgent(asx, 3, *extra)
    clock("09:02")
    due = _due_at(shop, ids)
    assert {d for d, _t in due.values()} == {int(dt("10:00").timestamp())}, due
    return ids


def test_planted_shortfall_one_agent_on(shop, asx, clock):
    ids = _plant(shop, asx, clock)
    f = _forecast(asx)
    assert f["meta"]["method"].startswith("per-agent earliest-due-first")
    assert f["meta"]["default_rate_per_hour"] == 2.0
    first = f["hours"][0]
    assert first["from"] == at("09:00") and first["agents_on"] == ["萌萌"]
    assert first["capacity"] == 2.0
    assert first["due"] == 3 and first["expected_breaches"] == 1   # capacity 2 cases/h × 1 h < 3 cases by 10:00
    assert first["after_moves"] == 1                              # nobody else on shift to take one
    assert f["meta"]["expected_breaches"] == 1
    assert f["moves"] == []
    (cover,) = f["covers"]
    assert cover["shift"] == "D" and cover["day"] == "2026-12-03" and cover["extra_agents"] == 1
    assert "晓琳" not in {c["agent"] for c in cover["candidates"]}  # on leave: never a cover (R-ROS-7)
    assert cover["candidates"][0]["agent"] == "阿杰" and "rests that day" in cover["candidates"][0]["why"]
    assert all(a["agent"] in ("萌萌", "小雨") or a["agent"] is None for a in f["agents"])


def test_no_false_shortfall_three_agents_on(shop, asx, clock):
    put_roster(shop, [("2026-12-03", "阿杰", "D", "work", "08:30-17:30"),
                      ("2026-12-03", "大伟", "D", "work", "08:30-17:30")])
    assert asx(["--as", "李主管", "agent", "add", "大伟", "--role", "agent"]).exit_code == 0
    _plant(shop, asx, clock)  # auto-assigned: least loaded spreads them over the three on shift
    f = _forecast(asx)
    assert f["hours"][0]["agents_on"] == ["大伟", "萌萌", "阿杰"]
    assert f["meta"]["expected_breaches"] == 0 and f["covers"] == [] and f["moves"] == []


def test_imbalance_is_fixed_by_moving_not_by_a_cover(shop, asx, clock):
    put_roster(shop, [("2026-12-03", "阿杰", "D", "work", "08:30-17:30"),
                      ("2026-12-03", "晓琳", "D", "work", "08:30-17:30")])
    ids = _plant(shop, asx, clock, "--agent", "萌萌")  # all three on one agent
    f = _forecast(asx)
    assert f["hours"][0]["expected_breaches"] == 1 and f["hours"][0]["after_moves"] == 0
    (move,) = f["moves"]
    assert move["from"] == "萌萌" and move["to"] in ("阿杰", "晓琳") and move["case_id"] in ids
    assert f["covers"] == []


def test_handling_rate_from_history(shop, asx, clock, app):
    """Rate = distinct cases handled ÷ on-shift hours over the lookback (documented in meta)."""
    from asx.daily.forecast import handling_rates

    put_roster(shop, [("2026-12-02", "萌萌", "D", "work", "08:30-17:30")])  # 9 h the day before
    clock("12:00", "2026-12-02")
    for i in range(18):
        r = asx(["--as", "萌萌", "case", "add", "--category", "inquiry", "--agent", "萌萌", "-q",
                 "--at", at("09:00", "2026-12-02")])
        assert asx(["--as", "萌萌", "case", "respond", r.stdout.strip(), "--at", at("10:00", "2026-12-02")]).exit_code == 0
    rates = handling_rates(app, dt("08:30"))
    assert rates.hours["萌萌"] == pytest.approx(9.0)
    assert rates.of("萌萌") == pytest.approx(2.0) and rates.source("萌萌") == "own"
    assert rates.source("小雨") == "team" and rates.of("小雨") == pytest.approx(2.0)


def test_forecast_table_and_csv(shop, asx, clock):
    _plant(shop, asx, clock)
    r = asx(["--as", "李主管", "sla", "forecast", "--hours", "3", "--at", at("09:00"), "-f", "table"])
    assert r.exit_code == 0, r
    assert "Call in covers" in r.stdout and "1 breach(es)" in r.stdout
    r = asx(["--as", "李主管", "sla", "forecast", "--hours", "3", "--at", at("09:00"), "-f", "csv", "--no-covers"])
    lines = r.stdout.splitlines()
    assert lines[0].startswith("day,from,to,agents_on") and len(lines) == 4
    assert lines[1].startswith("2026-12-03,09:00,10:00,")
    assert "call in 1 on D" in lines[1]


def test_today_shows_the_same_figure(shop, asx, clock):
    _plant(shop, asx, clock)
    r = asx(["--as", "李主管", "today", "-f", "json", "--at", at("09:02"), "--hours", "2"])
    t = json.loads(r.stdout)
    assert t["forecast"]["meta"]["expected_breaches"] == 1
    r = asx(["--as", "李主管", "today", "--at", at("09:02"), "--hours", "2", "-f", "table"])
    assert "1 breach(es)" in r.stdout
    r = asx(["--as", "李主管", "today", "--at", at("09:02"), "--hours", "2"])  # piped: one row per item
    assert "forecast,," in r.stdout and "1 breaches, 1 after moves" in r.stdout


def test_nightly_warns_when_tomorrow_morning_is_short(shop, asx, clock):
    """Tomorrow (12-04) has 萌萌 and 阿杰 on the day shift; ten urgent cases due by 09:30 are too many."""
    from asx.store import open_store

    clock("23:30", "2026-12-03")
    st = ws_store(shop)
    due = int(dt("09:30", "2026-12-04").timestamp())
    with st.tx():
        for i in range(10):
            st.insert("cases", {"channel": "wangwang", "category": "quality", "severity": "urgent", "status": "open",
                                "agent": "萌萌" if i % 2 else "阿杰", "opened_at": due - 7200, "next_due_at": due,
                                "next_due_target": "solution", "updated_at": due - 7200})
    st.close()
    r = asx(["nightly", "--date", "2026-12-03", "--only", "sla-forecast"])
    assert r.exit_code == 0, r
    assert "tomorrow morning (2026-12-04 from 08:30, 4 h) is short" in r.stderr
    text = (shop / "exports" / "2026-12-03" / "sla-forecast.txt").read_text(encoding="utf-8")
    assert text.startswith("WARNING: tomorrow morning")
    meta = json.loads((shop / "exports" / "2026-12-03" / "sla-forecast.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["kind"] == "sla_forecast" and "method" in meta
    # the same night again: byte-identical files
    before = text
    assert asx(["nightly", "--date", "2026-12-03", "--only", "sla-forecast"]).exit_code == 0
    assert (shop / "exports" / "2026-12-03" / "sla-forecast.txt").read_text(encoding="utf-8") == before


def test_nightly_ok_when_covered(shop, asx, clock):
    clock("23:30", "2026-12-03")
    r = asx(["nightly", "--date", "2026-12-03", "--only", "sla-forecast"])
    assert r.exit_code == 0, r
    text = (shop / "exports" / "2026-12-03" / "sla-forecast.txt").read_text(encoding="utf-8")
    assert text.startswith("ok: tomorrow morning") and "is short" not in r.stderr
    assert ROSTER  # the fixture roster is the one used
