#!/usr/bin/env python3
"""Benchmark: `asx case import` of N generated cases (default 1,000,000) from CSV, against a plain
``sqlite3.executemany`` insert of the same rows into the same schema, measured in the same run;
then `case list --overdue`, `case due` on that database and `case add` per process.

Targets (issue 3): ≥ 100,000 cases/s, within 2× of the plain insert, peak memory ≤ 200 MB;
list --overdue and due ≤ 300 ms; case add ≤ 250 ms per process. Printed, never asserted.

    python benchmarks/cases_import.py [N] [--keep DIR]
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import NAMED_AGENTS as AGENTS  # noqa: E402  the one data generator (issue 9)
from gen import NOW, bench, write_cases_csv  # noqa: E402


def generate(path: Path, n: int) -> None:
    write_cases_csv(path, n, seed=1, now=NOW, days=90, agents=AGENTS)


def load() -> str:
    return open("/proc/loadavg").read().split()[0]


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


LAST_CPU = [0.0]


def run(args, cwd, env) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds of one process (its CPU seconds in LAST_CPU[0])."""
    t, c = time.perf_counter(), _cpu()
    r = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    LAST_CPU[0] = _cpu() - c
    return time.perf_counter() - t, r



def baseline_db(path: Path, page_size: int | None = None):
    """A fresh database with asx's schema for a plain-executemany baseline, tuned like the import
    (``page_size``: another SQLite page size, for cases_plain_insert.py's variants)."""
    import sqlite3

    from asx.store import open_store

    for s in ("", "-wal", "-shm"):
        Path(str(path) + s).unlink(missing_ok=True)
    if page_size:
        c = sqlite3.connect(path)
        c.execute(f"PRAGMA page_size = {page_size}")
        c.execute("VACUUM")
        c.close()
    open_store(path, create=True).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -65536")
    return conn

def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    tmp = Path(keep or tempfile.mkdtemp(prefix="asx-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    exe = shutil.which("asx", path=str(Path(sys.executable).parent)) or "asx"
    env = {**os.environ, "ASX_NOW": NOW, "ASX_AGENT": "李主管"}
    # Byte-compile the package as an installed copy is: with PYTHONDONTWRITEBYTECODE set (as in CI shells)
    # every asx process would otherwise compile its modules from source (~50 ms CPU per process).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "asx")],
                   check=False, capture_output=True)
    ws = tmp / "ws"
    if ws.exists():
        shutil.rmtree(ws)
    subprocess.run([exe, "init", str(ws), "--me", "李主管"], check=True, env=env, capture_output=True)
    subprocess.run([exe, "agent", "add", "李主管", "--role", "supervisor"], cwd=ws, check=True, env=env)
    for a in AGENTS:
        subprocess.run([exe, "agent", "add", a, "--role", "agent"], cwd=ws, check=True, env=env)
    data = tmp / "cases.csv"
    t = time.perf_counter()
    generate(data, n)
    print(f"generated {n:,} rows ({data.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")

    # baseline: csv.reader + plain executemany of the same rows into the same schema, one transaction
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from asx.store import open_store

    conn = baseline_db(tmp / "baseline.db")
    t, c0 = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    with open(data, encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        next(rd)
        conn.executemany("INSERT INTO cases (order_no, buyer, buyer_contact, category, severity, channel, summary, "
                         "agent, opened_at, ext_key, updated_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                         "?1 || '|' || ?4 || '|' || ?9, 0, 'new')", rd)
    conn.execute("COMMIT")
    base_s = time.perf_counter() - t
    base_cpu = time.process_time() - c0
    conn.close()
    print(f"plain executemany (csv.reader → cases, same schema): {base_s:.2f} s (cpu {base_cpu:.2f} s) = "
          f"{n / base_s:,.0f} rows/s; load {load()}")

    # baseline B: the same rows the import writes — cases, one history event each and the SLA rows
    # (2.2 per case here) — with plain executemany, SLA due times a constant offset (no service clock)
    conn = baseline_db(tmp / "baseline2.db")
    t, c0 = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    with open(data, encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        next(rd)
        cid = 0
        while True:
            chunk = [r for _, r in zip(range(5000), rd)]
            if not chunk:
                break
            ids = range(cid + 1, cid + 1 + len(chunk))
            conn.executemany("INSERT INTO cases (id, order_no, buyer, buyer_contact, category, severity, channel, "
                             "summary, agent, opened_at, ext_key, updated_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                             "?, ?, ?2 || '|' || ?5 || '|' || ?10, 0, 'new')", [(i, *r) for i, r in zip(ids, chunk)])
            conn.executemany("INSERT INTO case_events (case_id, at, by, action, to_status, note) "
                             "VALUES (?, 0, ?, 'open', 'new', 'imported')", [(i, r[7]) for i, r in zip(ids, chunk)])
            conn.executemany("INSERT INTO case_sla (case_id, target, due_at, state) VALUES (?, ?, ?, 'pending')",
                             [(i, tg, i) for i in ids for tg in (("first_response", "resolution", "solution")
                                                                 if i % 5 == 0 else ("first_response", "resolution"))])
            cid += len(chunk)
    conn.execute("COMMIT")
    base2_s = time.perf_counter() - t
    base2_cpu = time.process_time() - c0
    conn.close()
    print(f"plain executemany of the same rows the import writes (cases + events + 2.2 SLA rows per case): "
          f"{base2_s:.2f} s (cpu {base2_cpu:.2f} s) = {n / base2_s:,.0f} cases/s; load {load()}")

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    secs, r = run([exe, "case", "import", str(data)], ws, env)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(r.stderr.strip())
    if r.returncode:
        sys.exit(r.returncode)
    print(f"asx case import: {secs:.2f} s (cpu {LAST_CPU[0]:.2f} s; load {load()}) = {n / secs:,.0f} cases/s "
          f"(target ≥ 100,000); cpu ratio {LAST_CPU[0] / base_cpu:.2f}× the plain insert, "
          f"{LAST_CPU[0] / base2_cpu:.2f}× baseline B (wall {secs / base2_s:.2f}×); "
          f"{secs / base_s:.2f}× the plain insert (target ≤ 2×); peak RSS {peak / 1024:.0f} MB "
          f"(target ≤ 200 MB){' (max of children so far)' if before else ''}")
    bench("case_import", n / secs, "rows/s", 100_000, n / base_s)
    bench("case_import_peak_rss", peak / 1024, "MB", 200)

    for label, args in (("case list --overdue", ["case", "list", "--overdue", "-f", "csv"]),
                        ("case list --overdue --limit 50", ["case", "list", "--overdue", "--limit", "50", "-f", "csv"]),
                        ("case due (mine)", ["--as", "萌萌", "case", "due", "-f", "csv"]),
                        ("case due --team", ["case", "due", "--team", "-f", "csv"]),
                        ("case due --within 2h --team", ["case", "due", "--team", "--within", "2h", "-f", "csv"])):
        times, cpus = [], []
        for _ in range(7):
            s, rr = run([exe, *args], ws, env)
            assert rr.returncode == 0, rr.stderr
            times.append(s)
            cpus.append(LAST_CPU[0])
        rows = rr.stdout.count("\n") - 1
        print(f"{label}: median {statistics.median(times) * 1000:.0f} ms (cpu {statistics.median(cpus) * 1000:.0f} ms; "
              f"{rows} rows shown; target ≤ 300 ms; load {load()})")
        slug = "_".join("".join(ch if ch.isalnum() else " " for ch in label.replace("(mine)", "mine")).split())
        bench(slug, statistics.median(times) * 1000, "ms", 300)
    times, cpus = [], []
    for i in range(7):
        s, rr = run([exe, "--as", "萌萌", "case", "add", "--category", "inquiry", "--order", f"9{i}", "-q"], ws, env)
        assert rr.returncode == 0, rr.stderr
        times.append(s)
        cpus.append(LAST_CPU[0])
    print(f"case add (one process each, on the {n:,}-case db): median {statistics.median(times) * 1000:.0f} ms "
          f"(cpu {statistics.median(cpus) * 1000:.0f} ms; target ≤ 250 ms; load {load()})")
    s, rr = run([exe, "--as", "萌萌", "--help"], ws, env)
    print(f"asx --help: {s * 1000:.0f} ms (reference floor of a process)")
    bench("case_add_process", statistics.median(times) * 1000, "ms", 250, s * 1000)
    if not keep:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
