"""SQL of the bakery plugin: orders, their append-only events, complaint measures."""

from __future__ import annotations

import json
from typing import Iterator

from asx import api

ORDERS = """
CREATE TABLE bakery_orders (
    id INTEGER PRIMARY KEY,
    order_no TEXT NOT NULL UNIQUE,
    customer TEXT NOT NULL,                 -- PII (R-SEC-1): name or platform nick
    phone TEXT,                             -- PII
    address TEXT,                           -- PII
    items TEXT NOT NULL,                    -- JSON [{"product", "spec", "qty"}]
    amount_fen INTEGER,
    payment TEXT NOT NULL DEFAULT 'online' CHECK (payment IN ('online', 'cod')),
    deliver_on TEXT,                        -- wanted delivery day YYYY-MM-DD
    status TEXT NOT NULL DEFAULT 'received',
    agent TEXT,
    waybill TEXT,
    courier TEXT,
    exception TEXT,                         -- last tracking exception (delayed, lost, damaged)
    received_at INTEGER NOT NULL,
    checked_at INTEGER,
    confirmed_at INTEGER,
    produced_at INTEGER,
    shipped_at INTEGER,
    delivered_at INTEGER,
    completed_at INTEGER,
    followed_up_at INTEGER,
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    updated_at INTEGER NOT NULL
);
CREATE INDEX bakery_orders_customer ON bakery_orders (customer, received_at);
CREATE INDEX bakery_orders_status ON bakery_orders (status, received_at);

CREATE TABLE bakery_order_events (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES bakery_orders(id),
    at INTEGER NOT NULL,
    by TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    note TEXT,
    data TEXT
);
CREATE INDEX bakery_order_events_order ON bakery_order_events (order_id, at);
"""

MEASURES = """
CREATE TABLE bakery_measures (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL,
    measure TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    done_at INTEGER,
    done_by TEXT,
    result TEXT
);
CREATE INDEX bakery_measures_due ON bakery_measures (done_at, due_at);
"""


def migration_1() -> str:
    """Orders, their append-only events, complaint measures."""
    return ORDERS + api.append_only("bakery_order_events") + MEASURES


def insert_order(store, row: dict) -> int:
    row = {**row, "items": json.dumps(row["items"], ensure_ascii=False)}
    return store.insert("bakery_orders", row)


def get(store, order_no: str) -> dict | None:
    return store.one("SELECT * FROM bakery_orders WHERE order_no = ?", (order_no,))


def update(store, order_id: int, changes: dict) -> None:
    sets = ", ".join(f"{k} = :{k}" for k in changes)
    store.execute(f"UPDATE bakery_orders SET {sets} WHERE id = :id", {**changes, "id": order_id})


def add_event(store, order_id: int, *, at: int, by: str, action: str, from_status=None, to_status=None,
              note=None, data=None) -> None:
    store.insert("bakery_order_events", {"order_id": order_id, "at": at, "by": by, "action": action,
                                         "from_status": from_status, "to_status": to_status, "note": note,
                                         "data": json.dumps(data, ensure_ascii=False) if data else None})


#: an order is finished when it is completed (followed up or not) or cancelled (R-SEC-4 retention)
FINISHED = ("completed", "followed_up", "cancelled")


def finished_before(store, before: int) -> list[dict]:
    """Orders finished before ``before`` (completed: ``completed_at``; cancelled: the last change)
    whose customer is not a pseudonymous key yet (R-SEC-4)."""
    marks = ", ".join("?" * len(FINISHED))
    return list(store.q(f"""SELECT id, customer, phone FROM bakery_orders
                            WHERE status IN ({marks}) AND COALESCE(completed_at, updated_at) < ?
                              AND customer NOT LIKE 'anon-%' ORDER BY id""", (*FINISHED, before)))


def rewrite_event(store, event_id: int, note, data) -> None:
    """Only the R-SEC-4 purge changes an event (inside ``history_unlocked``)."""
    store.execute("UPDATE bakery_order_events SET note = ?, data = ? WHERE id = ?",
                  (note, json.dumps(data, ensure_ascii=False) if data else None, event_id))


def last_event_at(store, order_id: int) -> int | None:
    r = store.one("SELECT max(at) AS t FROM bakery_order_events WHERE order_id = ?", (order_id,))
    return r["t"] if r else None


def events(store, order_id: int) -> Iterator[dict]:
    return store.q("SELECT * FROM bakery_order_events WHERE order_id = ? ORDER BY at, id", (order_id,))


def orders(store, status: list[str] | None = None) -> Iterator[dict]:
    if status:
        marks = ",".join("?" * len(status))
        return store.q(f"SELECT * FROM bakery_orders WHERE status IN ({marks}) ORDER BY received_at, id", status)
    return store.q("SELECT * FROM bakery_orders ORDER BY received_at, id")


def customer_history(store, since: int, until: int) -> Iterator[dict]:
    """Per customer: orders and amount in [since, until), cancelled orders excluded."""
    return store.q("""SELECT customer, count(*) AS orders, COALESCE(sum(amount_fen), 0) AS amount_fen,
                             max(received_at) AS last_at
                      FROM bakery_orders WHERE status != 'cancelled' AND received_at >= ? AND received_at < ?
                      GROUP BY customer ORDER BY customer""", (since, until))


def customer_orders(store, since: int, until: int) -> Iterator[dict]:
    """Orders received in [since, until), cancelled excluded: who, phone, amount, when (customer classes)."""
    return store.q("""SELECT customer, phone, amount_fen, received_at FROM bakery_orders
                      WHERE status != 'cancelled' AND received_at >= ? AND received_at < ?
                      ORDER BY received_at, id""", (since, until))


def add_measure(store, row: dict) -> int:
    return store.insert("bakery_measures", row)


def measure(store, mid: int) -> dict | None:
    return store.one("SELECT * FROM bakery_measures WHERE id = ?", (mid,))


def measures(store, *, open_only: bool = False, case_id: int | None = None) -> Iterator[dict]:
    where, args = [], []
    if open_only:
        where.append("done_at IS NULL")
    if case_id is not None:
        where.append("case_id = ?")
        args.append(case_id)
    w = f"WHERE {' AND '.join(where)}" if where else ""
    return store.q(f"SELECT * FROM bakery_measures {w} ORDER BY due_at, id", args)


def kpi_orders(store, start: int, end: int, grp: str, params: dict) -> list[dict]:
    """Per group, the orders received in [start, end): counts for timeliness, completion, satisfaction."""
    sql = f"""
SELECT {grp} AS grp, count(*) AS received,
       sum(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
       sum(CASE WHEN completed_at IS NOT NULL AND completed_at < :end THEN 1 ELSE 0 END) AS completed,
       sum(CASE WHEN confirmed_at IS NOT NULL AND confirmed_at - received_at <= :confirm_s
                 AND shipped_at IS NOT NULL AND shipped_at <= ship_due THEN 1 ELSE 0 END) AS on_time,
       sum(CASE WHEN satisfaction IS NOT NULL THEN 1 ELSE 0 END) AS rated,
       sum(CASE WHEN satisfaction >= 4 THEN 1 ELSE 0 END) AS satisfied
FROM (SELECT *, CASE WHEN deliver_on IS NOT NULL
                     THEN CAST(strftime('%s', deliver_on) AS INTEGER) - :off + 43200
                     ELSE received_at + :ship_s END AS ship_due
      FROM bakery_orders WHERE received_at >= :start AND received_at < :end) AS o
GROUP BY grp"""
    return list(store.q(sql, {**params, "start": start, "end": end}))


def kpi_accuracy(store, start: int, end: int, grp: str, params: dict) -> list[dict]:
    """Per group, orders received in [start, end): how many were checked and passed their first intake
    check (order accuracy), how many were shipped and delivered by the wanted day without a tracking
    exception (delivery accuracy). Issue 16 item 9."""
    sql = f"""
SELECT {grp} AS grp,
       sum(CASE WHEN fc.order_id IS NOT NULL THEN 1 ELSE 0 END) AS checked,
       sum(CASE WHEN fc.order_id IS NOT NULL AND (fc.data IS NULL OR fc.data NOT LIKE '%"problems": [%"%')
                THEN 1 ELSE 0 END) AS first_ok,
       sum(CASE WHEN shipped_at IS NOT NULL THEN 1 ELSE 0 END) AS shipped,
       sum(CASE WHEN shipped_at IS NOT NULL AND delivered_at IS NOT NULL
                 AND (deliver_on IS NULL OR delivered_at < CAST(strftime('%s', deliver_on) AS INTEGER) - :off + 86400)
                 AND NOT EXISTS (SELECT 1 FROM bakery_order_events x WHERE x.order_id = o.id AND x.action = 'track'
                                 AND (x.data LIKE '%"lost"%' OR x.data LIKE '%"damaged"%' OR x.data LIKE '%"delayed"%'))
                THEN 1 ELSE 0 END) AS delivered_ok
FROM bakery_orders o
LEFT JOIN (SELECT e.order_id, e.data FROM bakery_order_events e
           WHERE e.action = 'check' AND e.id = (SELECT min(e2.id) FROM bakery_order_events e2
                                                  WHERE e2.order_id = e.order_id AND e2.action = 'check')) fc
       ON fc.order_id = o.id
WHERE o.received_at >= :start AND o.received_at < :end AND o.status != 'cancelled'
GROUP BY grp"""
    return list(store.q(sql, {**params, "start": start, "end": end}))
