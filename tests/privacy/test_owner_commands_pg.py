"""A person's own login on a team PostgreSQL database (R-SEC-5) and the owner's commands: a supervisor's
login cannot lift the append-only guards a purge rewrites (R-SEC-4), nor grant the roles, so `asx db
purge` and `asx db roles` say so in one line (exit 2) — both were "internal error: must be owner of …",
exit 3, and `db roles --check` listed 600 grants as missing that a login just cannot see; the owner's
connection purges and checks. And no command a supervisor or an agent runs from their own login
ends in an internal error."""

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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_db_roles_from_a_persons_login_names_the_owner(sample, asx, monkeypatch, lang):
    db = ws_database(sample)
    with own_logins(sample, {"测试主管": "supervisor", "测试客服": "agent"}, password="pw-roles-123456",
                    monkeypatch=monkeypatch, tag=secrets.token_hex(3)) as logins:
        for role in ("supervisor", "agent"):
            with monkeypatch.context() as m:
                m.setenv("ASX_DB", login_url(db, logins[role]))
                for check in ([], ["--check"]):  # a login sees only part of the grants: no false "missing"
                    r = asx(["--lang", lang, "db", "roles", *check])
                    assert r.exit_code == 2, r
                    assert "internal error" not in r.stderr and "drifted" not in r.stderr and not r.stdout
                    assert ("owner's connection" if lang == "en" else "所有者的连接") in r.stderr
        r = asx(["db", "roles", "--check"])                  # the owner's connection: every grant in place
        assert r.exit_code == 0, r


#: what a supervisor or an agent may type at their own login: whatever is refused, nothing is an internal error
SWEEP = ["db check", "db migrate", "db roles", "db roles --check", "db purge --dry-run", "nightly",
         "kpi show --period 2026-11", "kpi export --period 2026-11", "roster check", "roster generate --start 2026-12-21",
         "audit refunds", "ledger list", "agent list", "agent add 新人 --role agent", "agent retire 小七 --on 2026-12-13",
         "case list", "case due", "review list", "today", "me", "log missing", "customer show 海边的风871",
         "config show", "plugins", "case add --buyer 张三 --category quality --summary 坏了 --channel wangwang",
         "case note 1 已联系", "review add --tid T1 --oid 123 --created 2026-11-19T10:00 --result 差评 --buyer 李四",
         "ledger add --amount 10 --reason 补偿 --agent 萌萌 --content 补偿_萌萌", "log add --day 2026-11-19 --served 10",
         "roster leave 萌萌 --from 2026-11-24 --to 2026-11-24 --reason 病假", "review next", "sla forecast"]


def test_no_command_ends_in_an_internal_error_at_a_persons_login(sample, asx, monkeypatch):
    db = ws_database(sample)
    bad = []
    with own_logins(sample, {"测试主管": "supervisor", "测试客服": "agent"}, password="pw-sweep-123456",
                    monkeypatch=monkeypatch, tag=secrets.token_hex(3)) as logins:
        for role in ("supervisor", "agent"):
            with monkeypatch.context() as m:
                m.setenv("ASX_DB", login_url(db, logins[role]))
                for cmd in SWEEP:
                    r = asx(cmd.split())
                    if r.exit_code not in (0, 1, 2) or "internal error" in r.stderr or "Traceback" in r.stderr:
                        bad.append((role, cmd, r.exit_code, r.stderr.strip().splitlines()[-1:]))
    assert bad == []


def test_nightly_at_a_supervisors_login_says_masking_needs_the_owner(sample, asx, monkeypatch):
    # mask-names rewrites stored texts: at a person's login it fails with what to do (exit 1, so a cron job
    # at the wrong login is noticed), the other jobs run (it was "FAILED: DatabaseError: cannot update
    # column "summary" of view "cases"")
    db = ws_database(sample)
    with own_logins(sample, {"测试主管": "supervisor"}, password="pw-nightly-123456", monkeypatch=monkeypatch,
                    tag=secrets.token_hex(3)) as logins:
        with monkeypatch.context() as m:
            m.setenv("ASX_DB", login_url(db, logins["supervisor"]))
            r = asx(["nightly", "--date", "2026-11-19"])
            assert r.exit_code == 1, r
            assert "mask-names: FAILED: masking names in the stored texts needs the owner's connection" in r.stderr
            assert "DatabaseError" not in r.stderr and "kpi-export: ok" in r.stderr
            r = asx(["--lang", "zh", "nightly", "--date", "2026-11-19", "--only", "mask-names"])
            assert "遮盖已存文本中的姓名需要所有者的连接" in r.stderr, r
        r = asx(["nightly", "--date", "2026-11-19", "--only", "mask-names"])   # the owner's connection masks
        assert r.exit_code == 0 and "mask-names: ok" in r.stderr, r
