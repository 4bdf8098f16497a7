"""Masking of customer data in output (R-SEC-1, R-SEC-2; formats.md "Masking").

* Mainland mobile ``^1[3-9]\\d{9}$`` → ``138****5678`` (keep 3 + 4), also with a
  ``+86``/``0086``/``86`` prefix, spaces or dashes, which are kept in place
  (``+86 138 **** 5678``). Other numbers (landlines) keep their last 4 digits.
* Names keep the first character: ``张三丰`` → ``张**``, ``Rimu Li`` → ``R*** **``.
* E-mail keeps the first character of the local part and the domain:
  ``rimu@qq.com`` → ``r***@qq.com``. A local part that is already masked
  (at most 3 visible characters followed only by ``*``, e.g. ``rim***`` from a
  platform export) is left as it is; a one-character local part becomes ``*``.
* Accounts (Alipay, bank card) keep the last 4; an Alipay account that is an
  e-mail or mobile is masked as such.
* Every function is idempotent (masking a masked value changes nothing) and
  lets None and "" through. Masking is positional: characters are replaced by
  ``*`` one for one, so shapes and lengths are preserved (except the
  one-character e-mail local part above, which is already all hidden).

Fullwidth digits (０-９) count as digits.
"""

from __future__ import annotations

import re
from typing import Any

_DIGITS = "0123456789０１２３４５６７８９"
_TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")
_DIGIT_OR_STAR = set(_DIGITS) | {"*"}
_PHONE_CHARS = _DIGIT_OR_STAR | set("+＋ -()（）")
D = "[0-9０-９]"

# The middle four may already be masked, so a masked phone is consumed as a phone (and left
# as it is) rather than re-read as a run of digits.
_MOBILE_TEXT = rf"(?:(?:[+＋]|00)?(?:86|８６)[ -]?)?[1１][3-9３-９]{D}[ -]?[0-9０-９*]{{4}}[ -]?{D}{{4}}"
_EMAIL_LOCAL = r"[A-Za-z0-9._%+*\-]+"
_EMAIL_DOMAIN = r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_SCAN_RE = re.compile(
    rf"(?P<email>{_EMAIL_LOCAL}@{_EMAIL_DOMAIN})"
    rf"|(?P<phone>(?<![0-9０-９]){_MOBILE_TEXT}(?![0-9０-９]))"
    rf"|(?P<digits>(?<![0-9０-９]){D}{{7,}}(?![0-9０-９]))"
)
_EMAIL_FULL_RE = re.compile(rf"^{_EMAIL_LOCAL}@{_EMAIL_DOMAIN}$")
_MASKED_LOCAL_RE = re.compile(r"^[^*]{0,3}\*+$")

KINDS = ("phone", "name", "email", "account", "contact", "text")


def _is_mobile(core: str) -> bool:
    """Core (digits/stars, ASCII) shaped like a mainland mobile, middle possibly masked."""
    return len(core) == 11 and core[0] == "1" and core[1] in "3456789"


def _hide(s: str, positions: list[int]) -> str:
    chars = list(s)
    for i in positions:
        chars[i] = "*"
    return "".join(chars)


def _keep_last4(s: str, positions: list[int]) -> str:
    """Hide all of ``positions`` but the last four (all of them if four or fewer)."""
    return _hide(s, positions[:-4] if len(positions) > 4 else positions)


def mask_phone(value: Any) -> Any:
    """``13812345678`` → ``138****5678``; ``+86 138-1234-5678`` → ``+86 138-****-5678``.

    Not a mobile: every digit but the last 4 becomes ``*`` (``010-12345678`` →
    ``***-****5678``). Other characters stay in place.
    """
    if value is None or value == "":
        return value
    s = str(value)
    idx = [i for i, c in enumerate(s) if c in _DIGIT_OR_STAR]
    core = "".join(s[i] for i in idx).translate(_TO_ASCII)
    for prefix in ("0086", "86", ""):
        if core.startswith(prefix) and _is_mobile(core[len(prefix) :]):
            off = len(prefix)
            return _hide(s, idx[off + 3 : off + 7])
    return _keep_last4(s, idx)


def mask_name(value: Any) -> Any:
    """Keep the first character, every other non-space character becomes ``*``: ``张三丰`` → ``张**``."""
    if value is None or value == "":
        return value
    s = str(value)
    first = len(s) - len(s.lstrip())
    return s[: first + 1] + "".join(c if c.isspace() else "*" for c in s[first + 1 :])


def mask_email(value: Any) -> Any:
    """``rimu@qq.com`` → ``r***@qq.com`` (keep the first character and the domain).

    Without ``@`` it is masked like a name.
    """
    if value is None or value == "":
        return value
    s = str(value)
    local, at, domain = s.rpartition("@")
    if not at or not local:
        return mask_name(s)
    if _MASKED_LOCAL_RE.match(local):
        return s
    masked = "*" if len(local) == 1 else local[0] + "*" * (len(local) - 1)
    return f"{masked}@{domain}"


def _looks_phone(s: str) -> bool:
    """Only phone characters, at least 7 digits/stars, the last 4 of them digits."""
    if not set(s) <= _PHONE_CHARS:
        return False
    core = [c for c in s if c in _DIGIT_OR_STAR]
    return len(core) >= 7 and all(c != "*" for c in core[-4:])


def mask_account(value: Any) -> Any:
    """Alipay account / bank card: keep the last 4 (``6222021234567890`` → ``************7890``).

    An account that is an e-mail or a phone number is masked as one. Letters
    and digits are hidden, separators kept.
    """
    return _mask_kind(value, lambda s: _keep_last4(s, [i for i, c in enumerate(s) if c.isalnum() or c == "*"]))


def mask_contact(value: Any) -> Any:
    """A buyer contact of unknown kind: e-mail, phone, or anything else masked like a name."""
    return _mask_kind(value, mask_name)


def _mask_kind(value: Any, otherwise) -> Any:
    """An e-mail masked as one, a phone number as one, anything else with ``otherwise``."""
    if value is None or value == "":
        return value
    s = str(value)
    if _EMAIL_FULL_RE.match(s.strip()):
        return mask_email(s)
    if _looks_phone(s):
        return mask_phone(s)
    return otherwise(s)


def _mask_match(m: re.Match[str]) -> str:
    if m.lastgroup == "email":
        return mask_email(m.group())
    if m.lastgroup == "phone":
        return mask_phone(m.group())
    return _keep_last4(m.group(), list(range(len(m.group()))))


def mask_text(value: Any) -> Any:
    """Mask phones, e-mails and runs of 7+ digits (cards, ID numbers) inside free text."""
    if value is None or value == "":
        return value
    return _SCAN_RE.sub(_mask_match, str(value))


_DISPATCH = {
    "phone": mask_phone,
    "name": mask_name,
    "email": mask_email,
    "account": mask_account,
    "contact": mask_contact,
    "text": mask_text,
}


def mask_value(kind: str, value: Any) -> Any:
    """Mask ``value`` as ``kind``: phone, name, email, account, contact (auto-detect) or text."""
    try:
        func = _DISPATCH[kind]
    except KeyError:
        raise ValueError(f"unknown masking kind {kind!r}; expected one of {', '.join(KINDS)}") from None
    return func(value)


def find_unmasked(text: str | None) -> list[tuple[str, str]]:
    """Unmasked mobiles and e-mails in ``text`` as ``(kind, match)`` pairs, for privacy tests.

    Uses the same scanner as :func:`mask_text`, so ``find_unmasked(mask_text(x)) == []``.
    """
    found: list[tuple[str, str]] = []
    for m in _SCAN_RE.finditer(text or ""):
        if m.lastgroup == "phone":
            if mask_phone(m.group()) != m.group():
                found.append(("phone", m.group()))
        elif m.lastgroup == "email" and not _MASKED_LOCAL_RE.match(m.group().rpartition("@")[0]):
            found.append(("email", m.group()))
    return found
