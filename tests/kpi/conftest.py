"""A small hand-computed KPI data set, inserted straight into the shared tables.

Period 2026-11, store timezone Asia/Shanghai, service hours 08:30–23:00. The expected figures
are worked out by hand in tests/kpi/test_indicators.py.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def add_agent(app, name, role="agent", store_name="旗舰店"):
    from asx.store import agents

    with app.store.tx():
        agents.add(app.store, name=name, role=role, at=ts("2026-01-01T00:00:00+08:00"), by="test",
                   store_name=store_name, joined_on="2026-01-01")


def add_case(app, *, agent, opened, fr=None, resolved=None, paused=(), category="quality", party=None,
             csat=None, responses=1, reopen=0, merged_into=None, sla=None, store_name=None, about="agent"):
    """One case; ``sla`` = {target: (state, due ISO or None)}; service minutes via the calendar."""
    o = ts(opened)
    f = ts(fr) if fr else None
    r = ts(resolved) if resolved else None
    pauses = [(ts(a), ts(b)) for a, b in paused]
    paused_s = sum(b - a for a, b in pauses)
    with app.store.tx():
        cid = app.store.insert("cases", {
            "channel": "wangwang", "buyer": "tb_buyer", "buyer_contact": "13812345678", "category": category,
            "status": "resolved" if r else "open", "agent": agent, "opened_at": o, "first_response_at": f,
            "resolved_at": r, "paused_seconds": paused_s, "party": party, "csat": csat, "response_count": responses,
            "reopen_count": reopen, "merged_into": merged_into, "updated_at": o, "store": store_name,
            "summary": "买家张三 13812345678 投诉",
            # R-KPI-4: a service complaint is about the agent who served the buyer (here: its agent)
            "about": (agent if category == "service" else None) if about == "agent" else about})
        cal = app.calendar
        for target, (state, due) in (sla or {}).items():
            end = f if target == "first_response" else r
            sm = cal.service_minutes_between(o, end, pauses) if end else None
            app.store.insert("case_sla", {"case_id": cid, "target": target, "due_at": ts(due) if due else o + 180,
                                          "met_at": end if state == "met" else None, "state": state,
                                          "service_minutes": sm,
                                          "calendar_minutes": ((end - o) // 60) if end else None})
    return cid


def add_review(app, *, owner, created, progress="open", resolved=None, case_id=None, severity=1, tid=None):
    with app.store.tx():
        return app.store.insert("reviews", {
            "tid": tid or f"T{created}", "created_at": ts(created), "buyer": "tb_buyer", "phone": "13812345678",
            "item": "连衣裙", "content": "质量差", "result": "negative", "severity": severity, "progress": progress,
            "owner": owner, "case_id": case_id, "resolved_at": ts(resolved) if resolved else None,
            "updated_at": ts(created)})


def add_ledger(app, *, agent, at, yuan, direction="out", case_id=None, review_id=None, reason="compensation"):
    with app.store.tx():
        return app.store.insert("ledger", {
            "at": ts(at), "amount_fen": round(yuan * 100), "direction": direction, "reason": reason, "agent": agent,
            "case_id": case_id, "review_id": review_id, "created_at": ts(at)})


def add_record(app, *, agent, day, served=0, ordered=0, yuan=0, shipments=(), returns=(), submitted=None):
    with app.store.tx():
        rid = app.store.insert("daily_records", {
            "day": day, "agent": agent, "served": served, "ordered": ordered, "order_fen": round(yuan * 100),
            "served_ids": json.dumps(["tb_a", "tb_b"]), "submitted_at": ts(submitted or f"{day}T22:00:00+08:00"),
            "by": agent, "source": "test"})
        for kind, items in (("shipment", shipments), ("return", returns)):
            for cat, q in items:
                app.store.insert("daily_record_items", {"record_id": rid, "kind": kind, "category": cat,
                                                        "quantity": q})
    return rid


@pytest.fixture
def app_factory(workspace):
    from asx.core.app import App

    made = []

    def make():
        a = App(workspace)
        made.append(a)
        return a

    yield make
    for a in made:
        a.close()


@pytest.fixture
def kpi_data(workspace, app_factory, monkeypatch):
    """The hand-computed data set (see module doc); returns the App and the case ids."""
    monkeypatch.setenv("ASX_NOW", "2026-12-10T10:00:00+08:00")
    app = app_factory()
    for name, role in (("萌萌", "agent"), ("小雨", "agent"), ("阿敏", "order_clerk")):
        add_agent(app, name, role)
    ids = {}
    ids["C1"] = add_case(app, agent="萌萌", opened="2026-11-02T10:00:00+08:00", fr="2026-11-02T10:02:00+08:00",
                         resolved="2026-11-02T12:00:00+08:00", csat=5, party="buyer", responses=1,
                         sla={"first_response": ("met", None), "resolution": ("met", "2026-11-03T10:00:00+08:00")})
    # opened 22:50, answered next morning 08:40 (service: 10 + 10 minutes), paused 09:00–10:00
    ids["C2"] = add_case(app, agent="萌萌", opened="2026-11-03T22:50:00+08:00", fr="2026-11-04T08:40:00+08:00",
                         resolved="2026-11-04T10:40:00+08:00",
                         paused=[("2026-11-04T09:00:00+08:00", "2026-11-04T10:00:00+08:00")],
                         csat=3, party="courier", category="late_delivery", responses=3, reopen=1,
                         sla={"first_response": ("breached", None),
                              "resolution": ("met", "2026-11-05T10:00:00+08:00")})
    ids["C3"] = add_case(app, agent="萌萌", opened="2026-11-05T14:00:00+08:00", fr="2026-11-05T14:05:00+08:00",
                         category="service", party="us",
                         sla={"first_response": ("breached", None), "resolution": ("pending", "2026-12-20T10:00:00+08:00"),
                              "feedback": ("cancelled", None)})
    ids["C4"] = add_case(app, agent="萌萌", opened="2026-11-06T09:00:00+08:00", fr="2026-11-06T09:01:00+08:00",
                         resolved="2026-11-06T09:30:00+08:00", csat=4, category="service", party="us",
                         sla={"first_response": ("met", None), "resolution": ("met", "2026-11-07T09:00:00+08:00")})
    # resolved after the period: unresolved for November; its resolution target breached on 11-30
    ids["C5"] = add_case(app, agent="萌萌", opened="2026-11-29T20:00:00+08:00", fr="2026-11-29T20:03:00+08:00",
                         resolved="2026-12-01T10:00:00+08:00",
                         sla={"first_response": ("met", None), "resolution": ("breached", "2026-11-30T20:00:00+08:00")})
    ids["C6"] = add_case(app, agent="萌萌", opened="2026-11-07T10:00:00+08:00", fr="2026-11-07T11:00:00+08:00",
                         merged_into=ids["C1"])
    ids["C7"] = add_case(app, agent="小雨", opened="2026-11-10T12:00:00+08:00", fr="2026-11-10T12:10:00+08:00",
                         resolved="2026-11-10T13:00:00+08:00", csat=5, party="supplier", responses=2,
                         sla={"first_response": ("met", None), "resolution": ("met", "2026-11-11T12:00:00+08:00")})
    ids["C8"] = add_case(app, agent="萌萌", opened="2026-10-31T23:30:00+08:00", fr="2026-10-31T23:40:00+08:00",
                         csat=1, category="service", party="us")
    ids["C9"] = add_case(app, agent="萌萌", opened="2026-11-20T15:00:00+08:00", fr="2026-11-20T15:02:00+08:00",
                         resolved="2026-11-20T16:00:00+08:00", category="service", party="us",
                         sla={"first_response": ("met", None), "resolution": ("met", "2026-11-21T15:00:00+08:00")})
    r1 = add_review(app, owner="萌萌", created="2026-11-03T09:00:00+08:00", progress="revised",
                    resolved="2026-11-12T10:00:00+08:00")
    add_review(app, owner="萌萌", created="2026-11-04T09:00:00+08:00", progress="open", severity=3)
    add_review(app, owner="萌萌", created="2026-11-05T09:00:00+08:00", progress="promised")
    add_review(app, owner="萌萌", created="2026-11-28T09:00:00+08:00", progress="revised",
               resolved="2026-12-02T10:00:00+08:00")
    add_review(app, owner="小雨", created="2026-11-11T09:00:00+08:00", progress="revised",
               resolved="2026-11-13T10:00:00+08:00", case_id=ids["C7"])
    add_review(app, owner="小雨", created="2026-10-11T09:00:00+08:00", progress="open")
    add_ledger(app, agent="萌萌", at="2026-11-02T12:10:00+08:00", yuan=30, case_id=ids["C1"])
    add_ledger(app, agent="萌萌", at="2026-11-12T10:10:00+08:00", yuan=15.5, review_id=r1)
    add_ledger(app, agent="萌萌", at="2026-11-13T10:10:00+08:00", yuan=20, direction="in", case_id=ids["C1"])
    add_ledger(app, agent="小雨", at="2026-11-10T13:10:00+08:00", yuan=100, case_id=ids["C7"], reason="refund")
    add_ledger(app, agent="小雨", at="2026-10-10T13:10:00+08:00", yuan=999, reason="refund")
    add_record(app, agent="萌萌", day="2026-11-02", served=30, ordered=6, yuan=1200)
    add_record(app, agent="萌萌", day="2026-11-03", served=20, ordered=4, yuan=800)
    add_record(app, agent="小雨", day="2026-11-02", served=10, ordered=5, yuan=500)
    add_record(app, agent="阿敏", day="2026-11-02", shipments=[("服装", 10), ("鞋包", 5)], returns=[("服装", 1)])
    add_record(app, agent="萌萌", day="2026-10-30", served=99, ordered=9, yuan=9)
    app.ids = ids
    return app


@pytest.fixture
def h():
    """The insert helpers, for tests that add rows of their own."""
    import types

    return types.SimpleNamespace(ts=ts, add_agent=add_agent, add_case=add_case, add_review=add_review,
                                 add_ledger=add_ledger, add_record=add_record)
