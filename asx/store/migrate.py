"""Numbered, recorded schema migrations (issue 2 §4).

Core migrations are the files ``asx/store/migrations/NNNN_name.sql`` (component ``asx``);
plugins add theirs through ``register_migrations``. A migration is applied when its
``(component, number)`` is not yet in ``schema_migrations`` — by set, not by a high-water
mark, so migrations developed side by side apply in number order whatever landed first.
Each migration and its record commit in one transaction (``BEGIN IMMEDIATE``: two
processes never migrate at once; the second finds the work done). ``PRAGMA user_version``
holds the highest core number applied. Before migrating a database that already has a
schema, an online backup ``<db>.bak-<version>-<time>`` is taken.

On PostgreSQL (issue 10) the same numbered migrations run, translated by
:func:`asx.store.dialect.ddl_to_pg` or taken from a ``NNNN_name.pg.sql`` twin, in one transaction
under an advisory lock (two nightly jobs never migrate at once); the server's backups are the
DBA's (pg_dump), so no file backup is taken there.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from asx.core.timeutil import epoch_now

CORE = "asx"


@dataclass(frozen=True, order=True)
class Migration:
    """One numbered schema migration: the core's files, or a plugin's (``register_migrations``)."""
    number: int
    component: str
    name: str = field(compare=False)
    sql: str = field(compare=False, repr=False)
    pg_sql: str | None = field(default=None, compare=False, repr=False)  # PostgreSQL twin (issue 10)

_BOOTSTRAP = """CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL,
    PRIMARY KEY (component, number)
)"""


def core_migrations() -> list[Migration]:
    out = []
    folder = Path(__file__).resolve().parent / "migrations"  # package data (no importlib.resources: start-up)
    for entry in folder.iterdir():
        name = entry.name
        if not name.endswith(".sql") or name.endswith(".pg.sql") or not name[:4].isdigit():
            continue
        twin = folder.joinpath(name[:-4] + ".pg.sql")
        out.append(Migration(int(name[:4]), CORE, name[5:-4], entry.read_text(encoding="utf-8"),
                             twin.read_text(encoding="utf-8") if twin.is_file() else None))
    return sorted(out)


def statements_for(store, m: Migration) -> list[str]:
    """The statements of migration ``m`` in the store's dialect."""
    if store.backend == "sqlite":
        return statements(m.sql)
    if m.pg_sql is not None:
        return statements(m.pg_sql)
    from asx.store.dialect import ddl_to_pg

    out = []
    for stmt in statements(m.sql):
        try:
            pg = ddl_to_pg(stmt)
        except ValueError as exc:
            raise RuntimeError(f"migration {m.component}#{m.number:04d} {m.name}: {exc} "
                               f"(give it a PostgreSQL twin)") from None
        if pg:
            out.append(pg)
    return out


def all_migrations(store) -> list[Migration]:
    """Core migrations by number, then each plugin's by number (the list the store was opened with,
    ``app.plugins.migrations()``): a plugin's tables may refer to any core table (PostgreSQL checks a
    REFERENCES when the table is created; SQLite only when rows arrive)."""
    plugins = sorted((m for m in getattr(store, "plugin_migrations", ()) if m.component != CORE),
                     key=lambda m: (m.number, m.component))
    return core_migrations() + plugins


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
    if not store.has_table("schema_migrations"):
        return set()
    return {(r["component"], r["number"]) for r in store.q("SELECT component, number FROM schema_migrations")}


def pending(store) -> list[Migration]:
    done = applied(store)
    return [m for m in all_migrations(store) if (m.component, m.number) not in done]


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
        store.lock_migrations()
        store.install_compat()            # PostgreSQL: the SQLite functions asx's SQL uses (idempotent)
        if not store.has_table("schema_migrations"):
            store.execute(_BOOTSTRAP)
        todo = pending(store)
        if not todo:
            return []
        if backup and applied(store) and store.backend == "sqlite":
            version = store.scalar("PRAGMA user_version")
            dest = Path(f"{store.path}.bak-{version}-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
            store.backup_to(dest)
        for m in todo:
            for stmt in statements_for(store, m):
                store.execute(stmt)
            store.execute(
                "INSERT INTO schema_migrations (component, number, name, applied_at) VALUES (?, ?, ?, ?)",
                (m.component, m.number, m.name, epoch_now()),
            )
            done_now.append(m)
        if store.backend == "postgresql":
            from asx.store import roles

            roles.apply(store)   # R-SEC-5: masked views and the group roles' grants follow the schema
        top = store.scalar("SELECT max(number) FROM schema_migrations WHERE component = ?", (CORE,))
        if top is not None and store.backend == "sqlite":
            store.execute(f"PRAGMA user_version = {int(top)}")
    return done_now


def status(store) -> list[dict]:
    done = {(r["component"], r["number"]): r for r in store.q("SELECT * FROM schema_migrations")} if applied(store) else {}
    rows = []
    for m in all_migrations(store):
        r = done.get((m.component, m.number))
        rows.append({"component": m.component, "number": m.number, "name": m.name,
                     "applied_at": r["applied_at"] if r else None})
    return rows


def append_only_ddl(table: str, *, allow_update: bool = False, message: str | None = None) -> str:
    """DDL of the triggers that make ``table`` append-only (history, R-CASE-6): no row is deleted
    and, unless ``allow_update``, none is changed. The triggers are named ``<table>_no_update`` and
    ``<table>_no_delete`` — the names the R-SEC-4 purge and ``asx db copy`` lift — and written in
    the one form :func:`asx.store.dialect.ddl_to_pg` translates, so the same migration runs on
    SQLite and PostgreSQL (``asx_refuse``: an integrity error on both)."""
    import re

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", table):
        raise ValueError(f"table name {table!r}: letters, digits and _")

    def refuse(op: str, what: str) -> str:
        msg = (message or f"history is append-only: {table} cannot be {what}").replace("'", "''")
        return (f"CREATE TRIGGER {table}_no_{op} BEFORE {op.upper()} ON {table}\n"
                f"BEGIN SELECT RAISE(ABORT, '{msg}'); END;\n")

    return ("" if allow_update else refuse("update", "changed")) + refuse("delete", "deleted")
