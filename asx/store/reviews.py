"""SQL of review tracking (R-REV). Domain code: asx/reviews/."""

from __future__ import annotations

import json
from typing import Iterator

from asx.core.errors import ConflictError

COLUMNS = ("platform", "tid", "oid", "created_at", "buyer", "phone", "item", "item_id", "content", "result",
           "severity", "progress", "promised_until", "owner", "case_id", "last_contact_at", "last_contact_via",
           "contact_count", "resolved_at", "purged_at", "version", "updated_at", "added_at", "item_price_fen",
           "reply", "severity_rule", "round_at", "first_msg_at", "wangwang_at", "sms_at", "phone_at",
           "phone_attempts", "last_result", "compensated_at", "compensated_fen", "next_step", "due_at", "content_raw")

QUEUE_COLS = ("id, tid, oid, created_at, buyer, phone, item, content, result, severity, progress, promised_until, "
              "owner, case_id, last_contact_at, last_contact_via, contact_count, first_msg_at, phone_attempts, "
              "next_step, due_at")


def get(store, review_id: int) -> dict | None:
    return store.one("SELECT * FROM reviews WHERE id = ?", (review_id,))


def find_key(store, tid: str, oid: str, created_at: int) -> dict | None:
    return store.one("SELECT * FROM reviews WHERE tid = ? AND oid = ? AND created_at = ?", (tid, oid, created_at))


def _mask_content(row: dict, review: dict) -> dict:
    """The review text masked at write time against its buyer and phone and the patterns, the raw
    text in ``content_raw`` (issue 21, R-SEC-1)."""
    if "content" in row and "content_raw" not in row:
        from asx.io.freetext import masked_and_raw

        row = dict(row)
        row["content"], row["content_raw"] = masked_and_raw(
            row["content"], {"buyer": review.get("buyer"), "phone": review.get("phone")})
    return row


def insert(store, row: dict) -> int:
    return store.insert("reviews", _mask_content(row, row))


def update(store, review_id: int, version: int, changes: dict) -> None:
    """Change a review if nobody changed it meanwhile (optimistic ``version``)."""
    if "content" in changes:
        changes = _mask_content(changes, {**(get(store, review_id) or {}), **changes})
    sets = ", ".join(f"{k} = ?" for k in changes)
    cur = store.execute(f"UPDATE reviews SET {sets} WHERE id = ? AND version = ?",
                        [*changes.values(), review_id, version])
    if cur.rowcount != 1:
        raise ConflictError(f"review {review_id} was changed by someone else meanwhile; run the command again")


def add_event(store, review_id: int, *, at: int, by: str | None, action: str, via: str | None = None,
              result: str | None = None, note: str | None = None, data: dict | None = None) -> int:
    return store.insert("review_events", {
        "review_id": review_id, "at": at, "by": by, "action": action, "via": via, "result": result, "note": note,
        "data": json.dumps(data, ensure_ascii=False, sort_keys=True) if data else None,
    })


def last_event_at(store, review_id: int) -> int | None:
    return store.scalar("SELECT max(at) FROM review_events WHERE review_id = ?", (review_id,))


def events(store, review_id: int) -> Iterator[dict]:
    return store.q("SELECT * FROM review_events WHERE review_id = ? ORDER BY at, id", (review_id,))


def case_exists(store, case_id: int) -> bool:
    return store.scalar("SELECT 1 FROM cases WHERE id = ?", (case_id,)) is not None


def list_reviews(store, *, progress: list[str] | None = None, severity: list[int] | None = None,
                 owner: str | None = None, unowned: bool = False, created_before: int | None = None,
                 created_after: int | None = None, item: str | None = None, open_only: bool = False,
                 overdue_at: int | None = None, limit: int | None = None) -> Iterator[dict]:
    where, params = ["purged_at IS NULL"], []
    if progress:
        where.append(f"progress IN ({','.join('?' * len(progress))})")
        params += progress
    if severity:
        where.append(f"severity IN ({','.join('?' * len(severity))})")
        params += severity
    if owner:
        where.append("owner = ?")
        params.append(owner)
    if unowned:
        where.append("owner IS NULL")
    if created_before is not None:
        where.append("created_at <= ?")
        params.append(created_before)
    if created_after is not None:
        where.append("created_at >= ?")
        params.append(created_after)
    if item:
        where.append("(item LIKE ? OR item_id = ?)")
        params += [f"%{item}%", item]
    if open_only:
        where.append("next_step IS NOT NULL")
    if overdue_at is not None:
        where.append("next_step IS NOT NULL AND due_at <= ?")
        params.append(overdue_at)
    sql = "SELECT * FROM reviews WHERE " + " AND ".join(where) + " ORDER BY severity DESC, created_at, id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return store.q(sql, params)


# -- the queue (R-REV-4): one indexed walk, severe first then oldest ----------------------------------

def _owner_clause(agent: str | None, params: list) -> str:
    if agent is None:
        return ""
    params.append(agent)
    return " AND (owner = ? OR owner IS NULL)"


def queue_due(store, *, at: int, agent: str | None, calls_allowed: bool, limit: int | None) -> Iterator[dict]:
    """Open reviews whose next step is due at ``at`` (calls only if ``calls_allowed``)."""
    params: list = [at]
    sql = (f"SELECT {QUEUE_COLS} FROM reviews INDEXED BY reviews_open_order "
           "WHERE next_step IS NOT NULL AND due_at <= ?")
    if not calls_allowed:
        sql += " AND next_step != 'phone'"
    sql += _owner_clause(agent, params)
    sql += " ORDER BY severity DESC, created_at, id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return store.q(sql, params)


def queue_all(store, *, agent: str | None) -> Iterator[dict]:
    params: list = []
    sql = (f"SELECT {QUEUE_COLS} FROM reviews INDEXED BY reviews_open_order WHERE next_step IS NOT NULL"
           + _owner_clause(agent, params) + " ORDER BY severity DESC, created_at, id")
    return store.q(sql, params)


def queue_summary(store, *, at: int, agent: str | None) -> list[dict]:
    """Per step: how many are due now, how many later, and the first later due time."""
    # sums of CASE, not of a boolean (portable); NULL when every due_at is NULL, as sum(bool) was
    params: list = [at, at, at]
    sql = ("SELECT next_step AS step, sum(CASE WHEN due_at <= ? THEN 1 WHEN due_at IS NOT NULL THEN 0 END) AS due_now, "
           "sum(CASE WHEN due_at > ? THEN 1 WHEN due_at IS NOT NULL THEN 0 END) AS later, "
           "min(CASE WHEN due_at > ? THEN due_at END) AS first_later FROM reviews "
           "WHERE next_step IS NOT NULL" + _owner_clause(agent, params) + " GROUP BY next_step ORDER BY next_step")
    return list(store.q(sql, params))


# -- the weekly report (R-REV-7) ----------------------------------------------------------------------

def counts_received(store, start: int, end: int) -> list[dict]:
    return list(store.q("SELECT progress, severity, result, count(*) AS n FROM reviews "
                        "WHERE created_at >= ? AND created_at < ? GROUP BY progress, severity, result "
                        "ORDER BY progress, severity, result",
                        (start, end)))


def revision_times(store, start: int, end: int) -> list[dict]:
    """Reviews revised inside [start, end): created and revised times."""
    return list(store.q("SELECT r.id, r.created_at, e.at AS revised_at FROM review_events e "
                        "JOIN reviews r ON r.id = e.review_id "
                        "WHERE e.action = 'resolve' AND e.result = 'revised' AND e.at >= ? AND e.at < ? "
                        "ORDER BY e.at, e.id",
                        (start, end)))


def compensations(store, start: int, end: int) -> dict:
    return store.one("SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS fen FROM ledger "
                     "WHERE review_id IS NOT NULL AND reason = 'compensation' AND at >= ? AND at < ?",
                     (start, end))


def contacts_by_agent(store, start: int, end: int) -> list[dict]:
    return list(store.q("SELECT by AS agent, via, result, count(*) AS n FROM review_events "
                        "WHERE action = 'contact' AND at >= ? AND at < ? GROUP BY by, via, result "
                        "ORDER BY by IS NOT NULL, by, via IS NOT NULL, via, result IS NOT NULL, result",
                        (start, end)))


def stuck(store, *, older_than: int) -> list[dict]:
    """Open reviews whose next step has been due since before ``older_than``, per step."""
    return list(store.q("SELECT next_step AS step, progress, count(*) AS n, min(due_at) AS oldest_due "
                        "FROM reviews WHERE next_step IS NOT NULL AND due_at <= ? "
                        "GROUP BY next_step, progress ORDER BY next_step, progress", (older_than,)))


def export_rows(store) -> Iterator[dict]:
    return store.q("SELECT r.*, (SELECT count(*) FROM review_events e WHERE e.review_id = r.id) AS events "
                   "FROM reviews r ORDER BY r.id")


def start_import(store, *, source: str, sha256: str, at: int, by: str | None) -> int:
    return store.insert("imports", {"kind": "reviews", "source": source, "sha256": sha256, "started_at": at,
                                    "status": "running", "by": by})


def finish_import(store, import_id: int, *, at: int, read: int, added: int, skipped: int, bad: int) -> None:
    store.execute("UPDATE imports SET finished_at = ?, rows_read = ?, rows_added = ?, rows_skipped = ?, "
                  "rows_bad = ?, status = 'done' WHERE id = ?", (at, read, added, skipped, bad, import_id))
