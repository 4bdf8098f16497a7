"""asx — the after-sales / customer-service toolkit of an online store.

Plugin authors write ``from asx import hookimpl``; the project name below is the
one pluggy name used by both the hook specifications and implementations.
"""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

#: The pluggy project name, defined once (style.md: a mismatching marker is silently ignored).
PROJECT = "asx"

hookimpl = pluggy.HookimplMarker(PROJECT)
hookspec = pluggy.HookspecMarker(PROJECT)

__all__ = ["__version__", "PROJECT", "hookimpl", "hookspec"]
