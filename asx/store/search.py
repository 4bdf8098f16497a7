"""Chinese substring search over stored text (issue 18 item 11): case summaries and history notes, review
text, reply and item. Matching is on the text as stored; callers mask what they show (R-SEC-1).

SQLite: FTS5 with the trigram tokenizer (migration 0120). A query of 3+ characters is answered from the
index (phrase match: the exact substring, case-insensitive); 1–2 characters (``破损`` is two) cannot use a
trigram index and scan the indexed text. New cases, notes and reviews are indexed by the search itself
(:func:`sync`, from ``search_marks``), so imports pay nothing; changed text is re-indexed by triggers.

PostgreSQL: ILIKE over the tables, served by GIN trigram indexes when the server has ``pg_trgm``
(:func:`has_trigram_index` says whether it does); otherwise a scan.
"""

from __future__ import annotations

#: tables (and FTS5 shadow tables) derived from others: `asx db copy` leaves them to be rebuilt
DERIVED = ("case_search", "review_search", "search_marks")

_CASE_TEXT = ("coalesce(c.summary, '') || coalesce(' ' || (SELECT group_concat(e.note, ' ') FROM case_events e "
              "WHERE e.case_id = c.id AND e.note IS NOT NULL), '')")
_REVIEW_TEXT = "coalesce(r.content, '') || ' ' || coalesce(r.reply, '') || ' ' || coalesce(r.item, '')"


def sync(store) -> int:
    """Index new cases, new notes and new reviews (SQLite; the caller's transaction or its own).
    Returns how many cases and reviews were (re)indexed."""
    if store.backend != "sqlite":
        return 0
    n = 0

    def state():
        return (store.one("SELECT last_id, last_event FROM search_marks WHERE kind = 'cases'"),
                store.scalar("SELECT coalesce(max(id), 0) FROM cases"),
                store.scalar("SELECT coalesce(max(id), 0) FROM case_events"),
                store.scalar("SELECT last_id FROM search_marks WHERE kind = 'reviews'"),
                store.scalar("SELECT coalesce(max(id), 0) FROM reviews"))

    mark, top, top_event, rmark, rtop = state()
    if top <= mark["last_id"] and top_event <= mark["last_event"] and rtop <= rmark:
        return 0  # up to date: no write transaction for a search
    with store.tx():
        mark, top, top_event, rmark, rtop = state()
        if top_event > mark["last_event"]:
            # cases indexed before whose notes grew since: their text again
            # by the event id range (``+case_id``: not by the case index, which would read every event); ids
            # fetched first: FTS5 deletes by rowid one at a time (an IN (subquery) would scan the index)
            ids = list(dict.fromkeys(r["case_id"] for r in store.q(  # no DISTINCT: it would walk the case index
                "SELECT case_id FROM case_events WHERE id > ? AND note IS NOT NULL AND +case_id <= ?",
                (mark["last_event"], mark["last_id"]))))
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                store.executemany("DELETE FROM case_search WHERE rowid = ?", [(x,) for x in chunk])
                n += store.execute(f"INSERT INTO case_search (rowid, text) SELECT c.id, {_CASE_TEXT} FROM cases c "
                                   f"WHERE c.id IN ({','.join('?' * len(chunk))})", chunk).rowcount
        if top > mark["last_id"]:
            n += store.execute(f"INSERT INTO case_search (rowid, text) SELECT c.id, {_CASE_TEXT} FROM cases c "
                               "WHERE c.id > ?", (mark["last_id"],)).rowcount
        if top > mark["last_id"] or top_event > mark["last_event"]:
            store.execute("UPDATE search_marks SET last_id = ?, last_event = ? WHERE kind = 'cases'",
                          (max(top, mark["last_id"]), max(top_event, mark["last_event"])))
        if rtop > rmark:
            n += store.execute(f"INSERT INTO review_search (rowid, text) SELECT r.id, {_REVIEW_TEXT} FROM reviews r "
                               "WHERE r.id > ?", (rmark,)).rowcount
            store.execute("UPDATE search_marks SET last_id = ? WHERE kind = 'reviews'", (rtop,))
    return n


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _fts_ids(store, table: str, text: str, limit: int) -> list[int]:
    if len(text) >= 3:
        phrase = '"' + text.replace('"', '""') + '"'
        rows = store.q(f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
                       (phrase, limit))
    else:  # shorter than a trigram: a scan of the indexed text
        rows = store.q(f"SELECT rowid FROM {table} WHERE text LIKE ? ESCAPE '\\' ORDER BY rowid DESC LIMIT ?",
                       (_like(text), limit))
    return [r["rowid"] for r in rows]


def search_cases(store, text: str, *, limit: int = 50) -> list[dict]:
    """Cases whose summary or a history note contains ``text`` (newest first, at most ``limit``)."""
    if store.backend == "sqlite":
        sync(store)
        ids = _fts_ids(store, "case_search", text, limit)
    else:
        pattern = _like(text)
        ids = [r["id"] for r in store.q(
            "SELECT id FROM (SELECT id FROM cases WHERE summary ILIKE ? ESCAPE '\\' "
            "UNION SELECT case_id FROM case_events WHERE note ILIKE ? ESCAPE '\\') m ORDER BY id DESC LIMIT ?",
            (pattern, pattern, limit))]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {r["id"]: r for r in store.q(f"SELECT * FROM cases WHERE id IN ({marks})", ids)}
    return [rows[i] for i in ids if i in rows]


def search_reviews(store, text: str, *, limit: int = 50) -> list[dict]:
    """Reviews whose text, reply or item contains ``text`` (newest first, at most ``limit``)."""
    if store.backend == "sqlite":
        sync(store)
        ids = _fts_ids(store, "review_search", text, limit)
    else:
        ids = [r["id"] for r in store.q(
            f"SELECT r.id FROM reviews r WHERE ({_REVIEW_TEXT}) ILIKE ? ESCAPE '\\' ORDER BY r.id DESC LIMIT ?",
            (_like(text), limit))]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = {r["id"]: r for r in store.q(f"SELECT * FROM reviews WHERE id IN ({marks})", ids)}
    return [rows[i] for i in ids if i in rows]


def has_trigram_index(store) -> bool:
    """True where substring search of 3+ characters is served by an index (SQLite always; PostgreSQL
    with pg_trgm)."""
    if store.backend == "sqlite":
        return True
    return bool(store.scalar("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"))
