"""Time helpers: time zones, a replayable clock, parsing of times, durations and periods.

Conventions (helper-common): datetimes are timezone-aware; storage uses integer
epoch seconds; display is ISO 8601 with offset, seconds precision, in the store
time zone (default Asia/Shanghai).

``ASX_NOW`` (ISO 8601, with or without offset) fixes the clock for tests and
replays; see :func:`now`.
"""

from __future__ import annotations

import os
import re
import time as _time
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from asx.core.errors import UserError

DEFAULT_TZ = "Asia/Shanghai"

TzLike = str | tzinfo | None

#: The years a time given by a person or a file may lie in (issue 21: 9999 and 0001 overflowed the
#: date arithmetic of due times and statements; an after-sales record is never before the epoch).
MIN_YEAR, MAX_YEAR = 1970, 2199


def in_range(dt: datetime | date, what: object = None) -> datetime | date:
    """``dt`` if its year lies in MIN_YEAR…MAX_YEAR, else a one-line :class:`UserError`."""
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        raise UserError(f"{'time' if what is None else what} out of range: year {dt.year} "
                        f"(years {MIN_YEAR}–{MAX_YEAR})")
    return dt


@lru_cache(maxsize=None)
def get_tz(name: str = DEFAULT_TZ) -> ZoneInfo:
    """The ZoneInfo for ``name`` (cached); UserError for an unknown zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UserError(f"unknown time zone {name!r} (use an IANA name such as Asia/Shanghai)") from exc


def _tz(tz: TzLike) -> tzinfo:
    if tz is None:
        return get_tz(DEFAULT_TZ)
    if isinstance(tz, str):
        return get_tz(tz)
    return tz


def _aware(dt: datetime, tz: tzinfo) -> datetime:
    """Attach ``tz`` to a naive datetime; convert an aware one to ``tz``."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=tz)
    return dt.astimezone(tz)


def now(tz: TzLike = DEFAULT_TZ) -> datetime:
    """Current time in ``tz``, truncated to seconds.

    If the environment variable ``ASX_NOW`` is set (ISO 8601, e.g.
    ``2026-11-03T09:00:00+08:00``; without offset it is read in ``tz``), that
    fixed instant is returned instead, for tests and replays.
    """
    zone = _tz(tz)
    fixed = os.environ.get("ASX_NOW", "").strip()
    if fixed:
        try:
            dt = datetime.fromisoformat(fixed)
        except ValueError:
            raise UserError(f"ASX_NOW={fixed!r} is not an ISO 8601 time such as 2026-11-03T09:00:00+08:00") from None
        return _aware(dt, zone).replace(microsecond=0)
    return datetime.now(zone).replace(microsecond=0)


_now = now  # parse_time/parse_period take a ``now=`` argument that shadows the function


# -- parsing -----------------------------------------------------------------

_REL_RE = re.compile(r"^([+-])\s*((?:\d+\s*[dhms]\s*)+)$", re.IGNORECASE)
_DUR_PART_RE = re.compile(r"(\d+)\s*([dhms])", re.IGNORECASE)
_DUR_RE = re.compile(r"^(?:\d+\s*[dhms]\s*)+$", re.IGNORECASE)
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_SLASH_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d")


def _dur_seconds(body: str) -> int:
    return sum(int(n) * _UNIT_SECONDS[u.lower()] for n, u in _DUR_PART_RE.findall(body))


def parse_duration(s: str) -> timedelta:
    """``2h``, ``30m``, ``1h30m``, ``2d``, ``45s`` or a bare number of minutes (``90``)."""
    text = str(s).strip()
    if text.isdigit():
        return timedelta(minutes=int(text))
    if text and _DUR_RE.match(text):
        return timedelta(seconds=_dur_seconds(text))
    raise UserError(f"bad duration {s!r}: use e.g. 90 (minutes), 30m, 2h, 1h30m, 2d")


def parse_time(s: str | datetime, tz: TzLike = DEFAULT_TZ, *, now: datetime | None = None) -> datetime:
    """Parse a user-given time into an aware datetime in ``tz``.

    Accepted: ISO 8601 with or without offset (without: read in ``tz``),
    ``YYYY-MM-DD HH:MM[:SS]``, ``YYYY/MM/DD HH:MM[:SS]``, ``HH:MM[:SS]`` (today),
    a date alone (00:00), ``now``, ``today``, ``yesterday``, ``tomorrow``
    (00:00 of that day) and offsets from now such as ``-2h``, ``+30m``, ``-3d``,
    ``-1h30m``. ``now`` defaults to :func:`now` (honours ``ASX_NOW``).
    """
    zone = _tz(tz)
    if isinstance(s, datetime):
        return _aware(s, zone)
    text = str(s).strip()
    low = text.lower()

    def ref() -> datetime:  # only relative forms read the clock
        return _aware(now, zone) if now is not None else _now(zone)

    if low == "now":
        return ref()
    if low in ("today", "yesterday", "tomorrow"):
        day = ref().date() + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[low])
        return datetime.combine(day, time(), zone)
    m = _REL_RE.match(text)
    if m:
        secs = _dur_seconds(m.group(2))
        delta = timedelta(seconds=secs if m.group(1) == "+" else -secs)
        return (ref().astimezone(timezone.utc) + delta).astimezone(zone)  # elapsed time, not wall time
    m = _CLOCK_RE.match(text)
    if m:
        h, mi, sec = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if h < 24 and mi < 60 and sec < 60:
            return datetime.combine(ref().date(), time(h, mi, sec), zone)
    if text and text[0].isdigit():
        try:
            return _aware(in_range(datetime.fromisoformat(text)), zone)
        except ValueError:
            pass
        for fmt in _SLASH_FORMATS:
            try:
                return _aware(in_range(datetime.strptime(text, fmt)), zone)
            except ValueError:
                pass
    raise UserError(
        f"bad time {s!r}: use e.g. 2026-11-03T09:00, '2026-11-03 09:00', 09:00, today, yesterday, -2h, +30m"
    )


# -- epoch and display ------------------------------------------------------


def to_epoch(dt: datetime) -> int:
    """Integer epoch seconds (floored) of an aware datetime."""
    if dt.tzinfo is None:
        raise ValueError("to_epoch needs a timezone-aware datetime")
    return int(dt.timestamp() // 1)


def from_epoch(i: int | float, tz: TzLike = DEFAULT_TZ) -> datetime:
    """Aware datetime in ``tz`` for epoch seconds ``i``."""
    return datetime.fromtimestamp(int(i // 1), _tz(tz))


def date_to_epoch(d: date, tz: TzLike = DEFAULT_TZ, clock: time = time()) -> int:
    """Epoch seconds of the local time *clock* (default midnight) on date *d* in ``tz``."""
    return int(datetime.combine(d, clock, _tz(tz)).timestamp() // 1)


def epoch_to_date(i: int | float, tz: TzLike = DEFAULT_TZ) -> date:
    """The local date in ``tz`` of epoch seconds ``i``."""
    return datetime.fromtimestamp(int(i // 1), _tz(tz)).date()


def epoch_now() -> int:
    """The wall clock as epoch seconds (bookkeeping: migrations applied, maintenance runs), not ``ASX_NOW``."""
    return int(_time.time())


def iso(value: datetime | int | float | None, tz: TzLike = DEFAULT_TZ) -> str | None:
    """ISO 8601 with offset, seconds precision, in ``tz`` (``2026-11-03T09:00:00+08:00``).

    Accepts an aware datetime (a naive one is read in ``tz``) or epoch seconds;
    ``None`` passes through as ``None``.
    """
    if value is None:
        return None
    zone = _tz(tz)
    dt = from_epoch(value, zone) if isinstance(value, int | float) else _aware(value, zone)
    return dt.replace(microsecond=0).isoformat()


# -- periods -------------------------------------------------------------------


class Period(NamedTuple):
    """Half-open span [start, end) of aware datetimes, with a display label."""

    start: datetime
    end: datetime
    label: str

    def contains(self, dt: datetime) -> bool:
        return self.start <= dt < self.end


_YEAR_RE = re.compile(r"^(\d{4})$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_DATE_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


def _midnight(d: date, zone: tzinfo) -> datetime:
    return datetime.combine(d, time(), zone)


def _days(d1: date, d2: date, zone: tzinfo, label: str) -> Period:
    return Period(_midnight(d1, zone), _midnight(d2, zone), label)


def _week_label(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _month_period(y: int, m: int, zone: tzinfo) -> Period:
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return _days(date(y, m, 1), nxt, zone, f"{y}-{m:02d}")


def _parse_one_period(text: str, zone: tzinfo, ref: datetime) -> Period:
    low = text.lower()
    today = ref.date()
    if low in ("today", "yesterday"):
        d = today - timedelta(days=1 if low == "yesterday" else 0)
        return _days(d, d + timedelta(days=1), zone, d.isoformat())
    if low in ("this-week", "last-week"):
        monday = today - timedelta(days=today.weekday() + (7 if low == "last-week" else 0))
        return _days(monday, monday + timedelta(days=7), zone, _week_label(monday))
    if low in ("this-month", "last-month"):
        y, m = today.year, today.month
        if low == "last-month":
            y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        return _month_period(y, m, zone)
    if low in ("this-year", "last-year"):
        y = today.year - (1 if low == "last-year" else 0)
        return _days(date(y, 1, 1), date(y + 1, 1, 1), zone, str(y))
    try:
        if m := _YEAR_RE.match(text):
            y = int(m.group(1))
            return _days(date(y, 1, 1), date(y + 1, 1, 1), zone, str(y))
        if m := _MONTH_RE.match(text):
            return _month_period(int(m.group(1)), int(m.group(2)), zone)
        if m := _WEEK_RE.match(text):
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return _days(monday, monday + timedelta(days=7), zone, _week_label(monday))
        if m := _DATE_RE.match(text):
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return _days(d, d + timedelta(days=1), zone, d.isoformat())
    except ValueError:
        pass
    raise UserError(
        f"bad period {text!r}: use e.g. 2026-11, 2026-W47, 2026, 2026-11-03, "
        "2026-11-01..2026-11-15, today, yesterday, last-week, last-month"
    )


def parse_period(s: str, tz: TzLike = DEFAULT_TZ, *, now: datetime | None = None) -> Period:
    """Parse a reporting period into a half-open :class:`Period` in ``tz``.

    Forms: ``2026`` (year), ``2026-11`` (month), ``2026-W47`` (ISO week,
    Monday 00:00 to next Monday), ``2026-11-03`` (one day), ``today``,
    ``yesterday``, ``this-week``, ``last-week``, ``this-month``,
    ``last-month``, ``this-year``, ``last-year``, and ranges ``A..B`` from the
    start of A to the end of B (so ``2026-11-01..2026-11-15`` includes the 15th;
    ``2026-10..2026-11`` spans two months).
    """
    zone = _tz(tz)
    text = str(s).strip()
    ref = _aware(now, zone) if now is not None else _now(zone)
    if ".." in text:
        left, _, right = text.partition("..")
        a = _parse_one_period(left.strip(), zone, ref)
        b = _parse_one_period(right.strip(), zone, ref)
        if b.end <= a.start:
            raise UserError(f"bad period {text!r}: the end comes before the start")
        return Period(a.start, b.end, f"{a.label}..{b.label}")
    return _parse_one_period(text, zone, ref)


# -- clock ranges ------------------------------------------------------------

_RANGE_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def _parse_range(part: str, whole: str) -> tuple[int, int]:
    m = _RANGE_RE.match(part.strip())
    if m:
        h1, m1, h2, m2 = map(int, m.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if m1 < 60 and m2 < 60 and start < 1440 and end <= 1440 and start != end:
            # An overnight range (22:00-02:00) ends past midnight: end > 1440.
            return (start, end if end > start else end + 1440)
    raise UserError(f"bad clock range {whole!r}: use HH:MM-HH:MM, e.g. 08:30-23:00 or 10:00-14:00,17:30-24:00")


def parse_clock_ranges(s: str) -> list[tuple[int, int]]:
    """``"10:00-14:00,17:30-23:00"`` → ``[(600, 840), (1050, 1380)]`` (minutes from midnight).

    ``24:00`` is allowed as an end. An overnight range such as ``22:00-02:00``
    gives an end past 1440 (``(1320, 1560)``).
    """
    parts = [p for p in str(s).split(",") if p.strip()]
    if not parts:
        raise UserError(f"bad clock range {s!r}: use HH:MM-HH:MM, e.g. 08:30-23:00")
    return [_parse_range(p, s) for p in parts]


def parse_clock_range(s: str) -> tuple[int, int] | list[tuple[int, int]]:
    """``"08:30-17:30"`` → ``(510, 1050)``; a comma list gives a list of tuples.

    Prefer :func:`parse_clock_ranges` when a list is always wanted.
    """
    ranges = parse_clock_ranges(s)
    return ranges[0] if "," not in str(s).strip().strip(",") else ranges
