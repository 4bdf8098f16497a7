"""SQL of the after-sales money ledger (R-FIN-1). The ledger/audit work extends this module."""

from __future__ import annotations

LEDGER_FIELDS = ("at", "amount_fen", "direction", "reason", "agent", "case_id", "review_id", "order_no", "channel",
                 "txn_id", "note", "ext_key", "created_at", "created_by")


def add_entry(store, **fields) -> int:
    """Insert one money movement (caller holds the transaction). Cases and reviews call this for
    money resolutions and compensations (R-CASE-4, R-REV-7)."""
    unknown = set(fields) - set(LEDGER_FIELDS)
    if unknown:
        raise ValueError(f"unknown ledger fields: {sorted(unknown)}")
    fields.setdefault("direction", "out")
    fields.setdefault("created_at", fields["at"])
    return store.insert("ledger", fields)
