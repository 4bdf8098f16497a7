"""Issue 9 §2: eight processes add and update cases and reviews through the real command code while
`asx kpi export` and `asx nightly` run: every write is there afterwards, no "database is locked"
reaches a user, and the history is consistent (events per case/review match its state).

Default: 8 × 60 operations; ``-m heavy``: 8 × 500.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from asx.testing import ws_db, ws_store

HERE = Path(__file__).resolve().parent
NOW = "2026-11-20T10:00:00+08:00"
WORKERS = 8


def _exe() -> str:
    return str(Path(sys.executable).with_name("asx"))


def _race(ws: Path, n: int, seed: int = 1) -> dict:
    exe = _exe()
    env = {**os.environ, "ASX_NOW": NOW, "PYTHONPATH": str(HERE)}
    sup = {**env, "ASX_AGENT": "李主管"}
    for k in range(WORKERS):
        subprocess.run([exe, "agent", "add", f"客服{k}", "--role", "agent"], cwd=ws, env=sup, check=True,
                       capture_output=True)
    shared = subprocess.run([exe, "case", "add", "--category", "service", "--order", "SHARED", "-q"], cwd=ws,
                            env=sup, check=True, capture_output=True, text=True).stdout.strip()
    procs = []
    for k in range(WORKERS):
        procs.append(subprocess.Popen(
            [sys.executable, str(HERE / "stress_worker.py"), str(k), str(n), shared, str(seed),
             str(ws / f"w{k}.json"), exe],
            cwd=ws, env={**env, "ASX_AGENT": f"客服{k}"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    readers = {"kpi export": [exe, "kpi", "export", "-p", "2026-11", "-o", "kpi.csv"],
               "kpi export xlsx": [exe, "kpi", "export", "-p", "2026-11", "--xlsx", "-o", "kpi.xlsx"],
               "nightly": [exe, "nightly", "--date", "2026-11-19"]}
    reader_runs: list[tuple[str, int, str]] = []
    while any(p.poll() is None for p in procs):
        for name, cmd in readers.items():
            r = subprocess.run(cmd, cwd=ws, env=sup, capture_output=True, text=True)
            reader_runs.append((name, r.returncode, r.stderr))
    worker_err = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        worker_err.append((p.returncode, err))
    logs = [json.loads((ws / f"w{k}.json").read_text(encoding="utf-8")) for k in range(WORKERS)]
    return {"shared": int(shared), "logs": logs, "readers": reader_runs, "worker_err": worker_err}


def _check(ws: Path, res: dict) -> dict:
    assert all(code == 0 for code, _ in res["worker_err"]), res["worker_err"]
    ops = [op for log in res["logs"] for op in log["ops"]]
    failed = [op for op in ops if op["code"] != 0]
    assert not failed, failed[:5]  # every operation was valid: none may fail, let alone be lost
    every_text = " ".join(op["err"] for op in ops) + " ".join(e for _, e in res["worker_err"]) + \
        " ".join(e for _, _, e in res["readers"])
    assert "locked" not in every_text.lower()
    assert "Traceback" not in every_text
    bad_readers = [(n, c, e) for n, c, e in res["readers"] if c != 0]
    assert not bad_readers, bad_readers[:3]
    conn = ws_db(ws)
    lost = 0
    n_cases = n_reviews = 0
    for log in res["logs"]:
        for order, c in log["cases"].items():
            n_cases += 1
            row = conn.execute("SELECT status, (SELECT count(*) FROM case_events e WHERE e.case_id = cases.id) "
                               "FROM cases WHERE id = ? AND order_no = ?", (c["id"], order)).fetchone()
            if row != (c["status"], c["events"]):
                lost += 1
        for tid, v in log["reviews"].items():
            n_reviews += 1
            row = conn.execute("SELECT progress, (SELECT count(*) FROM review_events e WHERE e.review_id = reviews.id) "
                               "FROM reviews WHERE id = ? AND tid = ?", (v["id"], tid)).fetchone()
            if row != (v["progress"], v["events"]):
                lost += 1
    notes = sum(log["shared_notes"] for log in res["logs"])
    got_notes = conn.execute("SELECT count(*) FROM case_events WHERE case_id = ? AND action = 'note'",
                             (res["shared"],)).fetchone()[0]
    lost += abs(notes - got_notes)
    # nothing extra either: the database holds exactly what the workers added
    assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == n_cases + 1
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == n_reviews
    # history consistent with state for every case (R-CASE-6): the last status event's target is the status
    for cid, status, last in conn.execute(
            "SELECT c.id, c.status, (SELECT to_status FROM case_events e WHERE e.case_id = c.id AND "
            "to_status IS NOT NULL ORDER BY e.id DESC LIMIT 1) FROM cases c"):
        assert status == last, (cid, status, last)
    st = ws_store(ws, migrate=False)
    assert st.integrity_problems() == []  # SQLite: integrity_check + foreign_key_check
    st.close()
    # the nightly folder is complete: manifest consistent with its files
    day = ws / "exports" / "2026-11-19"
    if day.exists():
        from nightly_check import assert_complete

        assert_complete(day)
    r = subprocess.run([_exe(), "db", "check"], cwd=ws, capture_output=True, text=True,
                       env={**os.environ, "ASX_NOW": NOW})
    assert r.returncode == 0, r.stdout + r.stderr
    return {"ops": len(ops), "cases": n_cases, "reviews": n_reviews, "shared_notes": notes, "lost": lost,
            "reader_runs": len(res["readers"])}


def _run(workspace, n):
    t = time.monotonic()
    res = _race(workspace, n)
    figures = _check(workspace, res)
    figures["seconds"] = round(time.monotonic() - t, 1)
    print("concurrency figures", figures)
    assert figures["lost"] == 0, figures
    return figures


def test_eight_writers_with_kpi_and_nightly(workspace):
    _run(workspace, 60)


@pytest.mark.heavy
def test_eight_writers_heavy(workspace):
    _run(workspace, 500)
