"""asx-onsite on a team PostgreSQL database (R-SEC-5): a person's own login, the server enforcing the
roles. A unit registered during a visit keeps the case's real buyer, and the units' buyer is customer
data (R-SEC-1) the server shows an agent's login only masked."""

from __future__ import annotations

import json
import secrets

import pytest

from asx.testing import login_url, own_logins, ws_database

pytestmark = pytest.mark.postgres_only("database roles, grants and logins of a team database (R-SEC-5)")

PASSWORD = "s3cret-for-onsite-tests"
BUYER = "王小明"


@pytest.fixture
def team(sample, asx, monkeypatch):
    """The sample shop with the onsite plugin, engineer 林工 and an agent 测试客服 with a login."""
    r = asx(["--as", "李主管", "agent", "add", "林工", "--role", "specialist"])
    assert r.exit_code == 0, r
    db = ws_database(sample)
    with own_logins(sample, {"测试客服": "agent"}, password=PASSWORD, monkeypatch=monkeypatch,
                    tag=secrets.token_hex(3)) as logins:
        yield {"db": db, "agent_url": login_url(db, logins["agent"])}


def test_unit_registered_on_a_visit_keeps_the_real_buyer_masked_for_the_agent(team, asx, monkeypatch):
    """R-SEC-5/R-SEC-1: an agent's login reads the case's buyer masked (王**); recording a visit for an
    unregistered unit must store the case's real buyer on the unit (copied on the server, never
    through the agent's process), and the agent's login then reads the unit's buyer only masked —
    raw SQL on the column is refused, the listing shows it masked."""
    import psycopg

    r = asx(["--as", "李主管", "case", "add", "--buyer", BUYER, "--category", "onsite_warranty", "--summary", "无法开机",
             "--channel", "phone", "--at", "2026-11-19 09:00", "--agent", "测试客服", "-q"])
    assert r.exit_code == 0, r
    cid = int(r.stdout.strip())
    r = asx(["--as", "李主管", "onsite", "dispatch", str(cid), "--engineer", "林工", "--at", "2026-11-19 12:00"])
    assert r.exit_code == 0, r
    monkeypatch.setenv("ASX_DB", team["agent_url"])
    r = asx(["onsite", "visit", str(cid), "--arrived", "2026-11-20 09:00", "--done", "2026-11-20 09:40",
             "--fault", "E01", "--unit", "SN-PG-1", "--model", "RZ-500"])
    assert r.exit_code == 0, r
    with psycopg.connect(team["db"], autocommit=True) as owner:
        stored = owner.execute("SELECT buyer FROM onsite_units WHERE serial = 'SN-PG-1'").fetchone()[0]
    assert stored == BUYER                                    # not the masked 王**
    with psycopg.connect(team["agent_url"], autocommit=True) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT buyer FROM public.onsite_units")
        shown = c.execute("SELECT buyer FROM asx_masked.onsite_units WHERE serial = 'SN-PG-1'").fetchone()[0]
    assert shown != BUYER and shown.startswith("王")
    r = asx(["onsite", "units", "-f", "json"])
    assert r.exit_code == 0, r
    row = next(u for u in json.loads(r.stdout) if u["serial"] == "SN-PG-1")
    assert row["buyer"] != BUYER and row["buyer"].startswith("王") and BUYER not in r.stdout
    # the agent's visit listing still shows the unit and its (masked) customer
    r = asx(["onsite", "visits", str(cid), "-f", "json"])
    assert r.exit_code == 0 and BUYER not in r.stdout, r
    monkeypatch.delenv("ASX_DB")
    assert asx(["--as", "李主管", "db", "roles", "--check"]).exit_code == 0


def test_unit_added_by_an_agent_login_keeps_the_buyer_it_was_given(team, asx, monkeypatch):
    """R-SEC-1/5: an agent may still register a unit with its customer (written through the masked
    view), the owner reads it as written, the agent only masked."""
    import psycopg

    monkeypatch.setenv("ASX_DB", team["agent_url"])
    r = asx(["onsite", "unit", "add", "SN-PG-2", "--model", "RZ-300", "--buyer", "宏达机械", "--installed", "2026-03-01"])
    assert r.exit_code == 0, r
    r = asx(["onsite", "units", "-f", "json"])
    assert r.exit_code == 0 and "宏达机械" not in r.stdout, r
    with psycopg.connect(team["db"], autocommit=True) as owner:
        assert owner.execute("SELECT buyer FROM onsite_units WHERE serial = 'SN-PG-2'").fetchone()[0] == "宏达机械"
