"""Refund/compensation notes: the house form ``<content>_<agent>`` (R-FIN-2).

Seed 001 财务制度: every refund paid through Alipay carries the note
"content + agent name", e.g. ``删除中评_萌萌``; order flags use the same form
with spaces, ``发邮政快递 _ 萌萌``.  The agent is the part after the LAST
underscore, so a content may itself contain ``_``.  Also
:func:`find_personal_data`, which spots buyer personal data that must never
be written into a payment note (R-FIN-4, PIPL).

Pure functions, no I/O; :func:`parse_note` never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from asx.core.errors import UserError

NoteForm = Literal["ok", "spaced", "fullwidth", "missing", "malformed"]

SEPARATOR = "_"
FULLWIDTH_SEPARATOR = "\uff3f"  # ＿
_SEPARATORS = SEPARATOR + FULLWIDTH_SEPARATOR
#: Characters people put where the underscore belongs.
_LOOKALIKES = ("-", "－", "—", "/", "|", "｜", "+", "＋", ":", "：")


@dataclass(frozen=True, slots=True)
class NoteParse:
    """Result of :func:`parse_note`.

    ``form``: 'ok' (house form), 'spaced' (``content _ agent``, tolerated with a
    warning), 'fullwidth' (``＿``, tolerated with a warning), 'missing' (no
    note) or 'malformed' (no separator, or nothing on one side).  ``content``
    and ``agent`` are filled whenever they could be recognised.
    """

    content: str
    agent: str
    form: NoteForm
    problems: tuple[str, ...] = field(default=())

    @property
    def well_formed(self) -> bool:
        """True when the note has a content and an agent (possibly with warnings)."""
        return self.form in ("ok", "spaced", "fullwidth")


def parse_note(text: str | None) -> NoteParse:
    """Split a note into content and agent (R-FIN-2); never raises."""
    if text is None or not isinstance(text, str):
        return NoteParse("", "", "missing", ("no note",))
    s = text.strip()
    if not s:
        return NoteParse("", "", "missing", ("no note",))
    i = max(s.rfind(SEPARATOR), s.rfind(FULLWIDTH_SEPARATOR))
    if i < 0:
        hint = next((c for c in _LOOKALIKES if c in s), None)
        reason = "no '_' between content and agent name (expected <content>_<agent>"
        reason += f"; found {hint!r} instead)" if hint else ")"
        return NoteParse(s, "", "malformed", (reason,))
    content, agent = s[:i].strip(), s[i + 1:].strip()
    problems: list[str] = []
    form: NoteForm = "ok"
    if s[i] == FULLWIDTH_SEPARATOR:
        form = "fullwidth"
        problems.append("full-width '＿' used as separator; write '_'")
    if (i > 0 and s[i - 1].isspace()) or (i + 1 < len(s) and s[i + 1].isspace()):
        if form == "ok":
            form = "spaced"
        problems.append("spaces around '_'; the refund note form is <content>_<agent>")
    if not content or not agent:
        missing = "content" if not content else "agent name"
        return NoteParse(content, agent, "malformed",
                         (f"nothing before/after '_': no {missing}",))
    return NoteParse(content, agent, form, tuple(problems))


def format_note(content: str, agent: str, spaced: bool = False) -> str:
    """The house form: ``删除中评_萌萌``, or ``发邮政快递 _ 萌萌`` with *spaced*.

    ``parse_note(format_note(c, a))`` gives back ``c`` and ``a`` (stripped).
    Raises UserError for an empty part, a line break, or an agent name that
    contains an underscore (the agent is what follows the last one).
    """
    content, agent = (content or "").strip(), (agent or "").strip()
    if not content:
        raise UserError("note content is empty")
    if not agent:
        raise UserError("agent name is empty")
    if any(c in agent for c in _SEPARATORS):
        raise UserError(f"agent name {agent!r} must not contain '_' or '＿'")
    for part in (content, agent):
        if any(c in part for c in "\r\n"):
            raise UserError("a note is one line: no line breaks")
    return f"{content} _ {agent}" if spaced else f"{content}_{agent}"


# ---------------------------------------------------------------- R-FIN-4

_PHONE = re.compile(r"(?<![\d])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?![\d])")
_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_ID_CARD = re.compile(r"(?<![\dA-Za-z])[1-9]\d{16}[\dXx](?![\dA-Za-z])")
_CARD = re.compile(r"(?<![\d])\d{4}(?:[\s-]?\d){12,15}(?![\d])")
_CARD_CONTEXT = re.compile(r"卡号|银行卡|储蓄卡|信用卡|借记卡|卡|card|account|账号|帐号", re.IGNORECASE)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

PersonalDataKind = Literal["phone", "email", "id_card", "bank_card"]


def _id_card_valid(s: str) -> bool:
    """18-character resident ID: region, birth date and ISO 7064 check character."""
    if s[0] not in "12345678":
        return False
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    total = sum(int(d) * w for d, w in zip(s[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == s[17].upper()


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def find_personal_data(text: str | None) -> list[PersonalDataKind]:
    """Kinds of buyer personal data in a note (R-FIN-4): phone, email, id_card, bank_card.

    Detects mainland mobiles ``1[3-9]`` + 9 digits (also ``138 1234 5678``,
    ``138-1234-5678``, ``+86``), e-mail addresses, 18-character resident ID
    numbers (date and check character verified) and bank card numbers (16–19
    digits passing the Luhn check, starting 62 (UnionPay) or next to a word
    like 卡号/银行卡).  Already-masked values (``138****5678``,
    ``rim***@qq.com``) are not reported.  Returns each kind once, in that order.
    """
    if not text:
        return []
    s = unicodedata.normalize("NFKC", text)
    found: set[str] = set()
    id_spans: list[tuple[int, int]] = []
    for m in _ID_CARD.finditer(s):
        if _id_card_valid(m.group()):
            found.add("id_card")
            id_spans.append(m.span())
    for m in _PHONE.finditer(s):
        if not any(a <= m.start() < b for a, b in id_spans):
            found.add("phone")
    if _EMAIL.search(s):
        found.add("email")
    context = _CARD_CONTEXT.search(s) is not None
    for m in _CARD.finditer(s):
        if any(a <= m.start() < b for a, b in id_spans):
            continue
        digits = re.sub(r"\D", "", m.group())
        if 16 <= len(digits) <= 19 and _luhn(digits) and (digits.startswith("62") or context):
            found.add("bank_card")
    return [k for k in ("phone", "email", "id_card", "bank_card") if k in found]  # type: ignore[misc]
