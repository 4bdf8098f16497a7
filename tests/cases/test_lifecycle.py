"""Lifecycle as data (R-CASE-6): every transition allowed/refused per role; append-only history."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from asx.cases import model, service
from asx.core.errors import PermissionDenied, UserError

ROLES = {"agent": "萌萌", "specialist": "老周", "supervisor": "李主管", "order_clerk": "阿敏"}


def _open(app, at=None, **kw):
    data = {"category": "quality", "order": "3512345678901234567", "buyer": "小明", "phone": "13812345678",
            "summary": "拉链坏了", "agent": "萌萌", **kw}
    t = at or app.now() - timedelta(hours=5)
    cid = service.open_case(app, data, at=t, by="萌萌")
    if data["category"] != "inquiry":  # R-CASE-3: apologise first (required before any resolution)
        service.act(app, cid, "check", at=t, by="萌萌", step="apologise")
    return cid


def _to_status(app, cid, status):
    """Drive a case into ``status`` as the supervisor (who may do what agents may)."""
    t0 = app.now() - timedelta(hours=4)
    path = {"new": [], "open": [("respond", {})], "waiting_buyer": [("respond", {}), ("wait", {"on": "buyer"})],
            "resolved": [("respond", {}), ("resolve", {"resolution": "explained", "party": "buyer"})],
            "closed": [("respond", {}), ("resolve", {"resolution": "explained", "party": "buyer"}), ("close", {})]}
    for i, (action, kw) in enumerate(path[status]):
        service.act(app, cid, action, at=t0 + timedelta(minutes=10 * i), by="李主管", **kw)


def _kwargs(action):
    return {"respond": {}, "note": {"note": "n"}, "check": {"step": "record_batch"}, "escalate": {"to": "老周"},
            "handback": {"note": "按方案"}, "inspect": {"result": "pass"}, "assign": {"to": "小雨", "reason": "休假"},
            "wait": {"on": "courier"}, "resume": {}, "promise": {"until": None, "reason": "等厂家"},
            "resolve": {"resolution": "explained", "party": "buyer"}, "close": {}, "reopen": {"note": "again"},
            "link": {"other": None}, "merge": {"into": None}, "rate": {"score": 5}}[action]


# (status, action, role) -> allowed?  Derived from the table by hand (R-CASE-6/7/8/9).
AGENT_ACTIONS = {
    "new": ["respond", "note", "check", "escalate", "wait", "promise", "resolve", "link", "merge"],
    "open": ["respond", "note", "check", "escalate", "wait", "promise", "resolve", "link", "merge"],
    "waiting_buyer": ["note", "check", "escalate", "wait", "resume", "promise", "resolve", "link", "merge"],
    "resolved": ["respond", "note", "check", "close", "reopen", "link", "merge", "rate"],
    "closed": ["note", "reopen", "link", "rate"],
}
ALL = ["respond", "note", "check", "escalate", "handback", "inspect", "assign", "wait", "resume", "promise",
       "resolve", "close", "reopen", "link", "merge", "rate"]


def expected(status, action, role):
    if action == "assign":
        return role == "supervisor" and status not in ("resolved", "closed")
    if action == "handback":
        return role in ("specialist", "supervisor") and status not in ("resolved", "closed")
    if action == "inspect":
        return role in ("specialist", "supervisor") and status != "closed"
    if action == "note":
        return True
    if action == "wait" and status == "waiting_buyer":
        pass
    return action in AGENT_ACTIONS[status] and role != "order_clerk"


@pytest.mark.parametrize("status", list(AGENT_ACTIONS))
def test_every_transition_per_role(app, status):
    for action in ALL:
        for role, name in ROLES.items():
            cid = _open(app)
            other = _open(app, order="999")
            _to_status(app, cid, status)
            kw = dict(_kwargs(action))
            if action == "promise":
                kw["until"] = app.now() + timedelta(hours=2)
            if action in ("link", "merge"):
                kw["other" if action == "link" else "into"] = other
            ok = expected(status, action, role)
            if ok:
                service.act(app, cid, action, by=name, **kw)
            else:
                with pytest.raises((PermissionDenied, UserError)):
                    service.act(app, cid, action, by=name, **kw)


def test_refusals_say_why(app):
    cid = _open(app)
    with pytest.raises(PermissionDenied, match="only supervisor may assign"):
        service.act(app, cid, "assign", by="萌萌", to="小雨", reason="x")
    with pytest.raises(UserError, match="cannot close .* new"):
        service.act(app, cid, "close", by="萌萌")


def test_table_is_extensible_by_a_plugin(app):
    from asx import hookimpl

    class P:
        @hookimpl
        def register_case_transitions(register):
            register("resolved", "closed", "close", ("supervisor",))  # only supervisors close here

    app.plugins.register(P, name="t-close")   # this app's plugins only
    cid = _open(app)
    _to_status(app, cid, "resolved")
    with pytest.raises(PermissionDenied):
        service.act(app, cid, "close", by="萌萌")
    service.act(app, cid, "close", by="李主管")


def test_history_is_append_only(app):
    cid = _open(app)
    service.act(app, cid, "respond", by="萌萌", note="您好")
    st = app.store  # either backend: its triggers refuse (R-CASE-6)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        st.execute("UPDATE case_events SET note = 'x' WHERE case_id = ?", (cid,))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        st.execute("DELETE FROM case_events WHERE case_id = ?", (cid,))
    hist = [(e["action"], e["from_status"], e["to_status"], e["by"]) for e in
            app.store.q("SELECT * FROM case_events WHERE case_id = ? ORDER BY id", (cid,))]
    assert hist == [("open", None, "new", "萌萌"), ("check", "new", None, "萌萌"), ("respond", "new", "open", "萌萌")]


def test_at_may_not_precede_previous_event_nor_lie_in_future(app):
    cid = _open(app, at=app.now() - timedelta(hours=2))
    with pytest.raises(UserError, match="precedes"):
        service.act(app, cid, "respond", at=app.now() - timedelta(hours=3), by="萌萌")
    with pytest.raises(UserError, match="future"):
        service.act(app, cid, "respond", at=app.now() + timedelta(hours=1), by="萌萌")
    c = service.act(app, cid, "respond", at=app.now() - timedelta(hours=1), by="萌萌")
    assert c["first_response_at"] == int((app.now() - timedelta(hours=1)).timestamp())


def test_resolve_with_amount_writes_ledger_entry(app):
    cid = _open(app, category="late_delivery")
    service.act(app, cid, "respond", by="萌萌")
    for step in ("pull_tracking", "tell_buyer_first"):  # R-CASE-3
        service.act(app, cid, "check", by="萌萌", step=step)
    service.act(app, cid, "resolve", by="萌萌", resolution="现金补偿", party="courier", amount_fen=500)
    row = app.store.one("SELECT * FROM ledger WHERE case_id = ?", (cid,))
    assert row["amount_fen"] == 500 and row["agent"] == "萌萌" and row["reason"] == "compensation"
    assert row["note"] == "现金补偿_萌萌" and row["order_no"] == "3512345678901234567"  # R-FIN-2, R-FIN-4


def test_photo_evidence_required_before_compensation(app):
    cid = _open(app, category="transit_damage")
    with pytest.raises(UserError, match="photo_evidence"):
        service.act(app, cid, "resolve", by="萌萌", resolution="refund_only", party="courier", amount_fen=100)
    service.act(app, cid, "check", by="萌萌", step="photo_evidence")
    service.act(app, cid, "resolve", by="萌萌", resolution="refund_only", party="courier", amount_fen=100)


def test_failed_inspection_blocks_refund(app):
    cid = _open(app, category="not_as_described")
    service.act(app, cid, "inspect", by="老周", result="fail", note="已使用，影响二次销售")
    with pytest.raises(UserError, match="R-CASE-8"):
        service.act(app, cid, "resolve", by="萌萌", resolution="return_refund", party="buyer", amount_fen=100)


def test_merge_points_to_live_case(app):
    a, b = _open(app), _open(app)
    service.act(app, b, "merge", by="萌萌", into=a)
    cb = app.store.one("SELECT * FROM cases WHERE id = ?", (b,))
    assert cb["status"] == "merged" and cb["merged_into"] == a and cb["next_due_at"] is None
    with pytest.raises(UserError):
        service.act(app, a, "merge", by="萌萌", into=b)  # merged is not live


def test_categories_have_chinese_aliases(app):
    assert model.parse_category(app, "质量问题") == "quality"
    assert model.parse_category(app, "少发货") == "missing_item"
    assert model.parse_category(app, "与想象不符") == "not_as_described"
    with pytest.raises(UserError, match="unknown category"):
        model.parse_category(app, "天气")


def test_nightly_autoclose_after_n_days(app):
    cid = _open(app, at=app.now() - timedelta(days=10))
    service.act(app, cid, "resolve", at=app.now() - timedelta(days=9), by="萌萌", resolution="explained",
                party="buyer")
    fresh = _open(app)
    service.act(app, fresh, "resolve", by="萌萌", resolution="explained", party="buyer")
    assert service.autoclose(app) == "closed 1 resolved case(s)"
    rows = {r["id"]: r for r in app.store.q("SELECT id, status, closed_at FROM cases")}
    assert rows[cid]["status"] == "closed" and rows[fresh]["status"] == "resolved"
    last = list(app.store.q("SELECT * FROM case_events WHERE case_id = ? ORDER BY id", (cid,)))[-1]
    assert last["by"] == "asx" and last["to_status"] == "closed"
