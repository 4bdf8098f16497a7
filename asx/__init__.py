"""asx — the after-sales / customer-service toolkit of an online store.

Plugin authors write ``from asx import hookimpl``; the project name below is the
one pluggy name used by both the hook specifications and implementations.
"""

from __future__ import annotations

__version__ = "0.1.0"

#: The pluggy project name, defined once (style.md: a mismatching marker is silently ignored).
PROJECT = "asx"


def __getattr__(name: str):
    """``hookimpl`` and ``hookspec``, made on first use: importing pluggy costs start-up time that
    ``asx --help`` without store plugins does not need (PEP 562)."""
    if name in ("hookimpl", "hookspec"):
        import pluggy

        marker = pluggy.HookimplMarker(PROJECT) if name == "hookimpl" else pluggy.HookspecMarker(PROJECT)
        globals()[name] = marker
        return marker
    raise AttributeError(f"module 'asx' has no attribute {name!r}")

__all__ = ["__version__", "PROJECT", "hookimpl", "hookspec"]
