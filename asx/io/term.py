"""The terminal: ANSI styles for the one-screen views (``asx me``, ``asx today``), without click."""

from __future__ import annotations

_COLOURS = {"black": 30, "red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35, "cyan": 36,
            "white": 37, "bright_red": 91, "bright_green": 92, "bright_yellow": 93}


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
