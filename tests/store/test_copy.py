"""`asx db copy SRC DST` (issue 10 §3): every row arrives, counts verified, the figures identical;
a non-empty destination is refused and left as it was."""

from __future__ import annotations

import secrets

import pytest

from asx.store import open_store
from asx.testing import ws_database

KPI = ["kpi", "export", "--period", "2026-11", "--format", "csv"]


def _pg_url() -> str:
    """A fresh database name on the test server (dropped with the session's others)."""
    from asx.testing.backend import _PG, _pg_url

    return _pg_url(f"{_PG['prefix']}{secrets.token_hex(6)}")


def _counts(target: str) -> dict[str, int]:
    st = open_store(target, migrate=False)
    try:
        from asx.store.search import DERIVED  # the search index is rebuilt, not copied (issue 18)

        return {t: st.scalar(f'SELECT count(*) FROM "{t}"') for t in st.tables()
                if t != "schema_migrations" and not t.startswith(("sqlite_", *DERIVED))}
    finally:
        st.close()


def _content(target: str, table: str) -> list[tuple]:
    st = open_store(target, migrate=False)
    try:
        cols = sorted(st.columns(table))
        rows = [tuple(r) for r in st.rows(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"')]
        return sorted(rows, key=repr)
    finally:
        st.close()


def _kpi(asx, target: str) -> str:
    r = asx(KPI, env={"ASX_DB": target})
    assert r.exit_code == 0, r
    assert r.stdout.count("\n") > 2, r.stdout  # figures, not just a header
    return r.stdout


def _copy(asx, src: str, dst: str):
    return asx(["db", "copy", src, dst, "--format", "json"])


def test_copy_sqlite_to_sqlite(asx, sample, tmp_path):
    """SQLite → SQLite, on either backend (on PostgreSQL the first hop is PostgreSQL → SQLite)."""
    import json

    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    r = _copy(asx, ws_database(sample), a)
    assert r.exit_code == 0, r
    assert "counts verified" in r.stderr
    r = _copy(asx, a, b)
    assert r.exit_code == 0, r
    report = {row["table"]: row for row in json.loads(r.stdout)}
    counts_a, counts_b = _counts(a), _counts(b)
    assert counts_a == counts_b
    assert counts_a["cases"] > 100 and counts_a["case_events"] > counts_a["cases"]
    assert {t: row["copied"] for t, row in report.items()} == {t: n for t, n in counts_b.items()}
    for table in ("cases", "case_events", "agents", "roster_days"):
        assert _content(a, table) == _content(b, table), table
    assert _kpi(asx, a) == _kpi(asx, b)


def test_copy_refuses_a_non_empty_destination(asx, sample, tmp_path):
    a = str(tmp_path / "a.db")
    assert _copy(asx, ws_database(sample), a).exit_code == 0
    before = _counts(a)
    r = _copy(asx, ws_database(sample), a)
    assert r.exit_code == 2, r
    assert "not empty" in r.stderr and r.stderr.count("\n") == 1
    assert _counts(a) == before
    # into the workspace's own (filled) database, whatever its backend
    r = _copy(asx, a, ws_database(sample))
    assert r.exit_code == 2 and "not empty" in r.stderr, r
    assert _counts(ws_database(sample)) == before


def test_copy_of_a_missing_source(asx, workspace, tmp_path):
    r = _copy(asx, str(tmp_path / "nothing.db"), str(tmp_path / "b.db"))
    assert r.exit_code != 0 and "does not exist" in r.stderr
    assert not (tmp_path / "b.db").exists()


@pytest.mark.postgres_only("copies through a PostgreSQL server")
def test_sqlite_to_postgresql_and_back(asx, sample, tmp_path):
    """The sample (PostgreSQL) → a.db → a fresh PostgreSQL database → c.db: the same rows everywhere,
    the same KPI export, and the id sequences moved past the copied ids (a new case gets a new id)."""
    a, c = str(tmp_path / "a.db"), str(tmp_path / "c.db")
    pg = _pg_url()
    assert _copy(asx, ws_database(sample), a).exit_code == 0
    r = _copy(asx, a, pg)
    assert r.exit_code == 0, r
    r = _copy(asx, pg, c)
    assert r.exit_code == 0, r
    counts = _counts(a)
    # each copy adds its own row to its source's access log first (issue 17 §4), then copies it too
    data = lambda t: {k: v for k, v in _counts(t).items() if k != "access_log"}  # noqa: E731
    assert data(pg) == data(a) == data(c) == data(ws_database(sample))
    logs = [_counts(t)["access_log"] for t in (ws_database(sample), a, pg, c)]
    assert logs[1:] == [logs[0] + 1, logs[0] + 2, logs[0] + 2], logs
    for table in ("cases", "case_events", "agents", "roster_days", "reviews"):
        if table in counts:
            assert _content(a, table) == _content(pg, table) == _content(c, table), table
    figures = _kpi(asx, ws_database(sample))
    assert _kpi(asx, a) == figures
    assert _kpi(asx, pg) == figures
    assert _kpi(asx, c) == figures
    # the sequences were moved: a new case on the copy gets the next id, no duplicate key
    st = open_store(pg, migrate=False)
    top = st.scalar("SELECT max(id) FROM cases")
    st.close()
    r = asx(["case", "add", "--order", "9990001", "--buyer", "王小二", "--category", "late_delivery",
             "--summary", "还没发货"], env={"ASX_DB": pg})
    assert r.exit_code == 0, r
    st = open_store(pg, migrate=False)
    try:
        assert st.scalar("SELECT max(id) FROM cases") == top + 1
    finally:
        st.close()


@pytest.mark.postgres_only("copies into a PostgreSQL server")
def test_copy_into_a_filled_postgresql_database_is_refused(asx, sample, tmp_path):
    a = str(tmp_path / "a.db")
    assert _copy(asx, ws_database(sample), a).exit_code == 0
    before = _counts(ws_database(sample))
    r = _copy(asx, a, ws_database(sample))
    assert r.exit_code == 2 and "not empty" in r.stderr, r
    assert _counts(ws_database(sample)) == before

