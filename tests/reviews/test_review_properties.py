"""Property: whatever the contact history, the queue never proposes a call before 48 h without
answer or outside the call windows, and never proposes anything for a closed review (R-REV-5)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asx.reviews import ladder, queue, service

T0 = datetime.fromisoformat("2026-11-02T10:00:00+08:00")
_tids = itertools.count(1)

actions = st.lists(st.tuples(st.integers(min_value=1, max_value=60 * 40),  # minutes after the previous action
                             st.sampled_from(["wangwang", "sms", "phone"]),
                             st.sampled_from(["no_answer", "no_answer", "no_answer", "answered", "refused"])),
                   max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=actions, probes=st.lists(st.integers(min_value=0, max_value=60 * 24 * 8), min_size=1, max_size=6))
def test_queue_respects_the_ladder(app, clock, add_review, history, probes):
    pol = service.policy(app)
    start = T0 + timedelta(days=next(_tids) * 20)  # every example its own stretch of time
    clock.set(start + timedelta(days=15))
    rid = add_review(app, created=start, tid=f"9{next(_tids):015d}", result="negative")
    t = start
    for minutes, via, result in history:
        t += timedelta(minutes=minutes)
        r = service.get(app, rid)
        if r["progress"] in ("revised", "refused"):
            break
        service.contact(app, rid, via=via, result=result, at=t, by="萌萌")
    r = service.get(app, rid)
    for p in probes:
        at = t + timedelta(minutes=p)
        got = [x for x in queue.build(app.store, pol, at=at, limit=None).items if x["id"] == rid]
        if r["progress"] in ("revised", "refused"):
            assert got == []
            continue
        for x in got:
            if x["next_step"] == "phone":
                assert ladder.in_window(at, pol.call_windows), at
                assert int(at.timestamp()) >= r["first_msg_at"] + 48 * 3600
                assert r["wangwang_at"] is not None and r["sms_at"] is not None
