"""pytest plugin of asx's test suites: the storage backend the tests run on (issue 10).

Part of the pytest plugin :mod:`asx.testing.plugin` (entry point ``pytest11``), for the core and the
store plugins.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# `pytest` runs on SQLite; `pytest --backend postgresql` runs the same tests with every workspace a
# `asx init` makes in a fresh database on the server of ASX_TEST_POSTGRES (default: the local one,
# as the current user). Tests that only make sense on one backend carry the marker
# `sqlite_only` or `postgres_only` and are skipped on the other, with the reason shown.

def pytest_addoption(parser):
    parser.addoption("--backend", choices=("sqlite", "postgresql"),
                     default=os.environ.get("ASX_TEST_BACKEND", "sqlite"),
                     help="storage backend the asx tests run on [env ASX_TEST_BACKEND; default sqlite]")


_PG = {"base": None, "prefix": None}


def backend() -> str:
    """'sqlite' or 'postgresql': the backend this test session runs on."""
    return "postgresql" if _PG["base"] else "sqlite"


def _pg_url(dbname: str) -> str:
    from psycopg import conninfo

    return conninfo.make_conninfo(_PG["base"], dbname=dbname) if "://" not in _PG["base"] else \
        _PG["base"].rsplit("/", 1)[0] + "/" + dbname


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
    _PG["base"] = os.environ.get("ASX_TEST_POSTGRES", "postgresql:///postgres")
    _PG["prefix"] = f"asx_t{secrets.token_hex(3)}_"
    try:
        psycopg.connect(_PG["base"], autocommit=True).close()
    except psycopg.Error as exc:
        raise pytest.UsageError(f"--backend postgresql: cannot reach {_PG['base']} ({str(exc).strip()}); "
                                "set ASX_TEST_POSTGRES or start a server (see .ci/run)")


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
    import psycopg

    with psycopg.connect(_PG["base"], autocommit=True) as c:
        names = [r[0] for r in c.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                         (_PG["prefix"] + "%",))]
        for n in names:
            try:
                c.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')
            except psycopg.Error:
                pass


