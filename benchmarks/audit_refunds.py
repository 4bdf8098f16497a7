"""Benchmark: `asx audit refunds` of a 200,000-row Alipay merchant ledger (GBK) against a database of
1,000,000 cases, 200,000+ ledger entries, 200,000 known orders and a month of roster.

    python benchmarks/audit_refunds.py [--rows 200000] [--cases 1000000] [--columns 16] [--dir DIR] [--keep] [--runs 3]

Builds the workspace with executemany straight into SQLite (not timed), writes the statement
with asx.money.audit.alipay_file (not timed), then times the real command in a fresh process
(`python -m asx audit refunds FILE -f csv --no-record`, stdout discarded) and prints its wall
and CPU time and peak memory (VmHWM of that process: on Linux its ru_maxrss would include the
parent's peak right after a build), plus an in-process breakdown: statement reading alone (the brief rows
the audit reads, and the general reader's StatementRows for comparison) vs.
the whole audit. Targets: ≤ 3 s, ≤ 300 MB. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TZ = ZoneInfo("Asia/Shanghai")
AGENTS = ["萌萌", "小雨", "阿杰", "晓琳", "大伟", "思思", "老周", "小芳", "小七", "李主管"]
START = datetime(2026, 10, 1, tzinfo=TZ)
DAYS = 30


def build(ws: Path, rows: int, cases: int, seed: int = 11, columns: int = 16) -> Path:
    """Workspace with the data; returns the statement path."""
    from asx.money.audit import alipay_file

    rng = random.Random(seed)
    env = {**os.environ, "ASX_NOW": "2026-11-05T10:00:00+08:00"}
    subprocess.run([sys.executable, "-m", "asx", "init", str(ws), "--me", "李主管"], check=True, env=env,
                   capture_output=True)
    db = sqlite3.connect(ws / "asx.db")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    t0 = int(START.timestamp())
    db.executemany("INSERT INTO agents (name, role, active, created_at) VALUES (?, ?, 1, ?)",
                   [(a, "supervisor" if a == "李主管" else "agent", t0) for a in AGENTS])
    # roster: everyone works 08:30-23:00 in two shifts, one rest day a week
    roster = []
    for d in range(-1, DAYS + 1):
        day = (START + timedelta(days=d)).date().isoformat()
        for i, a in enumerate(AGENTS):
            rest = (d + i) % 7 == 0
            segs = None if rest else ("08:30-17:30" if i % 2 else "10:00-14:00,17:30-23:00")
            roster.append((day, a, None if rest else ("D" if i % 2 else "N"), "rest" if rest else "work", segs, t0))
    db.executemany("INSERT INTO roster_days (day, agent, shift, mark, segments, updated_at) VALUES (?,?,?,?,?,?)",
                   roster)
    # a million cases; the first `rows` of them had money resolutions
    order = lambda i: f"39{i:016d}"  # noqa: E731
    batch = []
    for i in range(1, cases + 1):
        batch.append((i, "wangwang", "quality", order(i), t0 + i % (DAYS * 86400), t0, "refund_only"
                      if i <= rows else "explained"))
        if len(batch) == 50000:
            db.executemany("INSERT INTO cases (id, channel, category, order_no, opened_at, updated_at, resolution) "
                           "VALUES (?,?,?,?,?,?,?)", batch)
            batch.clear()
    if batch:
        db.executemany("INSERT INTO cases (id, channel, category, order_no, opened_at, updated_at, resolution) "
                       "VALUES (?,?,?,?,?,?,?)", batch)
    # one ledger entry per payout (+ a few planted problems), signed; orders with their paid amount.
    # Entries are recorded in time order (ids grow with time), as they are in a real shop.
    lines, entries, signs, orders = [], [], [], []
    for i in range(1, rows + 1):
        day = rng.randrange(DAYS)
        ai = rng.randrange(len(AGENTS) - 1)
        agent = AGENTS[ai]
        # a minute inside the agent's shift on a working day
        minute = rng.randrange(8 * 60 + 30, 17 * 60 + 30) if ai % 2 else rng.choice(
            [rng.randrange(600, 840), rng.randrange(1050, 1380)])
        if (day + ai) % 7 == 0:
            day = (day + 1) % DAYS
        at = START + timedelta(days=day, minutes=minute, seconds=rng.randrange(60))
        fen = rng.randrange(500, 20000)
        reason = "refund" if i % 3 else "compensation"
        content = "退货退款" if reason == "refund" else "删除中评"
        note = f"{content}_{agent}"
        if i % 20000 == 1:
            note = ""                                      # a few payouts without note
        ts = int(at.timestamp())
        mode = i % 4                                       # how the ledger entry is keyed
        entries.append((ts - 60, fen, reason, agent, i, order(i) if mode != 3 else None, "alipay",
                        f"2026{i:020d}" if mode == 0 else None, note, t0))
        orders.append((order(i), fen + 1000))
        lines.append(alipay_file.LedgerLine(f"2026{i:020d}", at, fen, "out",
                                            merchant_order_no="T200P" + order(i) if mode != 3 else "",
                                            order_no=order(i) if mode != 3 else "",
                                            counterparty=f"买家{i}(1{rng.randrange(3, 10)}{rng.randrange(10**8, 10**9)})",
                                            biz_type="交易退款" if reason == "refund" else "转账", note=note))
    entries.sort()
    entries = [(n, *e) for n, e in enumerate(entries, start=1)]
    signs = [(e[0], "李主管", e[1] + 3600) for e in entries]
    db.executemany("INSERT INTO ledger (id, at, amount_fen, reason, agent, case_id, order_no, channel, txn_id, note, "
                   "created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", entries)
    db.executemany("INSERT INTO ledger_signoffs (entry_id, by, at) VALUES (?,?,?)", signs)
    db.executemany("INSERT INTO orders (order_no, paid_fen) VALUES (?, ?)", orders)
    db.commit()
    db.close()
    lines.sort(key=lambda ln: ln.time)
    return alipay_file.write(ws / "inbox" / "alipay-ledger-202610.csv", lines, account="20880011223344550156",
                             columns=columns,
                             start=START, end=START + timedelta(days=DAYS), exported=START + timedelta(days=DAYS + 1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--dir", type=Path, default=None, help="Build here (reused when it holds a workspace).")
    ap.add_argument("--columns", type=int, choices=(12, 16), default=16,
                    help="Statement variant (the merchant ledger has 12 or 16 columns).")
    ap.add_argument("--keep", action="store_true", help="Keep the temporary workspace.")
    ap.add_argument("--runs", type=int, default=3, help="Timed runs of the command (best and median shown).")
    a = ap.parse_args()
    ws = a.dir or Path(tempfile.mkdtemp(prefix="asx-audit-bench-")) / "ws"
    stmt = ws / "inbox" / "alipay-ledger-202610.csv"
    if not stmt.exists():
        t = time.perf_counter()
        stmt = build(ws, a.rows, a.cases, columns=a.columns)
        print(f"built: {a.cases:,} cases, {a.rows:,} ledger entries/orders, statement {stmt.stat().st_size / 1e6:.1f} MB "
              f"GBK in {time.perf_counter() - t:.1f} s ({ws})")
    env = {**os.environ, "ASX_NOW": "2026-11-05T10:00:00+08:00", "ASX_LOAD_PLUGINS": ""}
    cmd = [sys.executable, "-c",
           "import resource, sys, time\n"
           "t = time.perf_counter()\n"
           "from asx.cli import main\n"
           "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
           "r = resource.getrusage(resource.RUSAGE_SELF)\n"
           # ru_maxrss survives exec on Linux: a child started by a big parent (just after the build)
           # reports the parent's peak; VmHWM is this program's own peak
           "peak = r.ru_maxrss\n"
           "try:\n"
           "    peak = int(next(ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM:')))\n"
           "except (OSError, StopIteration, ValueError):\n    pass\n"
           "print(f'BENCH {time.perf_counter() - t:.3f} {peak} {code} {r.ru_utime + r.ru_stime:.3f}',"
           " file=sys.stderr)\n",
           "audit", "refunds", str(stmt), "-f", "csv", "--no-record"]
    times, rss, cpus = [], [], []
    for _ in range(a.runs):
        p = subprocess.run(cmd, cwd=ws, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        bench = [ln for ln in p.stderr.splitlines() if ln.startswith("BENCH")][-1].split()
        summary = [ln for ln in p.stderr.splitlines() if ln.startswith("asx: audit:")]
        times.append(float(bench[1]))
        rss.append(int(bench[2]) / 1024)
        code = bench[3]
        cpus.append(float(bench[4]))
    print(summary[-1] if summary else p.stderr[-500:])
    times.sort()
    cpus.sort()
    print(f"asx audit refunds ({a.rows:,} rows vs {a.cases:,} cases): wall best {times[0]:.2f} s, median "
          f"{times[len(times) // 2]:.2f} s (target ≤ 3 s); CPU best {cpus[0]:.2f} s; peak memory {max(rss):.0f} MB "
          f"peak RSS (target ≤ 300 MB); exit {code}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from gen import bench

    bench("audit_refunds", times[len(times) // 2], "s", 3)
    bench("audit_refunds_cpu", cpus[0], "s", 3)
    bench("audit_refunds_peak", max(rss), "MB", 300)
    # in-process breakdown: reading the statement alone vs. the whole audit
    from asx.money.audit import engine
    from asx.money.statements import detect, detect_and_read
    from asx.store import open_store

    def cpu():
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    t, c = time.perf_counter(), cpu()
    n = sum(1 for _ in detect_and_read(stmt, stream=True).rows)
    t_general, c_general = time.perf_counter() - t, cpu() - c
    t, c = time.perf_counter(), cpu()
    sum(1 for _ in detect(stmt).read_brief(stmt, tz=TZ).rows)      # what the audit reads: brief rows
    t_read, c_read = time.perf_counter() - t, cpu() - c
    os.environ["ASX_LOAD_PLUGINS"] = ""
    store = open_store(ws / "asx.db")
    t, c = time.perf_counter(), cpu()
    res = engine.run(store, [stmt], tz=TZ, now=int(datetime(2026, 11, 5, 10, tzinfo=TZ).timestamp()),
                     settings=engine.Settings(limits_yuan={"compensation": 200.0, "refund": 5000.0}))
    t_all, c_all = time.perf_counter() - t, cpu() - c
    print(f"statement reader, general path (StatementRow per row): {t_general:.2f} / {c_general:.2f} s (wall / CPU)")
    print(f"breakdown (wall / CPU): statement reader alone (brief rows, as the audit reads them) {t_read:.2f} / "
          f"{c_read:.2f} s for {n:,} rows; audit "
          f"in-process {t_all:.2f} / {c_all:.2f} s ({len(res.findings)} findings) -> audit without the reader ≈ "
          f"{t_all - t_read:.2f} / {c_all - c_read:.2f} s")
    print(f"this process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if a.dir is None and not a.keep:
        shutil.rmtree(ws.parent)


if __name__ == "__main__":
    main()
