"""SLA arithmetic (R-SLA-1..5): closed hours, overnight, public holiday, 调休 Saturday, pauses, promise."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asx.cases import service, sla
from asx.core.calendar import ServiceCalendar

TZ = ZoneInfo("Asia/Shanghai")


def T(s):
    return datetime.fromisoformat(s).replace(tzinfo=TZ)


def E(s):
    return int(T(s).timestamp())


def _case(app, opened, **kw):
    data = {"category": "inquiry", "agent": "萌萌", "order": "1", **kw}
    return service.open_case(app, data, at=T(opened), by="萌萌")


def _sla(app, cid):
    return {r["target"]: r for r in app.store.q("SELECT * FROM case_sla WHERE case_id = ?", (cid,))}


def test_first_response_across_closed_hours(app):
    cid = _case(app, "2026-11-19T22:58:00")         # 2 service minutes left before 23:00
    s = _sla(app, cid)["first_response"]
    assert s["due_at"] == E("2026-11-20T08:31:00")  # 3 min: 2 tonight + 1 after opening (R-SLA-1)
    service.act(app, cid, "respond", at=T("2026-11-20T08:30:30"), by="萌萌")
    s = _sla(app, cid)["first_response"]
    assert s["state"] == "met" and s["service_minutes"] == 2 and s["calendar_minutes"] == 572


def test_overnight_service_hours():
    cal = ServiceCalendar(hours="22:00-02:00")
    clock = sla.ServiceClock(cal)
    due = clock.due(E("2026-11-19T01:30:00"), sla.Target("x", minutes=60))
    assert due == E("2026-11-19T22:30:00")  # 30 min before 02:00, 30 min after 22:00


def test_working_days_skip_public_holiday_and_count_tiaoxiu_saturday(app):
    # quality is a complex problem: 3 working days (R-SLA-3). 2026-10-01..07 National Day;
    # 10-08 Thu, 10-09 Fri, 10-10 Saturday is a make-up workday 调休.
    cid = _case(app, "2026-09-30T10:00:00", category="quality")
    assert _sla(app, cid)["resolution"]["due_at"] == E("2026-10-10T10:00:00")


def test_public_holiday_service_minutes_count_every_day(app):
    # service hours run every day, holidays included (R-SLA preamble): 3 service minutes from 22:59 on
    # National Day end at 08:32 the next (holiday) morning; the 24 h general problem runs on the
    # calendar clock (R-SLA-3 "24 小时", as a buyer reads it)
    cid = _case(app, "2026-10-01T22:59:00")
    s = _sla(app, cid)
    assert s["first_response"]["due_at"] == int(app.calendar.add_service_minutes(T("2026-10-01T22:59:00"), 3).timestamp())
    assert s["first_response"]["due_at"] == E("2026-10-02T08:32:00")
    assert s["resolution"]["due_at"] == E("2026-10-02T22:59:00")


def test_waiting_pauses_the_clock(app):
    cid = _case(app, "2026-11-19T09:00:00")
    service.act(app, cid, "respond", at=T("2026-11-19T09:01:00"), by="萌萌")
    before = _sla(app, cid)["resolution"]["due_at"]
    service.act(app, cid, "wait", on="buyer", at=T("2026-11-19T10:00:00"), by="萌萌")
    row = app.store.one("SELECT * FROM cases WHERE id = ?", (cid,))
    assert row["next_due_at"] is None                        # paused: nothing due
    service.act(app, cid, "resume", at=T("2026-11-19T22:00:00"), by="萌萌")
    after = _sla(app, cid)["resolution"]["due_at"]
    assert before == E("2026-11-20T09:00:00")                  # 24 calendar hours (R-SLA-3)
    assert after == E("2026-11-20T21:00:00")                  # moved by the 12 calendar hours paused
    s = service.sla_state(app, app.store.one("SELECT * FROM cases WHERE id = ?", (cid,)))
    res = next(r for r in s if r["target"] == "resolution")
    # elapsed as of 2026-11-20 10:00: (09:00-10:00) + (22:00-23:00) + (08:30-10:00) = 210 service min
    assert res["service_minutes"] == 210
    assert res["calendar_minutes"] == 25 * 60 - 12 * 60


def test_promise_is_recorded_and_the_target_stays_the_due_time(app):
    # R-SLA-5: a promise never hides a breach: attainment and the queue stay on the target
    cid = _case(app, "2026-11-20T09:00:00")
    service.act(app, cid, "promise", until=T("2026-11-20T16:00:00"), at=T("2026-11-20T09:02:00"), by="萌萌")
    c = app.store.one("SELECT * FROM cases WHERE id = ?", (cid,))
    assert c["status"] == "open" and c["first_response_at"] == E("2026-11-20T09:02:00")
    assert c["promised_at"] == E("2026-11-20T16:00:00")
    assert _sla(app, cid)["resolution"]["due_at"] == E("2026-11-21T09:00:00")   # 24 h general (R-SLA-3)
    assert c["next_due_at"] == E("2026-11-21T09:00:00")   # not the promise: the queue stays on the target


def test_feedback_after_resolution_and_breach(app):
    cid = _case(app, "2026-11-20T08:00:00")
    service.act(app, cid, "respond", at=T("2026-11-20T08:40:00"), by="萌萌")   # late: due 08:33
    service.act(app, cid, "resolve", resolution="explained", party="buyer", at=T("2026-11-20T08:50:00"), by="萌萌")
    s = _sla(app, cid)
    assert s["first_response"]["state"] == "breached"
    assert s["resolution"]["state"] == "met"
    assert s["feedback"]["due_at"] == E("2026-11-20T09:50:00") and s["feedback"]["state"] == "breached"
    c = app.store.one("SELECT * FROM cases WHERE id = ?", (cid,))
    assert c["next_due_target"] == "feedback"
    service.act(app, cid, "respond", by="萌萌")
    assert app.store.one("SELECT next_due_at FROM cases WHERE id = ?", (cid,))["next_due_at"] is None


def test_rules_most_specific_wins_and_settings_rules(app):
    rs = service.rules(app)
    assert rs.for_case({"category": "inquiry", "severity": "normal", "channel": "wangwang"})["first_response"].minutes == 3
    assert rs.for_case({"category": "inquiry", "severity": "normal", "channel": "email"})["first_response"].working_days == 1
    assert rs.for_case({"category": "inquiry", "severity": "urgent", "channel": "email"})["first_response"].minutes == 60
    assert "solution" not in rs.for_case({"category": "inquiry", "severity": "normal", "channel": "wangwang"})
    assert rs.for_case({"category": "service", "severity": "normal", "channel": "wangwang"})["solution"].minutes == 120
    rs.add("resolution", minutes=240, category="missing_item")
    assert rs.for_case({"category": "missing_item", "severity": "low", "channel": "sms"})["resolution"].minutes == 240


def test_plugin_sets_targets(app):
    from asx import hookimpl

    class Warranty:
        @hookimpl
        def register_sla_targets(register, settings):
            register("first_response", minutes=120, category="quality")

    app.plugins.register(Warranty, name="warranty")   # this app's plugins only
    rs = sla.load_rules(app)
    assert rs.for_case({"category": "quality", "severity": "normal", "channel": "wangwang"})[
        "first_response"].minutes == 120


@pytest.mark.parametrize("hours", ["08:30-23:00", "22:00-02:00,10:00-12:00", "09:00-12:00,13:30-18:00"])
def test_fast_clock_equals_calendar(hours):
    cal = ServiceCalendar(hours=hours)
    clock = sla.ServiceClock(cal)
    rng = random.Random(hours)
    base = E("2026-01-01T00:00:00")
    for _ in range(500):
        a = base + rng.randrange(0, 400 * 86400)
        m = rng.choice([0, 1, 3, 60, 1440, rng.randrange(0, 20000)])
        assert clock.add(a, m * 60) == int(cal.add_service_minutes(a, m).timestamp())
        b = a + rng.randrange(0, 20 * 86400)
        assert clock.service_seconds(a, b) // 60 == cal.service_minutes_between(a, b)
        n = rng.choice([0, 1, 3, 5])
        assert clock.add_working_days(a, n) == int(cal.add_working_days(a, n).timestamp())
