"""R-SLA-2 / R-SLA-3: a complaint is answered within the hour and gets an initial solution within 2 h
whatever its channel or category; the 1-working-day reply is only for a non-urgent inquiry.
Fixed clock (tests/cases/conftest.py: ASX_NOW 2026-11-20T10:00+08:00)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from asx.cases import service

TZ = ZoneInfo("Asia/Shanghai")


def T(s):
    return datetime.fromisoformat(s).replace(tzinfo=TZ)


def E(s):
    return int(T(s).timestamp())


def _open(app, opened, **kw):
    data = {"category": "quality", "agent": "萌萌", "order": "1", **kw}
    return service.open_case(app, data, at=T(opened), by="萌萌")


def _due(app, cid):
    return {r["target"]: r["due_at"] for r in app.store.q("SELECT * FROM case_sla WHERE case_id = ?", (cid,))}


@pytest.mark.parametrize("channel", ["phone", "email", "sms"])
def test_friday_complaint_by_phone_email_sms_is_due_within_the_hour(app, channel):
    # R-SLA-2: Friday 2026-11-13 11:00, a quality complaint: 1 h to respond, 2 h to an initial solution
    cid = _open(app, "2026-11-13T11:00:00", channel=channel)
    due = _due(app, cid)
    assert due["first_response"] == E("2026-11-13T12:00:00")   # not Monday 11:00 (R-SLA-3 is for inquiries)
    assert due["solution"] == E("2026-11-13T13:00:00")


@pytest.mark.parametrize("category", ["service", "quality", "missing_item", "late_delivery", "transit_damage",
                                      "not_as_described"])
def test_every_complaint_category_gets_the_complaint_clock(app, category):
    # R-SLA-2: whatever the complaint is about, not only `service` or urgent ones
    cid = _open(app, "2026-11-13T11:00:00", channel="email", category=category)
    assert _due(app, cid)["solution"] == E("2026-11-13T13:00:00")


def test_chat_complaint_keeps_its_three_minutes_and_gets_the_solution_clock(app):
    # R-SLA-1 online 3 service minutes to respond; R-SLA-2 initial solution within 2 h
    cid = _open(app, "2026-11-13T11:00:00", channel="chat")
    due = _due(app, cid)
    assert due["first_response"] == E("2026-11-13T11:03:00")
    assert due["solution"] == E("2026-11-13T13:00:00")


def test_phone_inquiry_keeps_the_one_working_day_reply(app):
    # R-SLA-3: a non-urgent inquiry by phone is answered within 1 working day, and has no solution target
    cid = _open(app, "2026-11-13T11:00:00", channel="phone", category="inquiry")
    due = _due(app, cid)
    assert due["first_response"] == E("2026-11-16T11:00:00")   # Monday
    assert "solution" not in due


def test_complaint_across_the_night_runs_on_service_minutes(app):
    # R-SLA-2 on the service clock (08:30–23:00): a phone complaint at 22:30 has 30 min tonight,
    # 30 min after opening tomorrow
    cid = _open(app, "2026-11-12T22:30:00", channel="phone")
    due = _due(app, cid)
    assert due["first_response"] == E("2026-11-13T09:00:00")
    assert due["solution"] == E("2026-11-13T10:00:00")


def test_complaint_on_a_public_holiday_is_not_pushed_past_the_holiday(app):
    # 2026-10-01 National Day: service minutes run every day (R-SLA preamble), so an SMS complaint is
    # due the same morning; an SMS inquiry the day before waits for the first working day after the holiday
    cid = _open(app, "2026-10-01T10:00:00", channel="sms")
    assert _due(app, cid)["first_response"] == E("2026-10-01T11:00:00")
    cid = _open(app, "2026-09-30T10:00:00", channel="sms", category="inquiry")
    assert _due(app, cid)["first_response"] == E("2026-10-08T10:00:00")


def test_the_flag_decides_a_single_case(app):
    # R-SLA-2: an inquiry marked as a complaint gets the complaint clock; a quality question marked
    # --not-complaint gets the inquiry reply
    cid = _open(app, "2026-11-13T11:00:00", channel="phone", category="inquiry", complaint=True)
    assert _due(app, cid)["first_response"] == E("2026-11-13T12:00:00")
    cid = _open(app, "2026-11-13T11:00:00", channel="phone", complaint="no")
    assert _due(app, cid)["first_response"] == E("2026-11-16T11:00:00")


def test_complaint_flag_through_the_cli(asx, app):
    r = asx(["--as", "萌萌", "case", "add", "--category", "inquiry", "--channel", "电话", "--complaint",
             "--at", "2026-11-13T11:00:00+08:00", "-q"])
    assert r.exit_code == 0, r
    cid = int(r.stdout)
    assert _due(app, cid)["first_response"] == E("2026-11-13T12:00:00")
    assert app.store.scalar("SELECT complaint FROM cases WHERE id = ?", (cid,)) == 1


def test_a_category_registered_as_complaint_gets_the_clock(app):
    # R-SLA-2: a store's category (e.g. a spoiled cake) registered with complaint=True
    from asx.cases.model import CategorySet

    cats = CategorySet()
    cats.add("spoiled", "spoiled goods", "变质", complaint=True)
    cats.add("extra", "extra", "x")
    cats.add("extra", extend=True, complaint=True)
    assert cats["spoiled"].complaint and cats["extra"].complaint


def test_complaint_is_about_the_agent_who_served_the_order(app):
    # R-KPI-4: 萌萌 served order 77 (an earlier case); the complaint handled by 小雨 is about 萌萌
    service.open_case(app, {"category": "inquiry", "agent": "萌萌", "order": "77", "buyer": "b1"},
                      at=T("2026-11-10T10:00:00"), by="萌萌")
    cid = service.open_case(app, {"category": "service", "agent": "小雨", "order": "77", "buyer": "b1"},
                            at=T("2026-11-13T10:00:00"), by="小雨")
    assert app.store.scalar("SELECT about FROM cases WHERE id = ?", (cid,)) == "萌萌"
    # else the agent of the buyer's previous case
    cid = service.open_case(app, {"category": "quality", "agent": "小雨", "order": "78", "buyer": "b1"},
                            at=T("2026-11-13T11:00:00"), by="小雨")
    assert app.store.scalar("SELECT about FROM cases WHERE id = ?", (cid,)) == "小雨"
    # else unknown; said explicitly it wins; an inquiry is about nobody
    cid = service.open_case(app, {"category": "quality", "agent": "小雨", "order": "79", "buyer": "b9"},
                            at=T("2026-11-13T11:00:00"), by="小雨")
    assert app.store.scalar("SELECT about FROM cases WHERE id = ?", (cid,)) is None
    cid = service.open_case(app, {"category": "quality", "agent": "小雨", "order": "77", "about": "老周"},
                            at=T("2026-11-13T11:00:00"), by="小雨")
    assert app.store.scalar("SELECT about FROM cases WHERE id = ?", (cid,)) == "老周"
    with pytest.raises(service.UserError):
        service.open_case(app, {"category": "quality", "about": "无名"}, at=T("2026-11-13T11:00:00"), by="小雨")


# --- every target names its clock (R-SLA preamble) ---------------------------------------------------

def test_each_clock_kind_of_one_complaint(app):
    # R-SLA preamble + R-SLA-2/3: Friday 22:30 phone complaint about a late delivery:
    # first response 60 service min (30 tonight + 30 from 08:30), resolution 24 calendar h (night counted)
    cid = _open(app, "2026-11-13T22:30:00", channel="phone", category="late_delivery")
    due = _due(app, cid)
    assert due["first_response"] == E("2026-11-14T09:00:00")     # service clock
    assert due["resolution"] == E("2026-11-14T22:30:00")         # calendar clock: 24 h on the wall clock
    # working days: a quality complaint is complex, 3 working days over the weekend
    cid = _open(app, "2026-11-13T11:00:00", channel="sms", category="quality")
    assert _due(app, cid)["resolution"] == E("2026-11-18T11:00:00")


def test_calendar_target_over_a_holiday_and_its_pause(app):
    # R-SLA preamble: calendar hours run day and night, holidays included; waiting pauses them by
    # the wall-clock time waited (R-SLA: waiting_* statuses pause the clock)
    cid = _open(app, "2026-10-01T20:00:00", channel="email", category="late_delivery")
    assert _due(app, cid)["resolution"] == E("2026-10-02T20:00:00")
    service.act(app, cid, "respond", at=T("2026-10-01T20:10:00"), by="萌萌")
    service.act(app, cid, "wait", on="courier", at=T("2026-10-01T21:00:00"), by="萌萌")
    service.act(app, cid, "resume", at=T("2026-10-02T09:00:00"), by="萌萌")   # 12 h waited, 1.5 h of them open
    assert _due(app, cid)["resolution"] == E("2026-10-03T08:00:00")


def test_sla_rules_setting_names_the_clock(asx, app):
    # R-SLA preamble: `hours` defaults to the calendar clock, `minutes` to the service clock
    r = asx(["config", "set", "sla.rules",
             '[{target="resolution", category="missing_item", hours=48}, '
             '{target="solution", category="missing_item", minutes=30, clock="calendar"}]'])
    assert r.exit_code == 0, r
    from asx.core.app import App

    a = App(app.cwd)
    try:
        cid = service.open_case(a, {"category": "missing_item", "agent": "萌萌", "order": "5", "channel": "phone"},
                                at=T("2026-11-13T22:50:00"), by="萌萌")
        due = _due(a, cid)
        assert due["resolution"] == E("2026-11-15T22:50:00")
        assert due["solution"] == E("2026-11-13T23:20:00")            # on the wall clock, not 08:50 tomorrow
        rows = {r["target"]: r for r in service.sla_state(a, a.store.one("SELECT * FROM cases WHERE id = ?", (cid,)))}
        assert rows["resolution"]["clock"] == "calendar" and rows["resolution"]["target_rule"] == "48 calendar h"
        assert rows["first_response"]["clock"] == "service"
    finally:
        a.close()
    from asx.cases.sla import RuleSet

    with pytest.raises(ValueError, match="working"):
        RuleSet().add("resolution", working_days=2, clock="calendar")
    with pytest.raises(ValueError, match="service or calendar"):
        RuleSet().add("resolution", minutes=2, clock="lunar")


def test_case_show_names_each_targets_clock(asx, app):
    cid = _open(app, "2026-11-13T11:00:00", channel="phone", category="quality")
    import json

    rec = json.loads(asx(["--as", "萌萌", "case", "show", str(cid), "-f", "json"]).stdout)
    clocks = {s["target"]: s["clock"] for s in rec["sla"]}
    assert clocks == {"first_response": "service", "solution": "service", "resolution": "working_days",
                      "feedback": "service"} or clocks == {"first_response": "service", "solution": "service",
                                                           "resolution": "working_days"}
    assert rec["complaint"] == "yes"
