"""Numbered, recorded schema migrations (issue 2 §4).

Core migrations are the files ``asx/store/migrations/NNNN_name.sql`` (component ``asx``);
plugins add theirs through ``register_migrations``. A migration is applied when its
``(component, number)`` is not yet in ``schema_migrations`` — by set, not by a high-water
mark, so migrations developed side by side apply in number order whatever landed first.
Each migration and its record commit in one transaction (``BEGIN IMMEDIATE``: two
processes never migrate at once; the second finds the work done). ``PRAGMA user_version``
holds the highest core number applied. Before migrating a database that already has a
schema, an online backup ``<db>.bak-<version>-<time>`` is taken.
"""

from __future__ import annotations

import sqlite3
import time
from importlib import resources
from pathlib import Path

from asx.registries import Migration

CORE = "asx"

_BOOTSTRAP = """CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL,
    PRIMARY KEY (component, number)
)"""


def core_migrations() -> list[Migration]:
    out = []
    for entry in resources.files("asx.store").joinpath("migrations").iterdir():
        name = entry.name
        if not name.endswith(".sql") or not name[:4].isdigit():
            continue
        out.append(Migration(int(name[:4]), CORE, name[5:-4], entry.read_text(encoding="utf-8")))
    return sorted(out)


def all_migrations() -> list[Migration]:
    from asx import registries

    return sorted(core_migrations() + [m for m in registries.migrations() if m.component != CORE])


def statements(sql: str) -> list[str]:
    """Split a script into statements (executescript would commit our transaction)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip() and not all(l.strip().startswith("--") or not l.strip() for l in buf.splitlines()):
        out.append(buf.strip())
    return out


def applied(store) -> set[tuple[str, int]]:
    try:
        return {(r[0], r[1]) for r in store.conn.execute("SELECT component, number FROM schema_migrations")}
    except sqlite3.OperationalError:
        return set()


def pending(store) -> list[Migration]:
    done = applied(store)
    return [m for m in all_migrations() if (m.component, m.number) not in done]


def migrate(store, *, backup: bool = True) -> list[Migration]:
    """Apply every pending migration in one transaction; returns what was applied.

    The write lock (``BEGIN IMMEDIATE``) is taken before anything else, so of several
    processes opening a database with pending migrations one migrates and the others find
    the work done. The backup is taken under that lock, before the first change; a failure
    or a kill midway rolls every migration of the run back.
    """
    if not pending(store):
        return []
    import os

    done_now: list[Migration] = []
    with store.tx():
        store.execute(_BOOTSTRAP)
        todo = pending(store)
        if not todo:
            return []
        if backup and applied(store):
            version = store.scalar("PRAGMA user_version")
            dest = Path(f"{store.path}.bak-{version}-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
            store.backup_to(dest)
        for m in todo:
            for stmt in statements(m.sql):
                store.execute(stmt)
            store.execute(
                "INSERT INTO schema_migrations (component, number, name, applied_at) VALUES (?, ?, ?, ?)",
                (m.component, m.number, m.name, int(time.time())),
            )
            done_now.append(m)
        top = store.scalar("SELECT max(number) FROM schema_migrations WHERE component = ?", (CORE,))
        if top is not None:
            store.execute(f"PRAGMA user_version = {int(top)}")
    return done_now


def status(store) -> list[dict]:
    done = {(r["component"], r["number"]): r for r in store.q("SELECT * FROM schema_migrations")} if applied(store) else {}
    rows = []
    for m in all_migrations():
        r = done.get((m.component, m.number))
        rows.append({"component": m.component, "number": m.number, "name": m.name,
                     "applied_at": r["applied_at"] if r else None})
    return rows
