"""KPI export over a large case history (issue 7): month ≤ 1 s, year ≤ 2 s, each within 1.5× of a
hand-written single SQL aggregate over the same data, timed in the same run.

    python benchmarks/kpi_export.py [--cases 1000000] [--keep DIR]

Builds a workspace whose database holds N cases spread over 2026 (two SLA targets each, reviews,
ledger entries and daily records), then times the real code path ``asx kpi export`` uses
(``asx.kpi.export.kpi_table`` + ``asx.io.output.emit`` to a CSV file with its meta side-car) for
2026-11 and for 2026, against one hand-written SQL statement computing the same case figures
(counts, rates, medians and 90th percentiles with window functions, SLA attainment). Median of 3 warm runs;
wall and CPU seconds and the load average are printed (the CPU time is the steadier figure on a busy machine).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import bench, build_store  # noqa: E402  the one data generator (issue 9)


def build(ws: Path, n: int) -> None:
    """N cases over 2026 (30 agents, SLA rows, history-free), reviews, ledger, daily records."""
    t0 = time.perf_counter()
    info = build_store(ws, cases=n, seed=7, agents=30, now="2026-12-31T23:59:00+08:00",
                       start="2026-01-01T00:00:00+08:00", events=False, statement=False)
    print(f"built {n:,} cases (+SLA rows, {info['reviews']:,} reviews, {info['ledger']:,} ledger entries, "
          f"{info['daily_records']:,} daily records) in {time.perf_counter() - t0:.1f} s; "
          f"db {os.path.getsize(info['db']) / 1e6:.0f} MB", flush=True)


# The same case figures as `asx kpi export` (counts, rates, medians and 90th percentiles of first-response
# and resolution time in service and calendar minutes) and SLA attainment per target, per agent, as one
# hand-written SQL statement over the same data (the stored per-case service minutes of migration 0015;
# percentiles from a per-minute histogram and a running sum, the fastest pure-SQL way we know).
HAND = """
WITH base AS MATERIALIZED (
  SELECT c.agent AS g, c.resolved_at AS r, c.reopen_count AS ro, c.response_count AS rc, c.csat AS cs,
         c.category AS cat, c.party AS p,
         CASE WHEN c.first_response_at < :e THEN (c.first_response_at - c.opened_at) / 60 END AS frc,
         CASE WHEN c.first_response_at < :e THEN c.first_response_service_min END AS frs,
         CASE WHEN c.resolved_at < :e THEN (c.resolved_at - c.opened_at - c.paused_seconds) / 60 END AS rsc,
         CASE WHEN c.resolved_at < :e THEN c.resolution_service_min END AS rss
  FROM cases c
  WHERE c.opened_at >= :s AND c.opened_at < :e AND c.merged_into IS NULL),
v AS (SELECT g, 1 AS m, frc AS x FROM base WHERE frc IS NOT NULL UNION ALL SELECT g, 2, frs FROM base WHERE frs IS NOT NULL
      UNION ALL SELECT g, 3, rsc FROM base WHERE rsc IS NOT NULL UNION ALL SELECT g, 4, rss FROM base WHERE rss IS NOT NULL),
h AS (SELECT g, m, x, count(*) AS c FROM v GROUP BY 1, 2, 3),
k AS (SELECT g, m, x, c, sum(c) OVER (PARTITION BY g, m ORDER BY x ROWS UNBOUNDED PRECEDING) AS hi, sum(c) OVER (PARTITION BY g, m) AS n FROM h),
q AS (SELECT g, m, (max(CASE WHEN hi - c < (n + 1) / 2 AND (n + 1) / 2 <= hi THEN x END) + max(CASE WHEN hi - c < (n + 2) / 2 AND (n + 2) / 2 <= hi THEN x END)) / 2.0 AS med,
             max(CASE WHEN hi - c < (9 * n + 9) / 10 AND (9 * n + 9) / 10 <= hi THEN x END) AS p90 FROM k GROUP BY g, m),
a AS (SELECT g, count(*) AS n, sum(r < :e) AS res, sum(r < :e AND ro > 0) AS reo, sum(r < :e AND rc <= 1) AS one,
             sum(cs IS NOT NULL) AS csn, sum(cs >= 4) AS csg, sum(cat = 'service' AND p = 'us') AS cmp FROM base GROUP BY g),
sl AS (SELECT c.agent AS g, s.target AS t, sum(s.state = 'met') AS met, sum(s.state = 'breached') AS br
       FROM cases c JOIN case_sla s ON s.case_id = c.id
       WHERE c.opened_at >= :s AND c.opened_at < :e AND c.merged_into IS NULL
         AND s.state IN ('met', 'breached') AND s.due_at < :e GROUP BY 1, 2)
SELECT a.*, (SELECT group_concat(q.m || ':' || q.med || ':' || q.p90) FROM q WHERE q.g = a.g),
       (SELECT group_concat(sl.t || ':' || sl.met || ':' || sl.br) FROM sl WHERE sl.g = a.g) FROM a
"""

SIMPLE = """SELECT agent, count(*), sum(resolved_at < :e), avg(first_response_at - opened_at), sum(csat >= 4)
FROM cases WHERE opened_at >= :s AND opened_at < :e GROUP BY agent"""


def load() -> str:
    return open("/proc/loadavg").read().split()[0]


def timed(fn, runs: int = 3) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds of this process) of ``runs`` runs after a warm-up."""
    fn()  # warm the page cache
    out, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        out.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(out), statistics.median(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="Build (or reuse) the workspace in this folder.")
    ap.add_argument("--runs", type=int, default=3, help="Timed runs after one warm-up (median).")
    args = ap.parse_args()
    tmp = None
    if args.keep:
        ws = args.keep
    else:
        tmp = Path(tempfile.mkdtemp(prefix="asx-kpi-bench-"))
        ws = tmp / "shop"
    try:
        if not (ws / "asx.db").exists():
            build(ws, args.cases)
        from asx.core.app import App
        from asx.kpi import export as kpi_export
        from asx.io.output import OutputSpec, emit

        os.environ["ASX_NOW"] = "2027-01-10T10:00:00+08:00"
        app = App(ws)
        out_dir = Path(tempfile.mkdtemp(prefix="asx-kpi-out-"))

        def export(period):
            def run():
                tbl = kpi_export.kpi_table(app, period, "agent")
                emit(app, OutputSpec(format="csv", output=str(out_dir / "k.csv")), tbl.rows,
                     kpi_export.output_columns(tbl), meta=tbl.meta)
            return run

        def hand(period):
            from asx.core.timeutil import parse_period

            p = parse_period(period, app.tz)
            prm = {"s": int(p.start.timestamp()), "e": int(p.end.timestamp())}

            def run(sql=HAND):
                return app.store.conn.execute(sql, prm).fetchall()
            return run

        print(f"{app.store.scalar('SELECT count(*) FROM cases'):,} cases; sqlite {__import__('sqlite3').sqlite_version}")
        for period, target in (("2026-11", 1.0), ("2026", 2.0)):
            l0 = load()
            ours, ours_cpu = timed(export(period), args.runs)
            base, base_cpu = timed(hand(period), args.runs)
            simple, _ = timed(lambda: hand(period)(SIMPLE), args.runs)
            ratio = ours / base
            ok = "OK" if ours <= target and ratio <= 1.5 else "MISSED"
            print(f"{period:8} export {ours:6.3f} s (cpu {ours_cpu:.3f} s; target ≤ {target:.0f} s) | hand-written "
                  f"single SQL {base:6.3f} s (cpu {base_cpu:.3f} s) | ratio {ratio:4.2f} (target ≤ 1.5) | {ok}  "
                  f"[simple count/avg aggregate without percentiles: {simple:.3f} s] load {l0}→{load()}", flush=True)
            bench(f"kpi_export_{'month' if '-' in period else 'year'}", ours, "s", target, base)
        shutil.rmtree(out_dir, ignore_errors=True)
        app.close()
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
