"""SQL of the daily records (R-KPI-1)."""

from __future__ import annotations

import json


def get(store, day: str, agent: str) -> dict | None:
    row = store.one("SELECT * FROM daily_records WHERE day = ? AND agent = ?", (day, agent))
    if row is not None:
        row["items"] = items(store, row["id"])
    return row


def items(store, record_id: int) -> list[dict]:
    return list(store.q("SELECT kind, category, quantity FROM daily_record_items WHERE record_id = ? "
                        "ORDER BY kind, category", (record_id,)))


CONTENT = ("served", "served_ids", "ordered", "ordered_ids", "order_fen", "note")


def same_content(old: dict, new: dict, new_items: list[dict]) -> bool:
    return all(old.get(k) == new.get(k) for k in CONTENT) and \
        sorted((i["kind"], i["category"], i["quantity"]) for i in old.get("items", [])) == \
        sorted((i["kind"], i["category"], i["quantity"]) for i in new_items)


def save(store, rec: dict, rec_items: list[dict], *, replace: bool) -> str:
    """Insert or (with ``replace``) overwrite the record of (day, agent); returns added|same|replaced|exists.

    The caller holds the transaction.
    """
    rec = {**rec}
    for k in ("served_ids", "ordered_ids"):
        if isinstance(rec.get(k), list):
            rec[k] = json.dumps(rec[k], ensure_ascii=False) if rec[k] else None
    old = get(store, rec["day"], rec["agent"])
    if old is not None:
        if same_content(old, rec, rec_items):
            return "same"
        if not replace:
            return "exists"
        store.execute("DELETE FROM daily_record_items WHERE record_id = ?", (old["id"],))
        store.execute("DELETE FROM daily_records WHERE id = ?", (old["id"],))
    rid = store.insert("daily_records", rec)
    if rec_items:
        store.executemany("INSERT INTO daily_record_items (record_id, kind, category, quantity) VALUES (?, ?, ?, ?)",
                          [(rid, i["kind"], i["category"], i["quantity"]) for i in rec_items])
    return "replaced" if old is not None else "added"


def list_records(store, first_day: str, end_day: str, agent: str | None = None) -> list[dict]:
    """The records of [first_day, end_day); ``items`` is "kind:category=quantity;…" ordered by kind, category
    (built here, not with group_concat, whose order neither SQLite nor PostgreSQL guarantees), None without items."""
    where = "d.day >= ? AND d.day < ?"
    params: list = [first_day, end_day]
    if agent:
        where += " AND d.agent = ?"
        params.append(agent)
    rows = list(store.q(f"SELECT d.* FROM daily_records d WHERE {where} ORDER BY d.day, d.agent, d.id", params))
    parts: dict[int, list[str]] = {}
    for i in store.q(f"SELECT i.record_id, i.kind, i.category, i.quantity FROM daily_record_items i "
                     f"JOIN daily_records d ON d.id = i.record_id WHERE {where} "
                     f"ORDER BY i.record_id, i.kind, i.category", params):
        parts.setdefault(i["record_id"], []).append(f"{i['kind']}:{i['category']}={i['quantity']}")
    for r in rows:
        r["items"] = ";".join(parts[r["id"]]) if r["id"] in parts else None
    return rows


def submissions(store, first_day: str, end_day: str) -> dict[tuple[str, str], int]:
    """(agent, day) → submitted_at of the records of the days in [first_day, end_day)."""
    return {(r["agent"], r["day"]): r["submitted_at"] for r in store.q(
        "SELECT agent, day, submitted_at FROM daily_records WHERE day >= ? AND day < ?", (first_day, end_day))}


def expected_staff(store, first_day: str, end_day: str) -> list[dict]:
    """Agents and order clerks employed in the span (specialists and supervisors keep no daily record)."""
    return list(store.q(
        """SELECT name, role FROM agents WHERE role IN ('agent', 'order_clerk')
           AND (joined_on IS NULL OR joined_on < :b) AND (left_on IS NULL OR left_on >= :a)
           AND (active = 1 OR left_on IS NOT NULL) ORDER BY name""", {"a": first_day, "b": end_day}))


def roster_marks(store, first_day: str, end_day: str) -> dict[tuple[str, str], str]:
    """(agent, day) → roster mark (work, rest, leave, holiday) for the span."""
    return {(r["agent"], r["day"]): r["mark"] for r in store.q(
        "SELECT agent, day, mark FROM roster_days WHERE day >= ? AND day < ?", (first_day, end_day))}
