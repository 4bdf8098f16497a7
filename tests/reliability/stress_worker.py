"""One writer of the concurrency test (issue 9 §2): adds and advances cases and reviews through the
real command code, ``asx.cli.main([...])`` in a loop (the real command path without an interpreter
start per call), the first few operations through the real console script.

    python stress_worker.py WORKER N SHARED_CASE SEED LOG.json ASX_EXE

Every operation and its exit code goes to LOG.json, with what the worker expects the database to
hold afterwards: per case its status and number of history events, per review its progress and
number of events, and the notes it added to the shared case.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

from asx.cli import main
from asx.testing import ws_store

REQUIRED_STEPS = {"quality": ("apologise",), "质量问题": ("apologise",),
                  "late_delivery": ("apologise", "pull_tracking", "tell_buyer_first")}
NEXT = {"new": ("respond", "open"), "open": ("resolve", "resolved"), "resolved": ("close", "closed")}


def run(args: list[str], exe: str | None) -> tuple[int, str]:
    if exe:
        r = subprocess.run([exe, *args], capture_output=True, text=True)
        return r.returncode, r.stderr
    err = io.StringIO()
    code = 0
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        try:
            main(args)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException as e:  # a traceback reaching the user is a failure too
            code = 99
            err.write(f"{type(e).__name__}: {e}\n")
    return code, err.getvalue()


def main_() -> None:
    w, n, shared, seed, log_path, exe = sys.argv[1:7]
    w, n, shared, seed = int(w), int(n), int(shared), int(seed)
    rng = random.Random(seed * 1000 + w)
    db = ws_store(".", migrate=False)  # the workspace's database, SQLite file or PostgreSQL (issue 10)
    cases: dict[str, dict] = {}
    reviews: dict[str, dict] = {}
    ops, notes = [], 0
    for i in range(n):
        console = exe if i < 2 else None  # a few through the real console script
        r = rng.random()
        if r < 0.3 or not cases:
            order = f"W{w}-{i}"
            cat = rng.choice(["inquiry", "quality", "质量问题", "late_delivery"])
            args = ["case", "add", "--category", cat,
                    "--order", order, "--buyer", f"买家{w}{i}", "--phone", f"139{w:02d}{i:06d}", "--summary",
                    "东西坏了", "-q"]
            code, err = run(args, console)
            if code == 0:
                cid = db.scalar("SELECT id FROM cases WHERE order_no = ?", (order,))
                cases[order] = {"id": cid, "status": "new", "events": 1, "category": cat}
        elif r < 0.55:
            order = rng.choice(sorted(cases))
            c = cases[order]
            if c["status"] in NEXT:
                action, to = NEXT[c["status"]]
                args = ["case", action, str(c["id"])]
                if action == "resolve":
                    args += ["--resolution", "explained", "--party", "buyer"]
                    # R-CASE-3: the required checklist steps first
                    for step in REQUIRED_STEPS.get(c["category"], ()):
                        if run(["case", "check", str(c["id"]), step], console)[0] == 0:
                            c["events"] += 1
                code, err = run(args, console)
                if code == 0:
                    c["status"] = to
                    c["events"] += 1
            else:
                code, err = run(["case", "note", str(c["id"]), f"跟进 {w}-{i}"], console)
                if code == 0:
                    c["events"] += 1
        elif r < 0.65:
            code, err = run(["case", "note", str(shared), f"shared {w}-{i}"], console)
            notes += code == 0
            args = ["case", "note", str(shared)]
        elif r < 0.85 or not reviews:
            tid = f"T{w}-{i}"
            args = ["review", "add", "--tid", tid, "--created", "2026-11-19T10:00", "--result",
                    rng.choice(["negative", "neutral"]), "--buyer", f"买家{w}{i}", "--phone", f"137{w:02d}{i:06d}"]
            code, err = run(args, console)
            if code == 0:
                rid = db.scalar("SELECT id FROM reviews WHERE tid = ?", (tid,))
                reviews[tid] = {"id": rid, "progress": "open", "events": 1}
        else:
            tid = rng.choice(sorted(reviews))
            v = reviews[tid]
            if v["progress"] == "open" and rng.random() < 0.3:
                args = ["review", "resolve", str(v["id"]), "revised"]
                code, err = run(args, console)
                if code == 0:
                    v["progress"] = "revised"
                    v["events"] += 1
            elif v["progress"] == "open":
                args = ["review", "contact", str(v["id"]), "--via", "wangwang", "--result", "no_answer"]
                code, err = run(args, console)
                if code == 0:
                    v["events"] += 1
            else:
                args = ["review", "resolve", str(v["id"]), "open"]
                code, err = run(args, console)
                if code == 0:
                    v["progress"] = "open"
                    v["events"] += 1
        ops.append({"args": args[:2], "code": code, "err": err.strip()[-500:], "console": bool(console)})
    json.dump({"ops": ops, "cases": cases, "reviews": reviews, "shared_notes": notes}, open(log_path, "w"),
              ensure_ascii=False)


if __name__ == "__main__":
    main_()
