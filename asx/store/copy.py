"""``asx db copy SRC DST``: move a workspace between SQLite and PostgreSQL (issue 10 §3).

Both databases are brought to the same migrations first (the installed plugins' too); the
destination must be empty. Every table is copied in one transaction on the destination, its
triggers lifted meanwhile (the append-only guards and the 0015 mirror would otherwise refuse or
redo work; foreign keys stay checked), ids kept, the id sequences moved past them on PostgreSQL,
and each table's row count compared at the end — a difference rolls everything back.
Self-references (``cases.merged_into``) are written in a second pass, so row order never matters.
"""

from __future__ import annotations

from typing import Callable

from asx.core.errors import UserError

SKIP = {"schema_migrations"}
CHUNK = 5000


def _order(src, tables: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Tables parents first (by their foreign keys), and each table's self-referencing columns."""
    refs: dict[str, set[str]] = {t: set() for t in tables}
    selfref: dict[str, list[str]] = {}
    for t in tables:
        for parent, col in src.foreign_keys(t):
            if parent == t:
                selfref.setdefault(t, []).append(col)
            elif parent in refs:
                refs[t].add(parent)
    out: list[str] = []
    seen: set[str] = set()

    def visit(t: str, path: tuple = ()) -> None:
        if t in seen or t in path:
            return
        for p in sorted(refs[t]):
            visit(p, path + (t,))
        seen.add(t)
        out.append(t)

    for t in sorted(tables):
        visit(t)
    return out, selfref


def copy(src, dst, *, progress: Callable[[str, int], None] | None = None,
         before: Callable[[], None] | None = None) -> list[dict]:
    """Copy every row of ``src`` into the empty ``dst``; returns ``[{table, source, copied}]``.
    ``before`` runs once the destination is found fit, before the first row (the access-log entry)."""
    from asx.store import migrate

    if migrate.applied(src) != migrate.applied(dst):
        missing = sorted(migrate.applied(src) ^ migrate.applied(dst))
        raise UserError(f"the two databases differ in their migrations ({missing[:3]}…); install the same "
                        "store plugins for both and run `asx db migrate` on each")
    from asx.store.search import DERIVED

    # the search index (SQLite FTS5 tables and their marks) is rebuilt from the copied rows, not copied
    tables = [t for t in src.tables() if t not in SKIP and not t.startswith(("sqlite_", *DERIVED))]
    missing = [t for t in tables if not dst.has_table(t)]
    if missing:
        raise UserError(f"the destination has no table {missing[0]} (a store plugin missing there?)")
    busy = [t for t in tables if dst.scalar(f'SELECT count(*) FROM "{t}"')]
    if busy:
        raise UserError(f"the destination is not empty (table {busy[0]} has rows); asx db copy only fills "
                        "an empty database")
    if before is not None:
        before()
    order, selfref = _order(src, tables)
    report = []
    with dst.tx():
        lifted = dst.lift_triggers()
        for t in order:
            cols = [c for c in src.columns(t) if c in set(dst.columns(t))]
            later = [c for c in selfref.get(t, []) if c in cols]
            first = [("NULL" if c in later else f'"{c}"') for c in cols]
            key = "id" if "id" in cols else None
            sql = f'SELECT {", ".join(first)} FROM "{t}"' + (f" ORDER BY {key}" if key else "")
            n = dst.bulk_load(t, cols, src.rows(sql, stream=True), progress=(lambda k, t=t: progress(t, k)) if progress else None)
            for c in later:
                fix = [(v, i) for i, v in src.rows(f'SELECT id, "{c}" FROM "{t}" WHERE "{c}" IS NOT NULL')]
                dst.executemany(f'UPDATE "{t}" SET "{c}" = ? WHERE id = ?', fix)
            if key:
                dst.sync_ids(t)
            want = src.scalar(f'SELECT count(*) FROM "{t}"')
            got = dst.scalar(f'SELECT count(*) FROM "{t}"')
            if want != got or n != want:
                raise UserError(f"table {t}: {want} row(s) in the source, {got} written; nothing was copied")
            report.append({"table": t, "source": want, "copied": got})
        dst.restore_triggers(lifted)
    dst.execute("ANALYZE")  # fresh planner statistics for the bulk-loaded tables (both backends)
    return report
