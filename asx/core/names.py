"""Registered names: what an agent's name may be (issue 21).

An agent's name signs refund notes ``<content>_<name>`` (R-FIN-2), so it may not hold ``_``; it
becomes part of file names (roster ICS export, one file per agent) and of log lines, so it holds
no path separator and no control character, and it has a sane length.
"""

from __future__ import annotations

import unicodedata

from asx.core.errors import UserError

#: The longest agent name (characters); Taobao sub-account names are at most 25.
MAX_AGENT_NAME = 32


def check_agent_name(name: str) -> str:
    """``name`` stripped, or a one-line :class:`UserError` saying what is wrong with it."""
    text = (name or "").strip()
    if not text:
        raise UserError("an agent's name cannot be empty")
    if len(text) > MAX_AGENT_NAME:
        raise UserError(f"an agent's name has at most {MAX_AGENT_NAME} characters, not {len(text)}")
    if "_" in text or "＿" in text:
        raise UserError("an agent's name cannot hold '_': it separates content and name in refund notes (R-FIN-2)")
    if "/" in text or "\\" in text:
        raise UserError("an agent's name cannot hold '/' or '\\'")
    if text in (".", ".."):
        raise UserError("an agent's name cannot be '.' or '..'")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        raise UserError("an agent's name cannot hold control characters")
    return text
