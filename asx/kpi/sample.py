"""Sample step 70: daily records and evaluations of the sample month (``asx init --sample``).

Every agent and the order clerk hand in a record for each day they worked (roster, or
Monday–Saturday) from the sample start to yesterday — except one agent who has not handed in
last week's records — and everyone gets self/supervisor scores for each month of the sample.
One agent has two service complaints (category service, party us) this month: if the case
sample did not produce them, two such cases are added.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from asx.core.timeutil import to_epoch

CATEGORIES = ("服装", "鞋包", "配饰")
MISSING_AGENT = "大伟"
COMPLAINT_AGENT = "阿杰"


def _nick(rng) -> str:
    return "tb" + "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(8))


def sample_records(app, sample) -> None:
    from asx.store import kpi as kpi_store
    from asx.store import records as record_store

    rng = sample.rng
    store = app.store
    today = sample.now.date()
    first = sample.start.date()
    staff = list(record_store.expected_staff(store, first.isoformat(), today.isoformat()))
    if not staff:
        return
    names = [s["name"] for s in staff]
    missing_agent = MISSING_AGENT if MISSING_AGENT in names else names[0]
    last_monday = today - timedelta(days=today.weekday() + 7)
    last_week = {last_monday + timedelta(days=i) for i in range(7)}
    marks = record_store.roster_marks(store, first.isoformat(), today.isoformat())
    tz = app.tz
    recs, items = [], []
    d = first
    while d < today:
        for s in staff:
            mark = marks.get((s["name"], d.isoformat()))
            worked = mark == "work" if mark is not None else d.weekday() < 6
            if not worked or (s["name"] == missing_agent and d in last_week):
                continue
            at = to_epoch(datetime(d.year, d.month, d.day, 22, 40, tzinfo=tz)) + rng.randrange(0, 3600)
            if s["role"] == "order_clerk":
                recs.append((d.isoformat(), s["name"], 0, None, 0, None, 0, at))
                items.append([("shipment", c, rng.randrange(10, 80)) for c in CATEGORIES] +
                             [("return", c, rng.randrange(0, 6)) for c in CATEGORIES])
                continue
            served = rng.randrange(20, 60)
            ids = [_nick(rng) for _ in range(min(served, 6))]
            ordered = rng.randrange(3, max(4, served * 2 // 5))
            fen = sum(rng.randrange(4000, 40000) for _ in range(ordered))
            recs.append((d.isoformat(), s["name"], served, json.dumps(ids), ordered, json.dumps(ids[:2]), fen, at))
            items.append([])
        d += timedelta(days=1)
    with store.tx():
        for r, its in zip(recs, items):
            rid = store.insert("daily_records", {"day": r[0], "agent": r[1], "served": r[2], "served_ids": r[3],
                                                 "ordered": r[4], "ordered_ids": r[5], "order_fen": r[6],
                                                 "submitted_at": r[7], "by": r[1], "source": "sample"})
            if its:
                store.executemany("INSERT INTO daily_record_items (record_id, kind, category, quantity) "
                                  "VALUES (?, ?, ?, ?)", [(rid, *i) for i in its])
        months = sorted({(x.year, x.month) for x in (first, today)})
        at = to_epoch(sample.now)
        for y, m in months:
            period = f"{y}-{m:02d}"
            for s in staff + [{"name": n, "role": "specialist"} for n in _specialists(store)]:
                kpi_store.set_evaluation(store, s["name"], period, {
                    "self_score": float(rng.randrange(78, 96)),
                    "supervisor_score": float(rng.randrange(62, 97)),
                    "customer_score": float(rng.randrange(75, 98)) if s["name"] != COMPLAINT_AGENT else None,
                }, at=at, by="李主管")
        _complaints(app, sample, names)
    sample.notes.setdefault("summary", {})["daily records"] = len(recs)


def _specialists(store) -> list[str]:
    return [r["name"] for r in store.q("SELECT name FROM agents WHERE role = 'specialist' AND active = 1 ORDER BY name")]


def _complaints(app, sample, names: list[str]) -> None:
    """Make sure one agent has two service complaints this month (R-KPI-4)."""
    from asx.store import kpi as kpi_store

    now = sample.now
    month_start = to_epoch(datetime(now.year, now.month, 1, tzinfo=app.tz))
    rows = kpi_store.service_complaints(app.store, month_start, to_epoch(now))
    per: dict[str, int] = {}
    for r in rows:
        if r["about"]:  # R-KPI-4: counted against whom the complaint is about
            per[r["about"]] = per.get(r["about"], 0) + 1
    if any(n >= 2 for n in per.values()):
        return
    agent = COMPLAINT_AGENT if COMPLAINT_AGENT in names else names[0]
    for k in range(2 - per.get(agent, 0)):
        opened = month_start + 86400 * (3 + 6 * k) + 3600 * 14
        if opened >= to_epoch(now):
            opened = to_epoch(now) - 3600 * (30 - k)
        kpi_store.insert_sample_complaint(app.store, agent=agent, opened=opened, k=k)
