#!/usr/bin/env python3
"""Start-up time of the asx command (issue 2): median wall time over N runs.

Prints the median of `asx --help`, `asx agent list` (in a fresh sample-less workspace with
one agent) and `sqlite-utils --help` (installed with asx, so comparable in the same run),
and the ratios. Run: python benchmarks/startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_ms(cmd: list[str], runs: int, cwd: str) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    bindir = Path(sys.executable).parent
    asx = str(bindir / "asx") if (bindir / "asx").exists() else shutil.which("asx")
    su = str(bindir / "sqlite-utils") if (bindir / "sqlite-utils").exists() else shutil.which("sqlite-utils")
    with tempfile.TemporaryDirectory() as d:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASX_")}
        subprocess.run([asx, "init", d, "--me", "李主管"], check=True, capture_output=True, env=env)
        subprocess.run([asx, "agent", "add", "李主管", "--role", "supervisor"], cwd=d, check=True,
                       capture_output=True, env=env)
        for cmd in ([asx, "--help"], [asx, "agent", "list"], [su, "--help"]):  # warm caches
            subprocess.run(cmd, cwd=d, capture_output=True)
        help_ms = median_ms([asx, "--help"], args.runs, d)
        list_ms = median_ms([asx, "agent", "list"], args.runs, d)
        su_ms = median_ms([su, "--help"], args.runs, d)
    print(f"runs per command: {args.runs}")
    print(f"asx --help            {help_ms:7.1f} ms")
    print(f"asx agent list        {list_ms:7.1f} ms   (target <= 200 ms)")
    print(f"sqlite-utils --help   {su_ms:7.1f} ms")
    print(f"ratio asx --help / sqlite-utils --help = {help_ms / su_ms:.2f}   (target <= 0.80)")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from gen import bench

    bench("startup_help", help_ms, "ms", round(0.8 * su_ms, 1), su_ms)
    bench("startup_agent_list", list_ms, "ms", 200, help_ms)


if __name__ == "__main__":
    main()
