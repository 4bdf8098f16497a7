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
