"""Test helpers for asx and its plugins: fixtures ``asx``, ``workspace``, ``sample`` and helpers.

The fixtures reach every test suite through the pytest plugin :mod:`asx.testing.plugin` (entry point
``pytest11``), so a plugin's tests need no conftest to copy. Every test runs with ASX_* and the user
config pointed at its own temporary folders.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest



# The backend under test (issue 10): hooks in asx.testing.backend (loaded by `-p asx.testing.backend`).
from asx.testing.backend import _PG, _pg_url, backend, clone_workspace  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """No test reads the real home, user config or an ASX_* variable of the developer."""
    for k in list(os.environ):
        if k.startswith("ASX_"):
            monkeypatch.delenv(k, raising=False)
    if _PG["base"]:
        monkeypatch.setenv("ASX_INIT_DATABASE", _pg_url(_PG["prefix"] + "{unique}"))
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("ASX_USER_CONFIG", str(home / ".config" / "asx" / "config.toml"))
    monkeypatch.setenv("COLUMNS", "200")
    yield


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.exit_code = code
        self.stdout = out
        self.stderr = err

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        return f"<Result exit={self.exit_code} stdout={self.stdout[:300]!r} stderr={self.stderr[:300]!r}>"


#: plugins the running test added with :func:`plugin_registered` (the harness's own state; asx keeps none)
_test_plugins: list[tuple[object, str]] = []
_hosts: dict[tuple, tuple[list, object]] = {}


def plugin_host(plugins=None):
    """A :class:`~asx.core.plugin_host.PluginHost` with the built-in plugins and ``plugins`` (default:
    those of the enclosing :func:`plugin_registered` blocks); one per set of plugins, reused."""
    from asx.core.plugin_host import PluginHost

    chosen = list(_test_plugins) if plugins is None else [(p, getattr(p, "__name__", None)) for p in plugins]
    key = (tuple(id(p) for p, _ in chosen), os.environ.get("ASX_LOAD_PLUGINS"), os.environ.get("ASX_TRACE_PLUGINS"))
    if key not in _hosts:
        host = PluginHost.load()
        for plugin, name in chosen:
            host.register(plugin, name=name)
        _hosts[key] = (chosen, host)   # keeping the plugins keeps their ids unique
    return _hosts[key][1]


def invoke(args, *, input: str | None = None, env: dict | None = None, cwd: Path | None = None,
           plugins: list | None = None) -> Result:
    """Run ``asx ARGS`` in-process through the real ``main`` (one-line errors, exit codes), with the
    built-in plugins and ``plugins`` (default: those of the enclosing :func:`plugin_registered`)."""
    from click.testing import CliRunner

    from asx.cli import main

    if isinstance(args, str):
        args = shlex.split(args)
    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        with runner.isolation(input=input, env=env) as streams:
            out, err = streams[0], streams[1]
            try:
                main(list(args), plugins=plugin_host(plugins))
                code = 0
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            sys.stdout.flush()
            sys.stderr.flush()
            o = out.getvalue().decode("utf-8", "replace")
            e_ = err.getvalue().decode("utf-8", "replace") if err is not None else ""
    finally:
        os.chdir(old)
    return Result(code, o, e_)


@pytest.fixture
def asx():
    """``asx("agent list -f json")`` → Result (in-process)."""
    return invoke


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A fresh empty workspace with a supervisor 李主管 acting; cwd is the workspace."""
    ws = tmp_path / "ws"
    r = invoke(["init", str(ws), "--me", "李主管"])
    assert r.exit_code == 0, r
    monkeypatch.chdir(ws)
    r = invoke(["agent", "add", "李主管", "--role", "supervisor"])
    assert r.exit_code == 0, r
    return ws


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory):
    """One sample workspace per test session (built once, copied per test)."""
    return build_sample(tmp_path_factory.mktemp("sample") / "shop", "2026-11-20T10:00:00+08:00")


def build_sample(dest: Path, now: str) -> Path:
    """``asx init --sample`` into ``dest`` with the clock at ``now`` (on the backend of the run: a
    fresh PostgreSQL database under ``--backend postgresql``); returns ``dest``."""
    env = {"ASX_NOW": now}
    if _PG["base"]:
        env["ASX_INIT_DATABASE"] = _pg_url(_PG["prefix"] + "{unique}")
    old = dict(os.environ)
    os.environ.update(env)
    try:
        r = invoke(["init", str(dest), "--sample"])
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert r.exit_code == 0, r
    return dest


@pytest.fixture
def sample(sample_template, tmp_path, monkeypatch):
    """A copy of the sample workspace (cwd), clock fixed at 2026-11-20 10:00 +08:00."""
    dest = clone_workspace(sample_template, tmp_path / "shop")
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")
    monkeypatch.chdir(dest)
    return dest


__all__ = ["invoke", "Result", "asx", "workspace", "sample_template", "sample", "build_sample", "_isolated_env",
           "backend", "clone_workspace"]


from contextlib import contextmanager


@contextmanager
def plugin_registered(module, name: str):
    """Within the block, :func:`invoke` and :func:`plugin_host` add plugin ``module`` to the built-in
    ones (tests of store plugins). asx itself keeps no global plugin state: each run gets its host."""
    _test_plugins.append((module, name))
    try:
        yield plugin_host()
    finally:
        _test_plugins.remove((module, name))


__all__ += ["plugin_registered", "plugin_host"]


# -- the workspace's database, whatever the backend (issue 10) --------------------------------------
def ws_database(ws) -> str:
    """The database of workspace folder ``ws``: its SQLite file path or its postgresql:// URL."""
    import re

    ws = Path(ws)
    m = re.search(r'^database = "([^"]+)"', (ws / "asx.toml").read_text(encoding="utf-8"), re.M) \
        if (ws / "asx.toml").exists() else None
    if m and "://" in m.group(1):
        return m.group(1)
    return str(ws / (m.group(1) if m else "asx.db"))


def ws_store(ws, **kw):
    """An open :class:`~asx.store.Store` (or PgStore) on the database of workspace ``ws``."""
    from asx.store import open_store

    return open_store(ws_database(ws), **kw)


class _SqlConn:
    """``sqlite3.connect``-like access to a PostgreSQL workspace for tests: ``execute(sql, params)``
    (asx's SQL, translated) returning a cursor; every statement commits by itself."""

    def __init__(self, store):
        self.store = store

    def execute(self, sql, params=()):
        return self.store.execute(sql, params)

    def executemany(self, sql, rows):
        return self.store.executemany(sql, rows)

    def commit(self):
        pass

    def close(self):
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def ws_db(ws):
    """A raw connection to workspace ``ws``'s database: ``sqlite3.connect`` on SQLite, an equivalent
    on PostgreSQL (for tests that read or try to change tables directly)."""
    import sqlite3

    target = ws_database(ws)
    if "://" in target:
        return _SqlConn(ws_store(ws, migrate=False))
    return sqlite3.connect(target)


def _as_supervisor(db: Path) -> list[str]:
    """``--as`` a supervisor of the SQLite file ``db`` (`asx db copy` is a supervisor's action, R-SEC-2)."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT name FROM agents WHERE role IN ('supervisor', 'manager') AND active = 1 "
                          "ORDER BY id LIMIT 1").fetchone()
    finally:
        con.close()
    return ["--as", row[0]] if row else []


def on_test_backend(ws) -> Path:
    """A workspace whose SQLite file a generator wrote, moved to the backend under test: on
    PostgreSQL `asx db copy` its file into a fresh database of the test server, point asx.toml at it
    and remove the file (issue 10). On SQLite: unchanged."""
    import re
    import secrets

    ws = Path(ws)
    if backend() != "postgresql":
        return ws
    url = _pg_url(f"{_PG['prefix']}{secrets.token_hex(6)}")
    r = invoke([*_as_supervisor(ws / "asx.db"), "db", "copy", str(ws / "asx.db"), url])
    assert r.exit_code == 0, r
    toml = ws / "asx.toml"
    text = toml.read_text(encoding="utf-8")
    line = f'database = "{url}"'
    text = re.sub(r'^database = "[^"]*"', line, text, flags=re.M) if re.search(r"^database = ", text, re.M) \
        else line + "\n" + text
    toml.write_text(text, encoding="utf-8")
    for p in ws.glob("asx.db*"):
        p.unlink()
    return ws


# -- a person's own PostgreSQL login (R-SEC-5) -------------------------------------------------------
def login_url(url: str, login: str) -> str:
    """``url`` logging in as ``login`` (the password comes from PGPASSWORD)."""
    from urllib.parse import quote, urlsplit

    p = urlsplit(url)
    host = p.netloc.rsplit("@", 1)[-1]
    return f"{p.scheme}://{quote(login)}@{host}{p.path}" + (f"?{p.query}" if p.query else "")


@contextmanager
def own_logins(ws, people: dict[str, str], *, password: str, monkeypatch, tag: str):
    """PostgreSQL only: add each ``{name: role}`` of ``people`` to workspace ``ws`` with a login of
    its own (``t<tag>_<role>``, password from standard input, as `asx agent add … --login` takes
    it), make every person act as their login (the shared ``me`` of asx.toml goes), set PGPASSWORD,
    and yield ``{role: login}``; the login roles are dropped at the end."""
    import re

    import psycopg

    ws = Path(ws)
    logins = {role: f"t{tag}_{role}" for role in people.values()}
    for name, role in people.items():
        r = invoke(["--as", "李主管", "agent", "add", name, "--role", role, "--login", logins[role]],
                   input=password + "\n", cwd=ws)
        assert r.exit_code == 0, r
    toml = ws / "asx.toml"
    toml.write_text(re.sub(r"^me = .*\n", "", toml.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    monkeypatch.setenv("PGPASSWORD", password)
    try:
        yield logins
    finally:
        with psycopg.connect(ws_database(ws), autocommit=True) as c:
            for login in logins.values():
                c.execute(f'DROP OWNED BY "{login}"')
                c.execute(f'DROP ROLE IF EXISTS "{login}"')


__all__ += ["ws_database", "ws_store", "ws_db", "on_test_backend", "login_url", "own_logins"]
