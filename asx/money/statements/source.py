"""Moved to :mod:`asx.io.tabular` (issue 15): kept only for plugins_contrib until it imports ``asx.api``."""

from asx.io.tabular import MAX_PREAMBLE_LINES, Row, RowSource, TextSource, XlsxSource  # noqa: F401
