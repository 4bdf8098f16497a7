"""All SQL of cases (R-CASE), their history, checklist, links, SLA rows and handover notes."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import contextmanager
from typing import Iterable, Iterator

from asx.core.errors import PermissionDenied, UserError

CASE_FIELDS = ("store", "channel", "order_no", "buyer", "buyer_contact", "category", "severity", "summary",
               "status", "agent", "specialist", "opened_at", "first_response_at", "solution_at", "resolved_at",
               "feedback_at", "closed_at", "promised_at", "paused_since", "paused_seconds", "resolution", "party",
               "amount_fen", "inspection", "csat", "reopen_count", "response_count", "merged_into", "review_id",
               "ext_key", "next_due_at", "next_due_target", "buyer_key", "purged_at", "version", "updated_at",
               "updated_by", "complaint", "about", "summary_raw")
EVENT_FIELDS = ("case_id", "at", "by", "action", "from_status", "to_status", "note", "data")
SLA_FIELDS = ("case_id", "target", "due_at", "met_at", "state", "service_minutes", "calendar_minutes")


# --- one case ---------------------------------------------------------------------------------

def _known(case: dict) -> dict:
    """The case's own fields that its texts are masked against (R-SEC-1, free text)."""
    return {"buyer": case.get("buyer"), "contact": case.get("buyer_contact")}


def _mask_summary(row: dict, case: dict) -> dict:
    """``summary`` masked at write time, the raw text in ``summary_raw`` (issue 21, R-SEC-1)."""
    if "summary" in row and "summary_raw" not in row:
        from asx.io.freetext import masked_and_raw

        row = dict(row)
        row["summary"], row["summary_raw"] = masked_and_raw(row["summary"], _known(case))
    return row


def insert_case(store, row: dict) -> int:
    unknown = set(row) - set(CASE_FIELDS) - {"id"}
    if unknown:
        raise ValueError(f"unknown case fields {sorted(unknown)}")
    return store.insert("cases", _mask_summary(row, row))


def served_by(store, order_no: str | None, buyer: str | None, before: int) -> str | None:
    """R-KPI-4: whom a complaint is about by default — the agent of the latest earlier case of the same
    order, else of the buyer's latest earlier case (None: nobody known).

    On PostgreSQL ``asx_served_by`` (migration 0160) compares the raw ids on the server: an agent's
    login reads buyers masked (R-SEC-5) and would otherwise never find the buyer's earlier case."""
    if store.backend == "postgresql":
        return store.scalar("SELECT asx_served_by(?, ?, ?)", (order_no, buyer, before))
    for col, val in (("order_no", order_no), ("buyer", buyer)):
        if not val:
            continue
        row = store.one(f"SELECT agent FROM cases WHERE {col} = ? AND opened_at < ? AND agent IS NOT NULL "
                        "ORDER BY opened_at DESC, id DESC LIMIT 1", (val, before))
        if row is not None:
            return row["agent"]
    return None


def get(store, case_id: int, *, lock: bool = False) -> dict | None:
    """The case row; ``lock``: also lock it for the caller's transaction (PostgreSQL ``FOR UPDATE``;
    SQLite's writer already excludes every other)."""
    sql = "SELECT * FROM cases WHERE id = ?"
    if lock and store.backend != "sqlite":
        sql += " FOR UPDATE"
    return store.one(sql, (case_id,))


def changed_message(app, case: dict) -> str:
    """The one line of a lost race: who changed the case last, when, and what to do."""
    when = app.iso(case["updated_at"]) if case.get("updated_at") else "?"
    return (f"case {case['id']} changed by {case.get('updated_by') or '?'} at {when} (now version "
            f"{case['version']}); re-run to act on the current case")


def require(store, case_id: int, *, lock: bool = False) -> dict:
    row = get(store, case_id, lock=lock)
    if row is None:
        raise UserError(f"no case #{case_id}")
    return row


def update(store, case_id: int, changes: dict, *, at: int, by: str | None, version: int | None = None) -> bool:
    """Change columns of a case, bumping its version (history is written separately). With
    ``version``: only if the case is still at that version (optimistic check); False if not."""
    changes = {**changes, "updated_at": at, "updated_by": by}
    if "summary" in changes:
        changes = _mask_summary(changes, {**(get(store, case_id) or {}), **changes})
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise ValueError(f"unknown case fields {sorted(unknown)}")
    sets = ", ".join(f"{k} = ?" for k in changes)
    if version is None:
        store.execute(f"UPDATE cases SET {sets}, version = version + 1 WHERE id = ?", [*changes.values(), case_id])
        return True
    cur = store.execute(f"UPDATE cases SET {sets}, version = version + 1 WHERE id = ? AND version = ?",
                        [*changes.values(), case_id, version])
    return cur.rowcount > 0


def by_ext_key(store, key: str) -> dict | None:
    return store.one("SELECT * FROM cases WHERE ext_key = ?", (key,))


# --- history (append-only: triggers refuse UPDATE and DELETE) --------------------------------

def add_event(store, case_id: int, *, at: int, by: str | None, action: str, from_status: str | None = None,
              to_status: str | None = None, note: str | None = None, data: dict | None = None) -> int:
    """Append to the case's history; ``note`` is masked at write time against the case's buyer and
    contact and the patterns (the raw text kept in ``note_raw`` for a reveal: issue 21, R-SEC-1)."""
    raw = None
    if note:
        from asx.io.freetext import masked_and_raw

        case = store.one("SELECT buyer, buyer_contact FROM cases WHERE id = ?", (case_id,)) or {}
        note, raw = masked_and_raw(note, _known(case))
    row = {"case_id": case_id, "at": at, "by": by, "action": action, "from_status": from_status,
           "to_status": to_status, "note": note,
           "data": json.dumps(data, ensure_ascii=False, sort_keys=True) if data else None}
    if raw is not None:
        row["note_raw"] = raw
    return store.insert("case_events", row)


def events(store, case_id: int) -> list[dict]:
    return list(store.q("SELECT * FROM case_events WHERE case_id = ? ORDER BY at, id", (case_id,)))


def last_event_at(store, case_id: int) -> int | None:
    return store.scalar("SELECT max(at) FROM case_events WHERE case_id = ?", (case_id,))


def pause_spans(store, case_id: int) -> list[tuple[int, int | None]]:
    """(start, end) spans spent in a waiting_* status, from the history; end None = still waiting."""
    spans, since = [], None
    for at, to in store.execute("SELECT at, to_status FROM case_events WHERE case_id = ? AND to_status IS NOT NULL "
                                "ORDER BY at, id", (case_id,)):
        waiting = to.startswith("waiting_")
        if waiting and since is None:
            since = at
        elif not waiting and since is not None:
            spans.append((since, at))
            since = None
    if since is not None:
        spans.append((since, None))
    return spans


def marks(store, case_id: int) -> dict[str, int]:
    """Earliest time each plugin SLA target was met, from events with ``data.meets`` ({target: epoch})."""
    out: dict[str, int] = {}
    for (data,) in store.execute("SELECT data FROM case_events WHERE case_id = ? AND data LIKE '%\"meets\"%'",
                                 (case_id,)):
        for target, at in (json.loads(data).get("meets") or {}).items():
            if target not in out or at < out[target]:
                out[target] = int(at)
    return out


# --- SLA rows ---------------------------------------------------------------------------------

def replace_sla(store, case_id: int, rows: list[dict]) -> None:
    """Rewrite the case's SLA rows and, in step with them, its stored SLA summary (issue 7)."""
    store.execute("DELETE FROM case_sla WHERE case_id = ?", (case_id,))
    store.executemany(f"INSERT INTO case_sla ({', '.join(SLA_FIELDS)}) VALUES ({', '.join('?' * len(SLA_FIELDS))})",
                      [[r[k] for k in SLA_FIELDS] for r in rows])
    outcome, due_last = sla_summary((r["target"], r["due_at"], r["state"]) for r in rows)
    store.execute("UPDATE cases SET sla_outcome = ?, sla_due_last = ? WHERE id = ?", (outcome, due_last, case_id))


# --- the stored SLA summary of a case (migration 0056, issue 7) -------------------------------
#
# ``cases.sla_outcome`` lists the case's SLA targets that are met or breached and have a due time,
# as ``"<target>:m"`` / ``"<target>:b"`` joined by spaces ('' when there are none); and
# ``cases.sla_due_last`` is the latest of their due times. The KPI export counts SLA attainment
# from these two columns in its one pass over the cohort instead of joining ~2 rows of case_sla
# per case: a case whose ``sla_due_last`` is before the period's end has all its counted targets
# due before it. Every writer of case_sla writes them in the same transaction (replace_sla,
# bulk_insert's callers, the benchmark generator); NULL ``sla_outcome`` means "not known" (cases
# written before migration 0056, or by hand): the KPI export then reads those cases' case_sla
# rows, so the figures are right either way, and :func:`fill_sla_summaries` fills them.

def sla_summary(rows: Iterable[tuple], t: int = 0, d: int = 1, s: int = 2) -> tuple[str | None, int | None]:
    """(sla_outcome, sla_due_last) of a case's SLA rows: tuples holding the target at index ``t``,
    the due time at ``d`` and the state at ``s`` (by default (target, due_at, state); the case
    import passes its own row tuples, which saves building new ones per case).

    A target whose name holds a space or comma cannot be listed: the outcome is then None
    ("not known"), which sends the case down the exact case_sla path of the KPI export."""
    parts, last = [], None
    for r in rows:
        st, due = r[s], r[d]
        if due is None or (st != "met" and st != "breached"):
            continue
        target = r[t]
        if " " in target or "," in target:
            return None, None
        parts.append(target + (":m" if st == "met" else ":b"))
        if last is None or due > last:
            last = due
    if len(parts) > 1:
        parts.sort()
    return " ".join(parts), last


def parse_sla_outcome(text: str) -> list[tuple[str, str]]:
    """[(target, 'met' | 'breached')] of a stored ``sla_outcome``."""
    out = []
    for part in text.split(" "):
        if part:
            target, st = part.rsplit(":", 1)
            out.append((target, "met" if st == "m" else "breached"))
    return out


def fill_sla_summaries(store, *, batch: int = 20_000) -> int:
    """Compute the stored SLA summary of every case that has none (NULL ``sla_outcome``) from its
    case_sla rows — after migration 0056 on an existing database; the KPI export is right without
    it, only slower. Returns the number of cases filled. Commits per batch."""
    done, last_id = 0, 0
    while True:
        with store.tx():
            ids = [r[0] for r in store.execute(
                "SELECT id FROM cases WHERE sla_outcome IS NULL AND id > ? ORDER BY id LIMIT ?", (last_id, batch))]
            if not ids:
                return done
            rows: dict[int, list] = {i: [] for i in ids}
            for cid, target, due, state in store.execute(
                    "SELECT case_id, target, due_at, state FROM case_sla WHERE case_id >= ? AND case_id <= ?",
                    (ids[0], ids[-1])):
                if cid in rows:
                    rows[cid].append((target, due, state))
            store.executemany("UPDATE cases SET sla_outcome = ?, sla_due_last = ? WHERE id = ?",
                              [(*sla_summary(r), cid) for cid, r in rows.items()])
            done += len(ids)
            last_id = ids[-1]


def sla_summary_mismatches(store, limit: int = 20) -> list[int]:
    """Ids of cases (up to ``limit``) whose stored SLA summary is set but differs from their
    case_sla rows — what ``asx db check`` reports; empty when they are in step."""
    bad: list[int] = []
    cur_id, cur_rows, stored = None, [], None

    def judge(cid, rows, st):
        if st is not None and st[0] is not None and sla_summary(rows) != st:
            bad.append(cid)

    for cid, outcome, due_last, target, due, state in store.execute(
            """SELECT c.id, c.sla_outcome, c.sla_due_last, s.target, s.due_at, s.state
               FROM cases c LEFT JOIN case_sla s ON s.case_id = c.id
               WHERE c.sla_outcome IS NOT NULL ORDER BY c.id"""):
        if cid != cur_id:
            if cur_id is not None:
                judge(cur_id, cur_rows, stored)
                if len(bad) >= limit:
                    return bad
            cur_id, cur_rows, stored = cid, [], (outcome, due_last)
        if target is not None:
            cur_rows.append((target, due, state))
    if cur_id is not None:
        judge(cur_id, cur_rows, stored)
    return bad[:limit]


def set_next_due(store, case_id: int, due: int | None, target: str | None) -> None:
    store.execute("UPDATE cases SET next_due_at = ?, next_due_target = ? WHERE id = ?", (due, target, case_id))


def sla(store, case_id: int) -> list[dict]:
    return list(store.q("SELECT * FROM case_sla WHERE case_id = ? ORDER BY due_at IS NULL, due_at", (case_id,)))


# --- checklist, links, handover ---------------------------------------------------------------

def add_check(store, case_id: int, step: str, at: int, by: str | None) -> bool:
    cur = store.execute("INSERT OR IGNORE INTO case_checks (case_id, step, done_at, done_by) VALUES (?, ?, ?, ?)",
                        (case_id, step, at, by))
    return cur.rowcount > 0


def checks(store, case_id: int) -> dict[str, dict]:
    return {r["step"]: r for r in store.q("SELECT * FROM case_checks WHERE case_id = ?", (case_id,))}


def add_link(store, case_id: int, other_id: int, kind: str, at: int, by: str | None) -> None:
    store.execute("INSERT INTO case_links (case_id, other_id, kind, at, by) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT (case_id, other_id) DO UPDATE SET kind = excluded.kind, at = excluded.at, "
                  "by = excluded.by", (case_id, other_id, kind, at, by))


def links(store, case_id: int) -> list[dict]:
    return list(store.q("SELECT case_id, other_id, kind, at, by FROM case_links WHERE case_id = ? OR other_id = ? "
                        "ORDER BY at", (case_id, case_id)))


def add_handover(store, *, at: int, by: str, shift: str | None, for_agent: str | None, text: str) -> int:
    """A handover note, masked at write time (phones, cards, ID numbers, addresses; names by the nightly
    job ``mask-names``), the raw text in ``text_raw`` (issue 21, R-SEC-1)."""
    from asx.io.freetext import masked_and_raw

    text, raw = masked_and_raw(text)
    return store.insert("handover_notes", {"at": at, "by": by, "shift": shift, "for_agent": for_agent, "text": text,
                                           **({"text_raw": raw} if raw is not None else {})})


def handovers(store, *, since: int | None = None, limit: int = 1) -> list[dict]:
    sql, params = "SELECT * FROM handover_notes", []
    if since is not None:
        sql += " WHERE at >= ?"
        params.append(since)
    sql += " ORDER BY at DESC, id DESC LIMIT ?"
    params.append(limit)
    return list(store.q(sql, params))


# --- listing ----------------------------------------------------------------------------------

LIVE_STATUSES = ("new", "open", "waiting_buyer", "waiting_courier", "waiting_warehouse", "resolved")


def list_cases(store, *, status: Iterable[str] | None = None, agent: str | None = None,
               category: str | None = None, severity: str | None = None, store_name: str | None = None,
               order_no: str | None = None, since: int | None = None, until: int | None = None,
               overdue_at: int | None = None, due_before: int | None = None, open_only: bool = False,
               sort: str = "id", limit: int | None = None, waybill: str | None = None) -> Iterator[dict]:
    """Cases matching the filters. ``overdue_at``: unmet SLA due before that instant; ``due_before``:
    next due time before that instant (overdue included). Sorted by ``sort`` (a column, ``-`` for
    descending; ``due`` = time to breach)."""
    where, params = [], []
    if status:
        status = list(status)
        where.append(f"status IN ({', '.join('?' * len(status))})")
        params += status
    if open_only:
        where.append("status NOT IN ('resolved', 'closed', 'merged')")
    for col, val in (("agent", agent), ("category", category), ("severity", severity), ("store", store_name),
                     ("order_no", order_no)):
        if val is not None:
            where.append(f"{col} = ?")
            params.append(val)
    if waybill is not None:  # a return's waybill (issue 16 item 7)
        where.append("id IN (SELECT case_id FROM case_returns WHERE waybill = ?)")
        params.append(waybill.strip())
    if since is not None:
        where.append("opened_at >= ?")
        params.append(since)
    if until is not None:
        where.append("opened_at < ?")
        params.append(until)
    if overdue_at is not None:
        where.append("next_due_at IS NOT NULL AND next_due_at < ?")
        params.append(overdue_at)
    if due_before is not None:
        where.append("next_due_at IS NOT NULL AND next_due_at < ?")
        params.append(due_before)
    order = _order(sort)
    sql = "SELECT * FROM cases" + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order}"
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return store.q(sql, params)


def resolved_between(store, since: int, until: int) -> list[dict]:
    """Cases resolved in [since, until) (still resolved or closed since), by resolution time."""
    return list(store.q("SELECT * FROM cases WHERE resolved_at >= ? AND resolved_at < ? "
                        "AND status IN ('resolved', 'closed') ORDER BY resolved_at, id", [since, until]))


SORTS = {"id": "id", "opened": "opened_at", "due": "next_due_at", "severity":
         "CASE severity WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END",
         "agent": "agent", "status": "status", "category": "category", "updated": "updated_at"}


def _order(sort: str) -> str:
    desc = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        raise UserError(f"cannot sort by {key!r}; choose one of {', '.join(SORTS)} (prefix - for descending)")
    col = SORTS[key]
    return f"{col} {'DESC' if desc else 'ASC'}, id {'DESC' if desc else 'ASC'}"


def export_rows(store) -> Iterator[dict]:
    return store.q("SELECT * FROM cases ORDER BY id")


def count(store) -> int:
    return store.scalar("SELECT count(*) FROM cases")


def ids_starting(store, prefix: str, *, limit: int = 50) -> list[int]:
    """Ids of live cases (not closed or merged) whose number starts with ``prefix``, newest first: what
    shell completion offers for a CASE_ID (issue 18 item 8)."""
    rows = store.execute("SELECT id FROM cases WHERE CAST(id AS TEXT) LIKE ? AND status NOT IN ('closed', 'merged') "
                         "ORDER BY id DESC LIMIT ?", (f"{prefix}%", limit))
    return [r[0] for r in rows]


# --- bulk import --------------------------------------------------------------------------------

def has_ext_keys(store) -> bool:
    return store.scalar("SELECT 1 FROM cases WHERE ext_key IS NOT NULL LIMIT 1") is not None


def existing_keys(store, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return {r[0] for r in store.execute("SELECT ext_key FROM cases WHERE ext_key IN (SELECT value FROM json_each(?))",
                                        (json.dumps(keys, ensure_ascii=False),))}


def max_id(store) -> int:
    return store.scalar("SELECT coalesce(max(id), 0) FROM cases")


IMPORT_CASE_COLS = ("id", "store", "channel", "order_no", "buyer", "buyer_contact", "category", "severity", "summary",
                    "status", "agent", "opened_at", "first_response_at", "solution_at", "resolved_at", "feedback_at",
                    "closed_at", "resolution", "party", "amount_fen", "csat", "response_count", "ext_key",
                    "next_due_at", "next_due_target", "updated_at", "updated_by", "first_response_service_min",
                    "resolution_service_min", "sla_outcome", "sla_due_last", "about")
#: the columns of a case imported without lifecycle columns (the others keep their defaults)
IMPORT_OPEN_CASE_COLS = ("id", "store", "channel", "order_no", "buyer", "buyer_contact", "category", "severity",
                         "summary", "status", "agent", "opened_at", "ext_key", "next_due_at", "next_due_target",
                         "updated_at", "updated_by", "sla_outcome", "sla_due_last", "about")
#: the columns of an open SLA target (not met: met_at and the elapsed minutes stay NULL)
OPEN_SLA_FIELDS = ("case_id", "target", "due_at", "state")

_INS_OPENING = ("INSERT INTO case_events (case_id, at, by, action, from_status, to_status, note, data) "
                "SELECT id, opened_at, coalesce(agent, ?), 'open', NULL, 'new', 'imported', NULL FROM cases "
                "WHERE id >= ? AND id < ? ORDER BY id")
#: parameters per INSERT … VALUES (…), (…) statement (as many rows as fit under SQLite's historic
#: limit of 999): per row a third of executemany's cost (issue 3 speed)
PARAMS_PER_INSERT = 999
_multi_sql: dict = {}


def _insert_rows(store, table: str, cols: tuple, flat: list) -> None:
    """Insert rows given as ``flat`` (their values one after the other, in ``cols`` order) with
    multi-row ``INSERT … VALUES`` statements of up to :data:`PARAMS_PER_INSERT` parameters."""
    n = len(cols)
    per = max(1, PARAMS_PER_INSERT // n)
    step = per * n
    full = len(flat) // step * step

    def sql(rows):
        key = (table, cols, rows)
        text = _multi_sql.get(key)
        if text is None:
            one = "(" + ", ".join("?" * n) + ")"
            text = _multi_sql[key] = f"INSERT INTO {table} ({', '.join(cols)}) VALUES " + ", ".join([one] * rows)
        return text

    if full:
        store.executemany(sql(per), [flat[j:j + step] for j in range(0, full, step)])
    if full < len(flat):
        store.execute(sql((len(flat) - full) // n), flat[full:])


def bulk_insert(store, cases: list, events: list, sla_rows: list, *, lifecycle: bool = True,
                opening: tuple[int, int] | None = None, by: str | None = None) -> None:
    """Insert rows given flat (their values one after the other; caller's transaction): cases in
    :data:`IMPORT_CASE_COLS` order (:data:`IMPORT_OPEN_CASE_COLS` when not ``lifecycle``),
    events in :data:`EVENT_FIELDS` order, SLA rows in :data:`SLA_FIELDS` order
    (:data:`OPEN_SLA_FIELDS` when not ``lifecycle``).

    ``opening=(first, end)``: also write the opening event of cases ``first <= id < end`` (at
    ``opened_at``, by the case's agent, else ``by``), set-based, before ``events``.

    Summaries and event notes are masked at write time as one by one (known fields + patterns; the
    raw text in ``summary_raw`` / ``note_raw``: issue 21, R-SEC-1)."""
    cols = IMPORT_CASE_COLS if lifecycle else IMPORT_OPEN_CASE_COLS
    cases, cols, known_by_id = _mask_flat_cases(cases, cols)
    _insert_rows(store, "cases", cols, cases)
    if opening is not None:
        store.execute(_INS_OPENING, (by, *opening))
    if events:
        events, ev_cols = _mask_flat_events(events, known_by_id)
        _insert_rows(store, "case_events", ev_cols, events)
    if sla_rows:
        _insert_rows(store, "case_sla", SLA_FIELDS if lifecycle else OPEN_SLA_FIELDS, sla_rows)
    store.sync_ids("cases")  # PostgreSQL: the id sequence moves past the ids written here


def _mask_flat_cases(flat: list, cols: tuple) -> tuple[list, tuple, dict]:
    """Mask the summaries of cases given flat in ``cols`` order; adds a ``summary_raw`` column."""
    from asx.io.freetext import masked_and_raw

    n = len(cols)
    i_id, i_sum, i_buyer, i_contact = (cols.index(c) for c in ("id", "summary", "buyer", "buyer_contact"))
    out: list = []
    known_by_id: dict = {}
    for j in range(0, len(flat), n):
        row = flat[j:j + n]
        known = {"buyer": row[i_buyer], "contact": row[i_contact]}
        known_by_id[row[i_id]] = known
        row[i_sum], raw = masked_and_raw(row[i_sum], known)
        out += row
        out.append(raw)
    return out, (*cols, "summary_raw"), known_by_id


def _mask_flat_events(flat: list, known_by_id: dict) -> tuple[list, tuple]:
    from asx.io.freetext import masked_and_raw

    n = len(EVENT_FIELDS)
    i_case, i_note = EVENT_FIELDS.index("case_id"), EVENT_FIELDS.index("note")
    out: list = []
    for j in range(0, len(flat), n):
        row = flat[j:j + n]
        row[i_note], raw = masked_and_raw(row[i_note], known_by_id.get(row[i_case]))
        out += row
        out.append(raw)
    return out, (*EVENT_FIELDS, "note_raw")


BULK_TABLES = ("cases", "case_events", "case_sla")


def drop_secondary_indexes(store, tables=BULK_TABLES) -> list[str]:
    """Drop the plain (non-unique, declared) indexes of ``tables`` inside the caller's transaction
    and return their ``CREATE INDEX`` statements for :func:`create_indexes`. Unique constraints
    (``ext_key``, primary keys) stay: the import relies on them. A large import inserts without
    them and builds each index once, sorted, at the end (issue 3); a rollback restores them.
    SQLite only: PostgreSQL keeps its indexes (returns [])."""
    if store.backend != "sqlite":
        return []
    rows = store.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(tables))}) AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
        tables).fetchall()
    for name, _ in rows:
        store.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


#: the insert triggers of migration 0015 that copy case_sla.service_minutes onto the case; a bulk
#: import writes those case columns itself and may drop them for its transaction
MIRROR_TRIGGERS = ("case_sla_fr_ins", "case_sla_rs_ins")


def drop_mirror_triggers(store) -> list[str]:
    """Drop the insert mirror triggers (caller's transaction); returns their SQL for :func:`create_indexes`.
    SQLite only: on PostgreSQL the mirror trigger stays (returns [])."""
    if store.backend != "sqlite":
        return []
    rows = store.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                         f"({', '.join('?' * len(MIRROR_TRIGGERS))})", MIRROR_TRIGGERS).fetchall()
    for name, _ in rows:
        store.execute(f'DROP TRIGGER "{name}"')
    return [sql for _, sql in rows]


def create_indexes(store, sqls: list[str]) -> None:
    """Run the saved ``CREATE INDEX`` / ``CREATE TRIGGER`` statements again."""
    for sql in sqls:
        store.execute(sql)


@contextmanager
def sqlite_bulk_session(store, cache_mb: int = 32):
    """SQLite-only speed settings of a bulk import, restored afterwards (the one place of them;
    a PostgreSQL store needs none). Enter it outside a transaction.

    * ``cache_size``: a 32 MB page cache instead of 2 MB, so the pages being appended to stay in
      memory. SQLite also sizes the sorter of ``CREATE INDEX`` by it: 64 MB took the peak memory
      of a 1M-row import from 113 to 172 MB for no clear gain (the inserts only append).
    * ``foreign_keys = OFF``: the import writes events and SLA rows only for the case ids it
      inserts in the same transaction, so the per-row parent look-up proves nothing.
    """
    if store.backend != "sqlite":
        yield
        return
    conn = store.conn
    fk = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-1024 * int(cache_mb)}")
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        try:
            conn.execute("PRAGMA cache_size = -2000")
            conn.execute(f"PRAGMA foreign_keys = {'ON' if fk else 'OFF'}")
        except sqlite3.Error:
            pass


def start_import(store, *, kind: str, source: str, sha256: str | None, at: int, by: str | None) -> int:
    """Journal a new import as ``running`` (committed at once, so a killed import leaves it). Imports
    left ``running`` by killed processes are marked ``interrupted`` in the same transaction."""
    with store.tx():
        fail_stale_imports(store)
        return store.insert("imports", {"kind": kind, "source": source, "sha256": sha256, "started_at": at,
                                        "status": "running", "by": by})


def finish_import(store, import_id: int, *, at: int, status: str, read: int, added: int, skipped: int,
                  bad: int) -> None:
    store.execute("UPDATE imports SET finished_at = ?, status = ?, rows_read = ?, rows_added = ?, rows_skipped = ?, "
                  "rows_bad = ? WHERE id = ?", (at, status, read, added, skipped, bad, import_id))


def fail_stale_imports(store, kind: str | None = None) -> int:
    """Mark imports left ``running`` by a killed process as ``interrupted`` (call in a write
    transaction); returns how many. Nothing of such an import was written: an import is one
    transaction, and it holds the write lock from just after its journal row is committed to its
    end, so whoever holds the write lock sees ``running`` only for dead imports. (An import caught
    in the instant between committing its row and taking the lock again is set to its real final
    state when it ends: ``finish_import`` writes the status.)"""
    sql = "UPDATE imports SET status = 'interrupted' WHERE status = 'running'"
    cur = store.execute(sql + (" AND kind = ?" if kind else ""), (kind,) if kind else ())
    return cur.rowcount


def mark_interrupted_imports(store) -> int | None:
    """:func:`fail_stale_imports` for ``asx db check``, which must not wait for a long import to
    end: None when the write lock is taken (an import may be running; nothing marked)."""
    if not store.scalar("SELECT 1 FROM imports WHERE status = 'running' LIMIT 1"):
        return 0
    if store.backend != "sqlite":  # PostgreSQL: try asx's write lock without waiting
        from asx.store.pg import WRITE_LOCK

        with store.tx(row_locks=True):
            if not store.scalar("SELECT pg_try_advisory_xact_lock(?, ?)", WRITE_LOCK):
                return None
            return fail_stale_imports(store)
    if not sqlite_begin_nowait(store):
        return None
    try:
        n = fail_stale_imports(store)
    except BaseException:
        store.execute("ROLLBACK")
        raise
    store.execute("COMMIT")
    return n


def sqlite_begin_nowait(store, wait_ms: int = 250) -> bool:
    """SQLite only: ``BEGIN IMMEDIATE`` waiting at most ``wait_ms`` for the write lock (instead of
    the store's long busy timeout); False if another connection holds it."""
    conn = store.conn
    conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
        return True
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return False
        raise
    finally:
        from asx.store import BUSY_TIMEOUT_MS

        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


# --- reads for store plugins (asx.api, issue 15) ------------------------------------------------

def get_many(store, case_ids: Iterable[int]) -> dict[int, dict]:
    """``{id: case row}`` of the given case ids (ids without a case are left out)."""
    ids = sorted({int(i) for i in case_ids})
    if not ids:
        return {}
    return {r["id"]: r for r in store.q("SELECT * FROM cases WHERE id IN (SELECT CAST(value AS INTEGER) "
                                        "FROM json_each(?)) ORDER BY id", (json.dumps(ids),))}


def by_buyers(store, buyers: Iterable[str], *, status: Iterable[str] | None = None) -> Iterator[dict]:
    """Cases whose buyer id is one of ``buyers`` (optionally only these statuses), by id; each row
    also carries ``of_buyer``: which of ``buyers`` it belongs to (its ``buyer`` may be masked).

    On PostgreSQL the ids come from ``asx_case_ids_of_buyers`` (migration 0160; raw ids compared on
    the server, R-SEC-5) and the rows from ``cases`` — masked for a person's own login."""
    keys = sorted({b for b in buyers if b})
    if not keys:
        return iter(())
    if store.backend == "postgresql":
        sql = ("SELECT c.*, k.buyer AS of_buyer FROM cases c "
               "JOIN asx_case_ids_of_buyers(?::text[]) k ON k.id = c.id WHERE TRUE")
        params: list = [keys]
    else:
        sql = "SELECT c.*, c.buyer AS of_buyer FROM cases c WHERE c.buyer IN (SELECT value FROM json_each(?))"
        params = [json.dumps(keys, ensure_ascii=False)]
    if status:
        status = list(status)
        sql += f" AND c.status IN ({', '.join('?' * len(status))})"
        params += status
    return store.q(sql + " ORDER BY c.id", params)


_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def copy_buyer(store, case_id: int, table: str, column: str, key_column: str, key) -> int:
    """Set ``table.column`` of the rows whose ``key_column`` is ``key`` to the buyer id of case
    ``case_id``; returns how many rows were updated.

    On PostgreSQL the copy is made on the server by ``asx_copy_case_buyer`` (migration 0161): a
    person's own login reads ``cases.buyer`` masked (R-SEC-5), so a value read here would be the mask;
    the server copies it only into a column the caller may not read raw either (R-SEC-1)."""
    for name in (table, column, key_column):
        if not _IDENT.match(name or ""):
            raise ValueError(f"bad SQL name {name!r}")
    if store.backend == "postgresql":
        try:
            return int(store.scalar("SELECT asx_copy_case_buyer(?, ?, ?, ?, ?)",
                                    (int(case_id), table, column, key_column, str(key))) or 0)
        except sqlite3.DatabaseError as exc:      # the server's refusal (insufficient_privilege), one line
            if "not declared personal data" in str(exc) or "permission denied" in str(exc):
                raise PermissionDenied(f"{exc} (R-SEC-1/5)") from None
            raise
    cur = store.execute(f'UPDATE "{table}" SET "{column}" = (SELECT c.buyer FROM cases c WHERE c.id = ?) '
                        f'WHERE "{key_column}" = ?', (int(case_id), key))
    return cur.rowcount


def action_times(store, case_ids: Iterable[int], action: str, *, since_action: str | None = None) -> dict[int, int]:
    """``{case id: time of its last event `action`}``; with ``since_action`` only events recorded
    after that case's last ``since_action`` event (e.g. an ``accept`` after the last ``resolve``).
    Cases without such an event are left out."""
    ids = sorted({int(i) for i in case_ids})
    if not ids:
        return {}
    since = ""
    params: list = [json.dumps(ids), action]
    if since_action is not None:
        since = (" AND e.id > coalesce((SELECT max(r.id) FROM case_events r WHERE r.case_id = e.case_id "
                 "AND r.action = ?), 0)")
        params.append(since_action)
    return {r["case_id"]: r["at"] for r in store.q(
        "SELECT e.case_id AS case_id, max(e.at) AS at FROM case_events e "
        "WHERE e.case_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) AND e.action = ?"
        f"{since} GROUP BY e.case_id", params)}


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def sla_targets_index_ddl(name: str, targets: Iterable[str]) -> str:
    """DDL of a partial index over the SLA rows of a plugin's own ``targets`` (what a plugin's KPI
    reads with :func:`asx.store.kpi.sla_targets_met`); stores without such rows pay nothing for it."""
    names = list(targets)
    if not _IDENT.fullmatch(name) or not names or not all(_IDENT.fullmatch(t) for t in names):
        raise ValueError(f"index {name!r} on targets {names!r}: names are letters, digits and _")
    listed = ", ".join(f"'{t}'" for t in names)
    return (f"CREATE INDEX IF NOT EXISTS {name} ON case_sla (target, case_id, state)\n"
            f"    WHERE target IN ({listed});")

