"""SQL of the onsite plugin — its own tables only: units (serial, model, warranty), engineer
dispatches, visit records, repair quotes and charges, follow-up visits 回访. Cases, their SLA rows
and the ledger are asx's and go through :mod:`asx.api`; the plugin's tables refer to a case or a
ledger entry by id (``REFERENCES cases(id)``, ``REFERENCES ledger(id)``: stable keys in API 1.0)."""

from __future__ import annotations

import json
from typing import Iterator

from asx import api

UNITS_DISPATCHES_VISITS = """
CREATE TABLE onsite_units (
    serial TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    buyer TEXT,                              -- the customer id cases carry
    installed_on TEXT,                       -- YYYY-MM-DD
    warranty_until TEXT,                     -- YYYY-MM-DD, last day covered; NULL unknown
    created_at INTEGER NOT NULL
);

CREATE TABLE onsite_dispatches (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    engineer TEXT NOT NULL,
    at INTEGER NOT NULL,
    by TEXT,
    note TEXT
);
CREATE INDEX onsite_dispatches_case ON onsite_dispatches (case_id);

CREATE TABLE onsite_visits (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    engineer TEXT NOT NULL,
    serial TEXT NOT NULL REFERENCES onsite_units(serial),
    fault_code TEXT NOT NULL,
    arrived_at INTEGER NOT NULL,
    done_at INTEGER NOT NULL,
    parts TEXT,                              -- JSON list
    fixed INTEGER NOT NULL DEFAULT 1,
    repeat_of INTEGER REFERENCES onsite_visits(id),  -- the earlier repair of the same fault on the unit
    note TEXT,
    at INTEGER NOT NULL,
    by TEXT
);
CREATE INDEX onsite_visits_unit ON onsite_visits (serial, fault_code);
CREATE INDEX onsite_visits_arrived ON onsite_visits (arrived_at);
"""

QUOTES_FOLLOWUPS = """
CREATE TABLE onsite_quotes (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    serial TEXT,
    parts_fen INTEGER NOT NULL DEFAULT 0 CHECK (parts_fen >= 0),
    labour_fen INTEGER NOT NULL DEFAULT 0 CHECK (labour_fen >= 0),
    note TEXT,
    at INTEGER NOT NULL,
    by TEXT,
    ledger_id INTEGER REFERENCES ledger(id)   -- set when charged
);
CREATE INDEX onsite_quotes_case ON onsite_quotes (case_id);

CREATE TABLE onsite_followups (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at INTEGER NOT NULL,
    by TEXT,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    note TEXT
);
CREATE INDEX onsite_followups_case ON onsite_followups (case_id);
"""

#: the plugin's own SLA targets (seed 003 八、1), met by its case actions ``dispatch`` and ``visit``
ON_TIME_TARGETS = ("dispatch", "on_site")


def migration_1() -> str:
    """Units, dispatches, visits (never deleted), quotes, follow-ups."""
    return (UNITS_DISPATCHES_VISITS
            + api.append_only("onsite_visits", allow_update=True, message="visit records cannot be deleted")
            + QUOTES_FOLLOWUPS)


def migration_2() -> str:
    """The on-time KPI (:func:`on_time`) counts the dispatch and on_site targets of a period: this
    partial index holds only those SLA rows, so the KPI export reads them without probing every case
    of the period (a year of 1M cases, issue 7), and stores without on-site cases pay nothing for it."""
    return api.sla_targets_index("onsite_case_sla_on_time", ON_TIME_TARGETS)


SHIPMENTS = """
CREATE TABLE onsite_shipments (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL,
    serial TEXT,
    waybill TEXT NOT NULL,                  -- the courier's waybill of the repaired unit going back
    courier TEXT,
    shipped_at INTEGER NOT NULL,
    told_via TEXT NOT NULL,                 -- how the customer was told the waybill (phone, sms, wechat, email)
    told_at INTEGER NOT NULL,
    by TEXT NOT NULL,
    note TEXT
);
CREATE INDEX onsite_shipments_case ON onsite_shipments (case_id);
CREATE INDEX onsite_shipments_waybill ON onsite_shipments (waybill);
"""


def migration_3() -> str:
    """Depot repairs shipped back to the customer with a waybill, the customer told (seed 003 三(一)7;
    issue 16 item 10). Append-only."""
    return SHIPMENTS + api.append_only("onsite_shipments")


def add_shipment(store, row: dict) -> int:
    return store.insert("onsite_shipments", row)


def shipments(store, case_id: int | None = None) -> list[dict]:
    if case_id is None:
        return list(store.q("SELECT * FROM onsite_shipments ORDER BY shipped_at, id"))
    return list(store.q("SELECT * FROM onsite_shipments WHERE case_id = ? ORDER BY shipped_at, id", (case_id,)))


def unit(store, serial: str) -> dict | None:
    return store.one("SELECT * FROM onsite_units WHERE serial = ?", (serial,))


def add_unit(store, row: dict) -> None:
    store.insert("onsite_units", row)


def units(store) -> Iterator[dict]:
    return store.q("SELECT u.*, (SELECT count(*) FROM onsite_visits v WHERE v.serial = u.serial) AS visits "
                   "FROM onsite_units u ORDER BY u.model, u.serial")


def add_dispatch(store, row: dict) -> int:
    return store.insert("onsite_dispatches", row)


def last_dispatch(store, case_id: int) -> dict | None:
    return store.one("SELECT * FROM onsite_dispatches WHERE case_id = ? ORDER BY at DESC, id DESC LIMIT 1",
                     (case_id,))


def earlier_repair(store, serial: str, fault_code: str, before: int) -> dict | None:
    """The latest fixed visit of ``serial`` for ``fault_code`` before ``before`` (seed 003: the
    same fault is never repaired twice)."""
    return store.one("SELECT * FROM onsite_visits WHERE serial = ? AND fault_code = ? AND fixed = 1 "
                     "AND arrived_at < ? ORDER BY arrived_at DESC, id DESC LIMIT 1", (serial, fault_code, before))


def add_visit(store, row: dict) -> int:
    row = {**row, "parts": json.dumps(row.get("parts") or [], ensure_ascii=False)}
    return store.insert("onsite_visits", row)


VISIT_SELECT = """
SELECT v.*, u.model, p.case_id AS previous_case, p.arrived_at AS previous_at, p.engineer AS previous_engineer
FROM onsite_visits v JOIN onsite_units u ON u.serial = v.serial
LEFT JOIN onsite_visits p ON p.id = v.repeat_of
"""


def visits(store, case_id: int | None = None, *, repeats: bool = False, since: int | None = None,
           until: int | None = None) -> Iterator[dict]:
    """Visit records with the unit's model and the earlier repair a repeat fault points to (the
    case's category and buyer are added by :func:`asx_onsite.service.visits`)."""
    where, args = [], []
    if case_id is not None:
        where.append("v.case_id = ?")
        args.append(case_id)
    if repeats:
        where.append("v.repeat_of IS NOT NULL")
    if since is not None:
        where.append("v.arrived_at >= ?")
        args.append(since)
    if until is not None:
        where.append("v.arrived_at < ?")
        args.append(until)
    sql = VISIT_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY v.arrived_at, v.id"
    for r in store.q(sql, args):
        r["parts"] = json.loads(r["parts"] or "[]")
        yield r


def add_quote(store, row: dict) -> int:
    return store.insert("onsite_quotes", row)


def last_quote(store, case_id: int) -> dict | None:
    return store.one("SELECT * FROM onsite_quotes WHERE case_id = ? ORDER BY at DESC, id DESC LIMIT 1", (case_id,))


def set_quote_ledger(store, quote_id: int, ledger_id: int) -> None:
    store.execute("UPDATE onsite_quotes SET ledger_id = ? WHERE id = ?", (ledger_id, quote_id))


def add_followup(store, row: dict) -> int:
    return store.insert("onsite_followups", row)


def quality(store, since: int, until: int) -> list[dict]:
    """Faults by model in [since, until): visits, units, repeats, parts used (seed 003 每月质量报表)."""
    rows = list(store.q("""
        SELECT u.model, v.fault_code, count(*) AS visits, count(DISTINCT v.serial) AS units,
               sum(CASE WHEN v.repeat_of IS NOT NULL THEN 1 ELSE 0 END) AS repeats,
               sum(CASE WHEN v.fixed = 0 THEN 1 ELSE 0 END) AS not_fixed,
               group_concat(v.parts, '|') AS parts
        FROM onsite_visits v JOIN onsite_units u ON u.serial = v.serial
        WHERE v.arrived_at >= ? AND v.arrived_at < ?
        GROUP BY u.model, v.fault_code ORDER BY u.model, visits DESC, v.fault_code""", (since, until)))
    for r in rows:
        counts: dict[str, int] = {}
        for chunk in (r.pop("parts") or "").split("|"):
            for p in json.loads(chunk or "[]"):
                counts[p] = counts.get(p, 0) + 1
        r["parts_used"] = ", ".join(f"{p}×{n}" for p, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])))
    return rows


def on_time(store, since: int, until: int, by: str, team: str = "team") -> list[dict]:
    """Per group: warranty cases opened in [since, until) whose dispatch / on-site target is decided
    (met or breached) and how many were met on time."""
    return api.sla_targets_met(store, since, until, by=by, targets=ON_TIME_TARGETS, team=team)
