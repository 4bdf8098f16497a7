"""Moved to :mod:`asx.io.tabular` (issue 15): kept only for plugins_contrib until it imports ``asx.api``."""

from asx.io.tabular import SNIFF_BYTES, decode_bytes, open_text, read_text, sniff_encoding  # noqa: F401
