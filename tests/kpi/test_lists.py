"""The nightly overdue list (kpi_store.overdue) on both backends (R-SLA, issue 10)."""

from __future__ import annotations

from asx.store import kpi as kpi_store


def test_overdue_takes_each_case_earliest_pending_target(workspace, app_factory, h):
    app = app_factory()
    h.add_agent(app, "萌萌")
    # two pending targets due before as_of: the earlier one (solution) is the case's row
    two = h.add_case(app, agent="萌萌", opened="2026-11-02T10:00:00+08:00",
                     sla={"resolution": ("pending", "2026-11-04T10:00:00+08:00"),
                          "solution": ("pending", "2026-11-03T10:00:00+08:00"),
                          "first_response": ("met", "2026-11-02T10:03:00+08:00")})
    # the case's own next due time is earlier than its pending target: it wins, with the case's target
    own = h.add_case(app, agent="萌萌", opened="2026-11-02T11:00:00+08:00",
                     sla={"resolution": ("pending", "2026-11-05T10:00:00+08:00")})
    # only the case's own due time (no pending target rows)
    bare = h.add_case(app, agent="萌萌", opened="2026-11-02T12:00:00+08:00")
    # pending target due after as_of and no own due time: not overdue
    later = h.add_case(app, agent="萌萌", opened="2026-11-02T13:00:00+08:00",
                       sla={"resolution": ("pending", "2026-11-20T10:00:00+08:00")})
    # resolved: never overdue
    h.add_case(app, agent="萌萌", opened="2026-11-02T14:00:00+08:00", resolved="2026-11-02T15:00:00+08:00",
               sla={"resolution": ("pending", "2026-11-03T10:00:00+08:00")})
    with app.store.tx():
        app.store.execute("UPDATE cases SET next_due_at = ?, next_due_target = ? WHERE id = ?",
                          (h.ts("2026-11-02T20:00:00+08:00"), "feedback", own))
        app.store.execute("UPDATE cases SET next_due_at = ?, next_due_target = ? WHERE id = ?",
                          (h.ts("2026-11-06T09:00:00+08:00"), "first_response", bare))
    rows = kpi_store.overdue(app.store, h.ts("2026-11-10T00:00:00+08:00"))
    got = [(r["case_id"], r["target"], r["due_at"]) for r in rows]
    assert got == [(own, "feedback", h.ts("2026-11-02T20:00:00+08:00")),
                   (two, "solution", h.ts("2026-11-03T10:00:00+08:00")),
                   (bare, "first_response", h.ts("2026-11-06T09:00:00+08:00"))]
    assert later not in {r["case_id"] for r in rows}
    assert all(isinstance(r["due_at"], int) for r in rows)
