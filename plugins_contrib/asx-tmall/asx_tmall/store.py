"""SQL of the Tmall plugin (its own tables and asx's shared `orders` table)."""

from __future__ import annotations

from typing import Iterable, Iterator

ORDER_UPSERT = """
INSERT INTO orders (order_no, store, buyer, paid_fen, status, created_at, paid_at, data)
VALUES (:order_no, :store, :buyer, :paid_fen, :status, :created_at, :paid_at, :data)
ON CONFLICT (order_no) DO UPDATE SET
    store = excluded.store, buyer = excluded.buyer, paid_fen = excluded.paid_fen, status = excluded.status,
    created_at = excluded.created_at, paid_at = excluded.paid_at, data = excluded.data
WHERE orders.store IS NOT excluded.store OR orders.buyer IS NOT excluded.buyer
   OR orders.paid_fen IS NOT excluded.paid_fen OR orders.status IS NOT excluded.status
   OR orders.created_at IS NOT excluded.created_at OR orders.paid_at IS NOT excluded.paid_at
   OR orders.data IS NOT excluded.data
"""

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


def upsert_orders(store, rows: Iterable[dict]) -> int:
    """Insert or update orders; returns how many rows changed (0 when re-importing the same file)."""
    return sum(store.execute(ORDER_UPSERT, r).rowcount for r in rows)


def upsert_refunds(store, rows: Iterable[dict]) -> int:
    return sum(store.execute(REFUND_UPSERT, r).rowcount for r in rows)


def add_flag(store, *, order_no: str, color: str, note: str | None, agent: str, at: int) -> int:
    return store.insert("tmall_flags", {"order_no": order_no, "color": color, "note": note, "agent": agent, "at": at})


def flags(store, order_no: str | None = None) -> Iterator[dict]:
    if order_no:
        return store.q("SELECT * FROM tmall_flags WHERE order_no = ? ORDER BY at, id", (order_no,))
    return store.q("SELECT * FROM tmall_flags ORDER BY at, id")


def order(store, order_no: str) -> dict | None:
    return store.one("SELECT * FROM orders WHERE order_no = ?", (order_no,))


def unpaid_without_blue(store, created_before: int, blue_since: int) -> Iterator[dict]:
    """Unpaid orders created before the reminder time, with no blue flag since ``blue_since``."""
    return store.q(
        """SELECT o.* FROM orders o
           WHERE o.status = 'unpaid' AND o.created_at < ?
             AND NOT EXISTS (SELECT 1 FROM tmall_flags f
                             WHERE f.order_no = o.order_no AND f.color = 'blue' AND f.at >= ?)
           ORDER BY o.created_at""",
        (created_before, blue_since),
    )


def refunds(store) -> Iterator[dict]:
    return store.q("SELECT * FROM tmall_refunds ORDER BY applied_at")
