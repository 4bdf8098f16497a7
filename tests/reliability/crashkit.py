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


def fork_and_kill(args: list[str], *, cwd: Path, delay: float, env: dict | None = None) -> int | None:
    """Like :func:`run_and_kill`, but the process is a fork of this one running ``asx.cli.main(ARGS)``:
    asx and its plugins are already imported, so the kill lands in the command's own work rather
    than in interpreter start-up (and a round costs milliseconds, not a start-up)."""
    from asx.cli import main
    from asx.testing import plugin_host

    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        code = 70
        try:
            os.chdir(cwd)
            os.environ.update(env or {})
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            try:
                main(list(args), plugins=plugin_host())
                code = 0
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:
            code = 71
        finally:
            os._exit(code)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.001)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return None if code == -signal.SIGKILL else code


def timed_run(args: list[str], *, cwd: Path, env: dict | None = None) -> tuple[int | None, float]:
    """One complete forked run: (exit code, seconds) — calibrates the kill delays."""
    t = time.monotonic()
    code = fork_and_kill(args, cwd=cwd, delay=600, env=env)
    return code, time.monotonic() - t


def on_test_backend(ws: Path) -> Path:
    """A workspace the generator wrote (SQLite) moved to the backend under test."""
    from asx.testing import on_test_backend as move

    return move(ws)
