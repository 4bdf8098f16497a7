"""SQL of the nightly masking of person names in free texts (issue 21, R-SEC-1): domain code is
:mod:`asx.privacy.names`. Each text table is read in id order from a cursor kept in ``meta``."""

from __future__ import annotations

#: table → (text column, the row's own known fields as SELECT expressions)
TARGETS = {
    "cases": ("summary", "buyer, buyer_contact AS contact"),
    "reviews": ("content", "buyer, phone"),
    "handover_notes": ("text", "NULL AS buyer"),
}


def cursor(store, table: str) -> int:
    v = store.scalar("SELECT value FROM meta WHERE key = ?", (f"mask_names.{table}",))
    return int(v) if v not in (None, "") else 0


def set_cursor(store, table: str, last_id: int) -> None:
    store.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                  (f"mask_names.{table}", str(last_id)))


def texts_after(store, table: str, after_id: int, limit: int) -> list[dict]:
    """Rows ``id > after_id`` (up to ``limit``) with their text (``text``), the text as written
    (``raw``, None if masking had changed nothing) and the known fields."""
    col, known = TARGETS[table]
    return list(store.q(f'SELECT id, "{col}" AS text, "{col}_raw" AS raw, {known} FROM "{table}" '
                        f"WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)))


def set_text(store, table: str, row_id: int, masked: str, raw: str | None) -> None:
    col, _ = TARGETS[table]
    store.execute(f'UPDATE "{table}" SET "{col}" = ?, "{col}_raw" = ? WHERE id = ?', (masked, raw, row_id))
