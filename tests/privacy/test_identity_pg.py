"""R-SEC-5 on a real PostgreSQL server: the login is the person and the database enforces the roles.

Each test makes its own login roles with unique names (an agent and a supervisor of the sample
workspace, added with `asx agent add … --login`, password from standard input) and drops them at the
end. Raw SQL as the agent's login is refused by the server; asx on that login cannot claim another
name; a supervisor's reveal — psql-style function call or `asx case show --reveal` — leaves an
access-log row naming the login; a retired agent's login cannot connect.
"""

from __future__ import annotations

import json
import secrets

import pytest

from asx.testing import login_url, own_logins, plugin_registered, ws_database

pytestmark = pytest.mark.postgres_only("database roles, grants and logins of a team database (R-SEC-5)")

PASSWORD = "s3cret-for-tests"


url_as = login_url  # ``url`` logging in as ``login`` (the password comes from PGPASSWORD)


@pytest.fixture
def team(sample, asx, monkeypatch):
    """The sample shop with two logins: an agent 测试客服 and a supervisor 测试主管."""
    db = ws_database(sample)
    people = {"测试客服": "agent", "测试主管": "supervisor"}
    with own_logins(sample, people, password=PASSWORD, monkeypatch=monkeypatch, tag=secrets.token_hex(3)) as logins:
        yield {"db": db, **logins, "agent_url": url_as(db, logins["agent"]),
               "sup_url": url_as(db, logins["supervisor"])}


def _refused(conn, sql):
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(sql)


def test_agent_login_raw_sql_is_refused_by_the_server(team):
    """R-SEC-5: an agent's login cannot read buyer data, write a supervisor's records or rewrite
    history, even with SQL."""
    import psycopg

    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        assert c.execute("SELECT session_user").fetchone()[0] == team["agent"]
        _refused(c, "SELECT buyer_contact FROM cases")
        _refused(c, "SELECT * FROM cases")
        _refused(c, "UPDATE evaluations SET note = 'x'")
        # disciplinary and training records are a supervisor's (R-KPI-4, issue 16)
        _refused(c, "INSERT INTO discipline (agent) VALUES ('萌萌')")
        _refused(c, "INSERT INTO agent_training (agent) VALUES ('萌萌')")
        _refused(c, "DELETE FROM case_events")
        _refused(c, "UPDATE case_events SET note = 'x'")
        _refused(c, "SELECT * FROM access_log")
        _refused(c, "INSERT INTO access_log (at, by, action) VALUES (0, '李主管', 'reveal')")
        _refused(c, "SELECT * FROM asx_reveal_case(1)")
        # what an agent may see: the case without its buyer data, or the buyer data masked
        assert c.execute("SELECT count(*) FROM cases WHERE status IS NOT NULL").fetchone()[0] > 0
        masked = c.execute("SELECT buyer_contact FROM asx_masked.cases WHERE buyer_contact <> '' "
                           "LIMIT 1").fetchone()[0]
        assert "*" in masked
    with psycopg.connect(team["db"], autocommit=True) as owner:
        raw = owner.execute("SELECT buyer_contact FROM cases WHERE buyer_contact <> '' ORDER BY id "
                            "LIMIT 1").fetchone()[0]
        assert "*" not in raw


def test_agent_login_cannot_claim_another_name(team, asx, monkeypatch):
    """R-SEC-5: on the team database the login says who acts; `--as` and ASX_AGENT are refused."""
    monkeypatch.setenv("ASX_DB", team["agent_url"])
    r = asx(["--as", "李主管", "case", "show", "1", "--reveal"])
    assert r.exit_code != 0 and r.stdout == ""
    assert "refused" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    monkeypatch.setenv("ASX_AGENT", "李主管")
    r = asx(["case", "list", "-f", "json"])
    assert r.exit_code != 0 and "refused" in r.stderr, r
    monkeypatch.delenv("ASX_AGENT")
    r = asx(["case", "show", "1", "--reveal"])
    assert r.exit_code != 0 and r.stdout == "", r   # the agent's own reveal: refused too


def test_login_mapping_to_no_agent_is_refused(team, asx, monkeypatch):
    import psycopg

    stranger = f"{team['agent']}_x"
    with psycopg.connect(team["db"], autocommit=True) as c:
        c.execute(f'CREATE ROLE "{stranger}" LOGIN IN ROLE asx_agent')
    try:
        monkeypatch.setenv("ASX_DB", url_as(team["db"], stranger))
        r = asx(["case", "show", "1"])
        assert r.exit_code != 0 and "is no asx agent" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r
    finally:
        with psycopg.connect(team["db"], autocommit=True) as c:
            c.execute(f'DROP ROLE "{stranger}"')


def test_supervisor_reveal_is_logged_by_the_database(team, asx, monkeypatch):
    """R-SEC-1/5: a reveal from psql (the function) and from asx both leave an access-log row naming
    the login, written in the reveal's own transaction."""
    import psycopg

    def log_rows():
        with psycopg.connect(team["db"], autocommit=True) as owner:
            return owner.execute("SELECT by, action, subject, detail FROM access_log ORDER BY id").fetchall()

    before = len(log_rows())
    with psycopg.connect(team["db"], autocommit=True) as owner:
        raw = owner.execute("SELECT buyer_contact FROM cases WHERE id = 1").fetchone()[0]
    with psycopg.connect(team["sup_url"], autocommit=True) as c:
        _refused(c, "SELECT buyer_contact FROM cases")      # a supervisor too reads raw data only by revealing
        got = c.execute("SELECT buyer_contact FROM asx_reveal_case(1)").fetchone()[0]
    assert got == raw
    rows = log_rows()[before:]
    assert rows == [("测试主管", "reveal", "case:1", f"login {team['supervisor']}")]

    monkeypatch.setenv("ASX_DB", team["sup_url"])
    r = asx(["case", "show", "1", "--reveal", "-f", "json"])
    assert r.exit_code == 0, r
    assert raw in r.stdout
    rows = log_rows()[before + 1:]
    assert rows == [("测试主管", "reveal", "case:1", f"login {team['supervisor']}")]
    r = asx(["case", "show", "1", "-f", "json"])            # without --reveal: masked, nothing logged
    assert r.exit_code == 0 and raw not in r.stdout
    assert len(log_rows()) == before + 2


def test_agent_login_works_masked(team, asx, monkeypatch):
    """R-SEC-5: asx on an agent's own login reads through the masked views."""
    import psycopg

    with psycopg.connect(team["db"], autocommit=True) as owner:
        raw = owner.execute("SELECT buyer_contact FROM cases WHERE id = 1").fetchone()[0]
    monkeypatch.setenv("ASX_DB", team["agent_url"])
    r = asx(["case", "show", "1", "-f", "json"])
    assert r.exit_code == 0, r
    assert raw not in r.stdout


def test_retired_agent_login_cannot_connect(team, asx):
    import psycopg

    r = asx(["--as", "李主管", "agent", "retire", "测试客服"])
    assert r.exit_code == 0, r
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(team["agent_url"]).close()


def test_db_roles_check_reports_drift(team, asx):
    import psycopg

    r = asx(["db", "roles", "--check", "-f", "json"])
    assert r.exit_code == 0, r
    with psycopg.connect(team["db"], autocommit=True) as c:
        c.execute("GRANT SELECT ON public.cases TO asx_agent")
        c.execute("REVOKE INSERT ON public.case_checks FROM asx_agent")
    r = asx(["db", "roles", "--check", "-f", "json"])
    assert r.exit_code == 1, r
    import json

    got = {(d["state"], d["role"], d["object"], d["column"], d["privilege"]) for d in json.loads(r.stdout)}
    assert got == {("extra", "asx_agent", "public.cases", "", "SELECT"),
                   ("missing", "asx_agent", "public.case_checks", "", "INSERT")}
    r = asx(["--as", "李主管", "db", "roles"])               # the owner grants them afresh
    assert r.exit_code == 0, r
    assert asx(["db", "roles", "--check"]).exit_code == 0


def test_reviews_and_exports_reveal_through_the_server(team, asx, monkeypatch):
    """R-SEC-5 on reviews too: an agent's login cannot read buyer or phone; a supervisor's unmasked
    export and review reveal come from the server, each with one access-log row naming the login."""
    import psycopg

    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        _refused(c, "SELECT phone FROM reviews")
        _refused(c, "SELECT content FROM reviews")
        _refused(c, "SELECT asx_reveal_rows('cases', NULL, 'export_unmasked', 'cases')")
    with psycopg.connect(team["db"], autocommit=True) as owner:
        phone = owner.execute("SELECT phone FROM reviews WHERE phone <> '' ORDER BY id LIMIT 1").fetchone()[0]
        rid = owner.execute("SELECT id FROM reviews WHERE phone = %s ORDER BY id LIMIT 1", (phone,)).fetchone()[0]
        contact = owner.execute("SELECT buyer_contact FROM cases WHERE buyer_contact <> '' ORDER BY id "
                                "LIMIT 1").fetchone()[0]
        before = owner.execute("SELECT count(*) FROM access_log").fetchone()[0]
    monkeypatch.setenv("ASX_DB", team["sup_url"])
    r = asx(["review", "show", str(rid), "-f", "json"])
    assert r.exit_code == 0 and phone not in r.stdout, r
    r = asx(["review", "show", str(rid), "--reveal", "-f", "json"])
    assert r.exit_code == 0 and phone in r.stdout, r
    r = asx(["case", "export", "--reveal", "-f", "csv"])
    assert r.exit_code == 0 and contact in r.stdout, r
    with psycopg.connect(team["db"], autocommit=True) as owner:
        rows = owner.execute("SELECT by, action, subject, detail FROM access_log ORDER BY id").fetchall()[before:]
    login = f"login {team['supervisor']}"
    assert rows == [("测试主管", "reveal", f"review:{rid}", login), ("测试主管", "export_unmasked", "cases", login)]


def test_supervisor_acts_for_someone_recorded_by_the_server(team, asx, monkeypatch):
    """R-PPL-2/R-SEC-5: a supervisor's login may act for someone with --as, and the history says so
    ("测试主管 for 测试客服"); an agent's raw INSERT cannot sign as someone else either."""
    import psycopg

    monkeypatch.setenv("ASX_DB", team["sup_url"])
    r = asx(["--as", "测试客服", "case", "note", "1", "called the buyer back"])
    assert r.exit_code == 0, r
    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        # since 0110 (note_raw, issue 21) an agent writes the history through its masked view
        c.execute("INSERT INTO asx_masked.case_events (case_id, at, by, action, note) "
                  "VALUES (1, 1, '李主管', 'note', 'x')")
    with psycopg.connect(team["db"], autocommit=True) as owner:
        rows = owner.execute("SELECT by, note FROM case_events WHERE case_id = 1 ORDER BY id DESC LIMIT 2").fetchall()
    assert rows == [("测试客服 for 李主管", "x"), ("测试主管 for 测试客服", "called the buyer back")]


def _owner(team):
    import psycopg

    return psycopg.connect(team["db"], autocommit=True)


def test_ledger_and_orders_personal_data_refused_import_still_works(team, asx, monkeypatch, tmp_path):
    """R-SEC-1/5: an agent's login reads the ledger's payment note and an order's buyer and memo only
    masked (views in asx_masked); importing an order report on that login still works — through
    asx_upsert_orders, for a login the grants let write orders — and a re-import changes nothing."""
    import psycopg

    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        for sql in ("SELECT note FROM ledger", "SELECT * FROM ledger", "SELECT buyer FROM orders",
                    "SELECT data FROM orders", "SELECT * FROM orders",
                    "INSERT INTO orders (order_no, buyer) VALUES ('x1', 'x') ON CONFLICT (order_no) DO NOTHING",
                    "UPDATE orders SET buyer = 'x'"):
            _refused(c, sql)
        assert c.execute("SELECT count(*) FROM ledger WHERE amount_fen > 0").fetchone()[0] > 0
        assert c.execute("SELECT count(*) FROM orders WHERE paid_fen IS NOT NULL").fetchone()[0] >= 0
    monkeypatch.syspath_prepend(str(__import__("pathlib").Path(__file__).resolve().parents[2] / "benchmarks"))
    from gen import write_tmall_orders

    asx_tmall = pytest.importorskip("asx_tmall")
    report = write_tmall_orders(tmp_path / "orders.csv", 3, seed=5)
    with plugin_registered(asx_tmall, "tmall"):
        assert asx(["--as", "李主管", "db", "migrate"]).exit_code == 0     # the owner adds the plugin's tables
        monkeypatch.setenv("ASX_DB", team["agent_url"])
        r = asx(["tmall", "import-orders", str(report)])
        assert r.exit_code == 0 and "3 added or changed" in r.stderr, r
        r = asx(["tmall", "import-orders", str(report)])
        assert r.exit_code == 0 and "0 added or changed" in r.stderr, r
    with _owner(team) as owner:
        got = owner.execute("SELECT order_no, buyer FROM orders WHERE buyer LIKE 'tb\\_%' ORDER BY order_no").fetchall()
    assert len(got) == 3 and all("*" not in b for _, b in got)      # stored raw
    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        shown = dict(c.execute("SELECT order_no, buyer FROM asx_masked.orders WHERE order_no = ANY (%s)",
                               ([o for o, _ in got],)).fetchall())
        _refused(c, "SELECT buyer FROM public.orders")
    assert {o: b for o, b in got} != shown and all("*" in b for b in shown.values())
    # the ledger on that login: an entry is added (through the view); a note holding a phone (written
    # before R-FIN-4 was checked) reads back masked
    r = asx(["ledger", "add", "--amount", "12.00", "--reason", "compensation", "--content", "补偿邮费"])
    assert r.exit_code == 0, r
    with _owner(team) as owner:
        assert owner.execute("SELECT note FROM ledger ORDER BY id DESC LIMIT 1").fetchone()[0] == "补偿邮费_测试客服"
        owner.execute("INSERT INTO ledger (at, amount_fen, reason, note, created_at) "
                      "VALUES (1, 100, 'refund', '退款 13812345678_萌萌', 1)")
    r = asx(["ledger", "list", "-f", "json"])
    assert r.exit_code == 0 and "补偿邮费_测试客服" in r.stdout and "13812345678" not in r.stdout, r
    assert "退款 138****5678_萌萌" in r.stdout
    # a login the grants do not let write orders cannot use the function either
    stranger = f"{team['agent']}_ro"
    with _owner(team) as owner:
        owner.execute(f'CREATE ROLE "{stranger}" LOGIN PASSWORD \'{PASSWORD}\'')
        owner.execute(f'GRANT CONNECT ON DATABASE "{owner.info.dbname}" TO "{stranger}"')
        owner.execute(f'GRANT EXECUTE ON FUNCTION asx_upsert_orders(json) TO "{stranger}"')
    try:
        with psycopg.connect(url_as(team["db"], stranger), autocommit=True) as c:
            _refused(c, """SELECT asx_upsert_orders('[{"order_no": "x2", "buyer": "y"}]')""")
    finally:
        with _owner(team) as owner:
            owner.execute(f'DROP OWNED BY "{stranger}"')
            owner.execute(f'DROP ROLE "{stranger}"')


def test_customer_lookup_by_phone_goes_through_the_server(team, asx, monkeypatch):
    """R-SEC-5, issue 17: `asx customer show 138…` on an agent's login finds the buyer through
    asx_customer_file (it cannot read a raw contact), shows the file masked; the function gives that
    login ids only and refuses it a reveal; a supervisor's reveal is one access-log row naming the login."""
    import psycopg

    with _owner(team) as owner:
        cid, buyer, contact, summary = owner.execute(
            "SELECT id, buyer, buyer_contact, summary FROM cases WHERE asx_phone_key(buyer_contact) IS NOT NULL "
            "AND buyer IS NOT NULL AND summary <> '' ORDER BY id LIMIT 1").fetchone()
        before = owner.execute("SELECT count(*) FROM access_log").fetchone()[0]
    phone = __import__("re").sub(r"\D", "", contact)[-11:]
    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        _refused(c, "SELECT buyer_contact FROM cases")
        rows = c.execute("SELECT kind, id, raw_text FROM asx_customer_file(%s)", (phone,)).fetchall()
        assert ("case", cid, None) in rows
        _refused(c, f"SELECT * FROM asx_customer_file('{phone}', true)")
    monkeypatch.setenv("ASX_DB", team["agent_url"])
    r = asx(["customer", "show", phone, "-f", "json"])
    assert r.exit_code == 0, r
    file = json.loads(r.stdout)
    assert f"#{cid}" in [x["ref"] for x in file if x["kind"] == "case"]
    assert phone not in r.stdout and buyer not in r.stdout
    r = asx(["customer", "show", phone, "--reveal"])
    assert r.exit_code != 0 and r.stdout == "", r
    monkeypatch.setenv("ASX_DB", team["sup_url"])
    r = asx(["customer", "show", phone, "--reveal", "-f", "json"])
    assert r.exit_code == 0, r
    assert summary in [x["text"] for x in json.loads(r.stdout)]
    with _owner(team) as owner:
        rows = owner.execute("SELECT by, action, subject, detail FROM access_log ORDER BY id").fetchall()[before:]
    assert len(rows) == 1 and rows[0][:2] == ("测试主管", "reveal") and rows[0][3] == f"login {team['supervisor']}"
    assert phone not in rows[0][2]


def test_every_raw_column_is_personal_data(team, asx, monkeypatch):
    """Issue 17 (free text kept twice): a column named `<field>_raw`, in any table, is protected by the
    same rule — agents' logins get no SELECT on it, its view shows the masked twin, `db roles --check`
    stays clean, writes still work, and a supervisor's reveal returns it raw."""
    import psycopg

    # the free text kept raw since migration 0110 (issue 21) is protected as it comes from `db migrate`
    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        for table, col in (("cases", "summary_raw"), ("case_events", "note_raw"), ("reviews", "content_raw"),
                           ("handover_notes", "text_raw")):
            _refused(c, f"SELECT {col} FROM {table}")
    with _owner(team) as owner:  # and so is any new one
        owner.execute("ALTER TABLE cases ADD COLUMN IF NOT EXISTS summary_raw TEXT")
        owner.execute("ALTER TABLE cases ADD COLUMN resolution_note_raw TEXT")
    r = asx(["--as", "李主管", "db", "roles"])                 # the owner re-derives views and grants
    assert r.exit_code == 0, r
    assert asx(["db", "roles", "--check"]).exit_code == 0
    with _owner(team) as owner:
        eid = owner.execute("INSERT INTO case_events (case_id, at, by, action, note, note_raw) VALUES "
                            "(1, 1, '测试客服', 'note', '回电 138****5678', '回电 13812345678') RETURNING id").fetchone()[0]
        owner.execute("UPDATE cases SET summary_raw = '原话 13812345678' WHERE id = 1")
    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        _refused(c, "SELECT note_raw FROM case_events")
        _refused(c, "SELECT * FROM case_events")
        _refused(c, "SELECT summary_raw FROM cases")
        _refused(c, "SELECT resolution_note_raw FROM cases")
        assert c.execute("SELECT note FROM case_events WHERE id = %s", (eid,)).fetchone()[0] == "回电 138****5678"
        assert c.execute("SELECT note_raw FROM asx_masked.case_events WHERE id = %s",
                         (eid,)).fetchone()[0] == "回电 138****5678"
        assert "13812345678" not in c.execute("SELECT summary_raw FROM asx_masked.cases WHERE id = 1").fetchone()[0]
    monkeypatch.setenv("ASX_DB", team["agent_url"])
    r = asx(["case", "note", "1", "rang back"])
    assert r.exit_code == 0, r
    r = asx(["case", "show", "1", "-f", "json"])
    assert r.exit_code == 0 and "13812345678" not in r.stdout, r
    with psycopg.connect(team["sup_url"], autocommit=True) as c:
        _refused(c, "SELECT note_raw FROM case_events")
        got = c.execute("SELECT asx_reveal_rows('case_events', ARRAY[%s]::bigint[], 'reveal', 'x')",
                        (eid,)).fetchone()[0]
    assert got["note_raw"] == "回电 13812345678"


def test_agent_update_role_moves_the_login(team, asx, monkeypatch):
    """R-SEC-5/R-PPL-3: `agent update --role` moves the person's login to the new group role (GRANT the
    new, REVOKE the old) with the record, in one transaction; `db roles --check` stays clean, and
    reports a login in a group its agent's role does not give."""
    import psycopg

    def groups(login):
        with _owner(team) as owner:
            return {r[0] for r in owner.execute(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s AND g.rolname LIKE 'asx\\_%%'",
                (login,)).fetchall()}

    assert groups(team["agent"]) == {"asx_agent"}
    r = asx(["--as", "李主管", "agent", "update", "测试客服", "--role", "specialist"])
    assert r.exit_code == 0, r
    assert groups(team["agent"]) == {"asx_specialist"}
    r = asx(["db", "roles", "--check"])
    assert r.exit_code == 0, r
    # a supervisor's own login has no right to move logins: refused in one line, nothing changed
    monkeypatch.setenv("ASX_DB", team["sup_url"])
    r = asx(["agent", "update", "测试客服", "--role", "order_clerk"])
    assert r.exit_code != 0 and len(r.stderr.strip().splitlines()) == 1 and "owner" in r.stderr, r
    monkeypatch.delenv("ASX_DB")
    assert groups(team["agent"]) == {"asx_specialist"}
    with _owner(team) as owner:
        assert owner.execute("SELECT role FROM agents WHERE name = '测试客服'").fetchone()[0] == "specialist"
        owner.execute(f'GRANT asx_supervisor TO "{team["agent"]}"')
    r = asx(["db", "roles", "--check", "-f", "json"])
    assert r.exit_code == 1 and json.loads(r.stdout) == [
        {"state": "extra", "role": "asx_supervisor", "object": f"login {team['agent']}", "column": "",
         "privilege": "MEMBER"}], r
    assert asx(["--as", "李主管", "db", "roles"]).exit_code == 0
    assert groups(team["agent"]) == {"asx_specialist"}
    assert asx(["db", "roles", "--check"]).exit_code == 0


def test_buyer_lookups_on_an_agent_login(team, asx, monkeypatch):
    """R-KPI-4 / R-SEC-5 (migration 0160): an agent's login reads buyers masked, yet a complaint it
    records about a buyer with an earlier case is about that case's agent, as on the owner's
    connection, and asx.api.cases_of_buyers finds that buyer's cases (rows masked, keyed by
    ``of_buyer``) — the raw ids are compared on the server, and the login still cannot read them."""
    import psycopg

    from asx import api
    from asx.core.app import App

    with _owner(team) as owner:
        buyer, agent, n = owner.execute(
            "SELECT buyer, (array_agg(agent ORDER BY opened_at DESC, id DESC))[1], count(*) FROM cases "
            "WHERE buyer IS NOT NULL AND agent IS NOT NULL GROUP BY buyer ORDER BY count(*) DESC, buyer "
            "LIMIT 1").fetchone()
        total = owner.execute("SELECT count(*) FROM cases WHERE buyer = %s", (buyer,)).fetchone()[0]
    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        _refused(c, "SELECT buyer FROM cases")
        assert c.execute("SELECT asx_served_by(NULL, %s, 4102444800)", (buyer,)).fetchone()[0] == agent
    monkeypatch.setenv("ASX_DB", team["agent_url"])
    r = asx(["case", "add", "--order", "4999999999999999991", "--buyer", buyer, "--category", "quality",
             "--summary", "又坏了"])
    assert r.exit_code == 0, r
    with _owner(team) as owner:
        about = owner.execute("SELECT about FROM cases WHERE order_no = '4999999999999999991'").fetchone()[0]
    assert about == agent
    app = App(db=team["agent_url"])
    try:
        rows = api.cases_of_buyers(app, [buyer, "nobody-at-all"])
    finally:
        app.close()
    assert len(rows) == total + 1 and {r["of_buyer"] for r in rows} == {buyer}
    assert all(r["buyer"] != buyer for r in rows)            # the rows themselves stay masked


def test_plugin_declared_personal_data_is_masked_by_the_server(team, asx, monkeypatch):
    """R-SEC-1/5, hook register_personal_data: the membership plugin declares members.name; once its
    tables exist, an agent's login is refused the raw column and reads it masked through asx_masked —
    as for asx's own tables — while the owner reads it as written; `asx db roles --check` is clean."""
    import asx_membership
    import psycopg

    with plugin_registered(asx_membership, "membership"):
        r = asx(["--as", "李主管", "member", "add", "M9", "--buyer", "会员丙", "--name", "张三丰", "--tier", "gold"])
        assert r.exit_code == 0, r
        with _owner(team) as owner:
            assert owner.execute("SELECT name FROM members WHERE buyer = '会员丙'").fetchone()[0] == "张三丰"
        with psycopg.connect(team["agent_url"], autocommit=True) as c:
            _refused(c, "SELECT name FROM public.members")
            shown = c.execute("SELECT name, tier FROM asx_masked.members").fetchall()
            assert shown and all(name != "张三丰" for name, _ in shown) and ("gold" in {t for _, t in shown})
        monkeypatch.setenv("ASX_DB", team["agent_url"])
        r = asx(["member", "list", "-f", "json"])
        assert r.exit_code == 0 and "张三丰" not in r.stdout, r
        monkeypatch.delenv("ASX_DB")
        r = asx(["--as", "李主管", "db", "roles", "--check"])
        assert r.exit_code == 0, r


def test_case_buyer_is_copied_only_into_personal_data(team, asx, monkeypatch):
    """R-SEC-1/5 (migration 0161, asx.api.copy_case_buyer): the server copies a case's raw buyer id for
    an agent's login only into a column that login may not read raw either — never into a readable
    one, where the login would then read it (here cases.agent), neither through asx nor with SQL."""
    import psycopg

    from asx import api
    from asx.core.app import App
    from asx.core.errors import PermissionDenied

    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        _refused(c, "SELECT asx_copy_case_buyer(1, 'cases', 'agent', 'id', '2')")
    app = App(db=team["agent_url"])
    try:
        with pytest.raises(PermissionDenied, match="not declared personal data"):
            api.copy_case_buyer(app, 1, "cases", {"id": 2}, column="agent")
    finally:
        app.close()
    with _owner(team) as owner:
        assert owner.execute("SELECT count(*) FROM cases WHERE agent = buyer").fetchone()[0] == 0
