"""The storage layer: every SQL statement of asx lives under ``asx/store/``.

Commands and domain modules call functions of this package (``asx.store.agents``,
``asx.store.cases`` …) with a :class:`Store`; none of them writes SQL, so a server
database can be added later without touching them.

SQLite is opened with WAL, a long busy timeout, foreign keys on and file mode 0600
(R-SEC-3). Writes go through :meth:`Store.tx` — ``BEGIN IMMEDIATE`` so concurrent
writers queue on the busy timeout instead of failing with "database is locked".
Schema changes are numbered migrations (``asx/store/migrations/NNNN_name.sql`` for the
core, plus the ``register_migrations`` hook for plugins), applied automatically on open,
recorded in ``schema_migrations`` and ``PRAGMA user_version``, with a backup first.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from asx.core.errors import UserError

BUSY_TIMEOUT_MS = 60_000


class Store:
    """One open SQLite database. ``store.q(sql, params)`` yields dict rows; ``with store.tx():`` writes.

    :class:`asx.store.pg.PgStore` is the same API on PostgreSQL (issue 10)."""

    backend = "sqlite"
    #: no logins on a single-machine file: it trusts whoever can open it (R-SEC-5)
    app_login = False

    def __init__(self, path: str | os.PathLike, *, migrate: bool = True, create: bool = False,
                 migrations: list | None = None):
        self.path = Path(path)
        self.plugin_migrations = list(migrations or [])  # the plugins' (app.plugins.migrations())
        self.read_only = False
        if not self.path.exists():
            if not create:
                raise UserError(f"database {self.path} does not exist (run `asx init` or pass --db)")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)  # R-SEC-3: owner only
            os.close(fd)
        elif not create and self.path.is_file() and self.path.stat().st_size == 0 and not _wal_has_data(self.path):
            # SQLite would silently start a new empty database in it: the data is lost, say so (issue 21)
            raise UserError(f"database {self.path} is empty (0 bytes): its data is lost; restore it from a backup "
                            "(`asx db backup` copies), or remove the file and run `asx init` for a new one")
        if not create and not _writable(self.path):
            self.read_only = True
        try:
            if self.read_only:  # read commands still work; a write says "read-only" (issue 21)
                self.conn = _connect_read_only(self.path)
            else:
                self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                            check_same_thread=False)
        except sqlite3.Error as exc:
            raise UserError(f"cannot open database {self.path}: {exc}")
        self.conn.row_factory = sqlite3.Row
        self._depth = 0
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if self.read_only:
                mode = self.conn.execute("PRAGMA journal_mode").fetchone()[0]
            else:
                mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            if _readonly_error(exc):
                raise self.read_only_error() from None
            if "malformed" in str(exc) or "corrupt" in str(exc):
                raise UserError(f"{self.path} is damaged ({exc}); run `asx db check`, restore a backup") from None
            raise UserError(f"{self.path} is not an asx database ({exc})")
        self.journal_mode = mode
        if migrate:
            from asx.store import migrate as _migrate

            if self.read_only:
                if _migrate.pending(self):
                    raise UserError(f"database {self.path} is read-only and needs migrations; "
                                    "run `asx db migrate` where it is writable")
            else:
                _migrate.migrate(self)

    def read_only_error(self) -> UserError:
        return UserError(f"database {self.path} is read-only (file or folder permissions); nothing was written. "
                         "Read commands still work")

    # -- sqlite-utils view, for table introspection and bulk helpers ------------------------
    @property
    def db(self):
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # -- reading ----------------------------------------------------------------------------
    def q(self, sql: str, params: Iterable[Any] | dict = ()) -> Iterator[dict]:
        """Stream rows as dicts."""
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description or ()]
        for row in cur:
            yield dict(zip(names, row))

    def one(self, sql: str, params: Iterable[Any] | dict = ()) -> dict | None:
        cur = self.conn.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))

    def scalar(self, sql: str, params: Iterable[Any] | dict = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def rows(self, sql: str, params: Iterable[Any] | dict = (), *, stream: bool = False) -> sqlite3.Cursor:
        """Plain tuples (bulk reads: faster than dict rows). SQLite cursors always stream."""
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(sql, params)

    # -- schema -----------------------------------------------------------------------------
    def tables(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]

    def columns(self, table: str) -> list[str]:
        return [r[1] for r in self.conn.execute(f'PRAGMA table_info("{table}")')]

    def has_table(self, table: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (table,)).fetchone() is not None

    def foreign_keys(self, table: str) -> list[tuple[str, str]]:
        """``[(parent table, column)]`` of ``table``'s foreign keys."""
        return [(r[2], r[3]) for r in self.conn.execute(f'PRAGMA foreign_key_list("{table}")')]

    def lift_triggers(self, *, history_only: bool = False) -> list:
        """Drop triggers inside the caller's transaction — every one (``asx db copy``), or only the
        append-only guards ``*_no_update``/``*_no_delete`` (the R-SEC-4 purge); returns what
        :meth:`restore_triggers` needs."""
        sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        if history_only:
            sql += " AND (name LIKE '%\\_no\\_update' ESCAPE '\\' OR name LIKE '%\\_no\\_delete' ESCAPE '\\')"
        rows = list(self.conn.execute(sql))
        for name, _ in rows:
            self.conn.execute(f'DROP TRIGGER "{name}"')
        return rows

    def restore_triggers(self, saved: list) -> None:
        for _, sql in saved:
            self.conn.execute(sql)

    def bulk_load(self, table: str, cols: list[str], rows, progress=None) -> int:
        """Insert many tuples (caller's transaction); returns how many."""
        import itertools

        sql = f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) VALUES ({", ".join("?" * len(cols))})'
        n = 0
        it = iter(rows)
        while chunk := list(itertools.islice(it, 5000)):
            self.conn.executemany(sql, chunk)
            n += len(chunk)
            if progress:
                progress(n)
        return n

    def sync_ids(self, *tables: str) -> None:
        """Rows written with explicit ids need nothing more on SQLite (PostgreSQL moves its sequences)."""

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """A lock across every process using this database, held for the block (PostgreSQL: a session
        advisory lock); yields False if another holds it. On SQLite all users share one machine, so
        callers lock a file there and this yields True."""
        yield True

    def lock_migrations(self) -> None:
        """BEGIN IMMEDIATE already excludes a second migrating process."""

    def install_compat(self) -> None:
        """SQLite is the dialect asx's SQL is written in."""

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def integrity_problems(self) -> list[str]:
        problems = []
        res = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        if res != ["ok"]:
            problems += [f"integrity: {r}" for r in res]
        for r in list(self.conn.execute("PRAGMA foreign_key_check"))[:20]:
            problems.append(f"foreign key: table {r[0]} row {r[1]} points to missing {r[2]}")
        return problems

    def schema_version(self) -> int | None:
        return self.scalar("PRAGMA user_version")

    # -- writing ----------------------------------------------------------------------------
    @contextmanager
    def tx(self, *, row_locks: bool = False) -> Iterator["Store"]:
        """One transaction (``BEGIN IMMEDIATE``); nested calls become savepoints. ``row_locks``
        matters on PostgreSQL only (see :mod:`asx.store.pg`): SQLite has one writer at a time."""
        if self._depth:
            with savepoint(self):
                yield self
            return
        self._begin()
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        else:
            self._depth = 0
            self._commit()

    def _begin(self) -> None:
        # busy_timeout covers BEGIN IMMEDIATE; retry a little more for the rare SQLITE_BUSY
        # that bypasses the handler (WAL recovery), so no "database is locked" reaches a user.
        if self.read_only:
            raise self.read_only_error()
        for attempt in range(50):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if _readonly_error(exc):
                    raise self.read_only_error() from None
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise UserError(f"the database {self.path} stayed busy for too long; try again")

    def _commit(self) -> None:
        for attempt in range(50):
            try:
                self.conn.execute("COMMIT")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                time.sleep(0.05 * (attempt + 1))
        self.conn.execute("ROLLBACK")
        raise UserError(f"the database {self.path} stayed busy for too long; nothing was written, try again")

    def execute(self, sql: str, params: Iterable[Any] | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    def insert(self, table: str, row: dict) -> int:
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
        return cur.lastrowid

    def close(self) -> None:
        self.conn.close()

    # -- maintenance ------------------------------------------------------------------------
    def backup_to(self, dest: str | os.PathLike) -> Path:
        """Online backup (safe while others write); the copy is owner-only too."""
        dest = Path(dest)
        if dest.exists():
            raise UserError(f"{dest} exists already; choose a new file")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        # a separate reading connection: in WAL mode it reads the last committed state even
        # while this connection holds the write lock (as during a migration)
        source = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
            source.close()
        os.replace(tmp, dest)
        return dest


@contextmanager
def savepoint(store) -> Iterator:
    """A nested ``store.tx()``: a savepoint (the same SQL on SQLite and PostgreSQL)."""
    name = f"sp{store._depth}"
    store.conn.execute(f"SAVEPOINT {name}")
    store._depth += 1
    try:
        yield store
    except BaseException:
        store.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
        store.conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    else:
        store.conn.execute(f"RELEASE SAVEPOINT {name}")
    finally:
        store._depth -= 1


def where(*conditions: tuple[str, Any]) -> tuple[str, list]:
    """`` WHERE a AND b`` and its parameters from ``(clause, value)`` pairs; a pair whose value is
    None or False is left out, a clause without ``?`` takes no parameter (pass True)."""
    clauses, params = [], []
    for clause, value in conditions:
        if value is None or value is False:
            continue
        clauses.append(clause)
        if "?" in clause:
            params.append(value)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def is_url(value: Any) -> bool:
    """A ``postgresql://`` URL (a team database, issue 10), not a SQLite file."""
    return isinstance(value, str) and value.split("://", 1)[0] in ("postgresql", "postgres")
def _wal_has_data(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.is_file() and wal.stat().st_size > 0


def _writable(path: Path) -> bool:
    """The database file and its folder (WAL needs -wal/-shm beside it) are writable by this process."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _readonly_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "readonly" in text or "read-only" in text


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection: ``mode=ro``; where WAL's shared memory cannot be made (a read-only
    folder), ``immutable=1`` (nobody can be writing a file nobody may write)."""
    from urllib.parse import quote

    uri = "file:" + quote(str(path.resolve()))
    try:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        return sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None, check_same_thread=False)


def open_store(path: str | os.PathLike, *, create: bool = False, migrate: bool = True,
               migrations: list | None = None, personal_data: dict | None = None):
    """A :class:`Store` for a SQLite file, a :class:`asx.store.pg.PgStore` for a ``postgresql://`` URL.
    ``migrations`` and ``personal_data`` are the plugins' (``app.plugins.migrations()``,
    ``app.plugins.personal_data()``); the latter matters on PostgreSQL only (asx.store.roles)."""
    if is_url(path):
        from asx.store.pg import PgStore

        return PgStore(str(path), create=create, migrate=migrate, migrations=migrations,
                       personal_data=personal_data)
    return Store(path, create=create, migrate=migrate, migrations=migrations)
