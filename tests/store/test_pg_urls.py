"""URLs asx builds for a team database keep a Unix-socket host (issue 17 §5).

`postgresql://user@/db?host=/run/dir` names the database in its path and the socket folder in its
query: a database name is never spliced into the query string (`asx init --database …{unique}…`,
the test databases of `pytest --backend postgresql`)."""

import pytest

from asx.store.pg import with_dbname


@pytest.mark.parametrize("url, name, want", [
    ("postgresql://postgres@/postgres?host=/tmp/asx-pg-1/data", "shop",
     "postgresql://postgres@/shop?host=/tmp/asx-pg-1/data"),
    ("postgresql://u:@/postgres?host=/run/pg&port=5433", "asx_t_{unique}",
     "postgresql://u:@/asx_t_{unique}?host=/run/pg&port=5433"),
    ("postgresql:///postgres", "shop", "postgresql:///shop"),
    ("postgresql://asx_owner@db.example.lan:5432/postgres?sslmode=require", "shop",
     "postgresql://asx_owner@db.example.lan:5432/shop?sslmode=require"),
])
def test_with_dbname_replaces_the_path_and_keeps_the_query(url, name, want):
    assert with_dbname(url, name) == want


def test_with_dbname_socket_url_parses_as_libpq_reads_it():
    conninfo = pytest.importorskip("psycopg").conninfo
    params = conninfo.conninfo_to_dict(with_dbname("postgresql://postgres@/postgres?host=/run/dir", "asx_t_1"))
    assert (params["dbname"], params["host"], params["user"]) == ("asx_t_1", "/run/dir", "postgres")


def test_with_dbname_conninfo_string():
    pytest.importorskip("psycopg")
    assert "dbname=shop" in with_dbname("host=/run/dir dbname=postgres", "shop")


@pytest.mark.postgres_only("asx init on a server reached by its Unix socket")
def test_init_with_unique_in_a_socket_url(asx, tmp_path):
    from asx.testing.backend import _PG, pg_admin_url

    admin = pg_admin_url()
    url = with_dbname(admin, _PG["prefix"] + "sock_{unique}")  # dropped at the end of the session anyway
    r = asx(f"init {tmp_path / 'shop'} --me 李主管 --database '{url}'")
    assert r.exit_code == 0, r.stderr
    text = (tmp_path / "shop" / "asx.toml").read_text(encoding="utf-8")
    assert "{unique}" not in text
    from asx.store.pg import PgStore
    import re

    made = re.search(r'^database = "([^"]+)"', text, re.M).group(1)
    assert made.split("?")[1:] == admin.split("?")[1:]  # the socket folder kept
    PgStore.drop_database(made)
