"""R-SEC-4 on a team PostgreSQL database (R-SEC-5): a supervisor's own login cannot lift the append-only
guards a purge rewrites, so `asx db purge` says so in one line (exit 2) instead of failing half-way with
an internal error (exit 3); the owner's connection purges."""

from __future__ import annotations

import secrets

import psycopg
import pytest

from asx.testing import login_url, own_logins, ws_database

pytestmark = pytest.mark.postgres_only("database roles and logins of a team database (R-SEC-5)")

OLD = "closed_at < extract(epoch from timestamptz '2026-11-15 00:00+08')"


def _buyers(db):
    with psycopg.connect(db, autocommit=True) as c:
        return c.execute(f"SELECT count(*) FILTER (WHERE buyer LIKE 'anon-%'), count(*) FROM cases WHERE {OLD}").fetchone()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_supervisors_own_login_is_told_to_use_the_owners_connection(sample, asx, monkeypatch, lang):
    db = ws_database(sample)
    assert _buyers(db)[0] == 0 and _buyers(db)[1] > 0
    with own_logins(sample, {"测试主管": "supervisor"}, password="pw-purge-123456", monkeypatch=monkeypatch,
                    tag=secrets.token_hex(3)) as logins:
        with monkeypatch.context() as m:
            m.setenv("ASX_DB", login_url(db, logins["supervisor"]))
            for extra in (["--dry-run"], ["--yes"]):
                r = asx(["--lang", lang, "db", "purge", "--before", "2026-11-15", *extra])
                assert r.exit_code == 2, r
                assert "internal error" not in r.stderr and "Traceback" not in r.stderr
                assert ("owner's connection" if lang == "en" else "所有者的连接") in r.stderr
        assert _buyers(db)[0] == 0                                   # nothing changed
        r = asx(["--as", "李主管", "db", "purge", "--before", "2026-11-15", "--yes"])   # the owner's connection
        assert r.exit_code == 0, r
    purged, total = _buyers(db)
    assert purged == total > 0
