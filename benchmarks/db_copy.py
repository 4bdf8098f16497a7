#!/usr/bin/env python3
"""`asx db copy` round trip (issue 10): the 1M-case benchmark database SQLite → PostgreSQL → SQLite,
with the KPI exports of all three compared byte for byte, and the time of each copy printed.

    python benchmarks/db_copy.py [--cases 1000000] [--pg postgresql:///postgres] [--keep DIR]

Needs psycopg (`pip install -e '.[postgres]'`) and a PostgreSQL server where the user may create
databases (the database it makes is dropped at the end unless --keep).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import bench, build_store  # noqa: E402  the one data generator (issue 9)

NOW = "2026-12-31T23:59:00+08:00"


def asx(args: list[str], cwd: Path, env: dict) -> tuple[float, subprocess.CompletedProcess]:
    exe = shutil.which("asx", path=str(Path(sys.executable).parent)) or "asx"
    t = time.perf_counter()
    r = subprocess.run([exe, *args], cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"asx {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    return time.perf_counter() - t, r


def workspace(folder: Path, database: str, like: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (like / "asx.toml").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("database")]
    lines.insert(0, f'database = "{database}"')
    (folder / "asx.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def exports(ws: Path, env: dict, out: Path) -> dict[str, str]:
    """sha256 of the KPI exports (month by agent, year by agent) of workspace ``ws``."""
    got = {}
    for period in ("2026-11", "2026"):
        f = out / f"kpi-{period}.csv"
        secs, _ = asx(["kpi", "export", "--period", period, "--by", "agent", "--format", "csv", "--output", str(f)],
                      ws, env)
        got[period] = hashlib.sha256(f.read_bytes()).hexdigest()
        print(f"  kpi export {period} on {ws.name}: {secs:.2f} s, sha256 {got[period][:16]}…", flush=True)
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--pg", default=os.environ.get("ASX_TEST_POSTGRES", "postgresql:///postgres"))
    ap.add_argument("--keep", type=Path)
    a = ap.parse_args()
    tmp = a.keep or Path(tempfile.mkdtemp(prefix="asx-bench-copy-"))
    env = {**os.environ, "ASX_NOW": NOW, "ASX_AGENT": "李主管"}
    src = tmp / "src"
    if not (src / "asx.db").exists():
        t0 = time.perf_counter()
        info = build_store(src, cases=a.cases, seed=7, agents=30, now=NOW, start="2026-01-01T00:00:00+08:00",
                           events=False, statement=False)
        print(f"built {a.cases:,} cases in {time.perf_counter() - t0:.1f} s ({info['db']})", flush=True)
    name = f"asx_bench_copy_{secrets.token_hex(4)}"
    from asx.store.pg import with_dbname

    pg_url = with_dbname(a.pg, name)
    pg_ws = workspace(tmp / "pg", pg_url, src)
    back_ws = workspace(tmp / "back", "asx.db", src)
    if (back_ws / "asx.db").exists():
        (back_ws / "asx.db").unlink()
    try:
        secs1, r1 = asx(["db", "copy", str(src / "asx.db"), pg_url, "--format", "csv"], src, env)
        rows = sum(int(ln.split(",")[1]) for ln in r1.stdout.splitlines()[1:])
        print(f"SQLite → PostgreSQL: {rows:,} rows in {secs1:.1f} s", flush=True)
        secs2, _ = asx(["db", "copy", pg_url, str(back_ws / "asx.db"), "--format", "csv"], src, env)
        print(f"PostgreSQL → SQLite: {rows:,} rows in {secs2:.1f} s", flush=True)
        outs = {}
        for ws in (src, pg_ws, back_ws):
            d = tmp / f"out-{ws.name}"
            d.mkdir(exist_ok=True)
            outs[ws.name] = exports(ws, env, d)
        same = outs["src"] == outs["pg"] == outs["back"]
        print(f"KPI exports identical on SQLite, PostgreSQL and SQLite-again: {'YES' if same else 'NO'}")
        bench("db_copy_sqlite_to_pg", secs1, "s", "-", f"{rows} rows")
        bench("db_copy_pg_to_sqlite", secs2, "s", "-", f"{rows} rows")
        bench("db_copy_kpi_identical", 1 if same else 0, "bool", 1)
        if not same:
            sys.exit(1)
    finally:
        if not a.keep:
            from asx.store.pg import PgStore

            PgStore.drop_database(pg_url)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
