"""SQL of ``asx db check`` and friends."""

from __future__ import annotations


def check(store) -> tuple[list[str], list[str]]:
    """(problems, info lines) of an integrity + foreign key + schema check."""
    from asx.store import migrate

    problems: list[str] = []
    info: list[str] = []
    res = [r[0] for r in store.conn.execute("PRAGMA integrity_check")]
    if res != ["ok"]:
        problems += [f"integrity: {r}" for r in res]
    fk = list(store.conn.execute("PRAGMA foreign_key_check"))
    for r in fk[:20]:
        problems.append(f"foreign key: table {r[0]} row {r[1]} points to missing {r[2]}")
    pend = migrate.pending(store)
    if pend:
        problems.append("pending migrations: " + ", ".join(f"{m.component}#{m.number:04d} {m.name}" for m in pend))
    info.append(f"database: {store.path}")
    info.append(f"schema version: {store.scalar('PRAGMA user_version')} "
                f"({store.scalar('SELECT count(*) FROM schema_migrations')} migrations applied)")
    info.append(f"journal mode: {store.journal_mode}")
    return problems, info
