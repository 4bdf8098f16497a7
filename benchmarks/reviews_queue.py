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
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

NOW = "2026-11-20T10:00:00+08:00"
AGENTS = ["萌萌", "小雨", "阿杰", "晓琳", "大伟", "思思", "小七"]


def build(ws: Path, n: int) -> None:
    os.environ["ASX_NOW"] = NOW
    from asx.app import App
    from asx.reviews import ladder
    from asx.store import agents as agents_store
    from asx.store import open_store
    from asx.workspace import init

    init(ws, me="李主管")
    app = App(ws)
    app.__dict__["store"] = open_store(app.db_path, create=True)
    pol = ladder.Policy.from_config(app.config)
    now = int(datetime.fromisoformat(NOW).timestamp())
    rng = random.Random(1)
    with app.store.tx():
        agents_store.add(app.store, name="李主管", role="supervisor", at=now - 86400 * 400, by=None)
        for a in AGENTS:
            agents_store.add(app.store, name=a, role="agent", at=now - 86400 * 400, by=None)
    cols = ("tid", "oid", "created_at", "buyer", "phone", "item", "content", "result", "severity", "severity_rule",
            "progress", "promised_until", "owner", "added_at", "updated_at", "version", "round_at", "first_msg_at",
            "wangwang_at", "sms_at", "phone_at", "phone_attempts", "last_contact_at", "last_contact_via",
            "contact_count", "resolved_at", "next_step", "due_at")
    rows = []
    for i in range(n):
        created = now - rng.randint(600, 86400 * 365)
        r = {"tid": str(4_000_000_000_000_000 + i), "oid": "", "created_at": created, "buyer": f"买家{i % 9973}",
             "phone": f"138{i % 10**8:08d}", "item": f"商品{i % 300}", "content": "质量一般，有点味道",
             "result": "negative" if i % 3 else "neutral", "severity": rng.choice((1, 1, 2, 2, 2, 3)),
             "severity_rule": "bench", "progress": "open", "promised_until": None,
             "owner": rng.choice(AGENTS + [None]), "added_at": created + 3600, "updated_at": created + 3600,
             "version": 1, "round_at": created, "first_msg_at": None, "wangwang_at": None, "sms_at": None,
             "phone_at": None, "phone_attempts": 0, "last_contact_at": None, "last_contact_via": None,
             "contact_count": 0, "resolved_at": None}
        state = rng.random()
        t = created + 7200
        if state < 0.55:  # closed long ago
            r.update(progress=rng.choice(("revised", "revised", "refused")), resolved_at=t + 86400,
                     wangwang_at=t, sms_at=t + 14400, first_msg_at=t, contact_count=2, last_contact_at=t + 14400,
                     last_contact_via="sms")
        elif state < 0.65:
            r.update(wangwang_at=min(t, now - 60), first_msg_at=min(t, now - 60), contact_count=1,
                     last_contact_via="wangwang", last_contact_at=min(t, now - 60))
        elif state < 0.8:
            w = min(t, now - 3600)
            r.update(wangwang_at=w, first_msg_at=w, sms_at=w + 60, contact_count=2, last_contact_via="sms",
                     last_contact_at=w + 60)
        elif state < 0.88:
            r.update(progress="promised", promised_until=created + rng.randint(86400, 86400 * 400))
        elif state < 0.92:
            r.update(progress="awaiting_compensation", round_at=t)
        r["next_step"], r["due_at"] = ladder.plan(r, pol)
        rows.append(tuple(r[c] for c in cols))
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

    from asx.app import App
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
    print(f"domain  queue (team, limit 50, rows {run(None, 50)}):          {fmt(timed(lambda: run(None, 50), 15))}")
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
        print(f"{label}: {fmt(timed(go, 7))}")


if __name__ == "__main__":
    main()
