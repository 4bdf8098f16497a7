"""SQL of review tracking (asx/store/reviews.py) gives the same order on SQLite and PostgreSQL:
GROUP BY alone orders nothing on PostgreSQL, and NULLs sort last there but first in SQLite (issue 10)."""

from __future__ import annotations

from asx.store import reviews as review_store
from asx.testing import ws_store

T = 1_793_000_000   # 2026-10-26


def _review(st, n: int, **kw) -> int:
    return st.insert("reviews", {"tid": f"41000000{n:04d}", "oid": "", "created_at": T + n, "result": "negative",
                                 "updated_at": T, **kw})


def test_queue_summary_lists_steps_in_name_order(workspace):
    """R-REV-4: the step summary of `asx review next` and `asx today` is in step order on both backends."""
    st = ws_store(workspace)
    with st.tx():
        for n, step in enumerate(["wangwang", "sms", "phone", "compensate", "wangwang", "phone"]):
            _review(st, n, next_step=step, due_at=T + 3600 * (n % 2 * 48))
    rows = review_store.queue_summary(st, at=T + 86400, agent=None)
    st.close()
    assert [r["step"] for r in rows] == ["compensate", "phone", "sms", "wangwang"]
    by = {r["step"]: (r["due_now"], r["later"]) for r in rows}
    assert by == {"compensate": (0, 1), "phone": (1, 1), "sms": (0, 1), "wangwang": (2, 0)}


def test_contacts_by_agent_order_puts_unknown_agent_first(workspace):
    """R-REV-7 weekly report: contacts per agent, an event without an agent first, then by name."""
    st = ws_store(workspace)
    with st.tx():
        rid = _review(st, 1)
        for by, via, result in [("萌萌", "sms", "no_answer"), (None, "phone", "answered"),
                                ("小雨", "wangwang", None), ("萌萌", "phone", "answered"),
                                ("小雨", "wangwang", "refused")]:
            review_store.add_event(st, rid, at=T + 60, by=by, action="contact", via=via, result=result)
    rows = [(r["agent"], r["via"], r["result"]) for r in review_store.contacts_by_agent(st, T, T + 3600)]
    st.close()
    assert rows == [(None, "phone", "answered"), ("小雨", "wangwang", None), ("小雨", "wangwang", "refused"),
                    ("萌萌", "phone", "answered"), ("萌萌", "sms", "no_answer")]


def test_report_ties_between_agents_keep_name_order(app, add_review, T0_):
    """Two agents with as many contacts each: the report lists them in name order, on both backends."""
    from datetime import timedelta

    from asx.reviews import report
    from asx.core.timeutil import parse_period

    rid = add_review(app, created=T0_ - timedelta(hours=1))
    with app.store.tx():
        for by in ("萌萌", "小雨", "萌萌", "小雨"):
            review_store.add_event(app.store, rid, at=int(T0_.timestamp()) - 60, by=by, action="contact", via="sms",
                         result="no_answer")
    rows = report.weekly(app, parse_period("2026-11-02", app.tz))
    assert [(r["key"], r["value"]) for r in rows if r["section"] == "contacts"] == [("小雨", 2), ("萌萌", 2)]
