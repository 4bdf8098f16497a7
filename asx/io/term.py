"""The terminal: ANSI styles for the one-screen views (``asx me``, ``asx today``), whether to use
colour at all (``--color auto|always|never``, setting ``color``, ``NO_COLOR``), the terminal's width
and the pager, without click."""

from __future__ import annotations

import os

_COLOURS = {"black": 30, "red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35, "cyan": 36,
            "white": 37, "bright_red": 91, "bright_green": 92, "bright_yellow": 93}

COLOR_MODES = ("auto", "always", "never")


def style(text: str, *, fg: str | None = None, bold: bool = False) -> str:
    """``text`` in colour ``fg`` and/or bold, reset after (the codes click.style writes)."""
    codes = []
    if fg is not None:
        codes.append(str(_COLOURS[fg]))
    if bold:
        codes.append("1")
    if not codes:
        return text
    return "".join(f"\x1b[{c}m" for c in codes) + text + "\x1b[0m"


def color_mode(app) -> str:
    """The colour mode asked for: ``--color`` > ``ASX_COLOR`` > setting ``color`` > ``auto``."""
    if app is None:
        return "auto"
    try:
        mode = app.config.get("color")
    except Exception:  # no workspace (or a broken one): the default
        return "auto"
    return mode if mode in COLOR_MODES else "auto"


def use_color(app, stream, environ=None) -> bool:
    """Colour on ``stream``? ``always``: yes; ``never``: no; ``auto``: only on a terminal, and never when
    ``NO_COLOR`` is set to anything non-empty (https://no-color.org) or ``TERM=dumb``."""
    mode = color_mode(app)
    if mode == "always":
        return True
    if mode == "never":
        return False
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# --- tables that fit the terminal (issue 18 item 6) ------------------------------------------------

def size() -> tuple[int, int]:
    """(columns, lines) of the terminal (``COLUMNS``/``LINES`` win, as for every tool)."""
    import shutil

    s = shutil.get_terminal_size((100, 40))
    return max(s.columns, 20), max(s.lines, 5)


def width(text: str) -> int:
    """Display width: a CJK character takes two columns (wcwidth)."""
    from wcwidth import wcswidth

    w = wcswidth(text)
    return w if w >= 0 else len(text)


def elide(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` display columns, ending in … when cut; never a half CJK character."""
    text = " ".join(text.splitlines())
    if width(text) <= limit:
        return text
    if limit <= 1:
        return "…"[:limit]
    from wcwidth import wcwidth

    out, w = [], 0
    for ch in text:
        cw = max(wcwidth(ch), 0)
        if w + cw > limit - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def pad(text: str, n: int) -> str:
    """``text`` padded with spaces to ``n`` display columns."""
    return text + " " * max(0, n - width(text))


#: a column is never made narrower than this (or its natural width, if smaller) when fitted
MIN_COL = 6
GAP = 2
#: cells up to this display width without a space are tokens (ids, times), not text to cut
ATOMIC = 25


def fit_table(headers: list[str] | None, rows: list[list[str]], total: int) -> tuple[list[str], list[str]]:
    """Lines of a table (tabulate's "simple" look) in at most ``total`` display columns, and the headers
    of the columns left out. As ``gh`` does: columns keep their order; while the narrowest rendering of
    the columns does not fit, the last ones are left out; the room left goes to the columns that fit
    whole first, the widest text is elided with … (by display width: CJK counts double)."""
    ncol = len(headers) if headers is not None else (len(rows[0]) if rows else 0)
    if ncol == 0:
        return [], []
    natural = []
    for i in range(ncol):
        cells = [r[i] if i < len(r) else "" for r in rows]
        w = max([width(" ".join(c.splitlines())) for c in cells] + [width(headers[i]) if headers else 0] + [1])
        natural.append(w)
    head_w = [width(h) for h in headers] if headers else [0] * ncol
    # the narrowest a column may get. A column of single tokens (ids, order numbers, times, amounts) is
    # never cut — it is left out instead, as a cut order number is a wrong one; its header may be
    # shortened. A text column (a summary, a note) can shrink to its header (at most 16) or MIN_COL.
    floor = []
    for i in range(ncol):
        cells = [r[i] for r in rows if i < len(r) and r[i]]
        cell_w = max([width(c) for c in cells] + [0])
        atomic = cell_w <= ATOMIC and not any(" " in c or "\n" in c for c in cells)
        if atomic:
            floor.append(min(natural[i], max(cell_w, min(head_w[i], 12), 1)))
        else:
            floor.append(min(natural[i], max(MIN_COL, min(head_w[i], 16))))
    keep = ncol
    while keep > 1 and sum(floor[:keep]) + GAP * (keep - 1) > total:
        keep -= 1
    widths = floor[:keep]
    room = total - sum(widths) - GAP * (keep - 1)
    # hand out the room: narrow wants first (most columns shown whole), the widest gets what is left
    for i in sorted(range(keep), key=lambda i: natural[i]):
        add = min(natural[i] - widths[i], room)
        if add > 0:
            widths[i] += add
            room -= add
    widths = [max(1, min(w, total)) for w in widths]
    lines = []

    def line(cells: list[str]) -> str:
        return (" " * GAP).join(pad(elide(cells[i] if i < len(cells) else "", widths[i]), widths[i])
                                for i in range(keep)).rstrip()

    if headers is not None:
        lines.append(line(headers))
        lines.append((" " * GAP).join("-" * w for w in widths))
    for r in rows:
        lines.append(line(r))
    hidden = list(headers[keep:]) if headers is not None else [str(i + 1) for i in range(keep, ncol)]
    return lines, hidden


def pager_command(environ=None) -> str | None:
    """The pager for long output: ``ASX_PAGER``, else ``PAGER``, else ``less``; empty or ``cat``: none."""
    env = os.environ if environ is None else environ
    cmd = env.get("ASX_PAGER", env.get("PAGER", "less"))
    cmd = (cmd or "").strip()
    return None if cmd in ("", "cat") else cmd


def page(text: str, stream, *, height: int, environ=None) -> None:
    """Write ``text`` to the terminal ``stream``, through the pager when it is longer than the screen (as
    git does: ``LESS=FRX`` unless set, so ``less`` quits on one screen and keeps colours)."""
    cmd = pager_command(environ)
    if cmd is None or text.count("\n") < height - 1:
        stream.write(text)
        return
    import shlex
    import subprocess

    env = dict(os.environ if environ is None else environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        stream.flush()
        proc = subprocess.Popen(shlex.split(cmd), stdin=subprocess.PIPE, env=env)
    except (OSError, ValueError):  # no such pager: print as it is
        stream.write(text)
        return
    try:
        proc.stdin.write(text.encode("utf-8", "replace"))
        proc.stdin.close()
    except BrokenPipeError:  # the reader quit the pager early: not an error
        pass
    proc.wait()
