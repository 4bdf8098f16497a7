"""Benchmark: `asx case search TEXT` on N cases (default 1,000,000; target ≤ 200 ms, issue 18 item 11).

Builds a store with benchmarks/gen.py (summaries and history notes as the generator writes them), gives
a few cases a rare phrase, then times the real code path (asx.store.search.search_cases, the one the
command calls) and the command end to end in a fresh process:

* the first search, which builds the SQLite FTS5 trigram index from the stored text (once);
* warm searches: a common phrase (one case in eight has it), a rare one (5 cases), no match, and a
  two-character query (below a trigram: a scan of the indexed text);
* a search after one new note (the index catches up incrementally).

Usage: python benchmarks/search.py [N] [--keep DIR]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import NOW, bench, build_store  # noqa: E402

RARE = "拆成两个包裹寄错地址"


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def fmt(ms: list[float]) -> str:
    return f"median {statistics.median(ms):7.1f} ms   min {min(ms):7.1f} ms   max {max(ms):7.1f} ms  ({len(ms)} runs)"


def main() -> None:
    args = sys.argv[1:]
    n = int(args[0]) if args and args[0].isdigit() else 1_000_000
    keep = Path(args[args.index("--keep") + 1]) if "--keep" in args else None
    tmp = keep or Path(tempfile.mkdtemp(prefix="asx-bench-search-"))
    ws = tmp / "ws"
    os.environ["ASX_NOW"] = NOW
    t0 = time.perf_counter()
    build_store(ws, cases=n, seed=1, reviews=0, ledger=0, daily=False, statement=False)
    print(f"built {n:,} cases in {time.perf_counter() - t0:.1f} s ({ws})")

    from asx.core.app import App
    from asx.store import search

    app = App(ws)
    store = app.store
    with store.tx():
        for cid in (7, n // 3, n // 2, n - 10, n - 1):
            store.execute("UPDATE cases SET summary = summary || ? WHERE id = ?", (f"，{RARE}", cid))
    print(f"case_events with notes: {store.scalar('SELECT count(*) FROM case_events WHERE note IS NOT NULL'):,}")

    t0 = time.perf_counter()
    search.search_cases(store, "快递一直", limit=50)
    build_s = time.perf_counter() - t0
    print(f"first search (builds the trigram index of {n:,} cases): {build_s:.1f} s")
    bench("case_search_index_build", build_s, "s")

    queries = [("common", "快递一直没有", 50), ("rare", RARE[:6], 50), ("none", "完全不存在的文字", 50),
               ("two_chars", "破损", 50)]
    print("target: case search ≤ 200 ms on 1,000,000 cases")
    for name, q, limit in queries:
        got = len(search.search_cases(store, q, limit=limit))
        t = timed(lambda: search.search_cases(store, q, limit=limit), 15)
        print(f"domain  search {name:9} {q!r:24} rows {got:3}:  {fmt(t)}")
        bench(f"case_search_{name}", statistics.median(t), "ms", 200)
    with store.tx():
        store.execute("INSERT INTO case_events (case_id, at, by, action, note) VALUES (?, ?, ?, 'note', ?)",
                      (n // 4, int(time.time()), "萌萌", "买家说快递员把箱子摔了"))
    t = timed(lambda: search.search_cases(store, "快递员把箱子", limit=50), 1)
    print(f"domain  search after one new note (incremental index): {fmt(t)}")
    app.close()

    exe = [sys.executable, "-m", "asx.cli"] if not (Path(sys.executable).parent / "asx").exists() else \
        [str(Path(sys.executable).parent / "asx")]
    env = {**os.environ, "ASX_NOW": NOW}
    cli = []
    for _ in range(5):
        t0 = time.perf_counter()
        r = subprocess.run([*exe, "case", "search", RARE[:6], "-f", "json"], cwd=ws, env=env, capture_output=True,
                           text=True)
        cli.append((time.perf_counter() - t0) * 1000)
        assert r.returncode == 0, r.stderr
    print(f"command asx case search (fresh process, incl. start-up):  {fmt(cli)}")
    bench("case_search_command", statistics.median(cli), "ms")


if __name__ == "__main__":
    main()
