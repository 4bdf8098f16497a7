"""The days a roster question is about: Monday/Sunday of a week, ranges, typed dates, and the
range a query means when the user gives only part of it (the stored roster's extent)."""

from __future__ import annotations

from datetime import date, timedelta

from asx.core.errors import UserError


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def sunday(d: date) -> date:
    return d + timedelta(days=6 - d.weekday())


def day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def parse_day(text: str | date | None, what: str = "date") -> date | None:
    if text is None or isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise UserError(f"{what} {text!r} is not a date (YYYY-MM-DD)")


def stored_extent(app) -> tuple[date | None, date | None]:
    """First and last day with a stored roster row (None, None: no roster yet)."""
    from asx.store import roster as roster_store

    a, b = roster_store.extent(app.store)
    return parse_day(a), parse_day(b)


def resolve_range(app, first: date | None, last: date | None, *, week: date | None = None,
                  default: str = "week") -> tuple[date, date]:
    """The days a query is about: --week, --from/--to, else the current week (or the stored roster)."""
    if week is not None:
        return monday(week), sunday(week)
    lo, hi = stored_extent(app)
    if first is None and last is None:
        if default == "all" and lo is not None:
            return lo, hi
        today = app.now().date()
        return monday(today), sunday(today)
    if first is None:
        first = lo if lo is not None and lo <= last else monday(last)
    if last is None:
        last = hi if hi is not None and hi >= first else sunday(first)
    if last < first:
        raise UserError(f"--to {last} is before --from {first}")
    return first, last
