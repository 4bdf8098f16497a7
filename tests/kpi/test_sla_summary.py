"""The stored SLA summary of a case (cases.sla_outcome / sla_due_last, migration 0056, issue 7)
stays in step with its case_sla rows, and SLA attainment read from it in the one cohort pass
equals SLA attainment counted from case_sla (R-SLA; the KPI export, R-KPI-2)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from asx.kpi import indicators
from asx.kpi.compute import compute, make_query
from asx.store import cases as case_store
from asx.store import kpi as sql

TZ = ZoneInfo("Asia/Shanghai")
GROUPS = ("agent", "team", "store", "category", "day")
# whole month, a week, a range ending while targets of its cases are still due after the end
# (those cases are counted from case_sla), a day, and a year
PERIODS = ("2026-11", "2026-W46", "2026-11-01..2026-11-19", "2026-11-18..2026-11-19", "2026-11-19", "2026")


def T(s):
    return datetime.fromisoformat(s).replace(tzinfo=TZ)


def old_way(app, period, by):
    """SLA attainment rows counted from case_sla alone (the definition)."""
    q = make_query(app, period, by)
    return [{k: r[k] for k in ("grp", "target", "met", "breached")}
            for r in sql.sla_by_target(q.store, q.start_epoch, q.end_epoch, by, **q.sql_kw()) if r["met"] or r["breached"]]


def new_way(app, period, by):
    """SLA attainment rows as the export computes them: the one cohort pass."""
    return indicators.sla_rows(make_query(app, period, by))


def assert_in_step(app):
    assert case_store.sla_summary_mismatches(app.store) == []
    unknown = app.store.scalar("SELECT count(*) FROM cases c WHERE c.sla_outcome IS NULL "
                               "AND EXISTS (SELECT 1 FROM case_sla s WHERE s.case_id = c.id)")
    assert unknown == 0   # every writer of case_sla wrote the summary too
    for period in PERIODS:
        for by in GROUPS:
            assert new_way(app, period, by) == old_way(app, period, by), (period, by)


@pytest.fixture
def app(sample):
    from asx.core.app import App

    a = App(sample)
    yield a
    a.close()


def test_sample_summaries_match_case_sla(app):
    """The sample store (waits, late responses, reopens, merges, money) through the real case code."""
    n = app.store.scalar("SELECT count(*) FROM case_sla WHERE state IN ('met', 'breached')")
    assert n > 50
    assert {r["target"] for r in old_way(app, "2026-11", "agent")} >= {"first_response", "resolution"}
    assert_in_step(app)


def test_every_case_action_keeps_the_summary_in_step(app):
    from asx.cases import service

    def case(opened, **kw):
        return service.open_case(app, {"category": "quality", "agent": "萌萌", "order": "9", **kw},
                                 at=T(opened), by="萌萌")

    a = case("2026-11-18T09:00:00")
    service.act(app, a, "respond", at=T("2026-11-18T09:10:00"), by="萌萌")            # late first response
    service.act(app, a, "wait", on="buyer", at=T("2026-11-18T10:00:00"), by="萌萌")     # paused span
    service.act(app, a, "resume", at=T("2026-11-18T20:00:00"), by="萌萌")
    service.act(app, a, "check", step="apologise", at=T("2026-11-18T20:00:00"), by="萌萌")   # R-CASE-3
    service.act(app, a, "resolve", resolution="explained", party="buyer", at=T("2026-11-19T09:00:00"), by="萌萌")
    service.act(app, a, "reopen", note="买家说还是不行", at=T("2026-11-19T11:00:00"), by="萌萌")
    service.act(app, a, "resolve", resolution="explained", party="buyer", at=T("2026-11-19T12:00:00"), by="萌萌")
    b = case("2026-11-19T15:00:00")
    service.act(app, b, "promise", until=T("2026-11-19T16:00:00"), at=T("2026-11-19T15:01:00"), by="萌萌")
    service.act(app, b, "check", step="apologise", at=T("2026-11-19T15:01:00"), by="萌萌")
    service.act(app, b, "resolve", resolution="explained", party="us", at=T("2026-11-19T17:00:00"), by="萌萌")
    c = case("2026-11-19T16:00:00")
    service.act(app, c, "merge", into=b, at=T("2026-11-19T16:05:00"), by="萌萌")
    d = case("2026-11-20T09:00:00")                                                      # still pending
    for cid in (a, b, c, d):
        row = app.store.one("SELECT sla_outcome, sla_due_last FROM cases WHERE id = ?", (cid,))
        assert (row["sla_outcome"], row["sla_due_last"]) == case_store.sla_summary(
            (r["target"], r["due_at"], r["state"]) for r in case_store.sla(app.store, cid))
    assert "resolution:m" in app.store.scalar("SELECT sla_outcome FROM cases WHERE id = ?", (b,))  # the promise
    assert_in_step(app)


def test_import_writes_the_summary(app, tmp_path, asx):
    csv = tmp_path / "cases.csv"
    csv.write_text("order_no,category,agent,opened_at,first_response_at,resolved_at\n"
                   "701,quality,萌萌,2026-11-18 09:00:00,2026-11-18 09:01:00,2026-11-18 11:00:00\n"
                   "702,inquiry,小雨,2026-11-18 22:50:00,2026-11-19 08:40:00,\n"
                   "703,quality,萌萌,2026-11-19 10:00:00,,\n", encoding="utf-8")
    r = asx(["case", "import", str(csv)])
    assert r.exit_code == 0, r
    assert app.store.scalar("SELECT count(*) FROM cases WHERE order_no IN ('701', '702', '703') "
                            "AND sla_outcome IS NOT NULL") == 3
    # a file without lifecycle columns takes the import's other path (open targets only)
    csv2 = tmp_path / "open.csv"
    csv2.write_text("order_no,category,agent,opened_at\n"
                    "801,quality,萌萌,2026-11-19 09:00:00\n"
                    "802,inquiry,小雨,2026-11-20 09:30:00\n", encoding="utf-8")
    r = asx(["case", "import", str(csv2)])
    assert r.exit_code == 0, r
    assert app.store.scalar("SELECT count(*) FROM cases WHERE order_no IN ('801', '802') "
                            "AND sla_outcome IS NOT NULL") == 2
    assert "first_response:b" in app.store.scalar("SELECT sla_outcome FROM cases WHERE order_no = '801'")
    assert_in_step(app)


def test_out_of_step_summary_is_caught(app, asx):
    """A summary that disagrees with case_sla changes the figures and `asx db check` reports it."""
    cid = app.store.scalar("SELECT c.id FROM cases c JOIN case_sla s ON s.case_id = c.id "
                           "WHERE s.state = 'met' AND s.target = 'first_response' AND c.merged_into IS NULL "
                           "AND c.opened_at >= ? ORDER BY c.id LIMIT 1", (int(T("2026-11-01T00:00:00").timestamp()),))
    with app.store.tx():
        app.store.execute("UPDATE cases SET sla_outcome = replace(sla_outcome, 'first_response:m', "
                          "'first_response:b') WHERE id = ?", (cid,))
    assert case_store.sla_summary_mismatches(app.store) == [cid]
    assert new_way(app, "2026-11", "agent") != old_way(app, "2026-11", "agent")
    r = asx("db check")
    assert r.exit_code != 0 and f"case(s) {cid}" in r.stdout


def test_unknown_summaries_fall_back_to_case_sla_then_get_filled(app, asx):
    """Cases written before migration 0056 (NULL summary) are counted from case_sla; `asx db
    migrate` fills them."""
    want = {(p, by): old_way(app, p, by) for p in ("2026-11", "2026-11-18..2026-11-19") for by in ("agent", "day")}
    with app.store.tx():
        app.store.execute("UPDATE cases SET sla_outcome = NULL, sla_due_last = NULL")
    for (p, by), rows in want.items():
        assert new_way(app, p, by) == rows
    # more unknown cases than are looked up by id: one join instead
    old = sql.SLA_REST_BY_ID
    sql.SLA_REST_BY_ID = 1
    try:
        for (p, by), rows in want.items():
            assert new_way(app, p, by) == rows
    finally:
        sql.SLA_REST_BY_ID = old
    r = asx("db migrate")
    assert r.exit_code == 0 and "stored the SLA summary of" in r.stderr
    assert app.store.scalar("SELECT count(*) FROM cases WHERE sla_outcome IS NULL") == 0
    assert_in_step(app)


def test_summary_of_rows():
    assert case_store.sla_summary([]) == ("", None)
    assert case_store.sla_summary([("resolution", 200, "met"), ("first_response", 100, "breached"),
                           ("feedback", 300, "pending"), ("solution", None, "met"), ("x", 50, "cancelled")]) \
        == ("first_response:b resolution:m", 200)
    assert case_store.sla_summary([("on site", 100, "met")]) == (None, None)   # cannot be listed: not known
    assert case_store.parse_sla_outcome("first_response:b resolution:m") == [("first_response", "breached"),
                                                                      ("resolution", "met")]


def test_export_figures_equal_with_and_without_summaries(app):
    """The whole KPI table (every indicator) is the same from the summaries and from case_sla."""
    tables = {}
    for mode in ("stored", "case_sla"):
        if mode == "case_sla":
            with app.store.tx():
                app.store.execute("UPDATE cases SET sla_outcome = NULL, sla_due_last = NULL")
        tables[mode] = [compute(make_query(app, p, by))[1] for p in ("2026-11", "2026-11-18..2026-11-19")
                        for by in GROUPS]
    assert tables["stored"] == tables["case_sla"]
