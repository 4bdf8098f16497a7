"""asx case import: idempotent, all-or-nothing, kill-safe, clear errors on malformed input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HEADER = "订单编号,买家,手机,类别,级别,渠道,摘要,客服,创建时间\n"


def _rows(n, start=0):
    out = []
    for i in range(start, start + n):
        out.append(f"35{i:017d},买家{i},138{i % 10**8:08d},{['质量问题', 'quality', '少发货', 'inquiry'][i % 4]},"
                   f"normal,旺旺,问题{i},萌萌,2026-11-{1 + i % 18:02d} {9 + i % 12:02d}:{i % 60:02d}:00\n")
    return out


def _count(app, table="cases"):
    return app.store.scalar(f"SELECT count(*) FROM {table}")


def _snapshot(app):
    return (list(app.store.q("SELECT * FROM cases ORDER BY id")),
            list(app.store.q("SELECT case_id, at, action FROM case_events ORDER BY id")),
            list(app.store.q("SELECT * FROM case_sla ORDER BY case_id, target")))


def test_import_and_rerun_changes_nothing(asx, app, team):
    f = team / "cases.csv"
    f.write_text("导出时间: 2026-11-20\n" + HEADER + "".join(_rows(50)), encoding="utf-8")
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 0, r
    assert "imported 50" in r.stderr
    snap = _snapshot(app)
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 0 and "imported 0" in r.stderr and "50 already present" in r.stderr
    assert _snapshot(app) == snap
    # every case has its open event and SLA rows
    assert app.store.scalar("SELECT count(*) FROM case_events WHERE action = 'open'") == 50
    assert app.store.scalar("SELECT count(DISTINCT case_id) FROM case_sla") == 50


def test_gb18030_file_and_chinese_headers(asx, app, team):
    f = team / "gbk.csv"
    f.write_bytes((HEADER + "".join(_rows(3))).encode("gb18030"))
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 0 and "gb18030" in r.stderr, r
    assert app.store.scalar("SELECT buyer FROM cases WHERE order_no = '3500000000000000001'") == "买家1"


def test_lifecycle_columns_become_history(asx, app, team):
    f = team / "hist.csv"
    f.write_text("order,category,agent,opened_at,first_response_at,resolved_at,closed_at,resolution,party,csat\n"
                 "123,quality,萌萌,2026-11-01 10:00,2026-11-01 10:02,2026-11-02 12:00,2026-11-05 09:00,exchange,"
                 "supplier,5\n", encoding="utf-8")
    assert asx(["case", "import", str(f)]).exit_code == 0
    c = app.store.one("SELECT * FROM cases")
    assert c["status"] == "closed" and c["csat"] == 5 and c["resolution"] == "exchange"
    acts = [e["action"] for e in app.store.q("SELECT action FROM case_events ORDER BY at, id")]
    assert acts == ["open", "respond", "resolve", "close", "rate"]
    s = {r["target"]: r["state"] for r in app.store.q("SELECT * FROM case_sla")}
    assert s["first_response"] == "met" and s["resolution"] == "met"


def _fails_writes_nothing(asx, app, f, match):
    before = _count(app)
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 2, r
    assert match in r.stderr, r.stderr
    assert "Traceback" not in r.output
    assert _count(app) == before and _count(app, "case_events") == 0
    return r


def test_malformed_input(asx, app, team):
    bad = team / "bad.csv"
    bad.write_bytes(HEADER.encode() + b"\xff\xfe\x00garbage,\x81\n")
    _fails_writes_nothing(asx, app, bad, "neither UTF-8 nor GB18030")
    bad.write_text("订单编号,买家\n1,x\n", encoding="utf-8")
    _fails_writes_nothing(asx, app, bad, "no header row found" if False else "missing column")
    bad.write_text(HEADER + _rows(1)[0] + "1.23457E+17,小明,13812345678,quality,normal,旺旺,x,萌萌,2026-11-01 10:00\n",
                   encoding="utf-8")
    r = _fails_writes_nothing(asx, app, bad, "scientific notation")
    assert "line 3" in r.stderr
    rejects = Path(str(bad) + ".rejects.csv").read_text(encoding="utf-8")
    assert "1.23457E+17" in rejects and "scientific notation" in rejects
    bad.write_text(HEADER + "1,小明,13812345678,quality,normal,旺旺,x,萌萌,2026-13-45 25:00\n", encoding="utf-8")
    _fails_writes_nothing(asx, app, bad, "bad opened_at")
    bad.write_text(HEADER + "1,小明,13812345678,天气,normal,旺旺,x,萌萌,2026-11-01 10:00\n", encoding="utf-8")
    _fails_writes_nothing(asx, app, bad, "unknown category")


def test_skip_bad_and_dry_run(asx, app, team):
    f = team / "mixed.csv"
    f.write_text(HEADER + "".join(_rows(3)) + "1.2E+17,x,1,quality,normal,旺旺,x,萌萌,2026-11-01 10:00\n",
                 encoding="utf-8")
    r = asx(["case", "import", str(f), "--dry-run", "--skip-bad"])
    assert r.exit_code == 0 and "would import 3" in r.stderr and _count(app) == 0
    r = asx(["case", "import", str(f), "--skip-bad"])
    assert r.exit_code == 0 and "imported 3" in r.stderr and "1 bad" in r.stderr
    assert _count(app) == 3


def test_jsonl_and_custom_key(asx, app, team):
    f = team / "c.jsonl"
    f.write_text('{"ref": "A1", "category": "inquiry", "opened_at": "2026-11-19T10:00:00+08:00"}\n'
                 '{"ref": "A2", "category": "咨询", "opened_at": "2026-11-19T11:00:00+08:00"}\n', encoding="utf-8")
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 0 and "imported 2" in r.stderr, r


def test_killed_import_then_rerun_gives_exactly_the_rows(app, team):
    n = 60000
    f = team / "big.csv"
    with open(f, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.writelines(_rows(n))
    env = {**os.environ, "ASX_NOW": "2026-11-20T10:00:00+08:00"}
    exe = Path(sys.executable).with_name("asx")
    p = subprocess.Popen([str(exe), "case", "import", str(f)], cwd=team, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    # kill while it is writing (the imports row appears first)
    deadline = time.time() + 30
    while time.time() < deadline and p.poll() is None:
        if app.store.scalar("SELECT count(*) FROM imports WHERE status = 'running'"):
            time.sleep(0.3)
            break
        time.sleep(0.02)
    killed = p.poll() is None
    print("killed midway:", killed)
    if killed:
        p.send_signal(signal.SIGKILL)
    p.wait()
    after_kill = _count(app)
    assert after_kill in (0, n)           # all or nothing
    r = subprocess.run([str(exe), "case", "import", str(f)], cwd=team, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert _count(app) == n
    assert app.store.scalar("SELECT count(DISTINCT ext_key) FROM cases") == n
    assert app.store.scalar("SELECT count(*) FROM case_events WHERE action = 'open'") == n
    orders = {r["order_no"] for r in app.store.q("SELECT order_no FROM cases")}
    assert orders == {f"35{i:017d}" for i in range(n)}
    # the killed run's journal row does not stay 'running': the re-run marks it 'interrupted'
    # (killed before its commit) — or it is 'done' when the kill came after the commit
    assert app.store.scalar("SELECT count(*) FROM imports WHERE status = 'running'") == 0
    interrupted = app.store.scalar("SELECT count(*) FROM imports WHERE status = 'interrupted'")
    assert interrupted == (1 if killed and after_kill == 0 else 0)
    assert [r["status"] for r in app.store.q("SELECT status FROM imports ORDER BY id")][-1] == "done"


def _stale_row(app, kind="cases"):
    """The journal row a kill -9 leaves behind: 'running', never finished."""
    with app.store.tx():
        return app.store.insert("imports", {"kind": kind, "source": "killed.csv", "started_at": 0,
                                            "status": "running", "by": "萌萌"})


def _status(app, import_id):
    return app.store.scalar("SELECT status FROM imports WHERE id = ?", (import_id,))


def test_next_import_marks_a_killed_import_interrupted(asx, app, team):
    stale = _stale_row(app)
    f = team / "cases.csv"
    f.write_text(HEADER + "".join(_rows(3)), encoding="utf-8")
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 0, r
    assert _status(app, stale) == "interrupted"
    assert [r["status"] for r in app.store.q("SELECT status FROM imports ORDER BY id")] == ["interrupted", "done"]


def test_db_migrate_marks_a_killed_import_interrupted_and_db_check_only_reports_it(asx, app, team):
    stale = _stale_row(app)
    r = asx(["db", "check"])  # issue 21: `db check` writes nothing
    assert r.exit_code == 0, r
    assert "1 left 'running'" in r.stdout and "db migrate" in r.stdout
    assert _status(app, stale) == "running"
    r = asx(["db", "migrate"])
    assert r.exit_code == 0 and "marked 'interrupted'" in r.stderr, r
    assert _status(app, stale) == "interrupted"
    r = asx(["db", "check"])  # nothing left to report
    assert r.exit_code == 0 and "running" not in r.stdout


def test_db_check_does_not_wait_for_a_running_import(asx, app, team):
    """While another connection holds the write lock (an import in progress), `db check` neither
    waits for it nor marks its 'running' row (it may be alive)."""
    from asx.store import open_store

    running = _stale_row(app)
    other = open_store(app.db_path, migrate=False)   # SQLite: BEGIN IMMEDIATE; PostgreSQL: asx's write lock
    try:
        with other.tx():
            t = time.monotonic()
            r = asx(["db", "check"])
            assert time.monotonic() - t < 20
    finally:
        other.close()
    assert r.exit_code == 0, r
    assert "an import may be running" in r.stdout
    assert _status(app, running) == "running"


def test_about_column(asx, app, team):
    # R-KPI-4: the `about` import column (被投诉人) says whom a complaint is about; an unknown name is a bad row
    f = team / "about.csv"
    f.write_text("订单编号,类别,客服,被投诉人,创建时间\n"
                 "3501,服务不满意,小雨,萌萌,2026-11-10 10:00:00\n"
                 "3502,服务不满意,小雨,,2026-11-10 11:00:00\n", encoding="utf-8")
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 0, r
    got = {r["order_no"]: r["about"] for r in app.store.q("SELECT order_no, about FROM cases")}
    assert got == {"3501": "萌萌", "3502": None}
    f.write_text("order,category,opened_at,about,first_response_at\n"
                 "3601,service,2026-11-11 10:00:00,无名,2026-11-11 10:01:00\n", encoding="utf-8")
    r = asx(["case", "import", str(f)])
    assert r.exit_code != 0 and "about" in r.stderr
