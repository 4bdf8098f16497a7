"""Issue 18 item 9: long work shows click's progress bar (percentage, time left) on a terminal — case
and review imports, the refund audit (R-FIN-3), roster solves (R-ROS) — and nothing when not a terminal."""

from __future__ import annotations

import csv

from asx.io import progress as progress_mod
from ptyrun import run_tty

BAR = "100%"


def _cases(path, n=12000):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["order", "category", "opened_at", "summary", "channel", "severity"])
        for i in range(n):
            w.writerow([str(4000000000000000000 + i), "quality", "2026-11-10T10:00:00+08:00", "坏了", "wangwang",
                        "normal"])


def test_no_bar_object_without_a_terminal(capsys):
    with progress_mod.bar("x") as p:
        assert p is None
    assert capsys.readouterr().err == ""


def test_case_import_bar_on_a_terminal_only(sample):
    _cases(sample / "big.csv")
    code, tty, _ = run_tty(["case", "import", "big.csv", "--dry-run"])
    assert code == 0, tty
    assert "importing cases" in tty and BAR in tty
    code, out, err = run_tty(["case", "import", "big.csv", "--dry-run"], stderr_tty=False)
    assert code == 0 and "importing" not in err and "%" not in err and "would import 12000" in err


def test_refund_audit_bar_on_a_terminal_only(sample):
    stmt = next((sample / "inbox").glob("*.csv"))
    code, tty, _ = run_tty(["audit", "refunds", str(stmt), "--no-record", "-f", "csv"])
    assert code in (0, 1)
    assert "auditing refunds" in tty and BAR in tty
    code, out, err = run_tty(["audit", "refunds", str(stmt), "--no-record", "-f", "csv"], stderr_tty=False)
    assert "auditing" not in err and "%" not in err


def test_roster_solve_bar_on_a_terminal_only(sample):
    args = ["roster", "generate", "--start", "2026-12-07", "--dry-run", "--time-limit", "2"]
    code, tty, _ = run_tty(args)
    assert code == 0, tty
    assert "solving the roster" in tty and "%" in tty
    code, out, err = run_tty(args, stderr_tty=False)
    assert code == 0 and "solving" not in err


def test_log_import_bar_on_a_terminal_only(sample):
    """Issue 18 item 9: daily records (R-KPI-1) imported from a file show the bar too."""
    from datetime import date, timedelta

    with open(sample / "recs.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["day", "agent", "served", "ordered", "order_fen"])
        for i in range(600):
            w.writerow([(date(2025, 1, 1) + timedelta(days=i)).isoformat(), "大伟", 10, 1, 100])
    code, tty, _ = run_tty(["log", "import", "recs.csv"])
    assert code == 0, tty
    assert "importing records" in tty and BAR in tty
    code, out, err = run_tty(["log", "import", "recs.csv"], stderr_tty=False)
    assert code == 0 and "importing" not in err and "%" not in err and "unchanged" in err
