"""Kill -9 a real asx process at seeded random moments, then check what it left behind."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path


def run_and_kill(args: list[str], *, cwd: Path, delay: float, env: dict | None = None) -> int | None:
    """Start ``python -m asx ARGS``; SIGKILL it after ``delay`` seconds if still running.
    Returns the exit code, or None when it was killed."""
    p = subprocess.Popen([sys.executable, "-m", "asx", *args], cwd=cwd, env={**os.environ, **(env or {})},
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        if p.poll() is not None:
            return p.returncode
        time.sleep(0.002)
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
        p.wait()
        return None
    return p.returncode


def delays(seed: int, n: int, lo: float, hi: float) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(lo, hi) for _ in range(n)]
