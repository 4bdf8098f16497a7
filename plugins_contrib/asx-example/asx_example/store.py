"""SQL of the flower shop — its own table only (asx's tables are reached through :mod:`asx.api`)."""

from __future__ import annotations

from typing import Iterator

from asx import api

DELIVERIES = """
CREATE TABLE example_deliveries (
    id INTEGER PRIMARY KEY,
    order_no TEXT NOT NULL,
    slot TEXT NOT NULL,                     -- label kind delivery_slot
    photo TEXT NOT NULL,                    -- the photo taken before handing over (file name or link)
    note TEXT,
    by TEXT NOT NULL,
    at INTEGER NOT NULL                     -- handed over
);
CREATE INDEX example_deliveries_order ON example_deliveries (order_no, at);
"""


def migration_1() -> str:
    """The delivery records: evidence, so never changed nor deleted."""
    return DELIVERIES + api.append_only("example_deliveries")


def add_delivery(store, row: dict) -> int:
    return store.insert("example_deliveries", row)


def deliveries(store, order_no: str | None = None) -> Iterator[dict]:
    if order_no:
        return store.q("SELECT * FROM example_deliveries WHERE order_no = ? ORDER BY at, id", (order_no,))
    return store.q("SELECT * FROM example_deliveries ORDER BY at, id")


def last_delivery(store, order_no: str) -> dict | None:
    return store.one("SELECT * FROM example_deliveries WHERE order_no = ? ORDER BY at DESC, id DESC LIMIT 1",
                     (order_no,))
