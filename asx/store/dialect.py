"""SQL dialects of the storage layer (issue 10): asx's SQL is written once, in the subset of SQLite
that PostgreSQL also understands, and :func:`to_pg` rewrites the few spellings that differ.

What is rewritten (outside string literals):

- ``?`` parameters become ``%s``, ``:name`` parameters ``%(name)s``; a literal ``%`` becomes ``%%``;
- ``INSERT OR IGNORE INTO …`` becomes ``INSERT INTO … ON CONFLICT DO NOTHING``;
- ``x IS NOT ?`` / ``x IS ?`` become ``IS DISTINCT FROM`` / ``IS NOT DISTINCT FROM``, and so do
  ``x IS NOT t.col`` / ``x IS t.col`` (a qualified column, e.g. ``excluded.col`` of an upsert);
- ``CAST(… AS REAL)`` becomes double precision, ``LIKE`` becomes ``ILIKE`` (SQLite's LIKE ignores ASCII case);
- ``group_concat(x[, sep])`` becomes ``string_agg(CAST(x AS TEXT), sep)`` (linear time);
- SQLite's planner hints go: ``INDEXED BY``/``NOT INDEXED``, and ``CROSS JOIN t ON`` (a join-order
  hint) becomes ``JOIN t ON``.

SQLite functions without a PostgreSQL twin of the same name (``ifnull``, ``group_concat``, ``instr``,
the two-argument ``max``/``min``, ``round`` of a double, ``sum`` of a boolean) are created on the
server by :data:`PG_COMPAT` (run before the first migration), so the queries need no rewriting.

Schema scripts go through :func:`ddl_to_pg` (types, identity keys, the append-only triggers);
a migration whose SQL cannot be translated ships a ``NNNN_name.pg.sql`` twin.
"""

from __future__ import annotations

import re
from functools import lru_cache

# -- queries ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\?|%|:[A-Za-z_][A-Za-z0-9_]*|::""")
_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.I)
_IS_NOT_PARAM = re.compile(r"\bIS\s+NOT\s+%s", re.I)
_IS_PARAM = re.compile(r"\bIS\s+%s", re.I)
_IS_NOT_COL = re.compile(r"\bIS\s+NOT\s+(?=[A-Za-z_]\w*\.[A-Za-z_])(?!DISTINCT\b)", re.I)
_IS_COL = re.compile(r"\bIS\s+(?=[A-Za-z_]\w*\.[A-Za-z_])(?!NOT\b|DISTINCT\b)", re.I)
_AS_REAL = re.compile(r"\bAS\s+REAL\s*\)", re.I)
_LIKE = re.compile(r"(?<!I)\bLIKE\b", re.I)
_RETURNING = re.compile(r"\bRETURNING\b", re.I)
_INDEXED = re.compile(r"\s+(?:INDEXED\s+BY\s+\w+|NOT\s+INDEXED)\b", re.I)
_CROSS_ON = re.compile(r"\bCROSS\s+JOIN\s+(\w+(?:\s+(?:AS\s+)?(?!ON\b)\w+)?)\s+ON\b", re.I)


_GROUP_CONCAT = re.compile(r"\bgroup_concat\s*\(", re.I)


def _group_concat(sql: str) -> str:
    """``group_concat(x[, sep])`` → ``string_agg(CAST(x AS TEXT), sep)``: the same values (NULLs
    skipped, order unspecified), built in linear time — an SQL-defined aggregate concatenating
    text grows quadratically (a year's KPI export took minutes)."""
    out, i = [], 0
    while (m := _GROUP_CONCAT.search(sql, i)) is not None:
        if sql.count("'", 0, m.start()) % 2:   # inside a string literal: not a call
            out.append(sql[i:m.end()])
            i = m.end()
            continue
        out.append(sql[i:m.start()])
        depth, k, start, args, quote = 1, m.end(), m.end(), [], None
        while k < len(sql):
            ch = sql[k]
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "'\"":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    break
            elif ch == "," and depth == 1:
                args.append(sql[start:k])
                start = k + 1
            k += 1
        args.append(sql[start:k])
        sep = args[1].strip() if len(args) > 1 else "','"
        out.append(f"string_agg(CAST({_group_concat(args[0]).strip()} AS TEXT), {sep})")
        i = k + 1
    out.append(sql[i:])
    return "".join(out)


@lru_cache(maxsize=4096)
def to_pg(sql: str) -> str:
    """The PostgreSQL spelling of one asx SQL statement (cached: statements are few and reused)."""

    def sub(m: re.Match) -> str:
        t = m.group(0)
        if t == "?":
            return "%s"
        if t == "%":
            return "%%"
        if t == "::":
            return t
        if t[0] == ":":
            return f"%({t[1:]})s"
        if t[0] == "'" and "%" in t:
            return t.replace("%", "%%")
        return t

    out = _TOKEN.sub(sub, sql)
    if _OR_IGNORE.search(out):
        out = _OR_IGNORE.sub("INSERT INTO", out)
        m = _RETURNING.search(out)
        body = out.rstrip().rstrip(";")
        out = (body[:m.start()] + "ON CONFLICT DO NOTHING " + body[m.start():]) if m else body + " ON CONFLICT DO NOTHING"
    if "group_concat" in out.lower():
        out = _group_concat(out)
    out = _INDEXED.sub("", out)
    out = _CROSS_ON.sub(r"JOIN \1 ON", out)
    out = _IS_NOT_PARAM.sub("IS DISTINCT FROM %s", out)
    out = _IS_PARAM.sub("IS NOT DISTINCT FROM %s", out)
    out = _IS_NOT_COL.sub("IS DISTINCT FROM ", out)
    out = _IS_COL.sub("IS NOT DISTINCT FROM ", out)
    out = _AS_REAL.sub("AS DOUBLE PRECISION)", out)
    out = _LIKE.sub("ILIKE", out)
    return out


# -- schema -----------------------------------------------------------------------------------

_APPEND_ONLY = re.compile(
    r"CREATE\s+TRIGGER\s+(?P<name>\w+)\s+BEFORE\s+(?P<op>UPDATE|DELETE)\s+ON\s+(?P<table>\w+)\s+"
    r"BEGIN\s+SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*'(?P<msg>(?:[^']|'')*)'\s*\)\s*;\s*END\s*;?\s*$", re.I | re.S)
_INT_PK = re.compile(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b", re.I)
_INTEGER = re.compile(r"\bINTEGER\b", re.I)
_REAL = re.compile(r"\bREAL\b", re.I)
_BLOB = re.compile(r"\bBLOB\b", re.I)
_STRICT = re.compile(r"\)\s*(WITHOUT\s+ROWID|STRICT)\s*(,\s*(WITHOUT\s+ROWID|STRICT)\s*)?;?\s*$", re.I)


def ddl_to_pg(stmt: str) -> str:
    """One schema statement in PostgreSQL's spelling. Raises ValueError for a trigger it cannot
    translate (the migration then needs a ``.pg.sql`` twin)."""
    lines = stmt.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)                      # leading comments
    s = "\n".join(lines).rstrip().rstrip(";")
    head = s.lstrip().upper()
    if head.startswith("CREATE TRIGGER"):
        m = _APPEND_ONLY.match(s + ";")
        if not m:
            raise ValueError(f"cannot translate trigger for PostgreSQL: {s[:80]}…")
        msg = m["msg"].replace("''", "'")
        return (f"CREATE TRIGGER {m['name']} BEFORE {m['op'].upper()} ON {m['table']} FOR EACH ROW "
                f"EXECUTE FUNCTION asx_refuse('{msg.replace(chr(39), chr(39) * 2)}')")
    if head.startswith("PRAGMA"):
        return ""
    s = _INT_PK.sub("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", s)
    s = _INTEGER.sub("BIGINT", s)
    s = _REAL.sub("DOUBLE PRECISION", s)
    s = _BLOB.sub("BYTEA", s)
    s = _STRICT.sub(")", s)
    return s


#: created once per PostgreSQL database, before the first migration: the SQLite functions asx's
#: queries use, so the same query text runs on both (R-numbers of the rules are not involved).
PG_COMPAT = [
    # RAISE(ABORT, msg) of the append-only triggers: an integrity error, as on SQLite
    """CREATE OR REPLACE FUNCTION asx_refuse() RETURNS trigger LANGUAGE plpgsql AS
    'BEGIN RAISE EXCEPTION ''%'', TG_ARGV[0] USING ERRCODE = ''23000''; END'""",
    "CREATE OR REPLACE FUNCTION ifnull(anycompatible, anycompatible) RETURNS anycompatible "
    "LANGUAGE sql IMMUTABLE AS 'SELECT coalesce($1, $2)'",
    "CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT strpos($1, $2)'",
    "CREATE OR REPLACE FUNCTION max(anycompatible, anycompatible) RETURNS anycompatible "
    "LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE greatest($1, $2) END'",
    "CREATE OR REPLACE FUNCTION min(anycompatible, anycompatible) RETURNS anycompatible "
    "LANGUAGE sql IMMUTABLE AS 'SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL ELSE least($1, $2) END'",
    "CREATE OR REPLACE FUNCTION round(double precision, integer) RETURNS double precision "
    "LANGUAGE sql IMMUTABLE AS 'SELECT round($1::numeric, $2)::double precision'",
    "CREATE OR REPLACE FUNCTION asx_bool_int(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE "
    "AS 'SELECT coalesce($1, 0) + CASE WHEN $2 THEN 1 ELSE 0 END'",
    "CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = asx_bool_int, STYPE = bigint)",
    "CREATE OR REPLACE AGGREGATE total(boolean) (SFUNC = asx_bool_int, STYPE = bigint, INITCOND = '0')",
    "CREATE OR REPLACE FUNCTION asx_concat(text, anyelement, text) RETURNS text LANGUAGE sql IMMUTABLE AS "
    "'SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2::text ELSE $1 || $3 || $2::text END'",
    "CREATE OR REPLACE FUNCTION asx_concat1(text, anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS "
    "'SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2::text ELSE $1 || '','' || $2::text END'",
    "CREATE OR REPLACE AGGREGATE group_concat(anyelement, text) (SFUNC = asx_concat, STYPE = text)",
    "CREATE OR REPLACE AGGREGATE group_concat(anyelement) (SFUNC = asx_concat1, STYPE = text)",
    # date(epoch, 'unixepoch') and strftime(fmt, epoch, 'unixepoch') / strftime(fmt, 'YYYY-MM-DD'):
    # UTC, like SQLite without 'localtime' (asx adds the store's offset to the epoch itself)
    "CREATE OR REPLACE FUNCTION date(bigint, text) RETURNS text LANGUAGE sql IMMUTABLE AS "
    "'SELECT to_char(to_timestamp($1) AT TIME ZONE ''UTC'', ''YYYY-MM-DD'')'",
    """CREATE OR REPLACE FUNCTION asx_strftime(fmt text, ts timestamp) RETURNS text LANGUAGE sql IMMUTABLE AS
    'SELECT CASE WHEN fmt = ''%s'' THEN CAST(CAST(extract(epoch FROM ts) AS bigint) AS text)
            ELSE to_char(ts, replace(replace(replace(replace(replace(replace(replace(fmt,
                 ''%Y'', ''YYYY''), ''%m'', ''MM''), ''%d'', ''DD''), ''%H'', ''HH24''), ''%M'', ''MI''),
                 ''%S'', ''SS''), ''%W'', ''IW'')) END'""",
    "CREATE OR REPLACE FUNCTION strftime(text, bigint, text) RETURNS text LANGUAGE sql IMMUTABLE AS "
    "'SELECT asx_strftime($1, to_timestamp($2) AT TIME ZONE ''UTC'')'",
    "CREATE OR REPLACE FUNCTION strftime(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS "
    "'SELECT asx_strftime($1, CAST($2 AS timestamp))'",
    # json_each(?) of a JSON array of keys (bulk IN lists)
    "CREATE OR REPLACE FUNCTION json_each(text) RETURNS TABLE(value text) LANGUAGE sql IMMUTABLE AS "
    "'SELECT json_array_elements_text(CAST($1 AS json))'",
]
