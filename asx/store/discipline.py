"""All SQL of disciplinary records (R-KPI-4): the append-only ``discipline`` table (migration 0072)."""

from __future__ import annotations

FIELDS = ("agent", "kind", "month", "amount_fen", "case_id", "revokes", "note", "at", "by")


def add(store, row: dict) -> int:
    unknown = set(row) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown discipline fields {sorted(unknown)}")
    return store.insert("discipline", row)


def get(store, record_id: int) -> dict | None:
    return store.one("SELECT * FROM discipline WHERE id = ?", (record_id,))


def records(store, *, agent: str | None = None, month: str | None = None) -> list[dict]:
    """Records, oldest first, optionally of one agent and/or one month."""
    where, args = [], []
    if agent:
        where.append("agent = ?")
        args.append(agent)
    if month:
        where.append("month = ?")
        args.append(month)
    sql = "SELECT * FROM discipline" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY at, id"
    return list(store.q(sql, tuple(args)))
