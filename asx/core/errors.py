"""Errors shown to the user as one line (never a traceback).

Exit codes (documented in docs/cli.md):
  0  ok
  1  a check found problems (``asx roster check``, ``asx audit refunds``, ``asx db check`` …)
  2  usage or bad input (every :class:`UserError`)
  3  internal error (a bug: rerun with ASX_DEBUG=1 for the traceback)
"""


class AsxError(Exception):
    """Base for errors shown to the user as one line."""

    exit_code = 2


class UserError(AsxError):
    """Bad input or usage: exit 2."""


class PermissionDenied(AsxError):
    """The acting person's role may not do this (R-PPL-1): exit 2."""


class ConflictError(AsxError):
    """Someone else changed the record meanwhile; re-run (exit 2)."""


class CheckFailed(AsxError):
    """A check found problems (exit 1); the findings were already printed."""

    exit_code = 1


def json_problem(exc: ValueError) -> str:
    """What is wrong with a JSON text, for a one-line message: the decoder's words with line and
    column, or a number too long to read (Python refuses integers of over 4,300 digits)."""
    msg = getattr(exc, "msg", None)
    if msg is None:
        return "a number with too many digits"
    return f"{msg} at line {exc.lineno} column {exc.colno}"
