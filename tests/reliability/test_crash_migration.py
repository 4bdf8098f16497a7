"""Issue 9 §3: kill -9 a migration at random points (seeded, 20 times): the database always
passes `asx db check` afterwards and holds exactly the rows it had."""

from __future__ import annotations

from asx.testing import ws_db
import sqlite3
import subprocess
import sys

from crashkit import delays, run_and_kill

from asx.store import migrate


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
    r = subprocess.run([sys.executable, "-m", "asx", "db", "check"], cwd=ws, capture_output=True, text=True,
                       env={**__import__("os").environ, "ASX_LOAD_PLUGINS": ""})
    assert r.returncode == 0, r.stdout + r.stderr
