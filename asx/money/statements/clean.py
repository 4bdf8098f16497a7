"""Statement cells: times and Taobao order numbers (formats.md "general rules").

Cells are cleaned by :mod:`asx.io.tabular` (``clean_cell``, ``normalize_header``, ``excel_mangled`` …,
re-exported here for plugins_contrib until it imports ``asx.api``) and amounts read by
:func:`asx.core.money.parse_yuan`; ``parse_time`` raises ``ValueError`` with a short reason that
readers turn into a :class:`~asx.money.statements.model.Problem`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from asx.io.tabular import clean_cell, normalize_text
from asx.core.money import quote_short as _short
from asx.core.timeutil import MAX_YEAR, MIN_YEAR

DEFAULT_TZ = "Asia/Shanghai"

_TIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s+|T)(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.(\d{1,6}))?\s*秒?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)
_FAST_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", re.ASCII)


@lru_cache(maxsize=64)
def get_tz(tz: str | tzinfo | None) -> tzinfo:
    if tz is None:
        return ZoneInfo(DEFAULT_TZ)
    if isinstance(tz, str):
        return ZoneInfo(tz)
    return tz


def _parse_time(value: object, tz: str | tzinfo | None = DEFAULT_TZ) -> datetime:
    """Statement time → timezone-aware datetime (naive values are in *tz*).

    Formats seen: ``2026-11-01 10:22:33``, ``2026/11/1 10:22`` (Excel re-save),
    ``2026年11月01日 00:00:00``, ``2016-05-04  02:18:18``, a bare date, ISO
    ``2026-11-01T10:22:33+08:00``, and ``datetime`` objects from XLSX cells.
    Raises ``ValueError`` otherwise.
    """
    zone = get_tz(tz)
    if value.__class__ is str and len(value) == 19 and _FAST_TIME.fullmatch(value):
        # fast path for the usual ``YYYY-MM-DD HH:MM:SS`` (ASCII digits); anything else, and
        # invalid dates (whose error the general path words), take the general path
        try:
            return datetime.fromisoformat(value).replace(tzinfo=zone)
        except ValueError:
            pass
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone)
    s = normalize_text(clean_cell(value))
    m = _TIME.fullmatch(s)
    if not m:
        raise ValueError(f"not a date/time: {_short(value)}" if s else "no date/time")
    year, month, day, hour, minute, second, frac, offset = m.groups()
    micro = int((frac or "0").ljust(6, "0"))
    try:
        dt = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                      int(second or 0), micro)
    except ValueError as exc:
        raise ValueError(f"not a valid date/time: {_short(value)} ({exc})") from None
    if offset:
        from datetime import timedelta, timezone

        if offset == "Z":
            fixed = UTC
        else:
            off = offset.replace(":", "")
            sign = -1 if off[0] == "-" else 1
            minutes = int(off[1:3]) * 60 + int(off[3:5])
            if minutes >= 24 * 60:
                raise ValueError(f"bad UTC offset in {_short(value)}")
            fixed = timezone(sign * timedelta(minutes=minutes))
        return dt.replace(tzinfo=fixed).astimezone(zone)
    return dt.replace(tzinfo=zone)


def parse_time(value: object, tz: str | tzinfo | None = DEFAULT_TZ) -> datetime:
    dt = _parse_time(value, tz)
    if not MIN_YEAR <= dt.year <= MAX_YEAR:  # issue 21: a payout dated 9999-12-31 overflowed the audit
        raise ValueError(f"date out of range: year {dt.year} (years {MIN_YEAR}–{MAX_YEAR})")
    return dt


parse_time.__doc__ = _parse_time.__doc__

_T200P = re.compile(r"T200P(\d+)")


def taobao_order_no(merchant_order_no: str) -> str:
    """Taobao order number carried as ``T200P<order>`` in 商户订单号, else ``""``."""
    # same as _T200P.fullmatch (\d is a Unicode decimal digit, like str.isdecimal), without the regex
    if merchant_order_no[:5] == "T200P":
        rest = merchant_order_no[5:]
        if rest.isdecimal():
            return rest
    return ""
