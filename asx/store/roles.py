"""Database roles and grants of a team database (R-SEC-5, issue 17): the database enforces the roles.

On PostgreSQL every person logs in as themselves; their login is a member of one group role per
R-PPL-1 role (:data:`GROUPS`). The owner of the schema (the role that runs `asx db migrate`) keeps
every right; the group roles get exactly the grants :func:`expected` derives from the live schema:

* personal-data columns (:func:`protected`: buyer, contact, free text of cases, reviews, the ledger
  and orders, and every ``<field>_raw`` column of any table) are not readable from the tables: the
  group roles read them masked through same-named views in schema ``asx_masked`` (asx puts it first
  on the search path of an app login, so its SQL is the same text), and a reveal goes through
  ``asx_reveal_case`` / ``asx_reveal_rows``, ``SECURITY DEFINER`` functions that check the caller's
  group and write the access-log row in the same transaction (migrations 0070, 0100); the writes
  a view cannot take (an order report's upsert) and the lookup of a buyer by phone go through
  ``asx_upsert_orders`` and ``asx_customer_file`` (migration 0100), and the lookups by a raw buyer id
  ``asx_served_by`` and ``asx_case_ids_of_buyers`` (migration 0160); a case's buyer id is copied into
  a plugin's personal-data column by ``asx_copy_case_buyer`` (migration 0161), never read raw;
* history tables (those with an ``<table>_no_delete`` guard) are insert-only;
* supervisor-only records (:data:`SUPERVISOR_WRITES`) are written by ``asx_supervisor`` only;
* the access log is read by supervisors only and written by nobody but the owner's functions.

:func:`apply` (re)grants it after every migration run; :func:`drift` lists what differs
(`asx db roles --check`). SQLite has no roles: both are no-ops there.
"""

from __future__ import annotations

import json

#: asx role (R-PPL-1) → PostgreSQL group role; a manager acts as a supervisor
GROUPS = {"agent": "asx_agent", "specialist": "asx_specialist", "supervisor": "asx_supervisor",
          "manager": "asx_supervisor", "order_clerk": "asx_clerk"}
APP_ROLES = ("asx_agent", "asx_specialist", "asx_supervisor", "asx_clerk")
SUPERVISOR = "asx_supervisor"
MASKED_SCHEMA = "asx_masked"

#: personal-data columns (R-SEC-1) and the SQL that masks each in the views of asx_masked
PII = {
    "cases": {"buyer": "asx_mask_name(t.buyer)", "buyer_contact": "asx_mask_contact(t.buyer_contact)",
              "summary": "asx_mask_text(t.summary, t.buyer, t.buyer_contact)"},
    "reviews": {"buyer": "asx_mask_name(t.buyer)", "phone": "asx_mask_contact(t.phone)",
                "content": "asx_mask_text(t.content, t.buyer, t.phone)"},
    # the payment note <content>_<agent> (R-FIN-2) may carry a name, a phone, a card number
    "ledger": {"note": "asx_mask_text(t.note, NULL, NULL)"},
    # an order report's buyer and its extra fields (the order memo 订单备注 is buyer-written)
    "orders": {"buyer": "asx_mask_name(t.buyer)", "data": "asx_mask_text(t.data, t.buyer, NULL)"},
}
#: free text kept twice (issue 17): ``<field>`` masked at write time, ``<field>_raw`` as written —
#: every column whose name ends so, in any table, is personal data (no SELECT for the group roles)
RAW_SUFFIX = "_raw"


#: how a plugin's declared column (hook ``register_personal_data``) is shown in its masked view
PLUGIN_MASKS = {"name": 'asx_mask_name(t."{c}"::text)', "contact": 'asx_mask_contact(t."{c}"::text)',
                "text": 'asx_mask_text(t."{c}"::text, NULL, NULL)'}


def protected(table: str, cols: list[str], declared: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """The personal-data columns of ``table`` (of columns ``cols``) and the SQL showing each masked in
    its view: :data:`PII`'s, those the plugins declared (``declared``, ``{table: {column: kind}}`` of
    hook ``register_personal_data``), and generically every ``<field>_raw`` column — shown as its
    masked twin ``<field>`` (masked again if that is itself personal data), or masked as free text
    without one."""
    out = {c: m for c, m in PII.get(table, {}).items() if c in cols}
    for c, kind in (declared or {}).get(table, {}).items():
        if c in cols and c not in out:
            out[c] = PLUGIN_MASKS[kind].format(c=c)
    for c in cols:
        if c.endswith(RAW_SUFFIX) and c not in out:
            base = c[:-len(RAW_SUFFIX)]
            if base in out:
                out[c] = out[base]
            elif base in cols:
                out[c] = f't."{base}"'
            else:
                out[c] = f'asx_mask_text(t."{c}"::text, NULL, NULL)'
    return out


#: records only a supervisor writes (sign-offs, evaluations, disciplinary and training records
#: (R-KPI-4, issue 16), roster publication, the team and its rights)
SUPERVISOR_WRITES = {"evaluations", "evaluation_changes", "roster_publications", "ledger_signoffs",
                     "agents", "agent_events", "settings", "discipline", "agent_training"}
#: read by supervisors only; written only by the owner's functions (reveal) and the owner
SUPERVISOR_READS_ONLY = {"access_log"}
#: the migrations' own record: read by all, written by the owner
OWNER_WRITES = {"schema_migrations"}


def _history_tables(store) -> set[str]:
    return {r["tbl"] for r in store.q(
        "SELECT c.relname AS tbl FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT t.tgisinternal AND n.nspname = 'public' AND t.tgname = c.relname || '_no_delete'")}


def _tables(store) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in store.q("SELECT table_name AS t, column_name AS c FROM information_schema.columns "
                     "WHERE table_schema = 'public' AND table_name IN (SELECT table_name FROM "
                     "information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE') "
                     "ORDER BY table_name, ordinal_position"):
        out.setdefault(r["t"], []).append(r["c"])
    return out


def _privileges(table: str, group: str, history: set[str]) -> set[str]:
    """What ``group`` may do with ``table`` (before personal-data columns are taken out)."""
    sup = group == SUPERVISOR
    if table in SUPERVISOR_READS_ONLY:
        return {"SELECT"} if sup else set()
    if table in OWNER_WRITES or (table in SUPERVISOR_WRITES and not sup):
        return {"SELECT"}
    return {"SELECT", "INSERT"} | (set() if table in history else {"UPDATE", "DELETE"})


def expected(store) -> set[tuple[str, str, str, str]]:
    """(grantee, object, column or '', privilege) every group role should hold — nothing more.

    A table with personal data (:func:`protected`) is read column by column, without those columns,
    and through its view in asx_masked (written too, as far as the table may be: insert, update)."""
    history = _history_tables(store)
    want: set[tuple[str, str, str, str]] = set()
    for table, cols in _tables(store).items():
        obj = f"public.{table}"
        pii = protected(table, cols, getattr(store, "personal_data", None))
        for g in APP_ROLES:
            privs = _privileges(table, g, history)
            if not pii:
                want |= {(g, obj, "", p) for p in privs}
                continue
            if "SELECT" in privs:
                want |= {(g, obj, c, "SELECT") for c in cols if c not in pii}
            want |= {(g, f"{MASKED_SCHEMA}.{table}", "", p) for p in privs & {"SELECT", "INSERT", "UPDATE"}}
    for r in store.q("SELECT c.relname AS s FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE n.nspname = 'public' AND c.relkind = 'S'"):
        for g in APP_ROLES:
            want.add((g, f"public.{r['s']}", "", "USAGE"))
    return want


def actual(store) -> set[tuple[str, str, str, str]]:
    """The grants the group roles hold on asx's tables, views and sequences (table and column level)."""
    roles = ", ".join(f"'{r}'" for r in APP_ROLES)
    schemas = f"('public', '{MASKED_SCHEMA}')"
    got = {(r["g"], r["o"], "", r["p"]) for r in store.q(
        "SELECT g.rolname AS g, n.nspname || '.' || c.relname AS o, a.privilege_type AS p "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a "
        f"JOIN pg_roles g ON g.oid = a.grantee WHERE n.nspname IN {schemas} AND g.rolname IN ({roles}) "
        "AND c.relkind IN ('r', 'v', 'S')")}
    got |= {(r["g"], r["o"], r["col"], r["p"]) for r in store.q(
        "SELECT g.rolname AS g, n.nspname || '.' || c.relname AS o, att.attname AS col, a.privilege_type AS p "
        "FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(att.attacl) a "
        f"JOIN pg_roles g ON g.oid = a.grantee WHERE n.nspname IN {schemas} AND g.rolname IN ({roles}) "
        "AND att.attnum > 0 AND NOT att.attisdropped")}
    return got


def memberships(store) -> tuple[set[tuple[str, str, str, str]], set[tuple[str, str, str, str]]]:
    """(expected, actual) of the people's logins: each agent's login is a member of the group role of
    the agent's role and of no other asx group; a retired agent's login cannot log in (R-SEC-5)."""
    if not store.has_table("agents") or "login" not in _tables(store).get("agents", []):
        return set(), set()
    roles = ", ".join(f"'{r}'" for r in APP_ROLES)
    people = list(store.q("SELECT a.login, a.role, a.active, r.rolcanlogin AS can FROM agents a "
                          "LEFT JOIN pg_roles r ON r.rolname = a.login WHERE a.login IS NOT NULL"))
    want = {(GROUPS[p["role"]], f"login {p['login']}", "", "MEMBER") for p in people if p["role"] in GROUPS}
    want |= {(p["login"], f"login {p['login']}", "", "LOGIN") for p in people if p["active"]}
    logins = [p["login"] for p in people]
    got = {(r["g"], f"login {r['u']}", "", "MEMBER") for r in store.q(
        "SELECT g.rolname AS g, u.rolname AS u FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        f"JOIN pg_roles u ON u.oid = m.member WHERE g.rolname IN ({roles}) "
        "AND u.rolname IN (SELECT value FROM json_each(?))", (json.dumps(logins, ensure_ascii=False),))}
    got |= {(p["login"], f"login {p['login']}", "", "LOGIN") for p in people if p["can"]}
    return want, got


def apply_memberships(store) -> None:
    """Put every agent's login back in the group role of the agent's role, and a retired agent's login
    back to NOLOGIN (caller's transaction; the owner — `asx db roles`)."""
    from psycopg import sql

    if not store.has_table("agents") or "login" not in _tables(store).get("agents", []):
        return
    for p in list(store.q("SELECT a.login, a.role, a.active FROM agents a JOIN pg_roles r ON r.rolname = a.login "
                          "WHERE a.login IS NOT NULL ORDER BY a.login")):
        if p["role"] in GROUPS:
            move_login(store, p["login"], p["role"])
        if not p["active"]:
            disable_login(store, p["login"])
        elif not store.scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = ?", (p["login"],)):
            _as_owner(store, p["login"], lambda: store.conn.execute(
                sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(p["login"]))))


def drift(store) -> list[dict]:
    """Grants that differ from :func:`expected`, and logins whose group role or LOGIN right differ from
    their agent's role and state (:func:`memberships`): ``missing`` (should be there) or ``extra``
    (must not)."""
    if store.backend != "postgresql":
        return []
    want, got = expected(store), actual(store)
    mwant, mgot = memberships(store)
    want, got = want | mwant, got | mgot
    rows = [{"state": "missing", "role": g, "object": o, "column": c, "privilege": p}
            for g, o, c, p in sorted(want - got)]
    rows += [{"state": "extra", "role": g, "object": o, "column": c, "privilege": p}
             for g, o, c, p in sorted(got - want)]
    return rows


def _views(store) -> None:
    """The masked views of asx_masked, one per table with personal data (:func:`protected`), same
    name and columns; a view whose table no longer has any is dropped."""
    conn = store.conn
    tables = _tables(store)
    wanted = {t: protected(t, cols, getattr(store, "personal_data", None)) for t, cols in tables.items()}
    wanted = {t: m for t, m in wanted.items() if m}
    for r in list(store.q("SELECT c.relname AS v FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                          f"WHERE n.nspname = '{MASKED_SCHEMA}' AND c.relkind = 'v'")):
        if r["v"] not in wanted:
            conn.execute(f'DROP VIEW {MASKED_SCHEMA}."{r["v"]}"')
    for table, masks in sorted(wanted.items()):
        cols = tables[table]
        view = f'{MASKED_SCHEMA}."{table}"'
        select = ", ".join(f'{masks[c]} AS "{c}"' if c in masks else f't."{c}"' for c in cols)
        conn.execute(f"DROP VIEW IF EXISTS {view}")
        conn.execute(f'CREATE VIEW {view} AS SELECT {select} FROM public."{table}" t')
        for r in store.q("SELECT a.attname AS c, CASE WHEN a.attidentity <> '' THEN "
                         "'nextval(' || quote_literal(pg_get_serial_sequence(?, a.attname)) || '::regclass)' "
                         "ELSE pg_get_expr(d.adbin, d.adrelid) END AS dflt FROM pg_attribute a "
                         "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                         "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped "
                         "AND (d.adbin IS NOT NULL OR a.attidentity <> '')",
                         (f"public.{table}", f"public.{table}")):
            # an identity column's next value too: a row inserted through the view gets its id
            conn.execute(f'ALTER VIEW {view} ALTER COLUMN "{r["c"]}" SET DEFAULT {r["dflt"]}')
        # writing personal data is allowed (an agent records the buyer), reading it back is not
        fn = f'{MASKED_SCHEMA}."insert_{table}"'
        conn.execute(f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
                     f"SET search_path = public, pg_temp AS $f$ BEGIN INSERT INTO public.\"{table}\" "
                     f"SELECT (NEW).*; RETURN NEW; END $f$")
        conn.execute(f"REVOKE ALL ON FUNCTION {fn}() FROM PUBLIC")
        conn.execute(f'CREATE TRIGGER "{table}_insert" INSTEAD OF INSERT ON {view} '
                     f"FOR EACH ROW EXECUTE FUNCTION {fn}()")


def apply(store) -> None:
    """Recreate the masked views and grant exactly :func:`expected` (caller's transaction; owner only)."""
    if store.backend != "postgresql" or not store.has_table("agents"):
        return
    conn = store.conn
    if not store.scalar(f"SELECT count(*) FROM pg_namespace WHERE nspname = '{MASKED_SCHEMA}'"):
        return  # before migration 0070
    _views(store)
    for r in list(store.q("SELECT table_name AS t FROM information_schema.columns WHERE table_schema = 'public' "
                          "AND column_name = 'by' AND table_name IN (SELECT table_name FROM information_schema.tables "
                          "WHERE table_schema = 'public' AND table_type = 'BASE TABLE') ORDER BY table_name")):
        # R-PPL-2/R-SEC-5: the server stamps who did it (a supervisor acting for someone: "李主管 for 萌萌")
        conn.execute(f'DROP TRIGGER IF EXISTS "{r["t"]}_stamp_by" ON public."{r["t"]}"')
        conn.execute(f'CREATE TRIGGER "{r["t"]}_stamp_by" BEFORE INSERT ON public."{r["t"]}" '
                     "FOR EACH ROW EXECUTE FUNCTION asx_stamp_by()")
    objects = [r["o"] for r in store.q(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS o FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE n.nspname IN ('public', '{MASKED_SCHEMA}') AND c.relkind IN ('r', 'v', 'S')")]
    roles = ", ".join(APP_ROLES)
    for o in objects:
        conn.execute(f"REVOKE ALL ON {o} FROM PUBLIC, {roles}")
    conn.execute(f"GRANT USAGE ON SCHEMA public, {MASKED_SCHEMA} TO {roles}")
    conn.execute(f"GRANT EXECUTE ON FUNCTION asx_reveal_case(bigint, text), "
                 f"asx_reveal_rows(text, bigint[], text, text), asx_login_agent(), asx_may_reveal(), "
                 f"asx_customer_file(text, boolean, text), asx_upsert_orders(json) TO {roles}")
    if store.scalar("SELECT count(*) FROM pg_proc WHERE proname = 'asx_served_by'"):  # migration 0160
        conn.execute(f"GRANT EXECUTE ON FUNCTION asx_served_by(text, text, bigint), "
                     f"asx_case_ids_of_buyers(text[]) TO {roles}")
    if store.scalar("SELECT count(*) FROM pg_proc WHERE proname = 'asx_copy_case_buyer'"):  # migration 0161
        conn.execute(f"GRANT EXECUTE ON FUNCTION asx_copy_case_buyer(bigint, text, text, text, text) TO {roles}")
    for g, o, c, p in sorted(expected(store)):
        schema, name = o.split(".", 1)
        target = f'{schema}."{name}"'
        if p == "USAGE":
            conn.execute(f"GRANT USAGE ON SEQUENCE {target} TO {g}")
        elif c:
            conn.execute(f'GRANT {p} ("{c}") ON {target} TO {g}')
        else:
            conn.execute(f"GRANT {p} ON {target} TO {g}")


def is_app_login(store) -> bool:
    """True when the session's login is a member of an asx group role and not the schema's owner or a
    superuser: its identity comes from the database (R-SEC-5)."""
    if store.backend != "postgresql":
        return False
    roles = ", ".join(f"'{r}'" for r in APP_ROLES)
    row = store.one(
        "SELECT r.rolsuper AS su, (SELECT pg_get_userbyid(c.relowner) FROM pg_class c "
        "WHERE c.oid = to_regclass('public.agents')) = session_user AS owner, "
        f"EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname IN ({roles}) "
        "AND pg_has_role(session_user, g.oid, 'MEMBER')) AS member "
        "FROM pg_roles r WHERE r.rolname = session_user")
    return bool(row and row["member"] and not row["su"] and not row["owner"])


def create_login(store, login: str, password: str, role: str) -> None:
    """CREATE ROLE ``login`` LOGIN in the group of asx role ``role`` (caller's transaction; needs
    CREATEROLE). The password travels as a literal of the statement, never on a command line."""
    from psycopg import sql

    exists = store.scalar("SELECT count(*) FROM pg_roles WHERE rolname = ?", (login,))
    stmt = "ALTER ROLE {} LOGIN PASSWORD {}" if exists else "CREATE ROLE {} LOGIN PASSWORD {}"
    _as_owner(store, login, lambda: store.conn.execute(
        sql.SQL(stmt).format(sql.Identifier(login), sql.Literal(password))))
    move_login(store, login, role)
    store.conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
        sql.Identifier(store.scalar("SELECT current_database()")), sql.Identifier(login)))


def move_login(store, login: str, role: str) -> None:
    """Put ``login`` in the group role of asx role ``role`` and out of every other asx group (caller's
    transaction, so the agent's new role and the login's rights change together or not at all)."""
    from psycopg import sql

    group = GROUPS[role]

    def run():
        for g in APP_ROLES:
            if g != group and store.scalar("SELECT pg_has_role(?, ?, 'MEMBER')", (login, g)):
                store.conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(g), sql.Identifier(login)))
        if not store.scalar("SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                            "JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = ? AND u.rolname = ?",
                            (group, login)):
            store.conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login)))

    _as_owner(store, login, run)


def _as_owner(store, login: str, run) -> None:
    """Run role statements; a login without the right (CREATEROLE, the groups' admin) gets one line."""
    import psycopg

    from asx.core.errors import PermissionDenied

    try:
        run()
    except psycopg.errors.InsufficientPrivilege:
        raise PermissionDenied(f"changing the login {login} needs the database owner's login (CREATEROLE); "
                               "nothing was changed (R-SEC-5)") from None


def disable_login(store, login: str) -> None:
    """ALTER ROLE ``login`` NOLOGIN: a retired person's login cannot connect (R-SEC-5)."""
    from psycopg import sql

    if store.scalar("SELECT count(*) FROM pg_roles WHERE rolname = ?", (login,)):
        store.conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(login)))
