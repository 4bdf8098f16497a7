"""asx nightly: every export on the sample, masked, atomic, idempotent, locked, failures (issue 7 §6)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from asx.testing import ws_db

DAY = "2026-11-19"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _raw_pii(ws: Path) -> set[str]:
    conn = ws_db(ws)
    out = set()
    for table, col in (("cases", "buyer"), ("cases", "buyer_contact"), ("reviews", "buyer"), ("reviews", "phone")):
        out |= {r[0] for r in conn.execute(f"SELECT DISTINCT {col} FROM {table} WHERE {col} IS NOT NULL")
                if len(r[0]) >= 4}
    for (ids,) in conn.execute("SELECT served_ids FROM daily_records WHERE served_ids IS NOT NULL"):
        out |= set(json.loads(ids))
    conn.close()
    return out


def test_sample_nightly_produces_every_export(sample, asx):
    r = asx("nightly")
    assert r.exit_code == 0, r
    folder = sample / "exports" / DAY
    names = set(os.listdir(folder))
    for want in ("kpi-day-by-agent.csv", "kpi-day-by-agent.csv.meta.json", "kpi-month-by-agent.csv",
                 "kpi-month-by-category.csv", "kpi-month-by-team.csv", "grades-2026-11.csv",
                 "complaints-2026-11.csv", "awards-2026-11.csv", "overdue.csv", "review-queue.csv", "manifest.json"):
        assert want in names, names
    lines = [l for l in r.stderr.splitlines() if l.startswith("asx nightly")]
    assert any("kpi-export: ok" in l for l in lines)
    assert any("refund-audit: ok" in l for l in lines)      # the sample's inbox statement (money plugin)
    assert "refund-audit.csv" in names
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["date"] == DAY and {j["name"] for j in manifest["jobs"]} >= {"kpi-export", "overdue"}
    meta = json.loads((folder / "kpi-month-by-agent.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["period"] == "2026-11-01..2026-11-19" and meta["timezone"] == "Asia/Shanghai"
    assert meta["indicators"]["csat"] == 1 and meta["generated_at"] == manifest["generated_at"]
    # the sample has agents with two or more service complaints this month: the ladder shows them
    ladder = (folder / "complaints-2026-11.csv").read_text(encoding="utf-8")
    counts = {}
    for line in ladder.splitlines()[1:]:
        agent = line.split(",")[1]
        counts[agent] = counts.get(agent, 0) + 1
    assert max(counts.values()) >= 2


def test_exports_hold_no_unmasked_personal_data(sample, asx):
    from asx.io.masking import find_unmasked

    assert asx("nightly").exit_code == 0
    assert asx(f"nightly --date 2026-11-15").exit_code == 0          # a Sunday: the weekly pack too
    raw = _raw_pii(sample)
    assert raw
    for day in (DAY, "2026-11-15"):
        for name, data in _files(sample / "exports" / day).items():
            # checksums (64 hex digits) can contain 11 digits in a row that look like a phone
            text = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", data.decode("utf-8"))
            assert not find_unmasked(text), (name, find_unmasked(text)[:3])
            leaked = [v for v in raw if v in text]
            assert not leaked, (name, leaked[:3])


def test_second_run_is_byte_identical(sample, asx, monkeypatch):
    assert asx("nightly").exit_code == 0
    folder = sample / "exports" / DAY
    first = _files(folder)
    mtimes = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:07:00+08:00")
    r = asx("nightly")
    assert r.exit_code == 0 and "unchanged" in r.stderr
    assert _files(folder) == first
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == mtimes
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".") and p.name != ".nightly.lock"]


def test_changed_data_changes_only_its_files(sample, asx, monkeypatch):
    assert asx("nightly").exit_code == 0
    folder = sample / "exports" / DAY
    first = _files(folder)
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:09:00+08:00")
    assert asx("--as 李主管 eval add 萌萌 -p 2026-11 --self 11").exit_code == 0
    assert asx("nightly").exit_code == 0
    second = _files(folder)
    changed = {n for n in first if first[n] != second.get(n)}
    assert "grades-2026-11.csv" in changed and "manifest.json" in changed
    assert "kpi-day-by-agent.csv" not in changed and "overdue.csv" not in changed


def test_weekly_pack_only_for_a_sunday(sample, asx):
    assert asx("nightly --date 2026-11-15").exit_code == 0
    folder = sample / "exports" / "2026-11-15"
    md = (folder / "weekly-2026-W46.md").read_text(encoding="utf-8")
    html = (folder / "weekly-2026-W46.html").read_text(encoding="utf-8")
    assert "# 周例会 Weekly meeting pack 2026-W46" in md
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "<script" not in html and "https://" not in html
    assert asx(f"nightly --date {DAY}").exit_code == 0               # a Thursday: no pack
    assert not any(n.startswith("weekly-") for n in os.listdir(sample / "exports" / DAY))


def test_lock_refuses_a_second_run(sample, asx):
    import fcntl

    root = sample / "exports"
    root.mkdir()
    fd = os.open(root / ".nightly.lock", os.O_CREAT | os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        r = asx("nightly")
        assert r.exit_code == 2 and "another `asx nightly` is running" in r.stderr
        assert not (root / DAY).exists()
    finally:
        os.close(fd)
    assert asx("nightly").exit_code == 0


def test_failing_job_exits_1_others_run_old_files_kept(sample, asx):
    from asx import hookimpl
    from asx.testing import plugin_registered

    assert asx("nightly").exit_code == 0
    folder = sample / "exports" / DAY
    overdue_before = (folder / "overdue.csv").read_bytes()

    class Broken:
        @hookimpl
        def register_nightly_jobs(self, register):
            def boom(ctx):
                ctx.write_text("half.txt", "partial")
                raise RuntimeError("statement reader crashed")

            register(15, "boom", boom)

    with plugin_registered(Broken(), "broken"):
        r = asx("nightly")
    assert r.exit_code == 1, r
    assert "boom: FAILED: RuntimeError: statement reader crashed" in r.stderr
    assert "overdue: ok" in r.stderr and "nightly job(s) failed: boom" in r.stderr
    assert not (folder / "half.txt").exists()
    assert (folder / "overdue.csv").read_bytes() == overdue_before
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert {j["name"]: j["status"] for j in m["jobs"]}["boom"] == "failed"


def _imports(path: Path) -> set[str]:
    import ast

    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return out


PACKAGE = Path(__file__).resolve().parents[2] / "asx"


def test_runner_stands_apart_from_the_cli():
    """asx/jobs/nightly.py (and the job contract in asx/core/job.py) import no click, asx.cli or
    asx.commands — not even through what they import; nothing calls the CLI from inside."""
    import subprocess
    import sys

    for path in (PACKAGE / "jobs" / "nightly.py", PACKAGE / "core" / "job.py"):
        bad = {m for m in _imports(path) if m.split(".")[0] == "click" or m.startswith(("asx.cli", "asx.commands"))}
        assert not bad, (path, bad)
    code = ("import sys, asx.jobs.nightly; "
            "print(sorted(m for m in sys.modules if m == 'click' or m.startswith(('asx.cli', 'asx.commands'))))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "[]"


def test_no_domain_module_imports_the_runner():
    """Jobs receive a JobContext (asx.core.job); only the command imports the runner (asx.jobs)."""
    users = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                   if p.parent.name not in ("jobs", "commands")
                   and any(m == "asx.jobs" or m.startswith("asx.jobs.") for m in _imports(p)))
    assert users == []


def test_each_domain_plugin_registers_its_own_job():
    """Every built-in job is a domain function registered by that domain's built-in plugin."""
    import importlib

    from asx.core.plugin_host import builtin_modules

    got = {}
    for mod in builtin_modules():
        hook = getattr(importlib.import_module(mod), "register_nightly_jobs", None)
        if hook is not None:
            hook(lambda order, name, fn, _mod=mod: got.setdefault(name, (order, _mod, fn.__module__)))
    assert got == {
        "mask-names": (5, "asx.plugins.core", "asx.privacy.names"),  # issue 21: person names in free text
        "kpi-export": (10, "asx.plugins.kpi", "asx.kpi.export"),
        "overdue": (20, "asx.plugins.cases", "asx.cases.sla"),
        "cases.autoclose": (30, "asx.plugins.cases", "asx.plugins.cases"),   # wraps asx.cases.service.autoclose
        "review-queue": (30, "asx.plugins.reviews", "asx.reviews.queue"),
        "sla-forecast": (40, "asx.plugins.daily", "asx.daily.forecast"),
        "refund-audit": (50, "asx.plugins.money", "asx.money.audit.engine"),
        "weekly-pack": (90, "asx.plugins.reports", "asx.reports.weekly"),
    }


def test_only_list_and_unknown_job(sample, asx):
    r = asx("nightly --list")
    assert r.exit_code == 0 and "kpi-export" in r.stdout and "weekly-pack" in r.stdout
    assert asx("nightly --only nosuch").exit_code == 2
    r = asx("nightly --only overdue")
    assert r.exit_code == 0 and "kpi-export" not in r.stderr
    assert set(os.listdir(sample / "exports" / DAY)) == {"manifest.json", "overdue.csv", "overdue.csv.meta.json"}


def test_report_weekly_command(sample, asx, tmp_path):
    r = asx("report weekly --week 2026-W46")
    assert r.exit_code == 0 and "## " in r.stdout and "未交日报" in r.stdout
    out = tmp_path / "w.html"
    assert asx(f"report weekly --week 2026-W46 -f html -o {out}").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_nightly_runs_as_installed_script(sample, script_runner):
    r = script_runner.run(["asx", "nightly", "--date", DAY], cwd=str(sample))
    assert r.returncode == 0, r.stderr
    assert (sample / "exports" / DAY / "manifest.json").exists()


def test_bad_or_empty_statement_is_reported_the_good_one_audited(sample, asx):
    """Issue 21: each statement in inbox/ is read on its own; an empty one and an unreadable one are
    reported (file and reason, masked: R-SEC-1/R-SEC-3), the sample's good statement is still audited
    (its findings stored and exported), and the run exits 1."""
    from asx.testing import ws_db

    inbox = sample / "inbox"
    good = sorted(p.name for p in inbox.iterdir())
    assert good
    (inbox / "empty.csv").write_bytes(b"")
    (inbox / "bad.csv").write_text("买家,电话\n欧阳娜娜,13912345678\n", encoding="utf-8")
    r = asx("nightly")
    assert r.exit_code == 1, r
    lines = [l for l in r.stderr.splitlines() if l.startswith(f"asx nightly {DAY}: refund-audit")]
    assert any("refund-audit: PROBLEMS" in l and "1 statement(s), 2 unreadable" in l for l in lines), lines
    assert any(": empty.csv: " in l for l in lines) and any(": bad.csv: " in l for l in lines), lines
    assert "13912345678" not in r.stderr and "nightly job(s) reported problems: refund-audit" in r.stderr
    folder = sample / "exports" / DAY
    audit = (folder / "refund-audit.csv").read_text(encoding="utf-8")
    assert len(audit.splitlines()) > 1                       # the good statement's findings
    assert all(good[0] in l for l in audit.splitlines()[1:] if "inbox" in l)
    meta = json.loads((folder / "refund-audit.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["files"] == good and sorted(u["file"] for u in meta["unreadable"]) == ["bad.csv", "empty.csv"]
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    job = {j["name"]: j for j in m["jobs"]}["refund-audit"]
    assert job["status"] == "problems" and len(job["problems"]) == 2
    conn = ws_db(sample)
    files = conn.execute("SELECT files FROM audit_runs WHERE by = 'nightly' ORDER BY id DESC").fetchone()[0]
    conn.close()
    assert "bad.csv" not in files and "empty.csv" not in files and good[0] in files
