"""Migrations from an empty database and from a previous schema; concurrent writers."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from asx.store import migrate, open_store
from asx.testing import ws_store


def test_from_empty(tmp_path):
    st = open_store(tmp_path / "a.db", create=True)
    applied = {(r["component"], r["number"]) for r in st.q("SELECT * FROM schema_migrations")}
    assert ("asx", 1) in applied and ("asx", 2) in applied
    assert st.scalar("PRAGMA user_version") == max(n for c, n in applied if c == "asx")
    assert migrate.pending(st) == []
    assert st.journal_mode == "wal"
    assert st.scalar("PRAGMA foreign_keys") == 1
    mode = stat.S_IMODE(os.stat(tmp_path / "a.db").st_mode)
    assert mode == 0o600  # R-SEC-3


def test_from_previous_schema_takes_backup(tmp_path):
    db = tmp_path / "old.db"
    # a database as an earlier asx left it: only migration 1 applied
    conn = sqlite3.connect(db)
    conn.execute(migrate._BOOTSTRAP)
    first = migrate.core_migrations()[0]
    for stmt in migrate.statements(first.sql):
        conn.execute(stmt)
    conn.execute("INSERT INTO schema_migrations VALUES ('asx', 1, 'core', 0)")
    conn.execute("INSERT INTO agents (name, role, created_at) VALUES ('萌萌', 'agent', 0)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    st = open_store(db)
    assert migrate.pending(st) == []
    assert st.scalar("SELECT name FROM agents") == "萌萌"
    backups = list(tmp_path.glob("old.db.bak-1-*"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == 1


def test_failed_migration_leaves_nothing_half_done(tmp_path, monkeypatch):
    from asx.store.migrate import Migration

    st = open_store(tmp_path / "x.db", create=True)
    st.close()
    bad = Migration(9999, "test", "broken", "CREATE TABLE t1 (a);\nCREATE TABLE t1 (b);")
    try:
        open_store(tmp_path / "x.db", migrations=[bad])
    except sqlite3.OperationalError:
        pass
    conn = sqlite3.connect(tmp_path / "x.db")
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 't1'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM schema_migrations WHERE component = 'test'").fetchone()[0] == 0


def test_history_is_append_only(workspace):
    st = ws_store(workspace)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        st.execute("UPDATE agent_events SET note = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        st.execute("DELETE FROM agent_events")


def test_concurrent_writers_lose_nothing(workspace):
    """Eight processes add agents at once through the real command: every row arrives, no lock error."""
    procs = []
    script = (
        "import sys\nfrom asx.cli import main\n"
        "w = sys.argv[1]\n"
        "for i in range(12):\n"
        "    try:\n"
        "        main(['agent', 'add', f'a{w}-{i}', '--role', 'agent'])\n"
        "    except SystemExit as e:\n"
        "        if e.code: sys.exit(e.code)\n"
    )
    env = {**os.environ, "ASX_AGENT": "李主管"}
    for w in range(8):
        procs.append(subprocess.Popen([sys.executable, "-c", script, str(w)], cwd=workspace, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    errs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        errs.append(err)
    assert not any("locked" in e for e in errs)
    st = ws_store(workspace)
    assert st.scalar("SELECT count(*) FROM agents WHERE name LIKE 'a%-%'") == 96


@pytest.mark.sqlite_only("asx db backup copies the SQLite file (PostgreSQL: pg_dump or asx db copy)")
def test_backup_while_open(asx, workspace, tmp_path):
    r = asx(["db", "backup", str(tmp_path / "b.db")])
    assert r.exit_code == 0, r
    b = sqlite3.connect(tmp_path / "b.db")
    assert b.execute("SELECT name FROM agents").fetchone()[0] == "李主管"
    assert stat.S_IMODE(os.stat(tmp_path / "b.db").st_mode) == 0o600
    r = asx(["db", "backup", str(tmp_path / "b.db")])
    assert r.exit_code == 2 and "exists" in r.stderr


@pytest.mark.postgres_only("the PostgreSQL answer of asx db backup")
def test_backup_on_postgresql_points_to_pg_dump(asx, workspace, tmp_path):
    r = asx(["db", "backup", str(tmp_path / "b.db")])
    assert r.exit_code == 2 and "pg_dump" in r.stderr and r.stderr.count("\n") == 1, r
    assert not (tmp_path / "b.db").exists()


def test_db_check(asx, workspace):
    r = asx("db check")
    assert r.exit_code == 0 and r.stdout.strip().endswith("ok"), r
    assert "migrations applied" in r.stdout and "pending" not in r.stdout


@pytest.mark.sqlite_only("plants an orphan row with PRAGMA foreign_keys = OFF; PostgreSQL always enforces them")
def test_db_check_finds_a_broken_foreign_key(asx, workspace):
    st = ws_store(workspace)
    st.execute("PRAGMA foreign_keys = OFF")
    st.execute("INSERT INTO agent_events (agent_id, at, field) VALUES (999, 0, 'x')")
    st.close()
    r = asx("db check")
    assert r.exit_code == 1 and "foreign key" in r.stdout


def test_not_a_database(asx, tmp_path, monkeypatch):
    (tmp_path / "asx.toml").write_text("")
    (tmp_path / "asx.db").write_bytes(b"this is not sqlite" * 100)
    monkeypatch.chdir(tmp_path)
    r = asx("agent list")
    assert r.exit_code == 2 and "not an asx database" in r.stderr


_MIGRATE_AT_ONCE = r"""
import sys, time
from asx.store import migrate
from asx.store.pg import PgStore

url, start = sys.argv[1], float(sys.argv[2])
orig, calls = migrate.statements_for, []

def slow(store, m):  # the first migration takes a while: the other process arrives meanwhile
    if not calls:
        time.sleep(0.5)
    calls.append(m)
    return orig(store, m)

migrate.statements_for = slow
while time.time() < start:
    time.sleep(0.002)
st = PgStore(url, migrate=False, create=True)
done = migrate.migrate(st, backup=False)
print(len(done), len(migrate.all_migrations(st)))
"""


@pytest.mark.postgres_only("the advisory lock of PostgreSQL migrations")
@pytest.mark.parametrize("exists", [True, False], ids=["empty-database", "no-database-yet"])
def test_two_processes_migrate_a_fresh_postgresql_database(tmp_path, exists):
    """Two processes open the same fresh database at the same moment: both succeed, one applies every
    migration, the other finds the work done (advisory lock); each migration is recorded once."""
    import secrets
    import time

    from asx.testing.backend import _PG, _pg_url
    from asx.store.pg import PgStore

    url = _pg_url(f"{_PG['prefix']}{secrets.token_hex(6)}")
    if exists:
        PgStore._create_database(url)
    env = {**os.environ, "ASX_LOAD_PLUGINS": ""}  # the core migrations only, in both processes
    start = time.time() + 1.5
    procs = [subprocess.Popen([sys.executable, "-c", _MIGRATE_AT_ONCE, url, str(start)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    answers = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        answers.append(tuple(int(x) for x in out.split()))
    total = answers[0][1]
    assert total == len(migrate.core_migrations())
    assert sorted(a[0] for a in answers) == [0, total]
    st = open_store(url, migrate=False)
    try:
        rows = list(st.q("SELECT component, number, count(*) AS n FROM schema_migrations GROUP BY component, number"))
        assert len(rows) == total and all(r["n"] == 1 for r in rows)
        assert migrate.pending(st) == []
        assert st.scalar("SELECT count(*) FROM agents") == 0  # the schema is there and usable
    finally:
        st.close()
