"""SQL of the Tmall plugin — its own tables only (flags, refunds). Orders live in asx's ``orders``
table and go through :mod:`asx.api` (``upsert_orders``, ``list_orders``)."""

from __future__ import annotations

from typing import Iterable, Iterator

from asx import api

FLAGS = """
CREATE TABLE tmall_flags (
    id INTEGER PRIMARY KEY,
    order_no TEXT NOT NULL,
    color TEXT NOT NULL CHECK (color IN ('red', 'blue', 'green', 'yellow', 'purple', 'grey')),
    note TEXT,
    agent TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX tmall_flags_order ON tmall_flags (order_no, at);
"""

REFUNDS = """
CREATE TABLE tmall_refunds (
    refund_id TEXT PRIMARY KEY,
    order_no TEXT,
    alipay_txn TEXT,
    paid_fen INTEGER,
    refund_fen INTEGER,
    status TEXT,
    goods_status TEXT,
    reason TEXT,
    party TEXT,
    phase TEXT,
    operator TEXT,
    applied_at INTEGER,
    finished_at INTEGER,
    title TEXT
);
CREATE INDEX tmall_refunds_order ON tmall_refunds (order_no);
"""


def migration_1() -> str:
    """Flags (append-only history) and refunds."""
    return FLAGS + api.append_only("tmall_flags") + REFUNDS


REFUND_UPSERT = """
INSERT INTO tmall_refunds (refund_id, order_no, alipay_txn, paid_fen, refund_fen, status, goods_status, reason, party,
                           phase, operator, applied_at, finished_at, title)
VALUES (:refund_id, :order_no, :alipay_txn, :paid_fen, :refund_fen, :status, :goods_status, :reason, :party,
        :phase, :operator, :applied_at, :finished_at, :title)
ON CONFLICT (refund_id) DO UPDATE SET
    status = excluded.status, refund_fen = excluded.refund_fen, finished_at = excluded.finished_at,
    goods_status = excluded.goods_status, party = excluded.party, operator = excluded.operator
WHERE tmall_refunds.status IS NOT excluded.status OR tmall_refunds.refund_fen IS NOT excluded.refund_fen
   OR tmall_refunds.finished_at IS NOT excluded.finished_at
"""


def upsert_refunds(store, rows: Iterable[dict]) -> int:
    return sum(store.execute(REFUND_UPSERT, r).rowcount for r in rows)


def add_flag(store, *, order_no: str, color: str, note: str | None, agent: str, at: int) -> int:
    return store.insert("tmall_flags", {"order_no": order_no, "color": color, "note": note, "agent": agent, "at": at})


def flags(store, order_no: str | None = None) -> Iterator[dict]:
    if order_no:
        return store.q("SELECT * FROM tmall_flags WHERE order_no = ? ORDER BY at, id", (order_no,))
    return store.q("SELECT * FROM tmall_flags ORDER BY at, id")


def blue_flagged_since(store, since: int) -> set[str]:
    """Orders flagged blue (payment reminder sent) at or after ``since``."""
    return {r["order_no"] for r in store.q("SELECT DISTINCT order_no FROM tmall_flags WHERE color = 'blue' AND at >= ?",
                                           (since,))}


def unpaid_without_blue(app, created_before: int) -> Iterator[dict]:
    """Unpaid orders created before the reminder time and never blue-flagged: an order is reminded
    once (seed 001 避免多次催单, issue 16 item 8)."""
    reminded = blue_flagged_since(app.store, 0)
    return (o for o in api.list_orders(app, status="unpaid", created_before=created_before)
            if o["order_no"] not in reminded)


def refunds(store) -> Iterator[dict]:
    return store.q("SELECT * FROM tmall_refunds ORDER BY applied_at")
