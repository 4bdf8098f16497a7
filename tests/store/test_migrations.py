"""Migrations from an empty database and from a previous schema; concurrent writers."""

from __future__ import annotations

from asx.testing import ws_store
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from asx.store import migrate, open_store


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
    from asx.registries import Migration

    st = open_store(tmp_path / "x.db", create=True)
    st.close()
    bad = Migration(9999, "test", "broken", "CREATE TABLE t1 (a);\nCREATE TABLE t1 (b);")
    monkeypatch.setattr(migrate, "all_migrations", lambda: migrate.core_migrations() + [bad])
    try:
        open_store(tmp_path / "x.db")
    except sqlite3.OperationalError:
        pass
    conn = sqlite3.connect(tmp_path / "x.db")
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 't1'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM schema_migrations WHERE component = 'test'").fetchone()[0] == 0


def test_history_is_append_only(workspace):
    st = ws_store(workspace)
    import pytest

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
        "        main(['agent', 'add', f'a{w}_{i}', '--role', 'agent'])\n"
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
    assert st.scalar("SELECT count(*) FROM agents WHERE name LIKE 'a%\\_%' ESCAPE '\\'") == 96


def test_backup_while_open(asx, workspace, tmp_path):
    r = asx(["db", "backup", str(tmp_path / "b.db")])
    assert r.exit_code == 0, r
    b = sqlite3.connect(tmp_path / "b.db")
    assert b.execute("SELECT name FROM agents").fetchone()[0] == "李主管"
    assert stat.S_IMODE(os.stat(tmp_path / "b.db").st_mode) == 0o600
    r = asx(["db", "backup", str(tmp_path / "b.db")])
    assert r.exit_code == 2 and "exists" in r.stderr


def test_db_check(asx, workspace):
    r = asx("db check")
    assert r.exit_code == 0 and "ok" in r.stdout
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
