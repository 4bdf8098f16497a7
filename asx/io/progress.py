"""Progress bars for long work on a terminal (issue 18 item 9): imports, the refund audit, roster solves.

click's progress bar (percentage and time left) on stderr when stderr is a terminal; nothing at all
otherwise (click's hidden bar would still print its label once: no bar is made then). Domain code never
imports this module: it takes a plain ``progress(fraction)`` callable (0.0 … 1.0) that a command makes
here. The click side, like :mod:`asx.io.options`.
"""

from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

#: the bar's resolution: a fraction is shown in thousandths
STEPS = 1000


def _tty() -> bool:
    try:
        return bool(sys.stderr.isatty())
    except (AttributeError, ValueError):
        return False


@contextmanager
def bar(label: str) -> Iterator[Callable[[float], None] | None]:
    """``with bar("importing") as progress:`` — ``progress(fraction)`` moves the bar (never backwards);
    ``None`` when stderr is not a terminal, so the caller passes it on and nothing is printed."""
    if not _tty():
        yield None
        return
    import click

    with click.progressbar(length=STEPS, label=label, file=sys.stderr, show_percent=True, show_eta=True,
                           show_pos=False, width=30) as pb:
        done = [0]

        def progress(fraction: float) -> None:
            n = int(max(0.0, min(1.0, fraction)) * STEPS)
            if n > done[0]:
                pb.update(n - done[0])
                done[0] = n

        yield progress
        progress(1.0)


@contextmanager
def timed(label: str, seconds: float) -> Iterator[None]:
    """A bar that runs against a time limit (a solver searching for up to ``seconds``): the share of the
    limit used, the time left; it ends when the work ends, whichever comes first."""
    with bar(label) as progress:
        if progress is None or seconds <= 0:
            yield
            return
        stop = threading.Event()
        t0 = time.monotonic()

        def tick() -> None:
            while not stop.wait(0.2):
                progress(min(0.99, (time.monotonic() - t0) / seconds))

        th = threading.Thread(target=tick, daemon=True)
        th.start()
        try:
            yield
        finally:
            stop.set()
            th.join()
