"""The overdue export's query (asx.store.kpi.overdue, nightly job `overdue`) on both backends:
the target shown for a case without next_due_target is its earliest pending one (issue 10)."""

from __future__ import annotations

from asx.store import kpi as kpi_store
from asx.testing import ws_store

NOW = 1_796_000_000


def test_overdue_target_is_the_earliest_pending_one(workspace):
    st = ws_store(workspace)
    with st.tx():
        ids = [st.insert("cases", {"channel": "wangwang", "category": "quality", "status": "open",
                                   "opened_at": NOW - 86400, "updated_at": NOW, "order_no": f"8000{n}"})
               for n in range(3)]
        sla = [(ids[0], "resolution", NOW - 600), (ids[0], "first_response", NOW - 1200),
               (ids[1], "resolution", NOW - 300), (ids[1], "feedback", NOW - 300),      # a tie: by name
               (ids[2], "resolution", NOW + 600)]                                      # not due yet
        for cid, target, due in sla:
            st.insert("case_sla", {"case_id": cid, "target": target, "due_at": due, "state": "pending"})
        st.insert("case_sla", {"case_id": ids[2], "target": "first_response", "due_at": NOW - 900, "state": "met"})
    rows = [(r["case_id"], r["target"], r["due_at"]) for r in kpi_store.overdue(st, NOW)]
    st.close()
    assert rows == [(ids[0], "first_response", NOW - 1200), (ids[1], "feedback", NOW - 300)]
