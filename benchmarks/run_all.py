#!/usr/bin/env python3
"""The scale report (issue 9 §6): run every benchmark script, collect the figures they print as

    BENCH name=<id> value=<number> unit=<ms|s|rows/s|MB> target=<number|-> baseline=<number|->

and print one table: benchmark, figure, target, in-run baseline, ratio, verdict — so a
regression is visible at a glance. Sizes are modest by default (a few minutes on a laptop);
``--full`` uses the issue sizes (1,000,000 cases, 100,000 reviews, 200,000 statement rows, the
NRP instances). The scripts' own human output goes to ``--log`` (default: a temporary file).

    python benchmarks/run_all.py [--full] [--only kpi_export,startup] [--json results.json]

Ratio: for times and memory, value ÷ baseline (how many times the in-run reference it costs); for
rates (rows/s), baseline ÷ value (the same reading: > 1 means slower than the reference).
Verdict: ``ok`` when the target is met, ``MISSED`` when not, blank without a target.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINE = re.compile(r"^BENCH name=(\S+) value=(\S+) unit=(\S+) target=(\S+) baseline=(\S+)\s*$")


def scripts(full: bool, tmp: Path) -> list[tuple[str, list[str]]]:
    """(script, arguments) of every benchmark, modest or full size."""
    nrp_dir = Path(os.environ.get("ASX_NRP_DIR", str(Path(__file__).resolve().parents[1].parent / "shared"
                                                     / "fixtures" / "nrp")))
    out = [
        ("gen.py", [str(tmp / "gen"), "--cases", "1000000" if full else "50000", "--seed", "1"]),
        ("cases_import.py", ["1000000" if full else "50000"]),
        ("cases_plain_insert.py", ["1000000" if full else "50000"] + ([] if full else ["schema,bare,ext_key"])),
        ("kpi_export.py", ["--cases", "1000000" if full else "50000"]),
        ("reviews_queue.py", ["100000" if full else "20000"]),
        ("search.py", ["1000000" if full else "100000"]),
        ("statements_read.py", ["--rows", "200000" if full else "50000"]),
        ("startup.py", ["--runs", "30" if full else "10"]),
        ("bench_calendar.py", []),
        ("audit_refunds.py", ["--rows", "200000" if full else "20000", "--cases", "1000000" if full else "50000",
                              "--runs", "3" if full else "1"]),
        ("roster_solve.py", ["--agents", "60" if full else "20", "--time-limit", "10" if full else "2",
                             "--small", "3,6,9,12" if full else ""]),
        ("db_copy.py", ["--cases", "1000000" if full else "20000"]),
        ("today.py", ["--cases", "1000000" if full else "50000", "--runs", "5" if full else "3"]),
        ("desk.py", ["--cases", "1000000" if full else "50000", "--runs", "5" if full else "3"]),
        ("pg_load.py", ["--agents", "50" if full else "8", "--seconds", "60" if full else "10"]),
        ("masking.py", ["--cli", "--runs", "15" if full else "5"]),
    ]
    if full and nrp_dir.is_dir():
        sol = str(tmp / "nrp-{name}.csv")
        out.append(("nrp.py", ["--instances", "1-4", "--time-limit", "60", "--dir", str(nrp_dir),
                               "--solution", sol]))
        # the same rosters re-scored from their CSVs alone, without asx (issue 19 item 4)
        out.append(("nrp_score.py", ["--dir", str(nrp_dir), "--solutions", sol, "--instances", "1-4"]))
    return out


def parse(text: str) -> list[dict]:
    rows = []
    for line in text.splitlines():
        m = LINE.match(line.strip())
        if not m:
            continue
        name, value, unit, target, baseline = m.groups()
        rows.append({"name": name, "value": float(value), "unit": unit,
                     "target": None if target == "-" else float(target),
                     "baseline": None if baseline == "-" else float(baseline)})
    return rows


def judge(r: dict) -> tuple[float | None, str]:
    """(ratio to the in-run baseline, verdict against the target)."""
    higher_better = r["unit"].endswith("/s")
    v, b, t = r["value"], r["baseline"], r["target"]
    ratio = None
    if b:
        ratio = (b / v if v else float("inf")) if higher_better else v / b
    verdict = ""
    if t is not None:
        verdict = "ok" if (v >= t if higher_better else v <= t) else "MISSED"
    return ratio, verdict


def fmt_num(x: float | None) -> str:
    if x is None:
        return "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    if abs(x) >= 0.1:
        return f"{x:.3f}"
    return f"{x:.3g}"


def table(rows: list[dict]) -> str:
    head = ["benchmark", "figure", "unit", "target", "baseline", "ratio", "verdict"]
    body = []
    for r in rows:
        ratio, verdict = judge(r)
        body.append([r["name"], fmt_num(r["value"]), r["unit"], fmt_num(r["target"]), fmt_num(r["baseline"]),
                     "-" if ratio is None else f"{ratio:.2f}", verdict])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    lines = ["  ".join(str(x).ljust(w) if i == 0 else str(x).rjust(w) for i, (x, w) in enumerate(zip(row, widths)))
             for row in [head, ["-" * w for w in widths], *body]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="The issue sizes (1M cases …): takes a while.")
    ap.add_argument("--only", help="Comma-separated script names (without .py).")
    ap.add_argument("--json", type=Path, help="Also write the figures as JSON here.")
    ap.add_argument("--log", type=Path, help="Where the scripts' own output goes [default: a temporary file].")
    args = ap.parse_args(argv)
    only = {s.strip().removesuffix(".py") for s in args.only.split(",")} if args.only else None
    tmp = Path(tempfile.mkdtemp(prefix="asx-run-all-"))
    log_path = args.log or tmp / "run_all.log"
    all_rows: list[dict] = []
    failed = []
    with open(log_path, "w", encoding="utf-8") as log:
        for script, sargs in scripts(args.full, tmp):
            if only and script.removesuffix(".py") not in only:
                continue
            cmd = [sys.executable, str(HERE / script), *sargs]
            print(f"running {script} {' '.join(sargs)} …", file=sys.stderr, flush=True)
            t = time.perf_counter()
            r = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
            secs = time.perf_counter() - t
            log.write(f"$ {' '.join(cmd)}\n{r.stdout}{r.stderr}\n(exit {r.returncode}, {secs:.1f} s)\n\n")
            rows = parse(r.stdout)
            for x in rows:
                x["script"] = script
            all_rows += rows
            if r.returncode or not rows:
                failed.append(script)
                print(f"  {script}: exit {r.returncode}, {len(rows)} figures (see {log_path})", file=sys.stderr)
            else:
                print(f"  {script}: {len(rows)} figures in {secs:.0f} s", file=sys.stderr)
    import shutil

    shutil.rmtree(tmp / "gen", ignore_errors=True)
    print(f"asx scale report ({'full' if args.full else 'modest'} sizes); script output in {log_path}")
    print(table(all_rows))
    if args.json:
        args.json.write_text(json.dumps(all_rows, indent=2), encoding="utf-8")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
