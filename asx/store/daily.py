"""SQL of the daily view (issue 11): ``asx me``, ``asx today``, ``asx sla forecast``, auto-assignment.

Every query here is driven by an index: cases by ``(status, next_due_at)`` (cases_status_due) or
``(agent, status, next_due_at)`` (cases_agent_status); history by ``case_events (at)``; the ledger
by ``ledger (at)``; roster rows by their primary key ``(day, agent)``.
"""

from __future__ import annotations

from typing import Iterable

#: statuses whose service-level clock runs (waiting_* pause it: no due time, R-CASE-6)
CLOCK_STATUSES = ("new", "open", "resolved")
#: statuses of a case someone still has to work (R-CASE-6)
OPEN_STATUSES = ("new", "open", "waiting_buyer", "waiting_courier", "waiting_warehouse")

_CLOCK = ", ".join(f"'{s}'" for s in CLOCK_STATUSES)
_OPEN = ", ".join(f"'{s}'" for s in OPEN_STATUSES)
QUEUE_COLS = ("id, agent, status, category, severity, next_due_at, next_due_target, promised_at, paused_since, "
              "order_no, buyer, summary")


# --- loads and queues ---------------------------------------------------------------------------

def open_load(store) -> dict[str, int]:
    """Open cases per agent (unassigned cases under ``None``)."""
    return {r["agent"]: r["n"] for r in store.q(
        f"SELECT agent, count(*) AS n FROM cases WHERE status IN ({_OPEN}) GROUP BY agent")}


def open_load_of(store, agents: Iterable[str]) -> dict[str, int]:
    """Open cases of each named agent: one index range per agent (cases_agent_status)."""
    out = {}
    for a in agents:
        out[a] = store.scalar(f"SELECT count(*) FROM cases WHERE agent = ? AND status IN ({_OPEN})", (a,))
    return out


def category_experience(store, agents: Iterable[str], category: str, since: int) -> dict[str, int]:
    """Cases of ``category`` each agent took since ``since`` (tie-break of the assignment rule)."""
    names = list(agents)
    if not names:
        return {}
    marks = ", ".join("?" for _ in names)
    return {r["agent"]: r["n"] for r in store.q(
        f"SELECT agent, count(*) AS n FROM cases WHERE opened_at >= ? AND category = ? AND agent IN ({marks}) "
        "GROUP BY agent", [since, category, *names])}


def due_counts(store, now: int, soon: int) -> list[dict]:
    """Per agent: cases overdue at ``now`` and cases falling due in [now, soon) (clock running).
    Unassigned cases (agent NULL) sort first among equals on both backends (``agent IS NOT NULL``)."""
    return list(store.q(
        f"""SELECT agent, sum(CASE WHEN next_due_at < :now THEN 1 ELSE 0 END) AS overdue,
                   sum(CASE WHEN next_due_at >= :now THEN 1 ELSE 0 END) AS soon,
                   min(next_due_at) AS first_due
            FROM cases WHERE status IN ({_CLOCK}) AND next_due_at < :soon
            GROUP BY agent ORDER BY overdue DESC, soon DESC, agent IS NOT NULL, agent""",
            {"now": now, "soon": soon}))


def overdue_counts(store, now: int) -> dict[str | None, int]:
    """Cases overdue at ``now`` per agent."""
    return {r["agent"]: r["n"] for r in store.q(
        f"SELECT agent, count(*) AS n FROM cases WHERE status IN ({_CLOCK}) AND next_due_at < ? GROUP BY agent",
        (now,))}


def due_buckets(store, start: int, end: int, floor: int, size: int = 3600) -> list[dict]:
    """Cases due in [start, end) counted per agent and time slot ``k`` of ``size`` seconds (due in
    (floor + k·size, floor + (k+1)·size]): one GROUP BY over a (status, next_due_at) index."""
    return list(store.q(
        f"SELECT agent, (next_due_at - :floor - 1) / :size AS k, count(*) AS n FROM cases "
        f"WHERE status IN ({_CLOCK}) AND next_due_at >= :start AND next_due_at < :end GROUP BY agent, k",
        {"floor": floor, "start": start, "end": end, "size": size}))


def last_due_in(store, agent: str | None, lo: int, hi: int, limit: int) -> list[tuple[int, int]]:
    """(id, next_due_at) of the agent's ``limit`` latest-due cases due in (lo, hi] (None: unassigned)."""
    who = "agent IS NULL" if agent is None else "agent = :agent"
    return [tuple(r) for r in store.execute(
        f"SELECT id, next_due_at FROM cases WHERE {who} AND status IN ({_CLOCK}) AND next_due_at > :lo "
        "AND next_due_at <= :hi ORDER BY next_due_at DESC, id DESC LIMIT :n",
        {"agent": agent, "lo": lo, "hi": hi, "n": limit})]


def my_due(store, agent: str, before: int, limit: int) -> list[dict]:
    """The agent's cases with a due time before ``before``, by time to breach (R-SLA)."""
    return list(store.q(
        f"SELECT {QUEUE_COLS} FROM cases INDEXED BY cases_agent_status "
        f"WHERE agent = ? AND status IN ({_CLOCK}) AND next_due_at < ? ORDER BY next_due_at, id LIMIT ?", (agent, before, limit)))


def waiting_buyer_lapsed(store, agent: str | None, now: int, waited_before: int, limit: int) -> list[dict]:
    """The agent's cases (``agent`` None: the whole team's) waiting on the buyer whose promised time
    passed, or that have waited since before ``waited_before``."""
    if agent is None:  # asx desk --team: the (status, next_due_at) index gives the waiting cases
        return list(store.q(
            f"SELECT {QUEUE_COLS} FROM cases INDEXED BY cases_status_due WHERE status = 'waiting_buyer' "
            "AND (promised_at <= ? OR (promised_at IS NULL AND paused_since <= ?)) "
            "ORDER BY coalesce(promised_at, paused_since), id LIMIT ?", (now, waited_before, limit)))
    return list(store.q(
        f"SELECT {QUEUE_COLS} FROM cases INDEXED BY cases_agent_status WHERE agent = ? AND status = 'waiting_buyer' "
        "AND (promised_at <= ? OR (promised_at IS NULL AND paused_since <= ?)) "
        "ORDER BY coalesce(promised_at, paused_since), id LIMIT ?", (agent, now, waited_before, limit)))


def waiting_cases(store, agent: str | None, limit: int) -> list[dict]:
    """The agent's cases (``agent`` None: the whole team's) in a waiting status — on the buyer, the
    courier or the warehouse (R-CASE-6, the clock paused) — longest waiting first."""
    where = "status IN ('waiting_buyer', 'waiting_courier', 'waiting_warehouse')"
    if agent is None:
        return list(store.q(f"SELECT {QUEUE_COLS} FROM cases WHERE {where} ORDER BY paused_since, id LIMIT ?",
                            (limit,)))
    return list(store.q(f"SELECT {QUEUE_COLS} FROM cases INDEXED BY cases_agent_status WHERE agent = ? AND {where} "
                        "ORDER BY paused_since, id LIMIT ?", (agent, limit)))


def handover_for(store, agent: str, since: int, until: int) -> dict | None:
    """The latest handover note left for ``agent`` or for anyone (R-CASE-10) in [since, until]."""
    return store.one(
        "SELECT * FROM handover_notes WHERE at >= ? AND at <= ? AND (for_agent IS NULL OR for_agent = ?) "
        "ORDER BY at DESC, id DESC LIMIT 1", (since, until, agent))


# --- handling rate (the forecast) ----------------------------------------------------------------

def handled_by_agent(store, start: int, end: int) -> dict[str, int]:
    """Distinct cases each agent responded to, promised on or resolved in [start, end)."""
    return {r["by"]: r["n"] for r in store.q(
        "SELECT by, count(DISTINCT case_id) AS n FROM case_events INDEXED BY case_events_handled "
        "WHERE at >= ? AND at < ? AND action IN ('respond', 'promise', 'resolve') AND by IS NOT NULL GROUP BY by",
        (start, end))}


def work_days(store, first_day: str, last_day: str) -> list[dict]:
    """Roster rows marked work in [first_day, last_day] (agent, day, shift, segments)."""
    return list(store.q("SELECT day, agent, shift, segments FROM roster_days WHERE day BETWEEN ? AND ? "
                        "AND mark = 'work' ORDER BY day, agent", (first_day, last_day)))


# --- money and audit since yesterday (R-FIN-1, R-FIN-3) ------------------------------------------

def unsigned_ledger(store, since: int, limit: int) -> tuple[int, int, list[dict]]:
    """Ledger entries since ``since`` without a finance sign-off: (count, fen, first rows)."""
    sql = ("FROM ledger l LEFT JOIN ledger_signoffs s ON s.entry_id = l.id WHERE l.at >= ? AND s.entry_id IS NULL")
    row = store.one(f"SELECT count(*) AS n, coalesce(sum(l.amount_fen), 0) AS fen {sql}", (since,))
    rows = list(store.q(f"SELECT l.id, l.at, l.amount_fen, l.reason, l.agent, l.case_id, l.review_id {sql} "
                        "ORDER BY l.at, l.id LIMIT ?", (since, limit)))
    return row["n"], row["fen"], rows


def audit_findings(store, since: int, limit: int) -> tuple[dict, list[dict]]:
    """Findings of the audit runs since ``since``: counts by severity and the first rows (errors first)."""
    counts = {r["severity"]: r["n"] for r in store.q(
        "SELECT f.severity, count(*) AS n FROM audit_runs r JOIN audit_findings f ON f.run_id = r.id "
        "WHERE r.at >= ? GROUP BY f.severity ORDER BY f.severity", (since,))}
    rows = list(store.q(
        "SELECT f.id, f.run_id, r.at, f.rule, f.severity, f.txn_id, f.ledger_id, f.amount_fen, f.message "
        "FROM audit_runs r JOIN audit_findings f ON f.run_id = r.id WHERE r.at >= ? "
        "ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.id LIMIT ?",
        (since, limit)))
    return counts, rows


def agents_by_name(store) -> dict[str, dict]:
    return {r["name"]: r for r in store.q("SELECT name, display_name, role, active FROM agents")}


def late_promises(store, limit: int = 50) -> list[dict]:
    """R-SLA-5: live cases whose promise lies after a pending solution/resolution target — a breach to
    come — with the target, its due time and the reason of the last promise, earliest target first."""
    rows = list(store.q(
        "SELECT c.id, c.agent, c.category, c.status, c.promised_at, s.target, s.due_at "
        "FROM cases c JOIN case_sla s ON s.case_id = c.id "
        "WHERE c.promised_at IS NOT NULL AND c.status IN ('new', 'open', 'waiting_buyer', 'waiting_courier', "
        "'waiting_warehouse') AND s.target IN ('solution', 'resolution') AND s.met_at IS NULL "
        "AND s.due_at IS NOT NULL AND s.state IN ('pending', 'breached') AND c.promised_at > s.due_at "
        "ORDER BY s.due_at, c.id, s.target LIMIT ?", (limit * 2,)))
    out, seen = [], set()
    for r in rows:
        if r["id"] in seen:
            continue  # the earliest target of a case
        seen.add(r["id"])
        ev = store.one("SELECT data FROM case_events WHERE case_id = ? AND action = 'promise' "
                       "ORDER BY at DESC, id DESC LIMIT 1", (r["id"],))
        reason = None
        if ev and ev["data"]:
            import json

            reason = json.loads(ev["data"]).get("reason")
        out.append({**r, "reason": reason})
    return out[:limit]
