"""Issue 10 on both backends: the optimistic version check of case actions (`--if-version`), and ids
after an import that writes explicit ids (the PostgreSQL sequence is moved past them: Store.sync_ids)."""

from __future__ import annotations

import json

from asx.testing import ws_store


def _version(ws, case_id: int) -> int:
    st = ws_store(ws, migrate=False)
    try:
        return st.scalar("SELECT version FROM cases WHERE id = ?", (case_id,))
    finally:
        st.close()


def test_if_version_refuses_a_stale_version_and_accepts_the_current(asx, team):
    r = asx(["--as", "萌萌", "case", "add", "--category", "quality", "--order", "3512000001", "--agent", "萌萌", "-q"])
    assert r.exit_code == 0, r
    cid = int(r.stdout.strip())
    old = _version(team, cid)
    shown = json.loads(asx(["case", "show", str(cid), "-f", "json"]).stdout)
    shown = shown[0] if isinstance(shown, list) else shown
    assert shown.get("version") == old  # what an agent reads before acting
    r = asx(["--as", "小雨", "case", "respond", str(cid), "--note", "您好，我们在处理"])
    assert r.exit_code == 0, r
    now = _version(team, cid)
    assert now > old
    st = ws_store(team, migrate=False)
    events = st.scalar("SELECT count(*) FROM case_events WHERE case_id = ?", (cid,))
    st.close()
    # an action prepared on the old state: refused, one line saying who changed it, nothing written
    r = asx(["--as", "萌萌", "case", "note", str(cid), "x", "--if-version", str(old)])
    assert r.exit_code == 2, r
    line = r.stderr.strip()
    assert "\n" not in line
    assert f"case {cid} changed by 小雨 at 2026-11-20T10:00:00+08:00" in line, line
    assert f"version {now}" in line and "re-run" in line, line
    st = ws_store(team, migrate=False)
    assert st.scalar("SELECT count(*) FROM case_events WHERE case_id = ?", (cid,)) == events
    st.close()
    assert _version(team, cid) == now
    # the current version is accepted
    r = asx(["--as", "萌萌", "case", "note", str(cid), "x", "--if-version", str(now)])
    assert r.exit_code == 0, r
    st = ws_store(team, migrate=False)
    assert st.scalar("SELECT count(*) FROM case_events WHERE case_id = ?", (cid,)) == events + 1
    st.close()
    # a status change with a stale version is refused too, and leaves the status
    r = asx(["--as", "萌萌", "case", "resolve", str(cid), "--resolution", "explained", "--party", "buyer",
             "--if-version", str(old)])
    assert r.exit_code == 2 and "re-run" in r.stderr, r
    st = ws_store(team, migrate=False)
    assert st.scalar("SELECT status FROM cases WHERE id = ?", (cid,)) == "open"
    st.close()


def test_ids_after_an_import_continue_from_the_imported(asx, team):
    """The importer writes explicit ids; the next case added by hand gets the next id, not a
    duplicate key (PostgreSQL: the sequence was moved past the imported ids)."""
    rows = "".join(f"35120{i:05d},quality,萌萌,2026-11-0{1 + i % 9} 10:00\n" for i in range(30))
    (team / "in.csv").write_text("order,category,agent,opened_at\n" + rows, encoding="utf-8")
    r = asx(["case", "import", "in.csv"])
    assert r.exit_code == 0, r
    r = asx(["--as", "萌萌", "case", "add", "--category", "inquiry", "--order", "3512999999", "-q"])
    assert r.exit_code == 0, r
    assert int(r.stdout.strip()) == 31
    # and a second import after a hand-made case goes on from there too
    rows = "".join(f"35121{i:05d},quality,小雨,2026-11-1{i % 9} 11:00\n" for i in range(5))
    (team / "in2.csv").write_text("order,category,agent,opened_at\n" + rows, encoding="utf-8")
    r = asx(["case", "import", "in2.csv"])
    assert r.exit_code == 0, r
    r = asx(["--as", "萌萌", "case", "add", "--category", "inquiry", "--order", "3512999998", "-q"])
    assert r.exit_code == 0, r
    assert int(r.stdout.strip()) == 37
    st = ws_store(team, migrate=False)
    assert st.scalar("SELECT count(DISTINCT id) FROM cases") == 37
    st.close()
