from datetime import date, datetime, timedelta, timezone

import pytest

from asx.core import timeutil as tu
from asx.core.errors import UserError

SH = tu.get_tz("Asia/Shanghai")
NOW = datetime(2026, 11, 3, 9, 0, tzinfo=SH)  # a Tuesday


def at(*args):
    return datetime(*args, tzinfo=SH)


def test_get_tz_cached_and_unknown():
    assert tu.get_tz("Asia/Shanghai") is tu.get_tz("Asia/Shanghai")
    with pytest.raises(UserError, match="unknown time zone"):
        tu.get_tz("Mars/Olympus")


# -- now / ASX_NOW -----------------------------------------------------------


def test_now_honours_asx_now_with_offset(monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-03T01:00:00+00:00")
    assert tu.now() == at(2026, 11, 3, 9, 0)
    assert tu.now().utcoffset() == timedelta(hours=8)
    assert tu.now("UTC").isoformat() == "2026-11-03T01:00:00+00:00"


def test_now_asx_now_without_offset_is_store_tz(monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-03T09:00:00")
    assert tu.iso(tu.now()) == "2026-11-03T09:00:00+08:00"


def test_now_bad_asx_now(monkeypatch):
    monkeypatch.setenv("ASX_NOW", "tuesday")
    with pytest.raises(UserError, match="ASX_NOW"):
        tu.now()


def test_now_real_clock_is_aware_and_whole_seconds(monkeypatch):
    monkeypatch.delenv("ASX_NOW", raising=False)
    t = tu.now()
    assert t.tzinfo is not None and t.microsecond == 0


def test_relative_times_follow_asx_now(monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-03T09:00:00+08:00")
    assert tu.parse_time("-2h") == at(2026, 11, 3, 7, 0)
    assert tu.parse_time("yesterday") == at(2026, 11, 2)
    assert tu.parse_period("yesterday").label == "2026-11-02"


# -- parse_time --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-03T09:00:00+08:00", at(2026, 11, 3, 9)),
        ("2026-11-03T01:00:00Z", at(2026, 11, 3, 9)),
        ("2026-11-03T09:00", at(2026, 11, 3, 9)),
        ("2026-11-03 09:15", at(2026, 11, 3, 9, 15)),
        ("2026-11-03 09:15:30", at(2026, 11, 3, 9, 15, 30)),
        ("2026/11/03 09:15", at(2026, 11, 3, 9, 15)),
        ("2026/11/3", at(2026, 11, 3)),
        ("2026-11-01", at(2026, 11, 1)),
        ("14:30", at(2026, 11, 3, 14, 30)),
        ("now", NOW),
        ("today", at(2026, 11, 3)),
        ("yesterday", at(2026, 11, 2)),
        ("-2h", at(2026, 11, 3, 7)),
        ("+30m", at(2026, 11, 3, 9, 30)),
        ("-3d", at(2026, 10, 31, 9)),
        ("-1h30m", at(2026, 11, 3, 7, 30)),
    ],
)
def test_parse_time(text, expected):
    got = tu.parse_time(text, "Asia/Shanghai", now=NOW)
    assert got == expected
    assert got.tzinfo is not None and got.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("text", ["", "soon", "25:00", "2026-13-01", "2026-11-03 9h", "+2x", "3 days ago"])
def test_parse_time_rejects(text):
    with pytest.raises(UserError, match="bad time"):
        tu.parse_time(text, now=NOW)


def test_parse_time_converts_aware_input_to_tz():
    utc = datetime(2026, 11, 3, 1, 0, tzinfo=timezone.utc)
    assert tu.parse_time(utc).isoformat() == "2026-11-03T09:00:00+08:00"


# -- durations ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, minutes",
    [("2h", 120), ("30m", 30), ("1h30m", 90), ("2d", 2880), ("90", 90), ("0", 0), ("1d 2h", 1560)],
)
def test_parse_duration(text, minutes):
    assert tu.parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "h", "-2h", "2 hours", "1.5h", "2w"])
def test_parse_duration_rejects(text):
    with pytest.raises(UserError, match="bad duration"):
        tu.parse_duration(text)


# -- epoch / iso ---------------------------------------------------------------


def test_epoch_round_trip_and_iso():
    t = at(2026, 11, 3, 9, 0, 0)
    e = tu.to_epoch(t)
    assert e == 1793667600
    assert tu.from_epoch(e) == t
    assert tu.iso(e) == "2026-11-03T09:00:00+08:00"
    assert tu.iso(t.replace(microsecond=999_999)) == "2026-11-03T09:00:00+08:00"
    assert tu.iso(e, "UTC") == "2026-11-03T01:00:00+00:00"
    assert tu.iso(None) is None


def test_to_epoch_refuses_naive():
    with pytest.raises(ValueError):
        tu.to_epoch(datetime(2026, 11, 3))


# -- periods -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, start, end, label",
    [
        ("2026-11", date(2026, 11, 1), date(2026, 12, 1), "2026-11"),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1), "2026-12"),
        ("2026-W47", date(2026, 11, 16), date(2026, 11, 23), "2026-W47"),
        ("2026-W01", date(2025, 12, 29), date(2026, 1, 5), "2026-W01"),
        ("2026", date(2026, 1, 1), date(2027, 1, 1), "2026"),
        ("yesterday", date(2026, 11, 2), date(2026, 11, 3), "2026-11-02"),
        ("today", date(2026, 11, 3), date(2026, 11, 4), "2026-11-03"),
        ("last-week", date(2026, 10, 26), date(2026, 11, 2), "2026-W44"),
        ("last-month", date(2026, 10, 1), date(2026, 11, 1), "2026-10"),
        ("2026-11-01..2026-11-15", date(2026, 11, 1), date(2026, 11, 16), "2026-11-01..2026-11-15"),
        ("2026-11-03", date(2026, 11, 3), date(2026, 11, 4), "2026-11-03"),
    ],
)
def test_parse_period(text, start, end, label):
    p = tu.parse_period(text, now=NOW)
    assert (p.start, p.end, p.label) == (at(start.year, start.month, start.day), at(end.year, end.month, end.day), label)
    assert p.contains(p.start) and not p.contains(p.end)


@pytest.mark.parametrize("text", ["2026-13", "2026-W54", "2026-11-15..2026-11-01", "last-fortnight", ""])
def test_parse_period_rejects(text):
    with pytest.raises(UserError, match="bad period"):
        tu.parse_period(text, now=NOW)


# -- clock ranges ------------------------------------------------------------


def test_parse_clock_range():
    assert tu.parse_clock_range("08:30-17:30") == (510, 1050)
    assert tu.parse_clock_range("17:30-23:00") == (1050, 1380)
    assert tu.parse_clock_range("18:00-24:00") == (1080, 1440)
    assert tu.parse_clock_range("10:00-14:00,17:30-23:00") == [(600, 840), (1050, 1380)]
    assert tu.parse_clock_ranges("08:30-23:00") == [(510, 1380)]
    assert tu.parse_clock_range("22:00-02:00") == (1320, 1560)  # overnight: end past midnight


@pytest.mark.parametrize("text", ["", "8-17", "08:30", "09:00-09:00", "24:00-25:00", "08:61-09:00", "10:00-14:00,x"])
def test_parse_clock_range_rejects(text):
    with pytest.raises(UserError, match="bad clock range"):
        tu.parse_clock_range(text)


def test_date_and_epoch_helpers():
    from datetime import date, time

    from asx.core.timeutil import date_to_epoch, epoch_to_date, to_epoch
    from asx.core.timeutil import get_tz as _get_tz

    sh = _get_tz("Asia/Shanghai")
    midnight = date_to_epoch(date(2026, 11, 3), sh)
    assert midnight == to_epoch(datetime(2026, 11, 3, tzinfo=sh))
    assert date_to_epoch(date(2026, 11, 3), "Asia/Shanghai", time(9, 30)) == midnight + 9 * 3600 + 1800
    assert epoch_to_date(midnight - 1, sh) == date(2026, 11, 2) and epoch_to_date(midnight, sh) == date(2026, 11, 3)
