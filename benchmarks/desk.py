#!/usr/bin/env python3
"""`asx desk` on a 1M-case database (issue 20): time to first screen (target ≤ 500 ms) and the cost of
a refresh when nothing changed.

    python benchmarks/desk.py [--cases 1000000] [--keep DIR] [--runs 5] [--agent NAME]

The database is the one of benchmarks/today.py (its builder imported, not copied: the 1M-case store of
benchmarks/kpi_export.py plus what the daily view reads). With --keep DIR an existing build is reused.

Measured (medians; CPU beside wall time, the machine may be loaded):
  * the panes' data (asx.desk.data.load, the functions of `asx me`) for one agent, and the team's;
  * first screen in-process: DeskApp built, mounted headless (Textual's run_test) and its first
    screen composed with the data, 80×24;
  * first screen in a real terminal: `asx --as AGENT desk` started in a pseudo-terminal (80×24) until
    the first case id of the queue has been drawn (interpreter start-up, imports, database open,
    panes, first paint: the plain-text paint of asx.desk.text, drawn before Textual is imported);
    its CPU time is read from /proc at that moment;
  * live screen in a real terminal: the same run, on until Textual's screen (mouse on) has drawn that
    case id too — from then on the keys work — then `q`;
  * the floor under the live screen, interleaved with those runs: a bare Textual app (one Static) until
    its first frame in the same pseudo-terminal, and `asx --as AGENT me -f json` (asx start-up, plugins,
    the same panes' data, no Textual) — the live desk cannot start faster than about their sum;
  * refresh when nothing changed: one change-counter read (asx.store.changes), and one poll tick of
    the screen (the read plus the clock check, no pane reloaded);
  * refresh when something changed: the panes read and redrawn (DeskScreen.reload).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_MS = 500


def cpu_ms() -> float:
    import resource

    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime) * 1000


def report(label: str, wall: list[float], cpu: list[float] | None = None, target: float | None = None,
           unit: str = "ms") -> None:
    from gen import bench

    med = statistics.median(wall)
    verdict = "" if target is None else (f"  target ≤ {target:.0f} {unit}: " + ("OK" if med <= target else "MISSED"))
    c = f", {statistics.median(cpu):.3f} {unit} CPU" if cpu else ""
    print(f"{label:<52} median {med:9.3f} {unit} wall{c} (min {min(wall):.3f}, max {max(wall):.3f}, "
          f"n={len(wall)}){verdict}", flush=True)
    slug = "_".join("".join(ch if ch.isalnum() else " " for ch in label).split()).lower()
    bench(f"desk_{slug}", med, unit, target if target is not None else "-")


def timed(fn, runs: int) -> tuple[list[float], list[float]]:
    fn()
    wall, used = [], []
    for _ in range(runs):
        c, t = cpu_ms(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        used.append(cpu_ms() - c)
    return wall, used


def proc_cpu_ms(pid: int) -> float:
    """CPU time (user + system) used so far by process ``pid`` (Linux /proc; 10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


#: a bare Textual app (one Static, q quits): the floor of any Textual first screen on this machine
BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("MARK")

    def key_q(self):
        self.exit()

Bare().run()
"""


#: Textual turns the mouse on when its live screen starts (asx's first paint never does)
LIVE = b"\x1b[?1000h"


def first_screen_in_terminal(ws: Path, agent: str, marker: str, env: dict, timeout: float = 60.0,
                             argv: list[str] | None = None, live: dict | None = None) -> tuple[float, float]:
    """(ms wall, ms CPU of the process) from starting `asx --as AGENT desk` (or ``argv``) in an 80×24
    pseudo-terminal until ``marker`` is drawn. With ``live`` (a dict): also read on until the live
    Textual screen has drawn ``marker`` and put ``{"ms": wall, "cpu": CPU}`` of that moment in it."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    t0 = time.perf_counter()
    argv = argv or [sys.executable, "-m", "asx", "--as", agent, "desk"]
    p = subprocess.Popen(argv, cwd=ws, env=env, stdin=slave,
                         stdout=slave, stderr=slave, close_fds=True, start_new_session=True)
    os.close(slave)
    buf = b""
    found = None
    want = marker.encode()
    try:
        while time.perf_counter() - t0 < timeout:
            r, _, _ = select.select([master], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                buf += chunk
                if found is None and want in buf:
                    found = (time.perf_counter() - t0) * 1000
                    cpu = proc_cpu_ms(p.pid)
                    if live is None:
                        break
                if live is not None and LIVE in buf and want in buf[buf.index(LIVE):]:
                    live.update(ms=(time.perf_counter() - t0) * 1000, cpu=proc_cpu_ms(p.pid))
                    break
            if p.poll() is not None:
                break
        os.write(master, b"q")
        end = time.perf_counter() + 10
        while p.poll() is None and time.perf_counter() < end:
            r, _, _ = select.select([master], [], [], 0.05)
            if r:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        if p.poll() is None:
            p.kill()
    finally:
        os.close(master)
        p.wait()
    if found is None:
        raise SystemExit(f"the desk never drew {marker!r}; output tail: {buf[-500:]!r}")
    return found, cpu


def command_cost(ws: Path, argv: list[str], env: dict) -> tuple[float, float]:
    """(ms wall, ms CPU) of a command run to its end (output discarded)."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, cwd=ws, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return (time.perf_counter() - t) * 1000, (ru.ru_utime + ru.ru_stime) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="Build (or reuse) the workspace in this folder.")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--agent", help="Whose desk [default: the agent with the longest queue on shift].")
    args = ap.parse_args()
    import today  # the 1M-case store of the daily view (builder + augment)

    tmp = None
    if args.keep:
        ws = args.keep
    else:
        tmp = Path(tempfile.mkdtemp(prefix="asx-desk-bench-"))
        ws = tmp / "shop"
    try:
        if not (ws / "asx.db").exists():
            t = time.perf_counter()
            today.kpi_export.build(ws, args.cases)
            today.augment(ws)
            print(f"built in {time.perf_counter() - t:.0f} s")
        os.environ["ASX_NOW"] = today.NOW
        from asx.core.app import App
        from asx.desk import data

        app = App(ws)
        n = app.store.scalar("SELECT count(*) FROM cases")
        print(f"database: {n:,} cases, {os.path.getsize(ws / 'asx.db') / 1e6:.0f} MB; now {today.NOW}; "
              f"load average {os.getloadavg()[0]:.2f}", flush=True)
        agent = args.agent or app.store.scalar(
            "SELECT agent FROM cases WHERE status IN ('new', 'open', 'resolved') AND next_due_at IS NOT NULL "
            "AND agent IS NOT NULL GROUP BY agent ORDER BY count(*) DESC LIMIT 1")
        at = app.parse_time(today.NOW)
        mine = App(ws, acting=agent)
        view = data.view_for(mine)
        sup = App(ws, acting="李主管")
        team = data.view_for(sup, team=True)
        d = data.load(mine, view, at)
        print(f"agent {agent}: {len(d['due'])} cases loaded (desk.list_limit {view.limit}), "
              f"{len(d['reviews']['items'])} reviews now, {len(d['waiting'])} waiting", flush=True)
        report("panes data, one agent (data.load)", *timed(lambda: data.load(mine, view, at), args.runs))
        report("panes data, team + money (data.load --team)", *timed(lambda: data.load(sup, team, at), args.runs))

        from asx.desk.app import DeskApp

        firsts, cpus = [], []
        ticks: dict = {}

        async def first_screen(measure_refresh: bool) -> None:
            c, t0 = cpu_ms(), time.perf_counter()
            desk = DeskApp(App(ws, acting=agent), data.view_for(App(ws, acting=agent)), poll_seconds=3600)
            async with desk.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                assert desk.reloads == 1
                firsts.append((time.perf_counter() - t0) * 1000)
                cpus.append(cpu_ms() - c)
                if measure_refresh:
                    screen = desk.desk
                    w = desk.watch
                    k = 20000
                    t = time.perf_counter()
                    for _ in range(k):
                        w.changed()
                    ticks["counter"] = (time.perf_counter() - t) / k * 1e6
                    t = time.perf_counter()
                    for _ in range(k):
                        screen.poll()
                    ticks["poll"] = (time.perf_counter() - t) / k * 1e6
                    assert desk.reloads == 1, "a poll reloaded although nothing changed"
                    r = []
                    for _ in range(args.runs):
                        t = time.perf_counter()
                        screen.reload()
                        r.append((time.perf_counter() - t) * 1000)
                    ticks["reload"] = r
            desk.asx.close()

        for i in range(args.runs + 1):
            asyncio.run(first_screen(i == 0))
        report("first screen in-process (DeskApp, run_test 80x24)", firsts[1:], cpus[1:], TARGET_MS)
        report("refresh, nothing changed: change counter read", [ticks["counter"]], unit="us")
        report("refresh, nothing changed: one poll tick", [ticks["poll"]], unit="us")
        report("refresh, something changed: panes reloaded", ticks["reload"])

        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update({"ASX_NOW": today.NOW, "TERM": "xterm-256color"})
        env.pop("NO_COLOR", None)
        marker = f"#{d['due'][0]['id']}"
        bare = ws / "bare_textual_app.py"
        bare.write_text(BARE_APP)
        me = [sys.executable, "-m", "asx", "--as", agent, "me", "-f", "json"]
        runs, lives, base, cli = [], [], [], []
        try:
            for _ in range(args.runs + 1):   # interleaved, so a change of load hits all three alike
                got: dict = {}
                runs.append(first_screen_in_terminal(ws, agent, marker, env, live=got))
                lives.append((got["ms"], got["cpu"]))
                base.append(first_screen_in_terminal(ws, agent, "MARK", env, argv=[sys.executable, str(bare)]))
                cli.append(command_cost(ws, me, env))
        finally:
            bare.unlink()
        print(f"load average {os.getloadavg()[0]:.2f}", flush=True)
        report("first screen in a terminal (asx desk, pty 80x24)", *zip(*runs[1:]), TARGET_MS)
        report("live screen in a terminal (Textual up, keys work)", *zip(*lives[1:]))
        report("floor: a bare Textual app's first frame (pty 80x24)", *zip(*base[1:]))
        report("floor: asx start-up + the panes' data (asx me -f json)", *zip(*cli[1:]))
        app.close()
    finally:
        if tmp is not None:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
