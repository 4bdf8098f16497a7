"""Benchmark: read a 200,000-row Alipay merchant ledger (GBK, 16 columns).

    python benchmarks/statements_read.py [--rows N] [--list]

Generates the file in a temporary directory, then reads it with
``detect_and_read`` streaming (default) or as a list (``--list``) and prints
rows/s, file size and peak memory (tracemalloc peak of Python allocations and
the process's max RSS).  Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from asx.money.statements import detect_and_read  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import bench, write_alipay_statement  # noqa: E402  the one data generator (issue 9)


def generate(path: Path, rows: int, seed: int = 20261101) -> None:
    write_alipay_statement(path, rows, seed=seed, month="2026-11", agents=["萌萌", "小美", "阿杰"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--list", action="store_true", help="materialise rows as a list")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.csv"
        t0 = time.perf_counter()
        generate(path, args.rows)
        gen_s = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6

        tracemalloc.start()
        t0 = time.perf_counter()
        stmt = detect_and_read(path, stream=not args.list)
        count = 0
        fen = 0
        for row in stmt.rows:
            count += 1
            fen += row.amount_fen
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    mode = "list" if args.list else "stream"
    print(f"file: {args.rows} rows, {size_mb:.1f} MB GBK (generated in {gen_s:.2f} s)")
    print(f"read ({mode}): {count} rows in {elapsed:.2f} s = {count / elapsed:,.0f} rows/s "
          f"(under tracemalloc); footer checked: {stmt.totals_checked}; problems: {len(stmt.problems)}")
    print(f"peak traced Python memory: {peak / 1e6:.1f} MB; process max RSS: {rss_mb:.0f} MB")

    # untraced timing (tracemalloc slows allocation-heavy code down)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.csv"
        generate(path, args.rows)
        t0 = time.perf_counter()
        stmt = detect_and_read(path, stream=not args.list)
        count = sum(1 for _ in stmt.rows)
        elapsed = time.perf_counter() - t0
    print(f"read ({mode}, no tracemalloc): {count} rows in {elapsed:.2f} s = {count / elapsed:,.0f} rows/s")
    bench(f"statements_read_{mode}", count / elapsed, "rows/s")
    bench(f"statements_read_{mode}_peak", peak / 1e6, "MB")


if __name__ == "__main__":
    main()
