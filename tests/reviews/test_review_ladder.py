"""The contact ladder and the queue with a fake clock (R-REV-4, R-REV-5, R-REV-6)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from asx.core.errors import UserError
from asx.reviews import ladder, queue, service

T0 = datetime.fromisoformat("2026-11-02T10:00:00+08:00")  # as in conftest: a Monday, 10:00


def q(app, at: datetime, agent=None, **kw):
    return queue.build(app.store, service.policy(app), at=at, agent=agent, **kw)


def items(app, at, agent=None, **kw):
    return [(r["id"], r["next_step"]) for r in q(app, at, agent, **kw).items]


def test_plan_pure_ladder():
    pol = ladder.Policy()
    base = {"progress": "open", "created_at": 1000, "round_at": 1000}
    assert ladder.plan(base, pol) == ("wangwang", 1000)
    assert ladder.plan({**base, "wangwang_at": 2000, "first_msg_at": 2000}, pol) == ("sms", 2000 + 4 * 3600)
    step, due = ladder.plan({**base, "wangwang_at": 2000, "sms_at": 3000, "first_msg_at": 2000}, pol)
    assert (step, due) == ("phone", 2000 + 48 * 3600)  # R-REV-5: 48 h after the first unanswered message
    for done in ("revised", "refused"):
        assert ladder.plan({**base, "progress": done}, pol) == (None, None)
    assert ladder.plan({**base, "progress": "promised", "promised_until": 9000}, pol) == ("wangwang", 9000)
    assert ladder.plan({**base, "progress": "awaiting_compensation"}, pol) == ("compensate", 1000)


def test_call_windows():
    tz = T0.tzinfo
    w = ladder.Policy().call_windows
    day = datetime(2026, 11, 2, tzinfo=tz)
    assert not ladder.in_window(day.replace(hour=9, minute=29), w)
    assert ladder.in_window(day.replace(hour=9, minute=30), w)
    assert not ladder.in_window(day.replace(hour=11), w)
    assert ladder.in_window(day.replace(hour=19, minute=59), w)
    assert ladder.next_window_start(day.replace(hour=12), w) == day.replace(hour=16)
    assert ladder.next_window_start(day.replace(hour=21), w) == (day + timedelta(days=1)).replace(hour=9, minute=30)


def _walk_to_phone(app, clock, rid):
    """旺旺 at T0, SMS 4 h later, both unanswered."""
    clock.set(T0)
    service.contact(app, rid, via="wangwang", result="no_answer", at=T0, by="萌萌")
    sms_at = clock.advance(hours=4)
    service.contact(app, rid, via="sms", result="no_answer", at=sms_at, by="萌萌")


def test_no_phone_call_before_48_hours(app, clock, add_review):
    rid = add_review(app, created=T0 - timedelta(hours=1))
    assert items(app, T0) == [(rid, "wangwang")]
    _walk_to_phone(app, clock, rid)
    # 47 h after the 旺旺 message, at 09:00 … well inside a window 16:00 the day after: still not due
    for at in (T0 + timedelta(hours=5), T0 + timedelta(hours=30), T0 + timedelta(hours=47, minutes=59)):
        assert items(app, at) == [], at
    later = q(app, T0 + timedelta(hours=30)).later
    assert later[0]["step"] == "phone" and later[0]["from"] == T0 + timedelta(hours=48)
    assert items(app, T0 + timedelta(hours=48)) == [(rid, "phone")]  # 10:00 two days later: in a window


def test_no_phone_call_outside_the_windows(app, clock, add_review):
    rid = add_review(app, created=T0 - timedelta(hours=1))
    _walk_to_phone(app, clock, rid)
    due = T0 + timedelta(hours=48)
    for hhmm in ("11:00", "12:30", "15:59", "20:00", "23:30"):
        h, m = map(int, hhmm.split(":"))
        at = due.replace(hour=h, minute=m)
        assert items(app, at) == [], hhmm
        blocked = [x for x in q(app, at).later if x["step"] == "phone"]
        assert blocked and blocked[0]["from"].hour in (16, 9), hhmm
        assert "calls only" in blocked[0]["why"]
    at = due.replace(hour=16, minute=0)
    assert items(app, at) == [(rid, "phone")]
    # an unanswered call: the next one a day later, again only in a window
    clock.set(at)
    service.contact(app, rid, via="phone", result="no_answer", at=at, by="萌萌")
    assert items(app, at + timedelta(hours=23)) == []
    assert items(app, at + timedelta(hours=24)) == [(rid, "phone")]


def test_nothing_for_a_revised_review(app, clock, add_review):
    rid = add_review(app, created=T0 - timedelta(hours=1))
    _walk_to_phone(app, clock, rid)
    clock.advance(hours=1)
    service.resolve(app, rid, "revised", at=clock.now, by="萌萌")
    for days in (0, 2, 3, 10):
        at = T0 + timedelta(days=days)
        assert items(app, at) == [] and items(app, at, everything=True) == []
    with pytest.raises(UserError, match="re-open"):
        service.contact(app, rid, via="phone", result="no_answer", at=clock.now, by="萌萌")


def test_passed_promise_comes_back(app, clock, add_review):
    rid = add_review(app, created=T0 - timedelta(hours=1))
    r, _ = service.contact(app, rid, via="wangwang", result="promised", at=T0, by="萌萌",
                           promised_until=service.promise_deadline(app, "2026-11-05"))
    assert r["progress"] == "promised"
    end_of_5th = datetime.fromisoformat("2026-11-06T00:00:00+08:00")
    assert items(app, end_of_5th - timedelta(minutes=1)) == []
    got = list(q(app, end_of_5th + timedelta(hours=10)).items)
    assert [(g["id"], g["next_step"]) for g in got] == [(rid, "wangwang")]
    assert got[0]["reason"].startswith("promise passed")  # R-REV-6
    clock.set(end_of_5th + timedelta(hours=10))
    r, _ = service.contact(app, rid, via="wangwang", result="no_answer", at=clock.now, by="萌萌")
    assert r["progress"] == "open" and r["next_step"] == "sms"  # a new round of contact


def test_promise_command_and_early_contact_keeps_promise(app, clock, add_review):
    rid = add_review(app, created=T0 - timedelta(hours=1))
    service.promise(app, rid, until=service.promise_deadline(app, "2026-11-04"), at=T0, by="萌萌")
    clock.advance(hours=2)
    r, _ = service.contact(app, rid, via="wangwang", result="answered", at=clock.now, by="萌萌")
    assert r["progress"] == "promised"


def test_ordering_severe_first_then_oldest(app, clock, add_review):
    a = add_review(app, created=T0 - timedelta(days=3), tid="1", severity=1)
    b = add_review(app, created=T0 - timedelta(days=1), tid="2", severity=3)
    c = add_review(app, created=T0 - timedelta(days=2), tid="3", severity=3)
    d = add_review(app, created=T0 - timedelta(days=2), tid="4", severity=2)
    assert [i for i, _ in items(app, T0)] == [c, b, d, a]  # R-REV-4
    assert [i for i, _ in items(app, T0, limit=2)] == [c, b]


def test_answered_follows_up_later(app, clock, add_review):
    rid = add_review(app, created=T0 - timedelta(hours=1))
    service.contact(app, rid, via="wangwang", result="answered", at=T0, by="萌萌")
    assert items(app, T0 + timedelta(hours=23)) == []
    assert items(app, T0 + timedelta(hours=24)) == [(rid, "wangwang")]


def test_compensation_then_follow_up(app, clock, add_review):
    rid = add_review(app, created=T0 - timedelta(hours=1), result="neutral")
    service.resolve(app, rid, "awaiting_compensation", at=T0, by="萌萌")
    assert items(app, T0) == [(rid, "compensate")]
    clock.advance(minutes=30)
    r, entry, note = service.compensate(app, rid, amount_fen=1000, at=clock.now, by="萌萌")
    assert note == "删除中评_萌萌"  # R-FIN-2
    row = app.store.one("SELECT * FROM ledger WHERE id = ?", (entry,))
    assert (row["amount_fen"], row["reason"], row["review_id"], row["order_no"], row["agent"], row["channel"]) == \
        (1000, "compensation", rid, "4100000000000001", "萌萌", "alipay")
    assert items(app, clock.now + timedelta(hours=1)) == []
    assert items(app, clock.now + timedelta(hours=24)) == [(rid, "wangwang")]


def test_payment_note_refuses_personal_data(app, clock, add_review):
    rid = add_review(app, created=T0 - timedelta(hours=1))
    with pytest.raises(UserError, match="R-FIN-4"):
        service.compensate(app, rid, amount_fen=500, at=T0, by="萌萌", content="退给13812345678")


def test_agent_queue_follows_the_roster(app, clock, add_review):
    rid = add_review(app, created=T0 - timedelta(hours=1))
    # no roster that day: available, and said so
    qq = q(app, T0, agent="萌萌")
    assert [r["id"] for r in qq.items] == [rid] and not qq.availability.known
    assert "treated as available" in qq.availability.note
    for day, agent, segs in [("2026-11-02", "萌萌", "17:30-23:00"), ("2026-11-02", "小雨", "08:30-17:30")]:
        app.store.execute("INSERT INTO roster_days (day, agent, shift, mark, segments, updated_at) "
                          "VALUES (?, ?, 'N', 'work', ?, 0)", (day, agent, segs))
    qq = q(app, T0, agent="萌萌")
    assert list(qq.items) == [] and not qq.availability.available
    assert qq.later[0]["from"] == T0.replace(hour=17, minute=30)
    assert [r["id"] for r in q(app, T0, agent="小雨").items] == [rid]


def test_owner_filter(app, clock, add_review):
    mine = add_review(app, created=T0 - timedelta(hours=3), tid="1", owner="萌萌")
    theirs = add_review(app, created=T0 - timedelta(hours=2), tid="2", owner="小雨")
    free = add_review(app, created=T0 - timedelta(hours=1), tid="3")
    assert {i for i, _ in items(app, T0, agent="萌萌")} == {mine, free}
    assert {i for i, _ in items(app, T0)} == {mine, theirs, free}


def test_at_not_in_future_nor_before_previous_event(app, clock, add_review):
    rid = add_review(app, created=T0 - timedelta(hours=3))
    with pytest.raises(UserError, match="future"):
        service.contact(app, rid, via="wangwang", result="no_answer", at=T0 + timedelta(minutes=1), by="萌萌")
    service.contact(app, rid, via="wangwang", result="no_answer", at=T0, by="萌萌")
    with pytest.raises(UserError, match="in order"):
        service.contact(app, rid, via="sms", result="no_answer", at=T0 - timedelta(minutes=1), by="萌萌")


def test_events_are_append_only(app, clock, add_review):
    import sqlite3

    rid = add_review(app, created=T0 - timedelta(hours=3))
    service.contact(app, rid, via="wangwang", result="no_answer", at=T0, by="萌萌")
    actions = [e["action"] for e in app.store.q("SELECT action FROM review_events WHERE review_id = ?", (rid,))]
    assert actions == ["add", "contact"]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        app.store.execute("UPDATE review_events SET note = 'x'")
