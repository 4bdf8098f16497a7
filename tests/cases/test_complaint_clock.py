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
