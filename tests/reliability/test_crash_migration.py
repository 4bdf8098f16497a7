"""Issue 9 §3: kill -9 a migration at random points (seeded, 20 times): the database always
passes `asx db check` afterwards and holds exactly the rows it had."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from crashkit import delays, fork_and_kill, run_and_kill, timed_run

from asx.store import migrate
from asx.testing import ws_db


def _old_database(path, n_agents=3000):
    """A database as an asx with only migration 1 left it, with data."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(migrate._BOOTSTRAP)
    for stmt in migrate.statements(migrate.core_migrations()[0].sql):
        conn.execute(stmt)
    conn.execute("INSERT INTO schema_migrations VALUES ('asx', 1, 'core', 0)")
    conn.executemany("INSERT INTO agents (name, role, created_at) VALUES (?, 'agent', 0)",
                     [(f"a{i}",) for i in range(n_agents)])
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


@pytest.mark.sqlite_only("builds an old SQLite file (WAL, backup file) and kills its migration; "
                         "PostgreSQL: test_kill_postgresql_migration_at_random_points")
def test_kill_migration_at_random_points(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "asx.toml").write_text('me = "x"\n', encoding="utf-8")
    _old_database(ws / "asx.db", n_agents=50_000)
    import time

    # how long a whole run takes here, so the kills land across its life, migration included
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "asx.toml").write_text('me = "x"\n', encoding="utf-8")
    _old_database(probe / "asx.db", n_agents=50_000)
    t = time.monotonic()
    assert run_and_kill(["db", "migrate", "-f", "csv"], cwd=probe, delay=60, env={"ASX_LOAD_PLUGINS": ""}) == 0
    full = time.monotonic() - t
    outcomes = {"killed": 0, "finished": 0}
    for i, d in enumerate(delays(seed=9, n=20, lo=0.5 * full, hi=1.1 * full)):
        code = run_and_kill(["db", "migrate", "-f", "csv"], cwd=ws, delay=d, env={"ASX_LOAD_PLUGINS": ""})
        outcomes["killed" if code is None else "finished"] += 1
        conn = ws_db(ws)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM agents").fetchone()[0] == 50_000
        applied = {n for (n,) in conn.execute("SELECT number FROM schema_migrations WHERE component = 'asx'")}
        assert applied == {1} or applied == {m.number for m in migrate.core_migrations()}, applied  # all or nothing
        conn.close()
        if code is not None:  # finished: start again from the old schema for the next round
            for p in ws.glob("asx.db*"):
                p.unlink()
            _old_database(ws / "asx.db", n_agents=50_000)
    print("outcomes", outcomes)
    assert outcomes["killed"] >= 5, outcomes  # the seeded delays do hit running migrations
    # `db check` writes nothing (issue 21): `db migrate` completes the migrations, then the check passes
    for cmd in ("migrate", "check"):
        r = subprocess.run([sys.executable, "-m", "asx", "db", cmd], cwd=ws, capture_output=True, text=True,
                           env={**__import__("os").environ, "ASX_LOAD_PLUGINS": ""})
        assert r.returncode == 0, r.stdout + r.stderr


def _old_pg_database(url, n_agents):
    """A PostgreSQL database as an asx with only migration 1 left it, with data."""
    from asx.store.pg import PgStore

    st = PgStore(url, migrate=False, create=True)
    with st.tx():
        st.install_compat()
        st.execute(migrate._BOOTSTRAP)
        for stmt in migrate.statements_for(st, migrate.core_migrations()[0]):
            st.execute(stmt)
        st.execute("INSERT INTO schema_migrations VALUES ('asx', 1, 'core', 0)")
        st.bulk_load("agents", ["name", "role", "created_at"], ((f"a{i}", "agent", 0) for i in range(n_agents)))
    st.close()


@pytest.mark.postgres_only("kills a migration of a PostgreSQL database")
def test_kill_postgresql_migration_at_random_points(tmp_path):
    """kill -9 `asx db migrate` on PostgreSQL at seeded points: the server rolls the one transaction
    back, so the database holds migration 1 or all of them, and every row; a re-run completes it."""
    import os
    import secrets
    import time

    from asx.testing.backend import _PG, _pg_url
    from asx.store.pg import PgStore

    n_agents = 20_000
    old = _pg_url(f"{_PG['prefix']}{secrets.token_hex(6)}")
    _old_pg_database(old, n_agents)
    ws = tmp_path / "ws"
    ws.mkdir()
    url = _pg_url(f"{_PG['prefix']}{secrets.token_hex(6)}")
    (ws / "asx.toml").write_text(f'me = "x"\ndatabase = "{url}"\n', encoding="utf-8")
    env = {"ASX_LOAD_PLUGINS": ""}
    PgStore.clone_database(old, url)
    # forked runs (asx already imported): the kills land in the command's work, not in start-up
    code, full = timed_run(["db", "migrate", "-f", "csv"], cwd=ws, env=env)
    assert code == 0
    everything = {m.number for m in migrate.core_migrations()}
    outcomes = {"killed": 0, "finished": 0}
    for d in delays(seed=9, n=12, lo=0.05 * full, hi=1.1 * full):
        PgStore.drop_database(url)
        PgStore.clone_database(old, url)
        code = fork_and_kill(["db", "migrate", "-f", "csv"], cwd=ws, delay=d, env=env)
        outcomes["killed" if code is None else "finished"] += 1
        st = PgStore(url, migrate=False)
        try:
            assert st.scalar("SELECT count(*) FROM agents") == n_agents
            applied = {r["number"] for r in st.q("SELECT number FROM schema_migrations WHERE component = 'asx'")}
            assert applied == {1} or applied == everything, applied  # all or nothing
            tables = set(st.tables())
            assert ("cases" in tables) == (applied == everything), applied  # no half-made schema
        finally:
            st.close()
    print("outcomes", outcomes, f"full run {full:.2f} s")
    assert outcomes["killed"] >= 3, outcomes  # the seeded delays do hit running migrations
    # the last (possibly killed) state migrates to completion; each migration recorded once
    for cmd in ("migrate", "check"):  # `db check` writes nothing (issue 21): `db migrate` completes them
        r = subprocess.run([sys.executable, "-m", "asx", "db", cmd], cwd=ws, capture_output=True, text=True,
                           env={**os.environ, **env})
        assert r.returncode == 0, r.stdout + r.stderr
    st = PgStore(url, migrate=False)
    try:
        rows = list(st.q("SELECT number, count(*) AS n FROM schema_migrations WHERE component = 'asx' GROUP BY number"))
        assert {r["number"] for r in rows} == everything and all(r["n"] == 1 for r in rows)
    finally:
        st.close()
