"""The public plugin API (issue 15): ``asx.api.__all__`` is exactly what docs/plugins.md documents
(datasette's "every documented name exists, every exported name is documented"), each name has a
docstring and a version; the store plugins of plugins_contrib/ import nothing of asx but ``asx.api``
and ``asx.hookimpl``, write no SQL against asx's own tables (derived from the core migrations) and
state the API versions they support — which the installed asx satisfies."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from asx import api

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "plugins.md"
CONTRIB = REPO / "plugins_contrib"
#: the keys of asx's tables a plugin's own table may refer to (docs/plugins.md "What a plugin may use of app")
STABLE_REFERENCES = {"cases(id)", "ledger(id)"}


# --- the documented API ------------------------------------------------------------------------

def documented() -> dict[str, str]:
    """``{name: since}`` from the tables of the section "API reference" of docs/plugins.md."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## API reference", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", section, re.M)
    names = [n for n, _ in rows]
    assert len(names) == len(set(names)), f"documented twice: {sorted(n for n in names if names.count(n) > 1)}"
    return {n: since.strip() for n, since in rows}


def test_every_exported_name_is_documented_and_every_documented_name_exported():
    doc = documented()
    assert len(api.__all__) == len(set(api.__all__))
    assert set(api.__all__) - set(doc) == set(), "exported but not documented in docs/plugins.md"
    assert set(doc) - set(api.__all__) == set(), "documented in docs/plugins.md but not in asx.api.__all__"


def test_every_documented_name_exists_with_a_docstring_and_a_version():
    major, minor = (int(p) for p in api.API_VERSION.split("."))
    for name, since in documented().items():
        obj = getattr(api, name)                      # exists (lazy names load)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), f"asx.api.{name} has no docstring"
        m = re.fullmatch(r"(\d+)\.(\d+)", since)
        assert m, f"{name}: 'since' must be a version like 1.0, not {since!r}"
        assert (int(m[1]), int(m[2])) <= (major, minor), f"{name} is documented since {since} > {api.API_VERSION}"


def test_api_version_is_a_major_minor_string():
    assert isinstance(api.API_VERSION, str) and re.fullmatch(r"\d+\.\d+", api.API_VERSION)
    assert api.hookimpl is __import__("asx").hookimpl


def test_require_api():
    api.require_api(">=1.0,<2", "p")
    api.require_api(f"=={api.API_VERSION}", "p")
    for spec in (">=2.0", "<1", f"!={api.API_VERSION}"):
        with pytest.raises(api.UserError, match="needs asx API"):
            api.require_api(spec, "p")
    with pytest.raises(api.UserError, match="bad asx API requirement"):
        api.require_api("~=1.0", "p")


def test_importing_the_api_and_the_plugins_stays_light():
    """``asx --help`` imports every plugin's top module: through asx.api that must cost nothing
    (no sqlite_utils, ortools, store or domain modules)."""
    plugins = ", ".join(p.name for p in _packages())
    code = (f"import sys, asx.api, {plugins}\n"
            "print(sorted(m for m in sys.modules if m.startswith(('sqlite_utils', 'ortools', 'asx.store', "
            "'asx.cases', 'asx.money', 'asx.roster'))))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


# --- the store plugins -------------------------------------------------------------------------

def _plugin_dirs() -> list[Path]:
    return sorted(p.parent for p in CONTRIB.glob("*/pyproject.toml"))


def _packages() -> list[Path]:
    """The importable package folder of every plugin in plugins_contrib/."""
    out = []
    for d in _plugin_dirs():
        meta = tomllib.loads((d / "pyproject.toml").read_text(encoding="utf-8"))
        out += [d / pkg for pkg in meta["tool"]["setuptools"]["packages"]]
    return out


def _sources() -> list[Path]:
    files = [f for pkg in _packages() for f in sorted(pkg.rglob("*.py"))]
    assert len(_packages()) >= 5 and files
    return files


def test_every_store_plugin_states_the_api_it_supports_and_this_asx_satisfies_it():
    for d in _plugin_dirs():
        meta = tomllib.loads((d / "pyproject.toml").read_text(encoding="utf-8"))
        spec = meta.get("tool", {}).get("asx", {}).get("api")
        assert spec, f"{d.name}: pyproject.toml has no [tool.asx] api = \">=1.0,<2\""
        api.require_api(spec, d.name)
        for pkg in meta["tool"]["setuptools"]["packages"]:   # the import-time check uses the same spec
            tree = ast.parse((d / pkg / "__init__.py").read_text(encoding="utf-8"))
            declared = [n.value.value for n in tree.body if isinstance(n, ast.Assign)
                        and [t.id for t in n.targets if isinstance(t, ast.Name)] == ["ASX_API"]]
            assert declared == [spec], f"{pkg}.ASX_API must equal [tool.asx] api of {d.name}"
            assert "require_api(ASX_API" in (d / pkg / "__init__.py").read_text(encoding="utf-8")


def _asx_imports(tree: ast.AST) -> list[str]:
    """Every ``asx…`` import of a module, as ``module`` or ``module:name``."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name == "asx" or a.name.startswith("asx.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                node.module == "asx" or node.module.startswith("asx.")):
            out += [f"{node.module}:{a.name}" for a in node.names]
    return out


def _allowed_import(imp: str) -> bool:
    module, _, name = imp.partition(":")
    if module == "asx":
        return name in ("api", "hookimpl")
    return module == "asx.api"


def test_store_plugins_import_only_the_api_and_hookimpl():
    bad = {}
    for f in _sources():
        wrong = [i for i in _asx_imports(ast.parse(f.read_text(encoding="utf-8"))) if not _allowed_import(i)]
        if wrong:
            bad[str(f.relative_to(REPO))] = wrong
    assert bad == {}


def test_the_import_rule_catches_internal_imports():
    tree = ast.parse("from asx.cases import service\nimport asx.store.cases\nfrom asx import hookimpl, api\n"
                     "from asx.api import open_case\nfrom asx.core.errors import UserError\n")
    assert [i for i in _asx_imports(tree) if not _allowed_import(i)] == [
        "asx.cases:service", "asx.store.cases", "asx.core.errors:UserError"]


def core_tables() -> set[str]:
    """asx's own tables and views: what the core migrations create (and the migrations record)."""
    from asx.store import migrate

    names = set()
    for m in migrate.core_migrations():
        for sql in (m.sql, m.pg_sql or ""):
            names |= {n.lower() for n in re.findall(
                r"\bCREATE\s+(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?\"?(\w+)", sql, re.I)}
    names |= set(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", migrate._BOOTSTRAP))
    return names


_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|REPLACE)\b")


def sql_naming(text: str, tables: set[str]) -> list[str]:
    """The core tables ``text`` (a string of SQL) names as a table — after FROM, JOIN, INTO, UPDATE,
    TABLE, ON, EXISTS or REFERENCES — except a stable foreign key (``REFERENCES cases(id)``)."""
    if not _SQL.search(text):
        return []
    found = []
    for m in re.finditer(r"\b(FROM|JOIN|INTO|UPDATE|TABLE|ON|EXISTS|REFERENCES)\s+\"?(\w+)\"?(\s*\(\s*\w+\s*\))?",
                         text, re.I):
        table = m[2].lower()
        if table not in tables:
            continue
        if m[1].upper() == "REFERENCES" and f"{table}({(m[3] or '').strip(' ()')})" in STABLE_REFERENCES:
            continue
        found.append(f"{m[1].upper()} {table}")
    return found


def _strings(tree: ast.AST):
    """Every string literal of a module but docstrings (f-strings by their literal parts)."""
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            yield "".join(v.value if isinstance(v, ast.Constant) else " x " for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node.value


def test_store_plugins_write_no_sql_against_core_tables():
    tables = core_tables()
    assert {"cases", "case_events", "case_sla", "ledger", "orders", "roster_days", "agents"} <= tables
    bad = {}
    for f in _sources():
        tree = ast.parse(f.read_text(encoding="utf-8"))
        hits = [h for s in _strings(tree) for h in sql_naming(s, tables)]
        hits += [f"insert {c.args[0].value}" for c in ast.walk(tree)          # store.insert("ledger", …)
                 if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "insert"
                 and c.args and isinstance(c.args[0], ast.Constant) and c.args[0].value in tables]
        if hits:
            bad[str(f.relative_to(REPO))] = hits
    assert bad == {}


@pytest.mark.parametrize("sql, hits", [
    ("INSERT INTO roster_days (day, agent) VALUES (?, ?)", ["INTO roster_days"]),
    ("SELECT c.id FROM cases c JOIN case_sla s ON s.case_id = c.id", ["FROM cases", "JOIN case_sla"]),
    ("CREATE INDEX IF NOT EXISTS x ON case_sla (target)", ["ON case_sla"]),
    ("UPDATE ledger SET note = ?", ["UPDATE ledger"]),
    ("CREATE TABLE t (case_id INTEGER REFERENCES cases(id), l INTEGER REFERENCES ledger(id))", []),
    ("CREATE TABLE t (a TEXT REFERENCES agents(name))", ["REFERENCES agents"]),
    ("SELECT * FROM bakery_orders WHERE status = 'cancelled'", []),
    ("no case #{case_id}: open one from cases list", []),
])
def test_the_sql_rule_catches_core_tables(sql, hits):
    assert sql_naming(sql, core_tables()) == hits


# --- API helpers that carry behaviour ----------------------------------------------------------

def test_append_only_runs_on_both_backends():
    """One form of trigger DDL that SQLite runs and asx.store.dialect translates for PostgreSQL,
    with the trigger names the R-SEC-4 purge lifts (``*_no_update``, ``*_no_delete``)."""
    import sqlite3

    from asx.store.dialect import ddl_to_pg
    from asx.store.migrate import statements

    ddl = api.append_only("x_history")
    pg = [ddl_to_pg(s) for s in statements(ddl)]
    assert [p.split()[2] for p in pg] == ["x_history_no_update", "x_history_no_delete"]
    assert all("EXECUTE FUNCTION asx_refuse('history is append-only: x_history cannot be" in p for p in pg)
    con = sqlite3.connect(":memory:")
    con.executescript("CREATE TABLE x_history (id INTEGER PRIMARY KEY, v TEXT);" + ddl)
    con.execute("INSERT INTO x_history (v) VALUES ('a')")
    for sql in ("UPDATE x_history SET v = 'b'", "DELETE FROM x_history"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(sql)
    only_delete = api.append_only("x_visits", allow_update=True, message="visit records cannot be deleted")
    assert [ddl_to_pg(s).split()[2] for s in statements(only_delete)] == ["x_visits_no_delete"]
    with pytest.raises(ValueError):
        api.append_only("x; DROP TABLE cases")
