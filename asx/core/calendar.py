"""The service calendar: service hours and Chinese working days (R-SLA).

SLA clocks run in *service hours* (default 08:30–23:00 local, every day) unless
a target is in *working days*: Monday–Friday, minus public holidays, plus
make-up workdays 调休 (R-SLA). Holiday data comes from the maintained package
``chinesecalendar`` (imported lazily, on first use) plus the user's
``[calendar] holidays``/``workdays`` from asx.toml, passed in as
``extra_holidays``/``extra_workdays``; the user's data wins on conflict.

For a year covered by neither, only Mon–Fri count as working days; the
calendar records a warning once per year in ``cal.warnings`` (the CLI prints
them to stderr), adds the year to ``cal.guessed_years``, and answers with
source ``'weekday-guess'`` (``is_working_day(d, explain=True)``). It never
guesses silently.

Conventions:

* Inputs may be aware datetimes, naive datetimes (read in the calendar's time
  zone) or epoch seconds. Results are aware datetimes in the calendar's zone.
* Minute counts are computed exactly in seconds over the whole span, then
  floored once to whole minutes (``seconds // 60``); a reversed span gives the
  negated count of the forward span, so ``f(a, b) == -f(b, a)``.
* Service hours apply to every local date except ``closed_dates`` (whole
  days). An overnight range such as 22:00–02:00 is taken as 00:00–02:00 plus
  22:00–24:00 of each date.
* Work is O(days) in the span; per-date answers are cached per instance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from asx.core.errors import UserError
from asx.core.timeutil import DEFAULT_TZ, get_tz, parse_clock_ranges
from asx.core.timeutil import date_to_epoch, epoch_to_date, from_epoch, to_epoch

DEFAULT_HOURS: tuple[tuple[int, int], ...] = ((510, 1380),)  # 08:30-23:00 (R-SLA)

SOURCE_PACKAGE = "package"
SOURCE_CONFIG = "config"
SOURCE_GUESS = "weekday-guess"

_MAX_EMPTY_DAYS = 3700  # give up looking for an opening after ~10 years


@lru_cache(maxsize=1)
def _package_data() -> tuple[dict[date, str], dict[date, str], int, int]:
    """(holidays, make-up workdays, first year, last year) from chinesecalendar.

    Names are Chinese (元旦, 春节, …). Without the package: no years covered.
    """
    try:
        from chinese_calendar import constants
    except ImportError:  # pragma: no cover - the package is a dependency
        return {}, {}, 1, 0
    zh = {h.value: h.chinese for h in constants.Holiday}
    holidays = {d: zh.get(n, n) for d, n in constants.holidays.items()}
    workdays = {d: zh.get(n, n) for d, n in constants.workdays.items()}
    years = [d.year for d in holidays]
    return holidays, workdays, min(years), max(years)


def _as_date(value: date | str, what: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UserError(f"bad date {value!r} in [calendar] {what}: use YYYY-MM-DD") from None


def _normalise_hours(hours: Iterable[tuple[int, int]] | str) -> tuple[tuple[int, int], ...]:
    ranges = parse_clock_ranges(hours) if isinstance(hours, str) else list(hours)
    pieces: list[tuple[int, int]] = []
    for start, end in ranges:
        start, end = int(start), int(end)
        if not (0 <= start < 1440 and start < end <= start + 1440):
            raise UserError(f"bad service hours {start}-{end}: minutes from midnight, start < end, end ≤ 24:00")
        if end > 1440:  # overnight: split into the two parts of each date
            pieces += [(start, 1440), (0, end - 1440)]
        else:
            pieces.append((start, end))
    if not pieces:
        raise UserError("service hours are empty: give at least one range such as 08:30-23:00")
    merged: list[list[int]] = []
    for start, end in sorted(pieces):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


Instant = datetime | int | float


class ServiceCalendar:
    """Service hours and the Chinese working-day calendar of one store."""

    def __init__(
        self,
        tz: str | tzinfo = DEFAULT_TZ,
        hours: Iterable[tuple[int, int]] | str = DEFAULT_HOURS,
        extra_holidays: Mapping[date | str, str] | None = None,
        extra_workdays: Iterable[date | str] | None = None,
        closed_dates: Iterable[date | str] | None = None,
    ) -> None:
        self.tz: tzinfo = get_tz(tz) if isinstance(tz, str) else tz
        self.hours = _normalise_hours(hours)
        self.extra_holidays: dict[date, str] = {
            _as_date(d, "holidays"): str(name) for d, name in (extra_holidays or {}).items()
        }
        self.extra_workdays: set[date] = {_as_date(d, "workdays") for d in (extra_workdays or ())}
        both = sorted(self.extra_holidays.keys() & self.extra_workdays)
        if both:
            raise UserError(f"{both[0].isoformat()} is both a holiday and a workday in [calendar]")
        self.closed_dates: set[date] = {_as_date(d, "closed") for d in (closed_dates or ())}
        self._config_years = {d.year for d in self.extra_holidays} | {d.year for d in self.extra_workdays}
        self.warnings: list[str] = []
        self.guessed_years: set[int] = set()
        self._days: dict[date, tuple[bool, str, str | None]] = {}
        self._open: dict[date, tuple[tuple[int, int], ...]] = {}

    def __repr__(self) -> str:
        return f"ServiceCalendar(tz={self.tz!s}, hours={list(self.hours)})"

    # -- instants ------------------------------------------------------------

    def _epoch(self, t: Instant) -> int:
        if isinstance(t, datetime):
            if t.tzinfo is None:
                t = t.replace(tzinfo=self.tz)
            return to_epoch(t)
        return int(t // 1)

    def _dt(self, epoch: int) -> datetime:
        return from_epoch(epoch, self.tz)

    def _local_date(self, epoch: int) -> date:
        return epoch_to_date(epoch, self.tz)

    def _intervals(self, d: date) -> tuple[tuple[int, int], ...]:
        """Open spans of local date ``d`` as epoch-second pairs (cached)."""
        spans = self._open.get(d)
        if spans is None:
            if d in self.closed_dates:
                spans = ()
            else:
                spans = tuple((self._minute_epoch(d, s), self._minute_epoch(d, e)) for s, e in self.hours)
            self._open[d] = spans
        return spans

    def _minute_epoch(self, d: date, minute: int) -> int:
        if minute >= 1440:
            d, minute = d + timedelta(days=1), minute - 1440
        return date_to_epoch(d, self.tz, time(minute // 60, minute % 60))

    def _open_seconds(self, a: int, b: int) -> int:
        """Seconds of service time in [a, b), a <= b."""
        total = 0
        d, last = self._local_date(a), self._local_date(b)
        while d <= last:
            for s, e in self._intervals(d):
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    total += hi - lo
            d += timedelta(days=1)
        return total

    # -- service hours -------------------------------------------------------

    def is_open(self, dt: Instant) -> bool:
        """True if ``dt`` lies inside service hours (start inclusive, end exclusive)."""
        a = self._epoch(dt)
        return any(s <= a < e for s, e in self._intervals(self._local_date(a)))

    def add_service_minutes(self, dt: Instant, n: float) -> datetime:
        """The instant ``n`` service minutes after ``dt``, skipping closed hours.

        Starting outside service hours, the count starts at the next opening
        (so ``n=0`` moves ``dt`` to the next opening). A due time that uses up
        a span exactly is that span's closing time (e.g. 23:00), not the next
        opening.
        """
        if n < 0:
            raise ValueError("add_service_minutes needs n >= 0")
        a = self._epoch(dt)
        remaining = round(n * 60)
        d = self._local_date(a)
        empty = 0
        while empty < _MAX_EMPTY_DAYS:
            found = False
            for s, e in self._intervals(d):
                if e <= a:
                    continue
                found = True
                start = max(s, a)
                if e - start >= remaining:
                    return self._dt(start + remaining)
                remaining -= e - start
            empty = 0 if found else empty + 1
            d += timedelta(days=1)
        raise UserError("the service calendar has no open hours for years: check [calendar] hours and closed dates")

    def next_opening(self, dt: Instant) -> datetime:
        """``dt`` itself if the store is open, else the next opening."""
        return self.add_service_minutes(dt, 0)

    def service_minutes_between(
        self, t1: Instant, t2: Instant, paused: Iterable[tuple[Instant, Instant | None]] = ()
    ) -> int:
        """Whole service minutes in [t1, t2), excluding ``paused`` spans (R-SLA).

        ``paused`` is a list of (start, end) spans (``waiting_*`` statuses); an
        end of None means "still paused" (until t2). Overlapping pauses count
        once. Seconds are summed exactly and floored once to minutes.
        """
        a, b = self._epoch(t1), self._epoch(t2)
        if b < a:
            return -self.service_minutes_between(t2, t1, paused)
        total = self._open_seconds(a, b)
        for pa, pb in self._merged_pauses(paused, a, b):
            total -= self._open_seconds(pa, pb)
        return total // 60

    def calendar_minutes_between(
        self, t1: Instant, t2: Instant, paused: Iterable[tuple[Instant, Instant | None]] = ()
    ) -> int:
        """Whole wall-clock minutes in [t1, t2), excluding ``paused`` spans; floored like above."""
        a, b = self._epoch(t1), self._epoch(t2)
        if b < a:
            return -self.calendar_minutes_between(t2, t1, paused)
        total = b - a
        for pa, pb in self._merged_pauses(paused, a, b):
            total -= pb - pa
        return total // 60

    def _merged_pauses(
        self, paused: Iterable[tuple[Instant, Instant | None]], a: int, b: int
    ) -> list[tuple[int, int]]:
        spans = []
        for start, end in paused:
            lo = max(self._epoch(start), a)
            hi = min(b if end is None else self._epoch(end), b)
            if hi > lo:
                spans.append((lo, hi))
        merged: list[list[int]] = []
        for lo, hi in sorted(spans):
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        return [(lo, hi) for lo, hi in merged]

    # -- working days --------------------------------------------------------

    def _to_day(self, d: date | datetime | int | float) -> date:
        if isinstance(d, datetime):
            return (d.replace(tzinfo=self.tz) if d.tzinfo is None else d.astimezone(self.tz)).date()
        if isinstance(d, date):
            return d
        return self._local_date(self._epoch(d))

    def _day(self, d: date) -> tuple[bool, str, str | None]:
        """(working?, source, holiday name) for local date ``d`` (cached)."""
        info = self._days.get(d)
        if info is not None:
            return info
        weekday = d.weekday() < 5
        if d in self.extra_holidays:
            info = (False, SOURCE_CONFIG, self.extra_holidays[d])
        elif d in self.extra_workdays:
            info = (True, SOURCE_CONFIG, None)
        else:
            holidays, workdays, first, last = _package_data()
            if first <= d.year <= last:
                name = holidays.get(d)
                info = (d in workdays or (weekday and name is None), SOURCE_PACKAGE, name)
            elif d.year in self._config_years:
                info = (weekday, SOURCE_CONFIG, None)
            else:
                self._guess(d.year)
                info = (weekday, SOURCE_GUESS, None)
        self._days[d] = info
        return info

    def _guess(self, year: int) -> None:
        if year in self.guessed_years:
            return
        self.guessed_years.add(year)
        self.warnings.append(
            f"no holiday data for {year}: treating Mon-Fri as working days; add [calendar] holidays/workdays "
            f"of that year to asx.toml when the State Council announces them"
        )

    def covered_years(self) -> list[int]:
        """Years with real holiday data: the package's years and years in the user's data."""
        _, _, first, last = _package_data()
        return sorted(set(range(first, last + 1)) | self._config_years)

    def is_working_day(self, d: date | datetime | int, explain: bool = False) -> bool | tuple[bool, str]:
        """Mon–Fri minus public holidays plus make-up workdays 调休 (R-SLA).

        With ``explain=True`` returns ``(bool, source)``, source being
        ``'package'``, ``'config'`` or ``'weekday-guess'``.
        """
        working, source, _ = self._day(self._to_day(d))
        return (working, source) if explain else working

    def is_holiday(self, d: date | datetime | int, explain: bool = False) -> bool | tuple[bool, str]:
        """True on a public holiday (a named day off, including weekend days inside the holiday).

        An ordinary weekend is not a holiday. ``explain`` as in :meth:`is_working_day`.
        """
        _, source, name = self._day(self._to_day(d))
        return (name is not None, source) if explain else name is not None

    def holiday_name(self, d: date | datetime | int) -> str | None:
        """The holiday's name (元旦, 春节, … or the name given in config), else None."""
        return self._day(self._to_day(d))[2]

    def working_days(self, start: date, end: date) -> list[date]:
        """Working days in [start, end] (both inclusive)."""
        out, d = [], self._to_day(start)
        last = self._to_day(end)
        while d <= last:
            if self._day(d)[0]:
                out.append(d)
            d += timedelta(days=1)
        return out

    def add_working_days(self, dt: Instant, n: int) -> datetime:
        """Same clock time on the ``n``-th working day after ``dt``'s date, moved into service hours.

        Counting starts the day after ``dt``'s local date, whatever that date is
        (a Saturday + 1 working day is the next working Monday). If that
        instant is outside service hours it moves forward to the next opening,
        which may fall on the following (possibly non-working) day: e.g. a case
        at 23:30 Friday + 1 working day is due 08:30 on the Tuesday after.
        """
        if n < 0:
            raise ValueError("add_working_days needs n >= 0")
        local = self._dt(self._epoch(dt))
        d, count = local.date(), 0
        while count < n:
            d += timedelta(days=1)
            if self._day(d)[0]:
                count += 1
        target = datetime.combine(d, local.time(), self.tz)
        return self.next_opening(target)
