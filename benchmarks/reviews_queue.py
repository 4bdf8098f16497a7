"""Benchmark: `asx review next` on N reviews (default 100,000; target ≤ 300 ms).

Builds a workspace in a temporary directory, writes N reviews in every ladder state straight
into the database with executemany (next_step/due_at planned by the real asx.reviews.ladder),
then times the real code paths:

* queue.build + consuming the rows (domain, in-process), default limit 50 and the whole queue;
* the `asx review next` command end to end in a fresh process (includes Python start-up);
* `asx review report --week`.

Usage: python benchmarks/reviews_queue.py [N] [--keep DIR]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import NAMED_AGENTS as AGENTS  # noqa: E402
from gen import NOW, REVIEW_COLS, bench, review_rows  # noqa: E402


def build(ws: Path, n: int) -> None:
    os.environ["ASX_NOW"] = NOW
    from asx.core.app import App
    from asx.reviews import ladder
    from asx.store import agents as agents_store
    from asx.store import open_store
    from asx.core.workspace import init

    init(ws, me="李主管")
    app = App(ws)
    app.__dict__["store"] = open_store(app.db_path, create=True)
    pol = ladder.Policy.from_config(app.config)
    now = int(datetime.fromisoformat(NOW).timestamp())
    with app.store.tx():
        agents_store.add(app.store, name="李主管", role="supervisor", at=now - 86400 * 400, by=None)
        for a in AGENTS:
            agents_store.add(app.store, name=a, role="agent", at=now - 86400 * 400, by=None)
    rows = review_rows(n, now=now, seed=1, agents=AGENTS, policy=pol)  # the one generator (benchmarks/gen.py)
    cols = REVIEW_COLS
    with app.store.tx():
        app.store.executemany(f"INSERT INTO reviews ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                              rows)
    app.store.execute("ANALYZE")
    app.close()


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
    n = int(args[0]) if args and args[0].isdigit() else 100_000
    keep = Path(args[args.index("--keep") + 1]) if "--keep" in args else None
    tmp = keep or Path(tempfile.mkdtemp(prefix="asx-bench-reviews-"))
    ws = tmp / "ws"
    t0 = time.perf_counter()
    build(ws, n)
    print(f"built {n:,} reviews in {time.perf_counter() - t0:.1f} s ({ws})")

    from asx.core.app import App
    from asx.reviews import queue, service

    app = App(ws)
    open_n = app.store.scalar("SELECT count(*) FROM reviews WHERE next_step IS NOT NULL")
    print(f"open reviews: {open_n:,}")
    at = app.parse_time(None)
    pol = service.policy(app)

    def run(agent, limit, everything=False):
        q = queue.build(app.store, pol, at=at, agent=agent, limit=limit, everything=everything)
        return sum(1 for _ in q.items)

    print("target: review next ≤ 300 ms on 100,000 reviews")
    t = timed(lambda: run(None, 50), 15)
    print(f"domain  queue (team, limit 50, rows {run(None, 50)}):          {fmt(t)}")
    bench("review_queue_domain", statistics.median(t), "ms", 300)
    print(f"domain  queue (萌萌, limit 50, rows {run('萌萌', 50)}):          "
          f"{fmt(timed(lambda: run('萌萌', 50), 15))}")
    k = run(None, None)
    print(f"domain  queue (team, all due, rows {k:,}):      {fmt(timed(lambda: run(None, None), 5))}")
    k = run(None, None, True)
    print(f"domain  queue --all (every open, rows {k:,}):   {fmt(timed(lambda: run(None, None, True), 3))}")
    app.close()

    env = {**os.environ, "ASX_NOW": NOW}
    exe = [sys.executable, "-m", "asx"]
    for label, cmd in [
        ("cli  asx review next --agent all -f csv        ", ["review", "next", "--agent", "all", "-f", "csv"]),
        ("cli  asx --as 萌萌 review next -f csv           ", ["--as", "萌萌", "review", "next", "-f", "csv"]),
        ("cli  asx review next --agent all --limit 0 -f csv", ["review", "next", "--agent", "all", "--limit", "0",
                                                            "-f", "csv"]),
        ("cli  asx review report --week -f csv            ", ["review", "report", "--week", "-f", "csv"]),
        ("cli  asx --version (start-up floor)             ", ["--version"]),
    ]:
        def go():
            r = subprocess.run(exe + cmd, cwd=ws, env=env, capture_output=True)
            assert r.returncode == 0, r.stderr.decode()
        t = timed(go, 7)
        print(f"{label}: {fmt(t)}")
        slug = "_".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in label[5:].replace("asx ", "").replace("-f csv", "")).split())
        bench("cli_" + slug, statistics.median(t), "ms", "-" if "version" in label else 300)


if __name__ == "__main__":
    main()
