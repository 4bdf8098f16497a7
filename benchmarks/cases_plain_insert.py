#!/usr/bin/env python3
"""Benchmark: why is a plain ``sqlite3.executemany`` of N cases into ``cases`` (the baseline of
benchmarks/cases_import.py) slow? The same rows (the generator's import CSV) into variants of the
schema and of the settings, each into a fresh database made by the real migrations:

* ``schema``      — as the import baseline: asx's schema, WAL, synchronous NORMAL, 64 MB cache
* ``bare``        — the same columns in a table without any index or constraint
* ``ext_key``     — only the UNIQUE ext_key index (the 9 secondary indexes dropped)
* ``idx_after``   — ``ext_key``, then the 9 secondary indexes created after the load (what the
                    import does into an empty table)
* ``no_prefix``   — ``schema`` without the indexes that are a left prefix of another one
                    (cases_status_due of cases_status_due_agent)
* ``cache_512mb`` — ``schema`` with a 512 MB page cache
* ``page_16k``    — ``schema`` in a database of 16 KB pages
* ``multirow``    — ``schema``, 32 rows per ``INSERT … VALUES`` statement instead of executemany

The ext_key is built in Python here (the import baseline concatenates it in SQL). Prints wall and
CPU seconds of each (insert, index build, commit) and the load average.

    python benchmarks/cases_plain_insert.py [N] [variant,variant…]
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gen import NAMED_AGENTS, NOW, bench, case_csv_rows  # noqa: E402

VARIANTS = ("schema", "bare", "ext_key", "idx_after", "no_prefix", "cache_512mb", "page_16k", "multirow")
COLS = "order_no, buyer, buyer_contact, category, severity, channel, summary, agent, opened_at, ext_key, updated_at, status"
ONE = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'new')"


def fresh(path: Path, page_size: int | None = None) -> sqlite3.Connection:
    """A fresh database with asx's schema, tuned like the import (see cases_import.baseline_db)."""
    from cases_import import baseline_db

    return baseline_db(path, page_size)


def run(variant: str, rows: list, path: Path) -> float:
    """Rows/s of one variant (printed with its breakdown)."""
    conn = fresh(path, 16384 if variant == "page_16k" else None)
    table = "cases"
    saved = []
    if variant in ("ext_key", "idx_after"):
        saved = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' "
                             "AND sql IS NOT NULL").fetchall()
        for name, _ in saved:
            conn.execute(f'DROP INDEX "{name}"')
    elif variant == "no_prefix":
        conn.execute("DROP INDEX cases_status_due")
    elif variant == "bare":
        conn.execute("CREATE TABLE cases_bare AS SELECT * FROM cases WHERE 0")
        table = "cases_bare"
    elif variant == "cache_512mb":
        conn.execute("PRAGMA cache_size = -524288")
    t0, c0 = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    if variant == "multirow":
        per = 32
        sql = f"INSERT INTO {table} ({COLS}) VALUES " + ", ".join([ONE] * per)
        full = len(rows) // per * per
        conn.executemany(sql, (list(itertools.chain.from_iterable(rows[j:j + per])) for j in range(0, full, per)))
        for r in rows[full:]:
            conn.execute(f"INSERT INTO {table} ({COLS}) VALUES {ONE}", r)
    else:
        conn.executemany(f"INSERT INTO {table} ({COLS}) VALUES {ONE}", rows)
    t1, c1 = time.perf_counter(), time.process_time()
    if variant == "idx_after":
        for _, sql in saved:
            if not sql.startswith("CREATE UNIQUE"):
                conn.execute(sql)
    t2, c2 = time.perf_counter(), time.process_time()
    conn.execute("COMMIT")
    t3, c3 = time.perf_counter(), time.process_time()
    conn.close()
    n = len(rows)
    print(f"{variant:12s} {n / (t3 - t0):9,.0f} rows/s: total {t3 - t0:6.2f} s (cpu {c3 - c0:5.2f}) = insert "
          f"{t1 - t0:6.2f} (cpu {c1 - c0:5.2f}) + index build {t2 - t1:5.2f} (cpu {c2 - c1:5.2f}) + commit "
          f"{t3 - t2:5.2f} (cpu {c3 - c2:5.2f}); db {path.stat().st_size / 1e6:4.0f} MB; "
          f"load {open('/proc/loadavg').read().split()[0]}", flush=True)
    return n / (t3 - t0)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    variants = sys.argv[2].split(",") if len(sys.argv) > 2 else VARIANTS
    rows = []
    for r in itertools.islice(case_csv_rows(n, seed=1, now=NOW, days=90, agents=NAMED_AGENTS), 1, None):
        # the baseline's rows: the CSV cells, ext_key = order|category|opened (as text)
        rows.append((*r, f"{r[0]}|{r[3]}|{r[8]}"))
    rates = {}
    with tempfile.TemporaryDirectory(prefix="asx-plain-") as tmp:
        for v in variants:
            rates[v] = run(v, rows, Path(tmp) / "plain.db")
    for v, rate in rates.items():  # baseline: the same rows into a bare table (no index, no constraint)
        bench(f"plain_insert_{v}", rate, "rows/s", "-", rates.get("bare", "-"))


if __name__ == "__main__":
    main()
