"""SQL of the membership plugin — its own tables only: members, tier changes, member products
(warranty), repair quotes, archived cases. Member cases are the cases whose buyer is a member's
buyer id (the buyer link); they are read through :mod:`asx.api` (``cases_of_buyers``)."""

from __future__ import annotations

from typing import Iterator

from asx import api

MEMBERS = """
CREATE TABLE members (
    member_id TEXT PRIMARY KEY,
    buyer TEXT NOT NULL UNIQUE,             -- the buyer id (旺旺 nick) cases carry: the buyer link
    name TEXT,                              -- PII (R-SEC-1)
    tier TEXT NOT NULL,
    joined_on TEXT NOT NULL,                -- YYYY-MM-DD
    created_at INTEGER NOT NULL,
    created_by TEXT
);
CREATE INDEX members_tier ON members (tier);

CREATE TABLE member_tier_changes (
    id INTEGER PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members(member_id),
    at INTEGER NOT NULL,
    by TEXT,
    from_tier TEXT,
    to_tier TEXT NOT NULL,
    reason TEXT
);
"""

PRODUCTS = """
CREATE TABLE member_products (
    id INTEGER PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members(member_id),
    product TEXT NOT NULL,
    serial TEXT,
    purchased_on TEXT NOT NULL,             -- YYYY-MM-DD
    warranty_until TEXT NOT NULL,           -- YYYY-MM-DD, last day covered
    UNIQUE (member_id, serial)
);

CREATE TABLE member_quotes (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    product_id INTEGER REFERENCES member_products(id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    note TEXT,
    at INTEGER NOT NULL,
    by TEXT
);
CREATE INDEX member_quotes_case ON member_quotes (case_id);

CREATE TABLE member_archive (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    archived_at INTEGER NOT NULL,
    by TEXT
);
"""


def migration_1() -> str:
    """Members, their append-only tier history, products, repair quotes, the archive. Quotes and the
    archive refer to cases by id (``REFERENCES cases(id)``, stable in API 1.0)."""
    return MEMBERS + api.append_only("member_tier_changes") + PRODUCTS


def add_member(store, row: dict) -> None:
    store.insert("members", row)


def member(store, key: str) -> dict | None:
    """A member by member id or buyer id."""
    return store.one("SELECT * FROM members WHERE member_id = ? OR buyer = ?", (key, key))


def member_by_id(store, member_id: str) -> dict | None:
    return store.one("SELECT * FROM members WHERE member_id = ?", (member_id,))


def member_of_buyer(store, buyer: str | None) -> dict | None:
    if not buyer:
        return None
    return store.one("SELECT member_id, tier FROM members WHERE buyer = ?", (buyer,))


def members(store, tier: str | None = None) -> Iterator[dict]:
    """Members (optionally of one tier) with their number of products; the number of cases comes
    from asx (:func:`asx_membership.members.member_rows`)."""
    sql = ("SELECT m.*, (SELECT count(*) FROM member_products p WHERE p.member_id = m.member_id) AS products "
           "FROM members m")
    if tier:
        return store.q(sql + " WHERE m.tier = ? ORDER BY m.member_id", (tier,))
    return store.q(sql + " ORDER BY m.member_id")


def set_tier(store, member_id: str, tier: str, *, at: int, by: str | None, reason: str | None,
             from_tier: str | None) -> None:
    store.execute("UPDATE members SET tier = ? WHERE member_id = ?", (tier, member_id))
    store.insert("member_tier_changes", {"member_id": member_id, "at": at, "by": by, "from_tier": from_tier,
                                         "to_tier": tier, "reason": reason})


def tier_changes(store, member_id: str) -> list[dict]:
    return list(store.q("SELECT * FROM member_tier_changes WHERE member_id = ? ORDER BY at, id", (member_id,)))


def add_product(store, row: dict) -> int:
    return store.insert("member_products", row)


def products(store, member_id: str) -> list[dict]:
    return list(store.q("SELECT * FROM member_products WHERE member_id = ? ORDER BY purchased_on, id", (member_id,)))


def product(store, member_id: str, key: str) -> dict | None:
    """A member's product by id or serial."""
    return store.one("SELECT * FROM member_products WHERE member_id = ? AND (serial = ? OR CAST(id AS TEXT) = ?)",
                     (member_id, key, key))


def add_quote(store, row: dict) -> int:
    return store.insert("member_quotes", row)


def quotes(store, case_id: int) -> list[dict]:
    return list(store.q("SELECT * FROM member_quotes WHERE case_id = ? ORDER BY at, id", (case_id,)))


def archived(store, case_ids: list[int]) -> dict[int, int]:
    """``{case id: archived_at}`` of the archived ones among ``case_ids``."""
    out: dict[int, int] = {}
    for i in range(0, len(case_ids), 500):
        part = case_ids[i:i + 500]
        out.update({r["case_id"]: r["archived_at"] for r in store.q(
            f"SELECT case_id, archived_at FROM member_archive WHERE case_id IN ({', '.join('?' * len(part))})", part)})
    return out


def archive(store, case_ids: list[int], *, at: int, by: str | None) -> None:
    store.executemany("INSERT INTO member_archive (case_id, archived_at, by) VALUES (?, ?, ?)",
                      [(cid, at, by) for cid in case_ids])
