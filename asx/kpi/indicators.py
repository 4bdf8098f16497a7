"""The built-in indicators (R-KPI-2): compute functions and their written definitions.

Each compute function takes a :class:`~asx.kpi.compute.Query` and returns
``{group: value}`` or ``{group: {column: value}}``. The SQL is in :mod:`asx.store.kpi`; queries
shared by several indicators run once per table (``q.cached``).
"""

from __future__ import annotations

from typing import Any

from asx.store import kpi as sql

COHORT = ("Cohort: the cases opened in the period (merged duplicates left out), counting only what "
          "happened before the period's end, so a closed period always gives the same figure.")


def _cohort(q) -> dict[str, dict]:
    return q.cached("cohort", lambda: {r["grp"]: r for r in sql.case_cohort(*q.sql_args(), **q.sql_kw())})


def _ratio(a: Any, b: Any) -> float | None:
    return None if not b else (a or 0) / b


def cases_handled(q):
    return {g: r["cases"] for g, r in _cohort(q).items()}


def first_response(q):
    return {g: {"first_response_service_median": r["frs_med"], "first_response_service_p90": r["frs_p90"],
                "first_response_calendar_median": r["frc_med"], "first_response_calendar_p90": r["frc_p90"]}
            for g, r in _cohort(q).items()}


def resolution_time(q):
    return {g: {"resolution_service_median": r["rss_med"], "resolution_service_p90": r["rss_p90"],
                "resolution_calendar_median": r["rsc_med"], "resolution_calendar_p90": r["rsc_p90"]}
            for g, r in _cohort(q).items()}


def resolution_rate(q):
    return {g: _ratio(r["resolved"], r["cases"]) for g, r in _cohort(q).items()}


def reopen_rate(q):
    return {g: _ratio(r["reopened"], r["resolved"]) for g, r in _cohort(q).items()}


def one_touch_rate(q):
    return {g: _ratio(r["one_touch"], r["resolved"]) for g, r in _cohort(q).items()}


def csat(q):
    return {g: {"csat": _ratio(r["csat_good"], r["csat_n"]), "csat_ratings": r["csat_n"]}
            for g, r in _cohort(q).items()}


def service_complaints(q):
    return {g: r["complaints"] for g, r in _cohort(q).items()}


SLA_TARGETS = ("first_response", "solution", "resolution", "feedback")


def sla_rows(q) -> list[dict]:
    """[{grp, target, met, breached}] of the cohort (sorted), from the one cohort pass: the
    stored SLA summaries of migration 0056 plus case_sla for the cases they cannot answer
    (``sql.sla_by_target`` counts the same from case_sla alone; tests compare the two)."""
    return [{"grp": g, "target": t, "met": m, "breached": b}
            for g, r in sorted(_cohort(q).items()) for t, (m, b) in sorted(r["sla"].items()) if m or b]


def sla_attainment(q):
    out: dict[str, dict] = {}
    totals: dict[str, list[int]] = {}
    for r in sla_rows(q):
        met, breached = r["met"] or 0, r["breached"] or 0
        out.setdefault(r["grp"], {})[f"sla_{r['target']}"] = _ratio(met, met + breached)
        t = totals.setdefault(r["grp"], [0, 0])
        t[0] += met
        t[1] += met + breached
    for g, (met, n) in totals.items():
        out[g]["sla_all"] = _ratio(met, n)
    return out


def promise_kept(q):
    rows = q.cached("promises", lambda: sql.promise_agg(*q.sql_args(), **q.sql_kw()))
    return {r["grp"]: {"promise_kept": _ratio(r["kept"], r["promised"]), "promises": r["promised"]} for r in rows}


def _reviews(q):
    return q.cached("reviews", lambda: {r["grp"]: r for r in sql.reviews_agg(*q.sql_args(), **q.sql_kw())})


def review_revision_rate(q):
    return {g: {"review_revision_rate": _ratio(r["revised"], r["reviews"]), "reviews": r["reviews"]}
            for g, r in _reviews(q).items()}


def refunds_paid(q):
    return {r["grp"]: r["paid_fen"] or 0 for r in _ledger(q)}


def refunds_count(q):
    return {r["grp"]: r["payouts"] for r in _ledger(q)}


def _ledger(q):
    return q.cached("ledger", lambda: sql.ledger_agg(*q.sql_args(), **q.sql_kw()))


def _daily(q):
    return q.cached("daily", lambda: {r["grp"]: r for r in sql.daily_agg(q.store, q.first_day, q.end_day, q.by,
                                                                          team=q.team)})


def buyers_served(q):
    return {g: {"buyers_served": r["served"], "buyers_ordered": r["ordered"]} for g, r in _daily(q).items()}


def order_amount(q):
    return {g: r["order_fen"] for g, r in _daily(q).items()}


def conversion_rate(q):
    return {g: _ratio(r["ordered"], r["served"]) for g, r in _daily(q).items()}


def shipments(q):
    return {g: {"shipments": r["shipped"], "returns": r["returned"]} for g, r in _daily(q).items()
            if r["shipped"] is not None or r["returned"] is not None}


def daily_records(q):
    return {g: r["records"] for g, r in _daily(q).items()}


#: (name, title, 中文, unit, version, compute, definition, extra)
BUILTIN: list[dict] = [
    dict(name="cases_handled", title="Cases handled", title_zh="处理案件数", unit="count", version=1,
         compute=cases_handled, order=10, sources=("cases",),
         definition="Number of cases opened in the period, counted against the assigned agent. " + COHORT),
    dict(name="first_response_time", title="First-response time", title_zh="首次响应时间", unit="minutes",
         version=1, compute=first_response, order=20, sources=("cases", "case_sla"),
         columns=("first_response_service_median", "first_response_service_p90",
                  "first_response_calendar_median", "first_response_calendar_p90"),
         definition="Minutes from opening to the first response, over the cohort's cases answered before the "
                    "period's end: median (mean of the middle one or two values) and 90th percentile (nearest "
                    "rank). Service minutes count only the store's service hours (case_sla.service_minutes of "
                    "target first_response, from the case clock); calendar minutes are wall-clock, floored "
                    "(R-SLA-1)."),
    dict(name="resolution_time", title="Resolution time", title_zh="解决时长", unit="minutes", version=1,
         compute=resolution_time, order=30, sources=("cases", "case_sla"),
         columns=("resolution_service_median", "resolution_service_p90",
                  "resolution_calendar_median", "resolution_calendar_p90"),
         definition="Minutes from opening to resolution over the cohort's cases resolved before the period's "
                    "end, without the time spent waiting for the buyer, courier or warehouse (waiting_* "
                    "statuses pause the clock): calendar minutes = (resolved − opened − paused seconds) / 60 "
                    "floored; service minutes from case_sla.service_minutes of target resolution. Median and "
                    "90th percentile as for first response (R-SLA-3)."),
    dict(name="resolution_rate", title="Resolution rate", title_zh="问题解决率", unit="ratio", version=1,
         compute=resolution_rate, order=40, sources=("cases",),
         definition="Resolved ÷ raised: cases of the cohort resolved before the period's end divided by the "
                    "cases opened in the period (R-KPI-2)."),
    dict(name="sla_attainment", title="SLA attainment", title_zh="时效达成率", unit="ratio", version=1,
         compute=sla_attainment, order=50, sources=("case_sla",), dynamic=True,
         columns=tuple(f"sla_{t}" for t in SLA_TARGETS) + ("sla_all",),
         definition="Per SLA target (one column each, sla_<target>) and over all targets (sla_all): of the "
                    "cohort's targets that came due before the period's end and were met or breached, the "
                    "share met. Cancelled and still-pending targets are left out (R-SLA)."),
    dict(name="reopen_rate", title="Reopen rate", title_zh="重开率", unit="ratio", version=1,
         compute=reopen_rate, order=60, sources=("cases",),
         definition="Of the cohort's cases resolved before the period's end, the share reopened at least "
                    "once (reopen_count > 0)."),
    dict(name="one_touch_rate", title="One-touch rate", title_zh="一次解决率", unit="ratio", version=1,
         compute=one_touch_rate, order=70, sources=("cases",),
         definition="Of the cohort's cases resolved before the period's end, the share resolved with at most "
                    "one agent response (response_count ≤ 1)."),
    dict(name="csat", title="Customer satisfaction", title_zh="客户满意度", unit="ratio", version=1,
         compute=csat, order=80, sources=("cases",), columns=("csat", "csat_ratings"), units={"csat_ratings": "count"},
         definition="Share of the cohort's satisfaction ratings (1–5) that are 4 or 5; csat_ratings is the "
                    "number of ratings (R-KPI-2)."),
    dict(name="service_complaints", title="Service complaints", title_zh="服务投诉", unit="count", version=1,
         compute=service_complaints, order=90, sources=("cases",),
         definition="Cases of the cohort with category service (服务不满意) and responsible party us (staff "
                    "error), counted against the case's agent; they drive the fines ladder (R-KPI-4)."),
    dict(name="promise_kept", title="Promise kept", title_zh="承诺兑现率", unit="ratio", version=1,
         compute=promise_kept, order=95, sources=("cases",), columns=("promise_kept", "promises"),
         units={"promises": "count"},
         definition="Of the cohort's cases on which the buyer was promised a reply time (R-SLA-5, the standing "
                    "promise cases.promised_at) whose promised time fell before the period's end (or that were "
                    "answered in time before it), the share answered by the promised time: the initial solution "
                    "or the resolution (solution_at) at or before promised_at. promises is their number. "
                    "Attainment of the SLA targets is measured apart (sla_attainment): a kept promise never "
                    "makes a late target met."),
    dict(name="review_revision_rate", title="Review revision rate", title_zh="中差评修改率", unit="ratio",
         version=1, compute=review_revision_rate, order=100, sources=("reviews",),
         columns=("review_revision_rate", "reviews"), units={"reviews": "count"},
         definition="Of the neutral and negative reviews received in the period (grouped by the review's "
                    "owner), the share revised or deleted (progress revised) by the period's end; reviews is "
                    "their number (R-REV-3)."),
    dict(name="refunds_paid", title="Refunds paid", title_zh="退款金额", unit="yuan", version=1,
         compute=refunds_paid, order=110, sources=("ledger",),
         definition="Sum of the after-sales money paid out in the period (ledger entries with direction out: "
                    "refunds and compensations), by the entry's agent, in yuan (R-FIN-1)."),
    dict(name="refunds_count", title="Payouts", title_zh="退款笔数", unit="count", version=1,
         compute=refunds_count, order=111, sources=("ledger",),
         definition="Number of the ledger entries counted in refunds_paid."),
    dict(name="buyers_served", title="Buyers served", title_zh="接待人数", unit="count", version=1,
         compute=buyers_served, order=120, sources=("daily_records",), groups=("agent", "team", "store", "day"),
         columns=("buyers_served", "buyers_ordered"),
         definition="Buyers served and buyers who ordered, summed from the agents' daily records of the days "
                    "in the period (R-KPI-1)."),
    dict(name="order_amount", title="Order amount", title_zh="下单金额", unit="yuan", version=1,
         compute=order_amount, order=125, sources=("daily_records",), groups=("agent", "team", "store", "day"),
         definition="Amount ordered by the buyers an agent served, summed from the daily records, in yuan."),
    dict(name="conversion_rate", title="Conversion rate", title_zh="询单转化率", unit="ratio", version=1,
         compute=conversion_rate, order=130, sources=("daily_records",), groups=("agent", "team", "store", "day"),
         definition="Buyers who ordered ÷ buyers served, from the daily records of the period."),
    dict(name="shipments", title="Shipments and returns", title_zh="发货与退货", unit="count", version=1,
         compute=shipments, order=140, sources=("daily_records",), groups=("agent", "team", "store", "day"),
         columns=("shipments", "returns"),
         definition="The order clerk's shipments and returns (all categories), summed from the daily records "
                    "of the period (R-KPI-1)."),
    dict(name="daily_records", title="Daily records handed in", title_zh="日报份数", unit="count", version=1,
         compute=daily_records, order=150, sources=("daily_records",), groups=("agent", "team", "store", "day"),
         definition="Number of daily records handed in for days of the period (R-KPI-1)."),
]
