"""SQL of the after-sales money ledger (R-FIN-1), its finance sign-offs, known orders and the
refund-audit runs (R-FIN-3). Every statement touching those tables lives here."""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable, Iterator

LEDGER_FIELDS = ("at", "amount_fen", "direction", "reason", "agent", "case_id", "review_id", "order_no", "channel",
                 "txn_id", "note", "ext_key", "created_at", "created_by")

_SELECT = """
SELECT l.*, s.by AS signed_by, s.at AS signed_at
FROM ledger l LEFT JOIN ledger_signoffs s ON s.entry_id = l.id
"""


def add_entry(store, **fields) -> int:
    """Insert one money movement (caller holds the transaction). Cases and reviews call this for
    money resolutions and compensations (R-CASE-4, R-REV-7)."""
    unknown = set(fields) - set(LEDGER_FIELDS)
    if unknown:
        raise ValueError(f"unknown ledger fields: {sorted(unknown)}")
    fields.setdefault("direction", "out")
    fields.setdefault("created_at", fields["at"])
    return store.insert("ledger", fields)


def get(store, entry_id: int) -> dict | None:
    return store.one(_SELECT + " WHERE l.id = ?", (entry_id,))


def by_ext_key(store, ext_key: str) -> dict | None:
    return store.one(_SELECT + " WHERE l.ext_key = ?", (ext_key,))


def list_entries(store, *, since: int | None = None, until: int | None = None, agent: str | None = None,
                 reason: str | None = None, case_id: int | None = None, review_id: int | None = None,
                 order_no: str | None = None, unsigned: bool | None = None, older_than: int | None = None,
                 limit: int | None = None) -> Iterator[dict]:
    """Entries by time (streamed). ``older_than``: only entries at or before that epoch."""
    where, params = [], []
    if since is not None:
        where.append("l.at >= ?")
        params.append(since)
    if until is not None:
        where.append("l.at < ?")
        params.append(until)
    if older_than is not None:
        where.append("l.at <= ?")
        params.append(older_than)
    for col, val in (("l.agent", agent), ("l.reason", reason), ("l.case_id", case_id), ("l.review_id", review_id)):
        if val is not None:
            where.append(f"{col} = ?")
            params.append(val)
    if order_no is not None:
        if order_no.upper().startswith("T200P"):
            order_no = order_no[5:]
        where.append("(l.order_no = ? OR l.order_no = ?)")
        params += [order_no, "T200P" + order_no]
    if unsigned is True:
        where.append("s.entry_id IS NULL")
    elif unsigned is False:
        where.append("s.entry_id IS NOT NULL")
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY l.at, l.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return store.q(sql, params)


def sign(store, entry_id: int, by: str, at: int) -> None:
    """Record the finance sign-off of one entry (append-only: a trigger refuses changes)."""
    store.execute("INSERT INTO ledger_signoffs (entry_id, by, at) VALUES (?, ?, ?)", (entry_id, by, at))


def signoff(store, entry_id: int) -> dict | None:
    return store.one("SELECT * FROM ledger_signoffs WHERE entry_id = ?", (entry_id,))


def existing_ids(store, ids: Iterable[int]) -> set[int]:
    ids = list(ids)
    out: set[int] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        out |= {r[0] for r in store.execute(f"SELECT id FROM ledger WHERE id IN ({marks})", chunk)}
    return out


# --- links from cases and reviews (R-CASE-4, R-REV-7) ------------------------------------------

def cases_without_entry(store, resolutions: Iterable[str]) -> Iterator[dict]:
    """Resolved cases with a money amount and no ledger entry yet."""
    res = list(resolutions)
    marks = ",".join("?" * len(res))
    return store.q(f"""
        SELECT c.id, c.order_no, c.agent, c.resolution, c.amount_fen, c.resolved_at, c.opened_at
        FROM cases c
        WHERE c.amount_fen > 0 AND c.resolution IN ({marks})
          AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.case_id = c.id)
        ORDER BY c.id""", res)


def review_compensations_without_entry(store) -> Iterator[dict]:
    """``compensate`` events of reviews whose review has no ledger entry yet (R-REV-7)."""
    return store.q("""
        SELECT e.id AS event_id, e.review_id, e.at, e.by, e.data, e.note, r.tid
        FROM review_events e JOIN reviews r ON r.id = e.review_id
        WHERE e.action = 'compensate'
          AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.review_id = e.review_id)
        ORDER BY e.id""")


def case_exists(store, case_id: int) -> bool:
    return store.scalar("SELECT 1 FROM cases WHERE id = ?", (case_id,)) is not None


def review_exists(store, review_id: int) -> bool:
    return store.scalar("SELECT 1 FROM reviews WHERE id = ?", (review_id,)) is not None


def case_order(store, case_id: int) -> str | None:
    return store.scalar("SELECT order_no FROM cases WHERE id = ?", (case_id,))


def review_order(store, review_id: int) -> str | None:
    return store.scalar("SELECT tid FROM reviews WHERE id = ?", (review_id,))


# --- bulk loads for the refund audit (R-FIN-3) -------------------------------------------------

_AUDIT_COLS = """l.id, l.at, l.amount_fen, l.reason, l.agent, l.case_id, l.review_id, l.order_no, l.channel,
               l.txn_id, NULL, s.at"""   # the note is not needed by the audit: not loaded


def audit_entries(store, since: int, until: int) -> Iterator[tuple]:
    """Outgoing entries in [since, until) as tuples
    ``(id, at, amount_fen, reason, agent, case_id, review_id, order_no, channel, txn_id, note, signed_at)``."""
    return _tuples(store, f"""
        SELECT {_AUDIT_COLS}
        FROM ledger l LEFT JOIN ledger_signoffs s ON s.entry_id = l.id
        WHERE l.direction = 'out' AND l.at >= ? AND l.at < ?""", (since, until))


def _tuples(store, sql: str, params=()):
    """A cursor yielding plain tuples (faster than the connection's dict-like rows for bulk reads)."""
    return store.rows(sql, params)


def entries_by_keys(store, txn_ids: Iterable[str], order_nos: Iterable[str]) -> list[tuple]:
    """Outgoing entries (any time) whose txn_id or order number (with or without the ``T200P`` prefix) is
    among the given ones — same tuple shape as :func:`audit_entries`."""
    base = f"SELECT {_AUDIT_COLS} FROM ledger l LEFT JOIN ledger_signoffs s ON s.entry_id = l.id WHERE l.direction = 'out' AND "
    orders = [o for n in order_nos if n for o in (n, "T200P" + n)]
    rows = {r[0]: r for r in _bulk(store, base + "l.txn_id IN ({marks})", txn_ids)}
    rows.update({r[0]: r for r in _bulk(store, base + "l.order_no IN ({marks})", orders)})
    return list(rows.values())


def orders_paid(store, order_nos: Iterable[str]) -> dict[str, int]:
    """Paid amount (fen) of the known orders among ``order_nos`` (``orders`` table)."""
    return {r[0]: r[1] for r in _bulk(store, "SELECT order_no, paid_fen FROM orders WHERE paid_fen IS NOT NULL "
                                             "AND order_no IN ({marks})", order_nos)}


def cases_by_order(store, order_nos: Iterable[str]) -> dict[str, list[tuple]]:
    """``order_no -> [(case id, resolution, amount_fen, agent)]`` for the given orders."""
    out: dict[str, list[tuple]] = {}
    for r in _bulk(store, "SELECT order_no, id, resolution, amount_fen, agent FROM cases WHERE order_no IN ({marks})",
                   order_nos):
        out.setdefault(r[0], []).append(tuple(r[1:]))
    return out


def _bulk(store, sql: str, keys: Iterable, chunk: int = 900) -> list:
    """Run ``sql`` (with ``IN ({marks})``) for many keys: chunks of ``chunk``, or for many thousands of
    keys one query taking them as a JSON array (or, without SQLite's JSON functions, a temporary table)."""
    keys = list(dict.fromkeys(k for k in keys if k))
    if len(keys) > 20 * chunk:
        # one query with the keys as a JSON array parameter (twice as fast as filling a temporary table)
        try:
            return _tuples(store, sql.format(marks="SELECT value FROM json_each(?)"),
                           (json.dumps(keys, ensure_ascii=False),)).fetchall()
        except sqlite3.OperationalError:     # SQLite built without JSON: a temporary table of the keys
            pass
        keys.sort()                          # B-tree inserts in key order are much cheaper
        store.execute("CREATE TEMP TABLE IF NOT EXISTS _audit_keys (k TEXT PRIMARY KEY)")
        own = not store.in_transaction
        if own:
            store.execute("BEGIN")           # deferred: only the temp database is written
        store.execute("DELETE FROM _audit_keys")
        store.executemany("INSERT INTO _audit_keys (k) VALUES (?)", ((k,) for k in keys))
        if own:
            store.execute("COMMIT")
        try:
            return _tuples(store, sql.format(marks="SELECT k FROM _audit_keys")).fetchall()
        finally:
            store.execute("DELETE FROM _audit_keys")
    out: list = []
    for i in range(0, len(keys), chunk):
        part = keys[i:i + chunk]
        out += _tuples(store, sql.format(marks=",".join("?" * len(part))), part).fetchall()
    return out


def add_order(store, order_no: str, paid_fen: int | None, **fields) -> None:
    """Record an order whose paid amount is known (store plugins' order-report importers)."""
    row = {"order_no": order_no, "paid_fen": paid_fen, **fields}
    cols = ", ".join(row)
    sets = ", ".join(f"{c} = excluded.{c}" for c in row if c != "order_no")
    store.execute(f"INSERT INTO orders ({cols}) VALUES ({', '.join('?' * len(row))}) "
                  f"ON CONFLICT (order_no) DO UPDATE SET {sets}", list(row.values()))


ORDER_FIELDS = ("order_no", "store", "buyer", "paid_fen", "status", "created_at", "paid_at", "data")

_ORDER_UPSERT = """
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


def upsert_orders(store, rows: Iterable[dict]) -> int:
    """Insert or update whole order rows (every field of :data:`ORDER_FIELDS`, caller's transaction);
    returns how many rows were added or changed — 0 when the same report is imported again."""
    n = 0
    batch: list[dict] = []
    for r in rows:
        unknown = set(r) - set(ORDER_FIELDS)
        if unknown:
            raise ValueError(f"unknown order fields: {sorted(unknown)}")
        row = {k: r.get(k) for k in ORDER_FIELDS}
        if not store.app_login:
            n += store.execute(_ORDER_UPSERT, row).rowcount
            continue
        batch.append(row)
        if len(batch) >= 1000:
            n += _upsert_orders_as_login(store, batch)
            batch = []
    if batch:
        n += _upsert_orders_as_login(store, batch)
    return n


def _upsert_orders_as_login(store, rows: list[dict]) -> int:
    """A person's own login of a team database (R-SEC-5) reads orders masked and cannot upsert through
    the view: ``asx_upsert_orders`` does the same upsert for a login the grants allow to write orders."""
    return int(store.scalar("SELECT asx_upsert_orders(?::json)", (json.dumps(rows, ensure_ascii=False),)) or 0)


def list_orders(store, *, status: str | None = None, created_before: int | None = None) -> Iterator[dict]:
    """Known orders by creation time, optionally of one ``status`` and created before an epoch."""
    from asx.store import where

    clause, params = where(("status = ?", status), ("created_at < ?", created_before))
    return store.q("SELECT * FROM orders" + clause + " ORDER BY created_at", params)


# --- audit runs ---------------------------------------------------------------------------------

FINDING_FIELDS = ("rule", "severity", "file", "line", "txn_id", "ledger_id", "amount_fen", "message", "action",
                  "fingerprint", "order_no", "agent")


def add_run(store, *, at: int, by: str | None, files: list[str], period_from: int | None, period_to: int | None,
            rows_read: int, rows_bad: int, payouts: int, paid_fen: int, errors: int, warnings: int,
            exit_code: int) -> int:
    return store.insert("audit_runs", {
        "at": at, "by": by, "files": json.dumps(files, ensure_ascii=False), "period_from": period_from,
        "period_to": period_to, "rows_read": rows_read, "rows_bad": rows_bad, "payouts": payouts,
        "paid_fen": paid_fen, "errors": errors, "warnings": warnings, "exit_code": exit_code})


def add_findings(store, run_id: int, findings: Iterable[dict]) -> None:
    cols = ("run_id",) + FINDING_FIELDS
    store.executemany(f"INSERT INTO audit_findings ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                      ((run_id, *(f.get(k) for k in FINDING_FIELDS)) for f in findings))


def runs(store, *, since: int | None = None, limit: int = 20) -> Iterator[dict]:
    where = "WHERE at >= ?" if since is not None else ""
    params = (since,) if since is not None else ()
    return store.q(f"SELECT * FROM audit_runs {where} ORDER BY at DESC, id DESC LIMIT {int(limit)}", params)


def run_findings(store, run_id: int) -> Iterator[dict]:
    return store.q("SELECT * FROM audit_findings WHERE run_id = ? ORDER BY id", (run_id,))


def findings_since(store, since: int, *, new_only: bool = False) -> Iterator[dict]:
    """Findings of runs at or after ``since`` (with the run's time); ``new_only``: only fingerprints
    that no earlier run had found."""
    extra = ""
    if new_only:
        extra = """AND NOT EXISTS (SELECT 1 FROM audit_findings g JOIN audit_runs q ON q.id = g.run_id
                                   WHERE g.fingerprint = f.fingerprint AND q.at < ?)"""
    params = (since, since) if new_only else (since,)
    return store.q(f"""
        SELECT f.*, r.at AS run_at FROM audit_findings f JOIN audit_runs r ON r.id = f.run_id
        WHERE r.at >= ? {extra}
        ORDER BY r.at, f.id""", params)
