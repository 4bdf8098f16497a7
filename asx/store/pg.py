"""The PostgreSQL backend of the storage layer (issue 10), through psycopg 3 (``pip install asx[postgres]``).

Selected by ``database = "postgresql://…"`` (or ``ASX_DB``); the password comes from libpq's own
places (``PGPASSWORD``, ``~/.pgpass``) or a ``{"$env" = …}`` reference in asx.toml, never from the file.
:class:`PgStore` offers the same API as the SQLite :class:`~asx.store.Store`: the statements are
the same text, rewritten by :func:`asx.store.dialect.to_pg`; rows come back with the same Python
types (integers, floats, text — never Decimal or bool).

Concurrency. A write transaction (``store.tx()``) takes one transaction-scoped advisory lock, so
writers queue exactly as on SQLite (``BEGIN IMMEDIATE``) and every read-check-write of asx stays
correct; readers never wait. The hot path — agents changing *different* cases — does not queue:
``store.tx(row_locks=True)`` skips that lock and the case is locked by its row
(``SELECT … FOR UPDATE``, :func:`asx.store.cases.lock`) plus the optimistic ``version`` check.
Errors are raised as the ``sqlite3`` exception classes the rest of asx already handles
(IntegrityError for a violated key or an append-only table, OperationalError otherwise).
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from asx.core.errors import UserError
from asx.store.dialect import PG_COMPAT, to_pg

#: pg_advisory_xact_lock keys (two int4): asx's "write lock" and its "migration lock"
WRITE_LOCK = (0x617378, 1)
MIGRATE_LOCK = (0x617378, 2)


def _psycopg():
    try:
        import psycopg
    except ImportError:  # pragma: no cover - depends on the installation
        raise UserError("this workspace's database is PostgreSQL: install the driver with "
                        "`pip install 'asx[postgres]'`")
    return psycopg


def with_dbname(url: str, dbname: str) -> str:
    """``url`` naming the database ``dbname`` instead: the path of a ``postgresql://`` URL is replaced,
    its query (``?host=/run/dir`` of a Unix socket, ``sslmode=…``) kept; a ``key=value`` conninfo gets
    ``dbname=``. A ``{unique}`` in ``dbname`` stays as written (``asx init --database``)."""
    if "://" not in url:
        from psycopg import conninfo

        return conninfo.make_conninfo(url, dbname=dbname)
    from urllib.parse import quote, urlsplit

    p = urlsplit(url)  # (urlunsplit would drop the empty host of postgresql:///db and postgresql://u@/db)
    return (f"{p.scheme}://{p.netloc}/{quote(dbname, safe='{}')}" + (f"?{p.query}" if p.query else "")
            + (f"#{p.fragment}" if p.fragment else ""))


def display_url(url: str) -> str:
    """The URL without its password (for messages and `asx db check`)."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _map_error(exc: Exception) -> Exception:
    psycopg = _psycopg()
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure,
                        psycopg.errors.LockNotAvailable)):
        return UserError("another asx changed the same records at the same moment; nothing was written, re-run")
    if isinstance(exc, psycopg.IntegrityError):
        return sqlite3.IntegrityError(msg)
    if isinstance(exc, psycopg.OperationalError):
        return sqlite3.OperationalError(msg)
    return sqlite3.DatabaseError(msg)


_STREAMS = __import__("itertools").count(1)


class _Cursor:
    """What callers use of a DB-API cursor: iteration, fetchone/fetchall, rowcount, lastrowid, description."""

    def __init__(self, cur, lastrowid=None):
        self._cur = cur
        self.lastrowid = lastrowid

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def description(self):
        return self._cur.description

    def fetchone(self):
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self):
        return self._cur.fetchall() if self._cur.description else []

    def fetchmany(self, n: int):
        return self._cur.fetchmany(n) if self._cur.description else []

    def __iter__(self):
        return iter(self._cur) if self._cur.description else iter(())


class PgStore:
    backend = "postgresql"
    journal_mode = "postgresql"

    def __init__(self, url: str, *, migrate: bool = True, create: bool = False, migrations: list | None = None,
                 personal_data: dict | None = None):
        self.plugin_migrations = list(migrations or [])  # the plugins' (app.plugins.migrations())
        #: the plugins' customer-data columns (app.plugins.personal_data()): masked views (asx.store.roles)
        self.personal_data = dict(personal_data or {})
        psycopg = _psycopg()
        self.url = url
        self.path = display_url(url)
        self.created = False  # this store created the database on the server (asx init removes it on failure)
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.OperationalError as exc:
            if create and "does not exist" in str(exc):
                self._create_database(url)
                self.created = True
                for attempt in range(50):  # another process creating it at the same moment commits soon
                    try:
                        self.conn = psycopg.connect(url, autocommit=True)
                        break
                    except psycopg.OperationalError as again:
                        if "does not exist" not in str(again) or attempt == 49:
                            raise UserError(f"cannot open database {self.path}: "
                                            f"{str(again).strip().splitlines()[-1]}") from None
                        time.sleep(0.1)
            else:
                first = str(exc).strip().splitlines()[-1] if str(exc).strip() else "cannot connect"
                raise UserError(f"cannot open database {self.path}: {first}")
        self._configure(self.conn)
        self._depth = 0
        self._ids: dict[str, bool] = {}
        if migrate:
            from asx.store import migrate as _migrate

            _migrate.migrate(self)
        from asx.store import roles

        #: a person's own login (R-SEC-5): reads personal data masked, through schema asx_masked
        self.app_login = roles.is_app_login(self) if self.has_table("agents") else False
        if self.app_login:
            self.conn.execute(f"SET search_path = {roles.MASKED_SCHEMA}, public")

    @staticmethod
    def _configure(conn) -> None:
        """Same Python types as SQLite gives: numeric → int/float, booleans written as 0/1."""
        psycopg = _psycopg()
        from psycopg.adapt import Dumper, Loader

        class NumericLoader(Loader):
            def load(self, data):
                s = bytes(data).decode()
                return float(s) if ("." in s or "e" in s or "N" in s) else int(s)

        class BoolLoader(Loader):
            def load(self, data):
                return 1 if bytes(data) == b"t" else 0

        class BoolDumper(Dumper):
            oid = psycopg.adapters.types["int8"].oid

            def dump(self, obj):
                return b"1" if obj else b"0"

        conn.adapters.register_loader("numeric", NumericLoader)
        conn.adapters.register_loader("bool", BoolLoader)
        conn.adapters.register_dumper(bool, BoolDumper)

    @staticmethod
    def _create_database(url: str) -> None:
        psycopg = _psycopg()
        from psycopg import conninfo, sql

        params = conninfo.conninfo_to_dict(url)
        name = params.get("dbname")
        if not name:
            raise UserError(f"no database name in {display_url(url)}")
        admin = conninfo.make_conninfo(url, dbname="postgres")
        try:
            with psycopg.connect(admin, autocommit=True) as c:
                # byte-order collation (C): names and codes sort as on SQLite, whatever the server's locale
                c.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
                                  "LC_CTYPE 'C'").format(sql.Identifier(name)))
        except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
            pass  # created meanwhile (two processes at once: the loser of the catalog row gets UniqueViolation)
        except psycopg.Error as exc:
            raise UserError(f"cannot create database {name!r} on {display_url(admin)}: "
                            f"{str(exc).strip().splitlines()[0]}")

    # -- reading ----------------------------------------------------------------------------
    def _run(self, sql: str, params):
        if params is None:
            params = ()
        try:
            return self.conn.execute(to_pg(sql), params if isinstance(params, dict) else list(params))
        except _psycopg().Error as exc:
            if self._depth == 0 and self.conn.info.transaction_status != 0:
                self.conn.rollback()
            raise _map_error(exc) from exc

    def q(self, sql: str, params: Iterable[Any] | dict = ()) -> Iterator[dict]:
        cur = self._run(sql, params)
        names = [d[0] for d in cur.description or ()]
        for row in cur:
            yield dict(zip(names, row))

    def one(self, sql: str, params: Iterable[Any] | dict = ()) -> dict | None:
        cur = self._run(sql, params)
        row = cur.fetchone() if cur.description else None
        return None if row is None else dict(zip([d[0] for d in cur.description], row))

    def scalar(self, sql: str, params: Iterable[Any] | dict = ()) -> Any:
        cur = self._run(sql, params)
        row = cur.fetchone() if cur.description else None
        return None if row is None else row[0]

    def rows(self, sql: str, params: Iterable[Any] | dict = (), *, stream: bool = False):
        """Plain tuples (bulk reads). ``stream``: through a server-side cursor, a few thousand rows
        at a time (a whole table in `asx db copy` would not fit in memory)."""
        if not stream:
            return _Cursor(self._run(sql, params))
        return self._stream(sql, params)

    def _stream(self, sql, params):

        cur = self.conn.cursor(name=f"asx_stream_{next(_STREAMS)}", withhold=not self._depth)
        cur.itersize = 5000
        try:
            cur.execute(to_pg(sql), list(params) if not isinstance(params, dict) else params)
            while chunk := cur.fetchmany(5000):
                yield from chunk
        finally:
            cur.close()

    # -- writing ----------------------------------------------------------------------------
    @contextmanager
    def tx(self, *, row_locks: bool = False) -> Iterator["PgStore"]:
        """One transaction; nested calls become savepoints. Without ``row_locks`` the transaction
        first takes asx's write lock (writers queue, as on SQLite)."""
        if self._depth:
            from asx.store import savepoint

            with savepoint(self):
                yield self
            return
        psycopg = _psycopg()
        try:
            self.conn.execute("BEGIN")
            if not row_locks:
                self.conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", WRITE_LOCK)
        except psycopg.Error as exc:
            self.conn.rollback()
            raise _map_error(exc) from exc
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            try:
                self.conn.rollback()
            except psycopg.Error:
                pass
            raise
        else:
            self._depth = 0
            try:
                self.conn.commit()
            except psycopg.Error as exc:
                raise _map_error(exc) from exc

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """A session advisory lock named ``name`` for the block; yields False if another session holds it
        (e.g. two machines running `asx nightly` against one team database)."""
        key = (WRITE_LOCK[0], 100 + (sum(name.encode()) % 10_000))
        got = self.conn.execute("SELECT pg_try_advisory_lock(%s, %s)", key).fetchone()[0]
        try:
            yield bool(got)
        finally:
            if got:
                self.conn.execute("SELECT pg_advisory_unlock(%s, %s)", key)

    def lock_migrations(self) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", MIGRATE_LOCK)

    def execute(self, sql: str, params: Iterable[Any] | dict = ()) -> _Cursor:
        return _Cursor(self._run(sql, params))

    def executemany(self, sql: str, rows: Iterable) -> _Cursor:
        psycopg = _psycopg()
        cur = self.conn.cursor()
        try:
            cur.executemany(to_pg(sql), [list(r) if not isinstance(r, dict) else r for r in rows])
        except psycopg.Error as exc:
            if self._depth == 0 and self.conn.info.transaction_status != 0:
                self.conn.rollback()
            raise _map_error(exc) from exc
        return _Cursor(cur)

    def _has_id(self, table: str) -> bool:
        if table not in self._ids:
            self._ids[table] = bool(self.scalar(  # the table, or the masked view an app login sees
                "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = 'id' "
                "AND NOT attisdropped", (table,)))
        return self._ids[table]

    def insert(self, table: str, row: dict) -> int | None:
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
        if self._has_id(table):
            new_id = self.scalar(sql + " RETURNING id", list(row.values()))
            if "id" in row:
                self.sync_ids(table)
            return new_id
        self.execute(sql, list(row.values()))
        return None

    def foreign_keys(self, table: str) -> list[tuple[str, str]]:
        return [(r["parent"], r["col"]) for r in self.q(
            "SELECT p.relname AS parent, a.attname AS col FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid "
            "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey) "
            "WHERE k.contype = 'f' AND c.relname = ? AND pg_table_is_visible(c.oid)", (table,))]

    def lift_triggers(self, *, history_only: bool = False) -> list:
        """Disable user triggers inside the caller's transaction — every one (``asx db copy``), or only
        the append-only guards (the R-SEC-4 purge); foreign keys stay checked."""
        sql = ("SELECT c.relname AS tbl, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
               "WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid)")
        if history_only:
            sql += " AND (t.tgname LIKE '%\\_no\\_update' OR t.tgname LIKE '%\\_no\\_delete')"
        rows = [(r["tbl"], r["name"]) for r in self.q(sql)]
        for tbl, name in rows:
            self.conn.execute(f'ALTER TABLE "{tbl}" DISABLE TRIGGER "{name}"')
        return rows

    def restore_triggers(self, saved: list) -> None:
        for tbl, name in saved:
            self.conn.execute(f'ALTER TABLE "{tbl}" ENABLE TRIGGER "{name}"')

    def bulk_load(self, table: str, cols: list[str], rows, progress=None) -> int:
        """COPY many tuples into ``table`` (caller's transaction); returns how many."""
        names = ", ".join(f'"{c}"' for c in cols)
        n = 0
        with self.conn.cursor() as cur:
            with cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as cp:
                for row in rows:
                    cp.write_row(row)
                    n += 1
                    if progress and n % 50000 == 0:
                        progress(n)
        return n

    def sync_ids(self, *tables: str) -> None:
        """After rows were written with explicit ids: move the id sequences past them."""
        for t in tables:
            self.scalar(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                        f"greatest((SELECT max(id) FROM {t}), 1), (SELECT max(id) FROM {t}) IS NOT NULL)")

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # pragma: no cover
            pass

    # -- schema -----------------------------------------------------------------------------
    def tables(self) -> list[str]:
        return [r["name"] for r in self.q(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' ORDER BY table_name")]

    def columns(self, table: str) -> list[str]:
        return [r["name"] for r in self.q(
            "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", (table,))]

    def has_table(self, table: str) -> bool:
        return self.scalar("SELECT to_regclass(?) IS NOT NULL", (table,)) == 1

    def install_compat(self) -> None:
        for stmt in PG_COMPAT:
            self.conn.execute(stmt)

    # -- maintenance ------------------------------------------------------------------------
    def backup_to(self, dest) -> None:
        raise UserError("asx db backup copies SQLite files; back a PostgreSQL database up with pg_dump "
                        "(or `asx db copy` it into a SQLite file)")

    def integrity_problems(self) -> list[str]:
        return []

    def session_user(self) -> str:
        return self.scalar("SELECT session_user")

    def reveal_case(self, case_id: int, acting_for: str | None = None) -> dict | None:
        """The raw buyer data of a case through ``asx_reveal_case`` (R-SEC-5): the server checks the
        login's group and writes the access-log row in this same transaction."""
        return self.one("SELECT * FROM asx_reveal_case(?, ?)", (case_id, acting_for))

    def reveal_rows(self, table: str, ids: list[int] | None, action: str, subject: str) -> dict[int, dict]:
        """Unmasked rows of ``table`` by id (all with ``ids`` None) through ``asx_reveal_rows``: checked
        and recorded by the server in this transaction (R-SEC-5)."""
        return {r["j"]["id"]: r["j"] for r in self.q("SELECT asx_reveal_rows(?, ?::bigint[], ?, ?) AS j",
                                                    (table, ids, action, subject))}

    def schema_version(self) -> int | None:
        return self.scalar("SELECT max(number) FROM schema_migrations WHERE component = 'asx'")

    @staticmethod
    def drop_database(url: str) -> None:
        """Remove the database of ``url`` (tests and `db copy` cleanup)."""
        psycopg = _psycopg()
        from psycopg import conninfo, sql

        name = conninfo.conninfo_to_dict(url).get("dbname")
        admin = conninfo.make_conninfo(url, dbname="postgres")
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    @staticmethod
    def clone_database(url: str, new_url: str) -> None:
        """CREATE DATABASE new TEMPLATE old (tests copy a sample workspace this way)."""
        psycopg = _psycopg()
        from psycopg import conninfo, sql

        src = conninfo.conninfo_to_dict(url).get("dbname")
        dst = conninfo.conninfo_to_dict(new_url).get("dbname")
        admin = conninfo.make_conninfo(url, dbname="postgres")
        with psycopg.connect(admin, autocommit=True) as c:
            for attempt in range(20):
                try:
                    c.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(dst),
                                                                             sql.Identifier(src)))
                    return
                except psycopg.errors.ObjectInUse:  # a connection to the template is closing
                    time.sleep(0.05 * (attempt + 1))
            raise UserError(f"cannot copy database {src}: it is in use")
