"""Run the installed ``asx`` on a real pseudo-terminal of a given width (issue 18: what a person at a
terminal sees — colour, fitted tables, the pager, progress bars)."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

ASX = str(Path(sys.executable).with_name("asx"))


def run_tty(args: list[str], *, cols: int = 120, rows: int = 40, env: dict | None = None,
            stderr_tty: bool = True, timeout: float = 60) -> tuple[int, str, str]:
    """``asx ARGS`` with stdout (and stderr) on a pty ``cols`` wide; returns (exit code, tty text, stderr
    text when stderr is not the tty). ``PAGER=cat`` unless ``env`` says otherwise."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full = {**os.environ, "PAGER": "cat", "TERM": "xterm", **(env or {})}
    full.pop("COLUMNS", None)
    full.pop("LINES", None)
    for k, v in list(full.items()):
        if v is None:
            del full[k]
    p = subprocess.Popen([ASX, *args], stdin=subprocess.DEVNULL, stdout=slave,
                         stderr=slave if stderr_tty else subprocess.PIPE, env=full, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        r, _, _ = select.select([master], [], [], timeout)
        if not r:
            p.kill()
            raise TimeoutError(" ".join(args))
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    err = p.stderr.read().decode("utf-8", "replace") if p.stderr else ""
    code = p.wait(timeout)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"), err
