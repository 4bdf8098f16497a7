"""SQL of the KPI indicators (R-KPI-2): set-based aggregates over indexed columns.

Every function takes a :class:`~asx.store.Store`, a half-open period ``[start, end)`` in epoch
seconds, a grouping (``agent``, ``team``, ``store``, ``category``, ``day``) and the UTC offset
of the store timezone in seconds (for ``day``), and returns one dict per group. Counts are
set-based SQL; medians and 90th percentiles are read from each group's sorted durations.

Case indicators use the *cohort* of cases opened in the period (merged duplicates left out)
and count only what happened before the period's end, so recomputing a closed period later
gives the same figures (a case resolved after the end counts as unresolved for that period).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

GROUPS = ("agent", "team", "store", "category", "day")
NONE = "(none)"


def _day(col: str) -> str:
    return f"date({col} + :off, 'unixepoch')"


def case_group(by: str) -> tuple[str, str]:
    """(SQL expression of the group key, extra JOIN) for a query over ``cases c``."""
    return {
        "agent": ("c.agent", ""),
        "team": (":team", ""),
        "store": ("COALESCE(c.store, ga.store)", "LEFT JOIN agents ga ON ga.name = c.agent"),
        "category": ("c.category", ""),
        "day": (_day("c.opened_at"), ""),
    }[by]


def _params(start: int, end: int, off: int, team: str) -> dict:
    return {"start": int(start), "end": int(end), "off": int(off), "team": team, "none": NONE}


def _ints(text: str | None) -> list:
    """Sorted numbers of a ``group_concat`` (integers; a stray REAL kept as float)."""
    if not text:
        return []
    try:
        vals = list(map(int, text.split(",")))
    except ValueError:
        vals = [float(x) if "." in x or "e" in x else int(x) for x in text.split(",")]
    vals.sort()
    return vals


def _pct(vals: list) -> tuple:
    """(median, nearest-rank 90th percentile) of sorted ``vals``: the median is the mean of the
    middle one or two values (ranks (n+1)//2 and (n+2)//2), the 90th percentile the value of
    rank (9n+9)//10 (1-based) — the same ranks the former window-function SQL used."""
    n = len(vals)
    if not n:
        return None, None
    return (vals[(n + 1) // 2 - 1] + vals[(n + 2) // 2 - 1]) / 2.0, vals[(9 * n + 9) // 10 - 1]


def sqlite_index_hint(index: str) -> str:
    """``INDEXED BY <index>``: SQLite only. A PostgreSQL backend drops it (its planner picks the
    index by itself); the one SQLite-only planner hint of the KPI SQL (issue 7)."""
    return f"INDEXED BY {index}"


def sqlite_join_in_order() -> str:
    """``CROSS JOIN``: in SQLite an inner join whose left table is the outer loop (a planner
    hint; ``… CROSS JOIN t ON …`` is SQLite only). A PostgreSQL backend writes ``JOIN``."""
    return "CROSS JOIN"


def list_agg(expr: str) -> str:
    """The non-NULL values of ``expr`` of a group as one comma-separated text: ``group_concat`` in
    SQLite; a PostgreSQL backend writes ``string_agg(CAST(expr AS TEXT), ',')``."""
    return f"group_concat({expr})"


def _agent_ordered(store, start: int, end: int, by: str) -> bool:
    """Whether to read a cohort grouped by agent in agent order (issue 7).

    For a long period (a year) reading the covering index ``cases_kpi_agent`` (migration 0056)
    streams the groups without sorting the cohort; for a short one (a month) a range of
    ``cases_opened`` plus a sort of the few rows is cheaper. Decided by the share of the
    case history's time span the period covers (two index look-ups).
    """
    if by != "agent":
        return False
    lo, hi = store.one("SELECT (SELECT min(opened_at) FROM cases) AS lo, (SELECT max(opened_at) FROM cases) AS hi").values()
    if lo is None or hi <= lo:
        return False
    overlap = min(end, hi + 1) - max(start, lo)
    return overlap * 4 >= hi + 1 - lo


_SUMS = ("cases", "resolved", "reopened", "one_touch", "csat_n", "csat_good", "complaints")
_LISTS = ("frs", "frc", "rss", "rsc", "sla")


def _merge_none(rows: list[dict]) -> list[dict]:
    """Rows grouped by the raw column merged by their displayed group (a NULL agent and one
    named ``(none)`` are one group, as with ``GROUP BY COALESCE(...)``)."""
    by: dict[Any, dict] = {}
    for r in rows:
        o = by.get(r["grp"])
        if o is None:
            by[r["grp"]] = r
            continue
        for k in _SUMS:
            o[k] = (o[k] or 0) + (r[k] or 0) if (o[k] is not None or r[k] is not None) else None
        for k in _LISTS:
            o[k] = ",".join(x for x in (o[k], r[k]) if x) or None
    return list(by.values())


def _pct_text(text: str | None) -> tuple:
    """:func:`_pct` of the numbers of a ``group_concat``, read from a histogram of the distinct
    values (durations in whole minutes repeat a lot: counting the strings is cheaper than
    parsing and sorting every value, issue 7); the same ranks, the same figures."""
    if not text:
        return None, None
    hist: dict = {}
    for k, c in Counter(text.split(",")).items():
        try:
            v = int(k)
        except ValueError:
            v = float(k) if "." in k or "e" in k else int(k)
        hist[v] = hist.get(v, 0) + c
    n = sum(hist.values())
    want = ((n + 1) // 2, (n + 2) // 2, (9 * n + 9) // 10)
    got: list = [None, None, None]
    seen = 0
    for v in sorted(hist):
        seen += hist[v]
        for i, r in enumerate(want):
            if got[i] is None and r <= seen:
                got[i] = v
        if got[2] is not None and got[1] is not None:
            break
    return (got[0] + got[1]) / 2.0, got[2]


def _sla_counts(text: str | None) -> tuple[dict[str, list[int]], list[int]]:
    """({target: [met, breached]}, [case ids]) of a ``group_concat`` of stored ``sla_outcome``
    values and ``#<case id>`` items (the cases whose summary cannot be used): the few distinct
    outcomes are counted as strings, then each is read once."""
    from asx.store.cases import parse_sla_outcome

    out: dict[str, list[int]] = {}
    rest: list[int] = []
    if not text:
        return out, rest
    for key, n in Counter(text.split(",")).items():
        if key[:1] == "#":
            rest.append(int(key[1:]))
            continue
        for target, state in parse_sla_outcome(key):
            c = out.setdefault(target, [0, 0])
            c[0 if state == "met" else 1] += n
    return out, rest


#: up to this many cases of a cohort without a usable stored SLA summary are looked up by id
#: in case_sla; more (a database not yet filled after migration 0056) take one join instead
SLA_REST_BY_ID = 20_000


def case_cohort(store, start: int, end: int, by: str, *, off: int = 0, team: str = "team") -> list[dict]:
    """Counts, rates, duration percentiles and SLA attainment of the cases opened in ``[start, end)``, per group.

    Durations: first response = first_response_at − opened_at; resolution = resolved_at −
    opened_at − paused_seconds (``waiting_*`` spans do not count, R-SLA), both in calendar
    minutes (floored); service-hour minutes are ``case_sla.service_minutes`` of the
    ``first_response`` and ``resolution`` targets, which the case clock computes with the
    store's service calendar and pauses (mirrored on the case as ``first_response_service_min``
    and ``resolution_service_min`` by migration 0015's triggers, so this reads one row per case).

    One pass over the cohort: SQL counts per group and hands each group's durations over as one
    ``group_concat`` string; Python reads the median and 90th percentile from their histogram
    (issue 7: a window function or histogram per group sorted the whole cohort several times).
    A long period grouped by agent reads the covering index ``cases_kpi_agent`` in agent order.

    SLA attainment (``r["sla"]`` = {target: [met, breached]}: the cohort's targets met or
    breached with a due time before the end) comes from the same pass: each case's stored
    summary (``sla_outcome``, migration 0056) counts when all its targets fell due before the
    end (``sla_due_last``); the few other cases (due after the end, or no summary yet) are
    counted from their case_sla rows (:func:`sla_by_target` restricted to them) — the same
    figures as :func:`sla_by_target` over the whole cohort, in one pass.
    """
    g, join = case_group(by)
    group = "" if by == "team" else "GROUP BY 1"
    ordered = _agent_ordered(store, start, end, by)
    if ordered:
        # the covering agent-ordered index: groups stream without a temp B-tree (issue 7)
        join, group = sqlite_index_hint("cases_kpi_agent"), "GROUP BY c.agent"
    # the SLA list holds each case's stored outcome, or '#<id>' when it cannot be used for this end
    rest = "c.sla_outcome IS NULL OR c.sla_due_last >= :end"
    sql = f"""
SELECT COALESCE({g}, :none) AS grp,
       count(*) AS cases,
       SUM(CASE WHEN c.resolved_at < :end THEN 1 ELSE 0 END) AS resolved,
       SUM(CASE WHEN c.resolved_at < :end AND c.reopen_count > 0 THEN 1 ELSE 0 END) AS reopened,
       SUM(CASE WHEN c.resolved_at < :end AND c.response_count <= 1 THEN 1 ELSE 0 END) AS one_touch,
       count(c.csat) AS csat_n,
       SUM(CASE WHEN c.csat >= 4 THEN 1 ELSE 0 END) AS csat_good,
       SUM(CASE WHEN c.category = 'service' AND c.party = 'us' THEN 1 ELSE 0 END) AS complaints,
       {list_agg("CASE WHEN c.first_response_at < :end THEN c.first_response_service_min END")} AS frs,
       {list_agg("CASE WHEN c.first_response_at < :end THEN (c.first_response_at - c.opened_at) / 60 END")} AS frc,
       {list_agg("CASE WHEN c.resolved_at < :end THEN c.resolution_service_min END")} AS rss,
       {list_agg("CASE WHEN c.resolved_at < :end THEN (c.resolved_at - c.opened_at - c.paused_seconds) / 60 END")} AS rsc,
       {list_agg(f"CASE WHEN {rest} THEN '#' || c.id WHEN c.sla_due_last < :end THEN c.sla_outcome END")} AS sla
FROM cases c {join}
WHERE c.opened_at >= :start AND c.opened_at < :end AND c.merged_into IS NULL
{group}
"""
    out = []
    rows = list(store.q(sql, _params(start, end, off, team)))
    if ordered:
        rows = _merge_none(rows)
    rows = [r for r in rows if r["cases"]]  # (the aggregate row of an empty cohort without GROUP BY)
    ids: list[int] = []
    for r in rows:
        r["sla"], rest = _sla_counts(r["sla"])
        ids += rest
    rest_rows: list[dict] = []
    if ids:
        rest_rows = sla_by_target(store, start, end, by, off=off, team=team, only_rest=True,
                                  ids=ids if len(ids) <= SLA_REST_BY_ID else None)
    rest_by: dict = {}
    for s in rest_rows:
        rest_by.setdefault(s["grp"], []).append(s)
    for r in rows:
        for m in ("frs", "frc", "rss", "rsc"):
            r[f"{m}_med"], r[f"{m}_p90"] = _pct_text(r.pop(m))
        for s in rest_by.get(r["grp"], ()):
            c = r["sla"].setdefault(s["target"], [0, 0])
            c[0] += s["met"] or 0
            c[1] += s["breached"] or 0
        out.append(r)
    out.sort(key=lambda r: r["grp"])
    return out


def sla_by_target(store, start: int, end: int, by: str, *, off: int = 0, team: str = "team",
                  only_rest: bool = False, ids: list[int] | None = None) -> list[dict]:
    """Met and breached SLA targets of the cohort, per group and target (due before the end),
    counted from the case_sla rows — the definition the stored summaries of
    :func:`case_cohort` must agree with (tests compare the two).

    ``only_rest``: only the cohort's cases whose stored summary cannot be used for this end
    (none yet, or a target due after the end); ``ids``: only these cases (looked up by id, in
    chunks). The join runs from ``case_sla`` (a range of its primary key: the cohort's smallest
    to largest case id) to ``cases`` by rowid, which is about three times cheaper than probing
    ``case_sla`` once per case (issue 7); the cohort condition on ``cases`` still decides.
    """
    g, join = case_group(by)
    cond = " AND (c.sla_outcome IS NULL OR c.sla_due_last >= :end)" if only_rest else ""
    prm = _params(start, end, off, team)
    if ids is not None:
        counts: dict[tuple, list[int]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ", ".join(f":i{k}" for k in range(len(chunk)))
            sql = f"""
SELECT COALESCE({g}, :none) AS grp, s.target AS target,
       SUM(CASE WHEN s.state = 'met' THEN 1 ELSE 0 END) AS met,
       SUM(CASE WHEN s.state = 'breached' THEN 1 ELSE 0 END) AS breached
FROM cases c {join} JOIN case_sla s ON s.case_id = c.id
WHERE c.id IN ({marks})
  AND c.opened_at >= :start AND c.opened_at < :end AND c.merged_into IS NULL{cond}
  AND s.state IN ('met', 'breached') AND s.due_at < :end
GROUP BY 1, 2
"""
            for r in store.q(sql, {**prm, **{f"i{k}": v for k, v in enumerate(chunk)}}):
                c = counts.setdefault((r["grp"], r["target"]), [0, 0])
                c[0] += r["met"] or 0
                c[1] += r["breached"] or 0
        return [{"grp": k[0], "target": k[1], "met": m, "breached": b} for k, (m, b) in sorted(counts.items())]
    sql = f"""
SELECT COALESCE({g}, :none) AS grp, s.target AS target,
       SUM(CASE WHEN s.state = 'met' THEN 1 ELSE 0 END) AS met,
       SUM(CASE WHEN s.state = 'breached' THEN 1 ELSE 0 END) AS breached
FROM case_sla s {sqlite_join_in_order()} cases c ON c.id = s.case_id {join}
WHERE s.case_id BETWEEN (SELECT min(id) FROM cases WHERE opened_at >= :start AND opened_at < :end)
                    AND (SELECT max(id) FROM cases WHERE opened_at >= :start AND opened_at < :end)
  AND c.opened_at >= :start AND c.opened_at < :end AND c.merged_into IS NULL{cond}
  AND s.state IN ('met', 'breached') AND s.due_at < :end
GROUP BY 1, 2 ORDER BY 1, 2
"""
    return list(store.q(sql, prm))


def reviews_agg(store, start: int, end: int, by: str, *, off: int = 0, team: str = "team") -> list[dict]:
    """Neutral/negative reviews received in the period and how many were revised by its end."""
    g = {"agent": "r.owner", "team": ":team", "store": "ga.store",
         "category": "COALESCE(c.category, 'review')", "day": _day("r.created_at")}[by]
    sql = f"""
SELECT COALESCE({g}, :none) AS grp, count(*) AS reviews,
       sum(r.progress = 'revised' AND (r.resolved_at IS NULL OR r.resolved_at < :end)) AS revised
FROM reviews r
LEFT JOIN agents ga ON ga.name = r.owner
LEFT JOIN cases c ON c.id = r.case_id
WHERE r.created_at >= :start AND r.created_at < :end
GROUP BY 1 ORDER BY 1
"""
    return list(store.q(sql, _params(start, end, off, team)))


def ledger_agg(store, start: int, end: int, by: str, *, off: int = 0, team: str = "team") -> list[dict]:
    """Money paid out (refunds and compensations, direction 'out') in the period."""
    g = {"agent": "l.agent", "team": ":team", "store": "ga.store",
         "category": "COALESCE(c.category, CASE WHEN l.review_id IS NOT NULL THEN 'review' END)",
         "day": _day("l.at")}[by]
    sql = f"""
SELECT COALESCE({g}, :none) AS grp, count(*) AS payouts, sum(l.amount_fen) AS paid_fen
FROM ledger l
LEFT JOIN agents ga ON ga.name = l.agent
LEFT JOIN cases c ON c.id = l.case_id
WHERE l.at >= :start AND l.at < :end AND l.direction = 'out'
GROUP BY 1 ORDER BY 1
"""
    return list(store.q(sql, _params(start, end, off, team)))


def promise_agg(store, start: int, end: int, by: str, *, off: int = 0, team: str = "team") -> list[dict]:
    """R-SLA-5 promise kept: the cohort's cases with a promise (``promised_at``) that fell due or was
    kept before the period's end, and how many were answered (``solution_at``: the initial solution,
    or the resolution, which sets it) by the promised time."""
    grp, join = case_group(by)
    sql = f"""
SELECT COALESCE({grp}, :none) AS grp, count(*) AS promised,
       sum(CASE WHEN c.solution_at IS NOT NULL AND c.solution_at <= c.promised_at AND c.solution_at < :end
                THEN 1 ELSE 0 END) AS kept
FROM cases c {join}
WHERE c.opened_at >= :start AND c.opened_at < :end AND c.merged_into IS NULL AND c.promised_at IS NOT NULL
  AND (c.promised_at < :end OR (c.solution_at IS NOT NULL AND c.solution_at <= c.promised_at
                                AND c.solution_at < :end))
GROUP BY 1 ORDER BY 1
"""
    return list(store.q(sql, _params(start, end, off, team)))


def daily_agg(store, first_day: str, end_day: str, by: str, *, team: str = "team") -> list[dict]:
    """Daily records of days ``first_day <= day < end_day`` (R-KPI-1)."""
    g = {"agent": "d.agent", "team": ":team", "store": "ga.store", "category": "NULL", "day": "d.day"}[by]
    sql = f"""
WITH items AS (
    SELECT record_id, sum(CASE WHEN kind = 'shipment' THEN quantity END) AS shipped,
           sum(CASE WHEN kind = 'return' THEN quantity END) AS returned
    FROM daily_record_items GROUP BY record_id
)
SELECT COALESCE({g}, :none) AS grp, count(*) AS records, sum(d.served) AS served,
       sum(d.ordered) AS ordered, sum(d.order_fen) AS order_fen,
       sum(items.shipped) AS shipped, sum(items.returned) AS returned
FROM daily_records d
LEFT JOIN agents ga ON ga.name = d.agent
LEFT JOIN items ON items.record_id = d.id
WHERE d.day >= :a AND d.day < :b
GROUP BY 1 ORDER BY 1
"""
    return list(store.q(sql, {"a": first_day, "b": end_day, "team": team, "none": NONE}))


def staff_in_period(store, first_day: str, end_day: str) -> list[str]:
    """Agents, specialists and order clerks employed during the period (for one row each)."""
    return [r["name"] for r in store.q(
        """SELECT name FROM agents WHERE role IN ('agent', 'specialist', 'order_clerk')
           AND (joined_on IS NULL OR joined_on < :b) AND (left_on IS NULL OR left_on >= :a)
           ORDER BY name""", {"a": first_day, "b": end_day})]


# --- complaints (R-KPI-4) -----------------------------------------------------------------------

def service_complaints(store, start: int, end: int, agent: str | None = None) -> list[dict]:
    """Service complaints (category 'service', responsible party 'us') opened in the period, with
    ``about`` — the agent each is about (R-KPI-4; NULL: not settled yet) — and the handling ``agent``.
    Ordered by ``about`` (unsettled first on both backends), then opening; ``agent`` filters on about."""
    sql = """SELECT id, agent, about, opened_at, status FROM cases
             WHERE category = 'service' AND party = 'us' AND merged_into IS NULL
               AND opened_at >= :start AND opened_at < :end""" + (" AND about = :agent" if agent else "") + \
          " ORDER BY CASE WHEN about IS NULL THEN 0 ELSE 1 END, about, opened_at, id"  # NULL first on both backends
    return list(store.q(sql, {"start": start, "end": end, "agent": agent}))


# --- kpi runs -------------------------------------------------------------------------------

def record_run(store, row: dict) -> int:
    return store.insert("kpi_runs", row)


def runs(store, limit: int = 50) -> list[dict]:
    return list(store.q("SELECT * FROM kpi_runs ORDER BY id DESC LIMIT ?", (limit,)))


# --- evaluations (R-KPI-3) --------------------------------------------------------------------

EVAL_FIELDS = ("self_score", "supervisor_score", "customer_score", "note")


def get_evaluation(store, agent: str, period: str) -> dict | None:
    return store.one("SELECT * FROM evaluations WHERE agent = ? AND period = ?", (agent, period))


def set_evaluation(store, agent: str, period: str, values: dict[str, Any], *, at: int, by: str | None) -> dict:
    """Insert or update the scores given (None = leave as is); every change is history."""
    row = get_evaluation(store, agent, period)
    if row is None:
        eid = store.insert("evaluations", {"agent": agent, "period": period, "updated_at": at, "by": by})
        row = {"id": eid, **{k: None for k in EVAL_FIELDS}}
    changed = {k: v for k, v in values.items() if k in EVAL_FIELDS and v is not None and row.get(k) != v}
    if changed:
        sets = ", ".join(f"{k} = ?" for k in changed)
        store.execute(f"UPDATE evaluations SET {sets}, updated_at = ?, by = ? WHERE id = ?",
                      [*changed.values(), at, by, row["id"]])
        for k, v in changed.items():
            store.insert("evaluation_changes", {"evaluation_id": row["id"], "at": at, "by": by, "field": k,
                                                "old": None if row.get(k) is None else str(row.get(k)),
                                                "new": str(v)})
    return get_evaluation(store, agent, period)


def evaluations(store, period: str) -> list[dict]:
    return list(store.q("SELECT * FROM evaluations WHERE period = ? ORDER BY agent", (period,)))


def csat_avg(store, start: int, end: int) -> dict[str, float]:
    """Mean CSAT rating (1–5) per agent of the cases opened in the period."""
    return {r["agent"]: r["avg"] for r in store.q(
        """SELECT agent, avg(csat) AS avg FROM cases WHERE opened_at >= ? AND opened_at < ?
           AND csat IS NOT NULL AND merged_into IS NULL AND agent IS NOT NULL GROUP BY agent""", (start, end))}


# --- nightly lists --------------------------------------------------------------------------

def overdue(store, as_of: int) -> list[dict]:
    """Open cases whose next SLA due time (or a pending SLA target) is before ``as_of``.

    ``s`` is each case's earliest pending target due before ``as_of`` (ties: by target name) —
    a window, not a bare column beside min(), which PostgreSQL refuses."""
    return list(store.q(
        """SELECT c.id AS case_id, c.agent, c.category, c.severity, c.status,
                  COALESCE(c.next_due_target, s.target) AS target,
                  CASE WHEN s.due_at IS NULL THEN c.next_due_at
                       WHEN c.next_due_at IS NULL OR s.due_at < c.next_due_at THEN s.due_at
                       ELSE c.next_due_at END AS due_at
           FROM cases c
           LEFT JOIN (SELECT case_id, target, due_at FROM (
                          SELECT case_id, target, due_at,
                                 row_number() OVER (PARTITION BY case_id ORDER BY due_at, target) AS rn
                          FROM case_sla WHERE state = 'pending' AND due_at < :t) AS p
                      WHERE rn = 1) s ON s.case_id = c.id
           WHERE c.status NOT IN ('resolved', 'closed') AND c.merged_into IS NULL AND c.opened_at < :t
             AND (c.next_due_at < :t OR s.due_at IS NOT NULL)
           ORDER BY due_at, c.id""", {"t": as_of}))


def review_queue(store, as_of: int) -> list[dict]:
    """Reviews still to work at ``as_of``: open, awaiting compensation, or a promise that lapsed (R-REV-6)."""
    return list(store.q(
        """SELECT id AS review_id, created_at, severity, progress, owner, item, buyer, last_contact_via,
                  contact_count, promised_until
           FROM reviews
           WHERE created_at < :t AND purged_at IS NULL
             AND (progress IN ('open', 'awaiting_compensation')
                  OR (progress = 'promised' AND COALESCE(promised_until, 0) < :t))
           ORDER BY severity DESC, created_at, id""", {"t": as_of}))


# --- weekly pack ------------------------------------------------------------------------------

def cases_by(store, start: int, end: int) -> list[dict]:
    """Cases opened in the span by category and responsible party."""
    return list(store.q(
        """SELECT category, COALESCE(party, 'open') AS party, count(*) AS n FROM cases
           WHERE opened_at >= ? AND opened_at < ? AND merged_into IS NULL
           GROUP BY 1, 2 ORDER BY 1, 2""", (start, end)))


def reviews_by_progress(store, start: int, end: int) -> list[dict]:
    return list(store.q(
        """SELECT progress, count(*) AS n, sum(result = 'negative') AS negative FROM reviews
           WHERE created_at >= ? AND created_at < ? GROUP BY 1 ORDER BY 1""", (start, end)))


def refunds_by_reason(store, start: int, end: int) -> list[dict]:
    return list(store.q(
        """SELECT reason, count(*) AS n, sum(amount_fen) AS fen FROM ledger
           WHERE at >= ? AND at < ? AND direction = 'out' GROUP BY 1 ORDER BY 3 DESC, 1""", (start, end)))


def roster_span(store, first_day: str, end_day: str) -> list[dict]:
    return list(store.q(
        "SELECT day, agent, shift, mark FROM roster_days WHERE day >= ? AND day < ? ORDER BY agent, day",
        (first_day, end_day)))


def insert_sample_complaint(store, *, agent: str, opened: int, k: int) -> int:
    """A resolved service complaint against ``agent`` for the sample store (R-KPI-4)."""
    summary = ["买家反映客服回复态度生硬，要求道歉", "客服漏看留言导致买家重复催问"][k % 2]
    cid = store.insert("cases", {
        "channel": "wangwang", "order_no": f"40{opened}{k}", "buyer": f"tb_sample_{k}", "category": "service",
        "severity": "high", "summary": summary, "status": "resolved", "agent": agent, "about": agent,
        "opened_at": opened,
        "first_response_at": opened + 120, "resolved_at": opened + 5400, "resolution": "explained", "party": "us",
        "csat": 2, "response_count": 3, "ext_key": f"sample-complaint-{opened}-{k}", "updated_at": opened + 5400,
        "updated_by": agent})
    store.insert("case_events", {"case_id": cid, "at": opened, "by": agent, "action": "open", "to_status": "new"})
    store.insert("case_events", {"case_id": cid, "at": opened + 5400, "by": agent, "action": "resolve",
                                 "from_status": "open", "to_status": "resolved", "note": "服务投诉，责任在我方"})
    return cid


def sla_targets_met(store, since: int, until: int, by: str, targets: tuple[str, ...] | list[str],
                    team: str = "team") -> list[dict]:
    """Per group (``agent``, ``team``, ``store``, ``category``) and target of ``targets``: the cases
    opened in ``[since, until)`` whose target is decided (``met`` or ``breached``) — ``n`` — and how
    many were met (``met``). For a store plugin's own targets (asx.api ``sla_targets_met``); the
    target names are written into the SQL so that a partial index over them
    (:func:`asx.store.cases.sla_targets_index_ddl`) is used."""
    import re

    names = list(targets)
    if not names or not all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", t) for t in names):
        raise ValueError(f"SLA target names are letters, digits and _: {names!r}")
    col = {"agent": "c.agent", "store": "c.store", "category": "c.category", "team": "?"}[by]
    args = ([team] if by == "team" else []) + [since, until]
    listed = ", ".join(f"'{t}'" for t in names)
    return list(store.q(f"""
        SELECT {col} AS grp, s.target, sum(CASE WHEN s.state = 'met' THEN 1 ELSE 0 END) AS met, count(*) AS n
        FROM cases c JOIN case_sla s ON s.case_id = c.id
        WHERE c.opened_at >= ? AND c.opened_at < ? AND s.target IN ({listed})
          AND s.state IN ('met', 'breached')
        GROUP BY grp, s.target""", args))
