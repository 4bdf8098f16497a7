"""Returns 退换货 (issue 16 item 7): the ``case_returns`` rows (SQL only)."""

from __future__ import annotations

FIELDS = ("reason", "goods_category", "delivered_at", "requested_at", "policy_result", "policy_why",
          "postage_payer", "waybill", "courier", "received_at", "closed_at", "outcome")


def get(store, case_id: int) -> dict | None:
    return store.one("SELECT * FROM case_returns WHERE case_id = ?", [case_id])


def upsert(store, case_id: int, values: dict, *, at: int, by: str | None) -> None:
    values = {k: v for k, v in values.items() if k in FIELDS}
    if get(store, case_id) is None:
        store.insert("case_returns", {"case_id": case_id, **values, "updated_at": at, "updated_by": by})
        return
    sets = ", ".join(f"{k} = ?" for k in values)
    store.execute(f"UPDATE case_returns SET {sets}{', ' if sets else ''}updated_at = ?, updated_by = ? "
                  "WHERE case_id = ?", [*values.values(), at, by, case_id])


def case_ids_by_waybill(store, waybill: str) -> list[int]:
    return [r["case_id"] for r in store.q("SELECT case_id FROM case_returns WHERE waybill = ? ORDER BY case_id",
                                          [waybill])]


def for_buyer(store, buyer: str) -> list[dict]:
    """Every return of this buyer's cases, oldest first."""
    return list(store.q(
        "SELECT r.*, c.order_no, c.status, c.resolution, c.inspection FROM case_returns r "
        "JOIN cases c ON c.id = r.case_id WHERE c.buyer = ? ORDER BY r.requested_at, r.case_id", [buyer]))


def cases_of_buyer(store, buyer: str) -> list[dict]:
    return list(store.q("SELECT * FROM cases WHERE buyer = ? ORDER BY opened_at, id", [buyer]))


def reviews_of_buyer(store, buyer: str) -> list[dict]:
    return list(store.q("SELECT * FROM reviews WHERE buyer = ? ORDER BY created_at, id", [buyer]))


def refunds_of_buyer(store, buyer: str) -> list[dict]:
    """Money paid out on this buyer's cases (ledger, R-FIN-1)."""
    return list(store.q(
        "SELECT l.* FROM ledger l JOIN cases c ON c.id = l.case_id WHERE c.buyer = ? "
        "ORDER BY l.at, l.id", [buyer]))
