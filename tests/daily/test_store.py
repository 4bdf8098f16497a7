"""SQL of the daily view (asx/store/daily.py) orders alike on SQLite and PostgreSQL (issue 10)."""

from __future__ import annotations

from asx.store import daily as daily_store
from asx.testing import ws_store

NOW = 1_796_000_000


def _case(st, agent, due, n):
    return st.insert("cases", {"channel": "wangwang", "category": "quality", "status": "open", "opened_at": NOW - 86400,
                               "updated_at": NOW, "agent": agent, "next_due_at": due, "next_due_target": "resolution",
                               "order_no": f"9000{n}"})


def test_due_counts_unassigned_first_among_equals(workspace):
    """`asx today` due section: most overdue first; on a tie the unassigned cases (agent NULL) come
    first, then agents by name — PostgreSQL would put NULL last without the explicit key."""
    st = ws_store(workspace)
    with st.tx():
        for n, (agent, due) in enumerate([("萌萌", NOW - 60), (None, NOW - 60), ("小雨", NOW - 60),
                                          ("阿杰", NOW - 60), ("阿杰", NOW - 120), ("萌萌", NOW + 600)]):
            _case(st, agent, due, n)
    rows = [(r["agent"], r["overdue"], r["soon"]) for r in daily_store.due_counts(st, NOW, NOW + 3600)]
    st.close()
    assert rows == [("阿杰", 2, 0), ("萌萌", 1, 1), (None, 1, 0), ("小雨", 1, 0)]


def test_audit_counts_in_severity_order(workspace):
    """`asx today -f json` lists audit findings counted per severity (R-FIN-3) in name order on both backends."""
    st = ws_store(workspace)
    with st.tx():
        run = st.insert("audit_runs", {"at": NOW - 60, "by": "李主管"})
        for n, sev in enumerate(["warning", "info", "error", "warning", "error", "error"]):
            st.insert("audit_findings", {"run_id": run, "rule": f"R-FIN-{n}", "severity": sev, "message": "x"})
    counts, rows = daily_store.audit_findings(st, NOW - 3600, 10)
    st.close()
    assert list(counts.items()) == [("error", 3), ("info", 1), ("warning", 2)]
    assert [r["severity"] for r in rows] == ["error"] * 3 + ["warning"] * 2 + ["info"]
