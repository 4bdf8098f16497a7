"""SQL of the membership plugin: members, tier changes, member products (warranty), repair quotes,
archived cases. Member cases are the cases whose buyer is a member's buyer id (the buyer link)."""

from __future__ import annotations

from typing import Iterator

MIGRATION_1 = """
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
CREATE TRIGGER member_tier_changes_no_update BEFORE UPDATE ON member_tier_changes
BEGIN SELECT RAISE(ABORT, 'history is append-only: member_tier_changes cannot be changed'); END;
CREATE TRIGGER member_tier_changes_no_delete BEFORE DELETE ON member_tier_changes
BEGIN SELECT RAISE(ABORT, 'history is append-only: member_tier_changes cannot be deleted'); END;

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


def add_member(store, row: dict) -> None:
    store.insert("members", row)


def member(store, key: str) -> dict | None:
    """A member by member id or buyer id."""
    return store.one("SELECT * FROM members WHERE member_id = ? OR buyer = ?", (key, key))


def member_of_buyer(store, buyer: str | None) -> dict | None:
    if not buyer:
        return None
    return store.one("SELECT member_id, tier FROM members WHERE buyer = ?", (buyer,))


def members(store, tier: str | None = None) -> Iterator[dict]:
    sql = ("SELECT m.*, (SELECT count(*) FROM cases c WHERE c.buyer = m.buyer) AS cases, "
           "(SELECT count(*) FROM member_products p WHERE p.member_id = m.member_id) AS products FROM members m")
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


def member_cases(store, member_id: str | None = None, status: list[str] | None = None) -> Iterator[dict]:
    """Cases of members with tier, acceptance time (last accept after the last resolve) and archive time."""
    sql = """
    SELECT c.id, c.status, c.category, c.severity, c.buyer, c.opened_at, c.resolved_at, c.closed_at, c.resolution,
           c.csat, c.agent, m.member_id, m.tier,
           (SELECT max(e.at) FROM case_events e WHERE e.case_id = c.id AND e.action = 'accept'
              AND e.id > coalesce((SELECT max(r.id) FROM case_events r WHERE r.case_id = c.id
                                   AND r.action = 'resolve'), 0)) AS accepted_at,
           a.archived_at
    FROM cases c JOIN members m ON m.buyer = c.buyer
    LEFT JOIN member_archive a ON a.case_id = c.id
    """
    where, args = [], []
    if member_id:
        where.append("m.member_id = ?")
        args.append(member_id)
    if status:
        where.append(f"c.status IN ({', '.join('?' * len(status))})")
        args.extend(status)
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.q(sql + " ORDER BY c.id", args)


def accepted_since_resolve(store, case_id: int) -> bool:
    return store.scalar(
        "SELECT count(*) FROM case_events e WHERE e.case_id = ? AND e.action = 'accept' AND e.id > "
        "coalesce((SELECT max(r.id) FROM case_events r WHERE r.case_id = ? AND r.action = 'resolve'), 0)",
        (case_id, case_id)) > 0


def archivable(store, before: int) -> list[dict]:
    return [r for r in member_cases(store, status=["closed"]) if r["archived_at"] is None and r["closed_at"] < before]


def archive(store, case_ids: list[int], *, at: int, by: str | None) -> None:
    store.executemany("INSERT INTO member_archive (case_id, archived_at, by) VALUES (?, ?, ?)",
                      [(cid, at, by) for cid in case_ids])
