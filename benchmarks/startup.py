#!/usr/bin/env python3
"""Start-up cost of the asx command against sqlite-utils (issues 2 and 15).

Measures the CPU time (user + system, of the child process) and the wall time of
`asx --help` and `asx agent list` (in a fresh workspace with one agent), and of
`sqlite-utils --help` and `sqlite-utils tables` on the same database file, with
sqlite-utils installed in its own virtual environment (made on first use in
$TMPDIR/asx-bench-sqlite-utils, or given with --sqlite-utils). The commands run
round-robin, so load affects them alike; the medians and the ratios are printed.
Target (issue 15): each asx command at most 0.6 x its sqlite-utils counterpart (CPU, median).

Bytecode: the children run without PYTHONDONTWRITEBYTECODE, as on a user's machine, and
each command is run once before measuring, so both programs start from cached bytecode.

Run: python benchmarks/startup.py [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _sqlite_utils(given: str | None) -> str:
    if given:
        return given
    venv = Path(tempfile.gettempdir()) / "asx-bench-sqlite-utils"
    exe = venv / "bin" / "sqlite-utils"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "sqlite-utils"], check=True)
    return str(exe)


def _run(cmd: list[str], cwd: str, env: dict) -> tuple[float, float]:
    """(cpu seconds, wall seconds) of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--sqlite-utils", help="the sqlite-utils executable to compare with (default: own venv)")
    args = ap.parse_args()
    bindir = Path(sys.executable).parent
    asx = str(bindir / "asx") if (bindir / "asx").exists() else shutil.which("asx")
    su = _sqlite_utils(args.sqlite_utils)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASX_") and k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([asx, "init", d, "--me", "李主管"], check=True, capture_output=True, env=env)
        subprocess.run([asx, "agent", "add", "李主管", "--role", "supervisor"], cwd=d, check=True,
                       capture_output=True, env=env)
        cmds = {
            "asx --help": [asx, "--help"],
            "asx agent list": [asx, "agent", "list"],
            "sqlite-utils --help": [su, "--help"],
            "sqlite-utils tables": [su, "tables", str(Path(d) / "asx.db")],
        }
        for cmd in cmds.values():  # warm the page cache and write bytecode
            subprocess.run(cmd, cwd=d, env=env, capture_output=True)
        cpu: dict[str, list[float]] = {k: [] for k in cmds}
        wall: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(args.runs):
            for name, cmd in cmds.items():
                c, w = _run(cmd, d, env)
                cpu[name].append(c * 1000)
                wall[name].append(w * 1000)
    med = {k: statistics.median(v) for k, v in cpu.items()}
    medw = {k: statistics.median(v) for k, v in wall.items()}
    print(f"runs per command: {args.runs} (round-robin); load average {os.getloadavg()[0]:.2f}")
    print(f"sqlite-utils: {su}")
    print(f"{'command':<22} {'CPU ms':>8} {'wall ms':>8}")
    for k in cmds:
        print(f"{k:<22} {med[k]:8.1f} {medw[k]:8.1f}")
    r_help = med["asx --help"] / med["sqlite-utils --help"]
    r_list = med["asx agent list"] / med["sqlite-utils tables"]
    print(f"ratio asx --help / sqlite-utils --help    = {r_help:.2f} CPU ({medw['asx --help'] / medw['sqlite-utils --help']:.2f} wall)   target <= 0.60")
    print(f"ratio asx agent list / sqlite-utils tables = {r_list:.2f} CPU ({medw['asx agent list'] / medw['sqlite-utils tables']:.2f} wall)   target <= 0.60")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from gen import bench

    bench("startup_help", med["asx --help"], "ms", round(0.6 * med["sqlite-utils --help"], 1),
          med["sqlite-utils --help"])
    bench("startup_agent_list", med["asx agent list"], "ms", round(0.6 * med["sqlite-utils tables"], 1),
          med["sqlite-utils tables"])


if __name__ == "__main__":
    main()
