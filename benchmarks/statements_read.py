"""Benchmark: read a 200,000-row Alipay merchant ledger (GBK, 16 columns).

    python benchmarks/statements_read.py [--rows N] [--list]

Generates the file in a temporary directory, then reads it with
``detect_and_read`` streaming (default) or as a list (``--list``) and prints
rows/s, file size and peak memory (tracemalloc peak of Python allocations and
the process's max RSS).  Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from asx.statements import detect_and_read  # noqa: E402

HEADER = ("账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,"
          "账户余额（元）,交易渠道,业务类型,备注,业务描述,业务账单来源,业务基础订单号,业务订单号")


def generate(path: Path, rows: int, seed: int = 20261101) -> None:
    rnd = random.Random(seed)
    out_n = in_n = out_fen = in_fen = 0
    balance = 10_000_000
    with open(path, "w", encoding="gbk", newline="") as f:
        f.write("#支付宝账务明细查询\r\n#账号：[20880011223344550156]\r\n"
                "#起始日期：[2026年11月01日 00:00:00]   终止日期：[2026年12月01日 00:00:00]\r\n"
                "#-----------------------------------------账务明细列表----------------------------------------\r\n")
        f.write(HEADER + "\r\n")
        for i in range(rows):
            fen = rnd.randint(1, 99_999)
            payout = rnd.random() < 0.3
            order = 3961024556789012 + i
            sec = i * 12
            when = f"2026-11-{1 + sec // 86400 % 30:02d} {sec // 3600 % 24:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"
            amount = f"{fen // 100}.{fen % 100:02d}"
            if payout:
                out_n += 1
                out_fen += fen
                balance -= fen
                cells = ["", f"-{amount}", "转账", rnd.choice(["删除中评_萌萌", "补偿运费 _ 小美", "退差价_阿杰"])]
            else:
                in_n += 1
                in_fen += fen
                balance += fen
                cells = [f"+{amount}", "", "在线支付", ""]
            f.write(",".join([
                f"2026110120004001{i:010d}\t", f"2026110122001401{i:012d}\t", f"T200P{order}\t",
                "羊毛围巾 灰色          ", when, "bu***@163.com", cells[0], cells[1],
                f"{balance // 100}.{balance % 100:02d}", "支付宝", cells[2], cells[3],
                "淘宝交易", "淘宝", f"{order}\t", f"P{i:08d}\t",
            ]) + "\r\n")
        f.write("#----------------------------------------账务明细列表结束-------------------------------------\r\n")
        f.write(f"#支出合计：{out_n}笔，共{out_fen // 100}.{out_fen % 100:02d}元\r\n")
        f.write(f"#收入合计：{in_n}笔，共{in_fen // 100}.{in_fen % 100:02d}元\r\n")
        f.write("#导出时间：[2026年12月01日 08:00:00]\r\n")


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


if __name__ == "__main__":
    main()
