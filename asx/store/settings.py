"""SQL for the settings kept in the database (issue 17 §3): those that guard privacy (``privacy.*``)."""

from __future__ import annotations

import json
from typing import Any


def get(store, key: str) -> tuple[bool, Any]:
    """(found, value) of ``key``."""
    if not store.has_table("settings"):
        return False, None
    row = store.one("SELECT value FROM settings WHERE key = ?", (key,))
    return (False, None) if row is None else (True, json.loads(row["value"]))


def put(store, key: str, value: Any, *, at: int, by: str) -> None:
    """Set ``key`` (caller's transaction)."""
    text = json.dumps(value, ensure_ascii=False)
    if store.execute("UPDATE settings SET value = ?, set_at = ?, set_by = ? WHERE key = ?",
                     (text, at, by, key)).rowcount == 0:
        store.execute("INSERT INTO settings (key, value, set_at, set_by) VALUES (?, ?, ?, ?)", (key, text, at, by))
