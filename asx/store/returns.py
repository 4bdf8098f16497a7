"""Returns 退换货 (issue 16 item 7): the ``case_returns`` rows (SQL only)."""

from __future__ import annotations

import json

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


def phone_key(text: str | None) -> str | None:
    """A mainland mobile as its 11 digits (spaces, dashes, +86/0086 dropped); None for anything else.
    The rule of ``asx_phone_key`` on PostgreSQL (migration 0100)."""
    import re

    d = re.sub(r"\D", "", text or "")
    return d[-11:] if re.fullmatch(r"(0086|86)?1[3-9]\d{9}", d) else None


def customer_file(store, key: str, *, reveal: bool = False,
                  subject: str | None = None) -> tuple[list[int], list[int], dict[tuple[str, int], str | None]]:
    """The ids of the cases and of the reviews of the buyer(s) ``key`` names — a buyer id, or a mobile
    number given as a case's contact or a review's phone — and of every buyer id those rows carry.

    On PostgreSQL this is ``asx_customer_file`` (R-SEC-5): an agent's login never reads a raw buyer,
    contact or phone to find them. ``reveal`` (a person's own login only) also returns the raw
    buyer-written text by ``(kind, id)``, checked and recorded by the server (R-SEC-1)."""
    if store.backend == "postgresql":
        cases, reviews, raw = [], [], {}
        flag = "true" if reveal else "false"   # (booleans travel as 0/1 integers: see PgStore._configure)
        for r in store.q(f"SELECT kind, id, raw_text FROM asx_customer_file(?, {flag}, ?) ORDER BY kind, id",
                         (key, subject)):
            (cases if r["kind"] == "case" else reviews).append(r["id"])
            if reveal:
                raw[(r["kind"], r["id"])] = r["raw_text"]
        return cases, reviews, raw
    ph = phone_key(key)
    like = f"%{ph[-4:]}" if ph else None

    def hits(table: str, contact: str) -> list[dict]:
        return [r for r in store.q(f"SELECT id, buyer, {contact} AS contact FROM {table} "
                                   f"WHERE buyer = ? OR {contact} LIKE ?", (key, like))
                if r["buyer"] == key or (ph and phone_key(r["contact"]) == ph)]

    found = {"cases": hits("cases", "buyer_contact"), "reviews": hits("reviews", "phone")}
    buyers = sorted({r["buyer"] for rows in found.values() for r in rows if r["buyer"]})
    ids = {}
    for table in found:
        ids[table] = {r["id"] for r in found[table]}
        if buyers:
            ids[table] |= {r["id"] for r in store.q(f"SELECT id FROM {table} WHERE buyer IN "
                                                    "(SELECT value FROM json_each(?))",
                                                    (json.dumps(buyers, ensure_ascii=False),))}
    return sorted(ids["cases"]), sorted(ids["reviews"]), {}


def _by_ids(store, sql: str, ids: list[int]) -> list[dict]:
    if not ids:
        return []
    return list(store.q(sql.format(ids="SELECT CAST(value AS INTEGER) FROM json_each(?)"), (json.dumps(ids),)))


def cases_by_ids(store, ids: list[int]) -> list[dict]:
    return _by_ids(store, "SELECT * FROM cases WHERE id IN ({ids}) ORDER BY opened_at, id", ids)


def reviews_by_ids(store, ids: list[int]) -> list[dict]:
    return _by_ids(store, "SELECT * FROM reviews WHERE id IN ({ids}) ORDER BY created_at, id", ids)


def refunds_of_cases(store, case_ids: list[int]) -> list[dict]:
    """Money paid out on these cases (ledger, R-FIN-1)."""
    return _by_ids(store, "SELECT * FROM ledger WHERE case_id IN ({ids}) ORDER BY at, id", case_ids)


def returns_of_cases(store, case_ids: list[int]) -> list[dict]:
    """Every return of these cases, oldest first."""
    return _by_ids(store, "SELECT r.*, c.order_no, c.status, c.resolution, c.inspection FROM case_returns r "
                          "JOIN cases c ON c.id = r.case_id WHERE r.case_id IN ({ids}) "
                          "ORDER BY r.requested_at, r.case_id", case_ids)
