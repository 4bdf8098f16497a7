"""Money: yuan text ↔ integer fen, the one place (R-FIN; formats.md "general rules").

Inside asx every amount is an ``int`` of fen (分); yuan exist only at the edges:
:func:`parse_yuan` reads what users type and what files hold, :func:`yuan` writes the
two-decimal text. No float arithmetic anywhere: text goes through :class:`decimal.Decimal`.

``parse_yuan`` accepts ``12``, ``12.5``, ``+12.50``, ``¥12.50``, ``￥12.50``, ``12元``,
``RMB 12``, ``1,234.50`` and (``cell=True``: a cell of a platform export) the Excel guards
``="12.50"``/``'12.50``, full-width digits, and text that holds no amount (``无退款申请``,
``/``) as ``None``. It refuses more than two decimals, NaN/infinity, exponents (``1.2E+3``,
what Excel makes of long numbers) and absurd sizes (10¹² yuan or more) with an
:class:`AmountError`: a one-line :class:`~asx.core.errors.UserError` that is also a
``ValueError`` (the statement readers turn it into a rejected row).
"""

from __future__ import annotations

import re
from functools import cache

from asx.core.errors import UserError

__all__ = ["MAX_YUAN", "AmountError", "parse_yuan", "yuan"]

#: Largest amount accepted, in yuan (exclusive): anything bigger is not a payment.
MAX_YUAN = 10**12

#: a plain amount (``128.00``, ``-0.38``): read without Decimal (the usual cell)
_FAST_AMOUNT = re.compile(r"([+-]?)(\d{1,12})(?:\.(\d{1,2}))?")
GUARDS = frozenset("`='")  # the first characters of a guarded cell


@cache
def _slow():
    """What the general path needs, made on its first use (``asx --help`` imports this module)."""
    import unicodedata
    from decimal import Decimal, InvalidOperation
    from types import SimpleNamespace

    return SimpleNamespace(
        currency=re.compile(r"(?:[¥元]|RMB|CNY)", re.IGNORECASE),
        plain=re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"),
        grouped=re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"),
        digit=re.compile(r"\d"),
        sign_space=re.compile(r"^([+-])\s+"),
        phone=re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)"),
        email=re.compile(r"([A-Za-z0-9])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+)"),
        Decimal=Decimal, InvalidOperation=InvalidOperation, cent=Decimal("0.01"),
        nfkc=lambda text: unicodedata.normalize("NFKC", text),
    )

#: Cell texts that mean "no value" in amount columns (formats.md: 无退款申请).
EMPTY_MARKERS = frozenset({"", "/", "-", "--", "—", "无", "null", "none", "nan"})


class AmountError(UserError, ValueError):
    """Text that holds digits but is not an amount of yuan (one line; exit 2 on the CLI)."""


def scrub(text: str) -> str:
    """Mask mobile numbers and e-mail addresses in a message (R-SEC-3: no buyer
    data in logs): ``13812345678`` → ``138****5678``, ``abc@qq.com`` → ``a***@qq.com``."""
    x = _slow()
    text = x.phone.sub(r"\1****\2", text)
    return x.email.sub(r"\1***\2", text)


def quote_short(value: object, limit: int = 40) -> str:
    """A value quoted for a one-line message: short, phones/e-mails masked."""
    # scrub only the head that can be shown: the e-mail pattern is quadratic on a huge cell
    # (a 1.5 MB cell took half a minute); a phone or address inside the head is still masked
    s = repr(scrub(str(value)[: limit * 4]))
    return s if len(s) <= limit else s[: limit - 4] + "…'"


def unguard(s: str) -> str:
    """A stripped cell without the Excel/platform guards (one place: :func:`asx.io.tabular.clean_cell`
    and the amount cells use it): a leading backtick, ``="…"``, a leading ``'``."""
    if s and s[0] in GUARDS:
        if s[0] == "`":
            s = s[1:].strip()
        if len(s) >= 3 and s.startswith('="') and s.endswith('"'):
            s = s[2:-1].strip()
        if s.startswith("'"):
            s = s[1:].strip()
    return s


def parse_yuan(text: object, *, signed: bool = False, cell: bool = False) -> int | None:
    """Yuan → integer fen; ``None`` for a blank value (``None``, ``""``, spaces).

    *signed*: a leading ``-`` is accepted (statement rows, imported history); otherwise a
    negative amount is an :class:`AmountError` (what a user types for a payment).
    *cell*: the value is a cell of a platform export (formats.md): Excel guards and
    full-width characters are undone, text without digits (``无退款申请``, ``/``) means
    "no amount" (``None``), and spreadsheet numbers (``int``, ``float``) are read as the
    sheet shows them. Raises :class:`AmountError` for anything else that is not an
    amount of yuan with at most two decimals, below 10¹² yuan.
    """
    if text.__class__ is str:
        if not text:
            return None
        m = _FAST_AMOUNT.fullmatch(text)  # plain "128.00" / "-0.38": no Decimal needed
        if m:
            sign, whole, frac = m.groups()
            fen = int(whole) * 100 + (int(frac.ljust(2, "0")) if frac else 0)
            if sign == "-":
                if not signed and fen:
                    raise AmountError(f"bad amount {quote_short(text)}: negative (give a positive number of yuan)")
                return -fen
            return fen
    elif text is None:
        return None
    elif isinstance(text, bool):
        raise AmountError(f"bad amount {text!r}: not a number of yuan")
    x = _slow()
    if isinstance(text, int):
        return _to_fen(x.Decimal(text), text, signed)
    if isinstance(text, float):
        # XLSX cells and TOML settings: the shortest repr is the decimal the sheet shows.
        if text != text or text in (float("inf"), float("-inf")):
            raise AmountError(f"bad amount {text!r}: not a number of yuan")
        d = x.Decimal(repr(text))
        q = d.quantize(x.cent) if abs(d) < MAX_YUAN else d
        if abs(q - d) > x.Decimal("0.000001"):
            raise AmountError(f"bad amount {text!r}: more than 2 decimals")
        return _to_fen(q, text, signed)
    if isinstance(text, x.Decimal):
        return _to_fen(text, text, signed)
    s = text.strip() if isinstance(text, str) else str(text).strip()
    if cell:
        s = unguard(s)
    if not s.isascii():
        s = x.nfkc(s)
    s = s.replace("\u2212", "-")
    s = x.sign_space.sub(r"\1", x.currency.sub("", s).strip())
    if not s or (cell and (s.lower() in EMPTY_MARKERS or not x.digit.search(s))):
        return None
    if x.grouped.fullmatch(s):
        s = s.replace(",", "")
    if not x.plain.fullmatch(s):
        raise AmountError(f"bad amount {quote_short(text)}: not a number of yuan (e.g. 12.50)")
    try:
        d = x.Decimal(s)
    except x.InvalidOperation:  # pragma: no cover - the pattern already checked
        raise AmountError(f"bad amount {quote_short(text)}: not a number of yuan (e.g. 12.50)") from None
    return _to_fen(d, text, signed)


def _to_fen(d, value: object, signed: bool) -> int:
    if not d.is_finite():
        raise AmountError(f"bad amount {quote_short(value)}: not a number of yuan")
    if abs(d) >= MAX_YUAN:
        raise AmountError(f"bad amount {quote_short(value)}: implausibly large")
    q = d.quantize(_slow().cent)
    if q != d:
        raise AmountError(f"bad amount {quote_short(value)}: more than 2 decimals")
    if q < 0 and not signed:
        raise AmountError(f"bad amount {quote_short(value)}: negative (give a positive number of yuan)")
    return int(q * 100)


def yuan(fen: int | None) -> str:
    """Fen → yuan text with two decimals: ``1250`` → ``"12.50"``, ``-300`` → ``"-3.00"``,
    ``None`` → ``""``. Integer arithmetic only."""
    if fen is None:
        return ""
    fen = int(fen)
    if fen < 0:
        return f"-{-fen // 100}.{-fen % 100:02d}"
    return f"{fen // 100}.{fen % 100:02d}"
