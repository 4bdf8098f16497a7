"""Service calendar (R-SLA). Holiday facts below are the real State Council
announcements as carried by chinesecalendar 1.11 (checked with
chinese_calendar.constants): 2026-01-04 (Sun) and 2026-10-10 (Sat) are make-up
workdays 调休; 2026-10-01..07 is the National Day holiday (10-05 is a Monday);
2025-10-11 (Sat) is a make-up workday."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asx.core.errors import UserError
from asx.core.calendar import ServiceCalendar
from asx.core.timeutil import get_tz

SH = get_tz("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def cal():
    return ServiceCalendar()


# -- service hours -------------------------------------------------------------


def test_is_open_default_hours(cal):
    assert not cal.is_open(at(2026, 11, 3, 8, 29, 59))
    assert cal.is_open(at(2026, 11, 3, 8, 30))
    assert cal.is_open(at(2026, 11, 3, 22, 59, 59))
    assert not cal.is_open(at(2026, 11, 3, 23, 0))  # end exclusive
    assert cal.is_open(at(2026, 10, 3, 12, 0))  # service hours run every day, holidays too (R-SLA)


def test_service_minutes_overnight_skips_closed_hours(cal):
    # 22:00-23:00 (60) + 08:30-09:00 next day (30); calendar: 11 h
    t1, t2 = at(2026, 11, 3, 22, 0), at(2026, 11, 4, 9, 0)
    assert cal.service_minutes_between(t1, t2) == 90
    assert cal.calendar_minutes_between(t1, t2) == 660


def test_service_minutes_within_closed_hours_is_zero(cal):
    assert cal.service_minutes_between(at(2026, 11, 3, 23, 10), at(2026, 11, 4, 8, 0)) == 0


def test_service_minutes_whole_days(cal):
    # 30 days x 870 service minutes a day
    assert cal.service_minutes_between(at(2026, 11, 1), at(2026, 12, 1)) == 30 * 870


def test_service_minutes_floor_seconds_once(cal):
    assert cal.service_minutes_between(at(2026, 11, 3, 10, 0, 0), at(2026, 11, 3, 10, 1, 59)) == 1
    assert cal.service_minutes_between(at(2026, 11, 3, 10, 0, 30), at(2026, 11, 3, 10, 1, 29)) == 0
    # 22:59:30-23:00 (30 s) + 08:30-08:30:30 (30 s) = one whole minute
    assert cal.service_minutes_between(at(2026, 11, 3, 22, 59, 30), at(2026, 11, 4, 8, 30, 30)) == 1


def test_reversed_span_is_negated(cal):
    t1, t2 = at(2026, 11, 3, 22, 0), at(2026, 11, 4, 9, 0)
    assert cal.service_minutes_between(t2, t1) == -90
    assert cal.calendar_minutes_between(t2, t1) == -660


def test_paused_span_is_excluded(cal):
    # R-SLA: waiting_* statuses pause the clock.
    t1, t2 = at(2026, 11, 3, 10, 0), at(2026, 11, 3, 12, 0)
    pauses = [(at(2026, 11, 3, 10, 30), at(2026, 11, 3, 11, 0)), (at(2026, 11, 3, 10, 45), at(2026, 11, 3, 11, 15))]
    assert cal.service_minutes_between(t1, t2, paused=pauses) == 120 - 45  # overlaps count once
    assert cal.calendar_minutes_between(t1, t2, paused=pauses) == 120 - 45


def test_paused_overnight_and_open_ended(cal):
    t1, t2 = at(2026, 11, 3, 22, 0), at(2026, 11, 4, 10, 0)
    # paused 22:30 until the next morning 09:00: only 22:00-22:30 and 09:00-10:00 count
    assert cal.service_minutes_between(t1, t2, paused=[(at(2026, 11, 3, 22, 30), at(2026, 11, 4, 9, 0))]) == 90
    # still paused (end None) from 09:30: paused until t2
    assert cal.service_minutes_between(t1, t2, paused=[(at(2026, 11, 4, 9, 30), None)]) == 60 + 60
    # a pause outside the span changes nothing
    assert cal.service_minutes_between(t1, t2, paused=[(at(2026, 11, 1), at(2026, 11, 2))]) == 60 + 90


def test_accepts_epoch_and_naive(cal):
    t1, t2 = at(2026, 11, 3, 22, 0), at(2026, 11, 4, 9, 0)
    assert cal.service_minutes_between(int(t1.timestamp()), int(t2.timestamp())) == 90
    assert cal.service_minutes_between(t1.replace(tzinfo=None), t2.replace(tzinfo=None)) == 90


def test_add_service_minutes(cal):
    assert cal.add_service_minutes(at(2026, 11, 3, 10, 0), 3) == at(2026, 11, 3, 10, 3)  # R-SLA-1
    assert cal.add_service_minutes(at(2026, 11, 3, 22, 50), 20) == at(2026, 11, 4, 8, 40)
    assert cal.add_service_minutes(at(2026, 11, 3, 22, 0), 60) == at(2026, 11, 3, 23, 0)  # ends at closing
    assert cal.add_service_minutes(at(2026, 11, 4, 2, 0), 60) == at(2026, 11, 4, 9, 30)  # starts at opening
    assert cal.add_service_minutes(at(2026, 11, 3, 23, 30), 0) == at(2026, 11, 4, 8, 30)
    assert cal.add_service_minutes(at(2026, 11, 3, 10, 0), 24 * 60) == at(2026, 11, 4, 19, 30)  # R-SLA-3
    assert cal.add_service_minutes(at(2026, 11, 3, 10, 0), 0) == at(2026, 11, 3, 10, 0)


def test_split_hours_and_closed_dates():
    cal = ServiceCalendar(hours="10:00-14:00,17:30-23:00", closed_dates=["2026-11-04"])
    assert not cal.is_open(at(2026, 11, 3, 15, 0))
    assert cal.service_minutes_between(at(2026, 11, 3, 13, 0), at(2026, 11, 3, 18, 0)) == 90
    assert not cal.is_open(at(2026, 11, 4, 12, 0))
    assert cal.add_service_minutes(at(2026, 11, 3, 22, 0), 90) == at(2026, 11, 5, 10, 30)


def test_overnight_hours_split_per_date():
    cal = ServiceCalendar(hours=[(1320, 1560)])  # 22:00-02:00
    assert cal.is_open(at(2026, 11, 4, 1, 0)) and cal.is_open(at(2026, 11, 3, 23, 0))
    assert not cal.is_open(at(2026, 11, 4, 3, 0))
    assert cal.service_minutes_between(at(2026, 11, 3, 21, 0), at(2026, 11, 4, 3, 0)) == 240


def test_bad_hours_rejected():
    with pytest.raises(UserError):
        ServiceCalendar(hours=[])
    with pytest.raises(UserError):
        ServiceCalendar(hours=[(600, 500)])


def test_dst_zone_counts_real_minutes():
    ny = get_tz("America/New_York")
    cal = ServiceCalendar(tz="America/New_York", hours=[(0, 1440)])
    # 2026-03-08 02:00 clocks jump forward: that local day has 23 hours
    t1, t2 = datetime(2026, 3, 8, tzinfo=ny), datetime(2026, 3, 9, tzinfo=ny)
    assert cal.service_minutes_between(t1, t2) == 23 * 60 == cal.calendar_minutes_between(t1, t2)


def test_span_work_is_per_day_not_per_minute(cal):
    cal.service_minutes_between(at(2026, 11, 1, 9), at(2026, 12, 1, 9))
    assert len(cal._open) <= 31  # one cached entry per local date touched


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=60 * 86400),
    minutes=st.integers(min_value=0, max_value=5 * 1440),
    hours=st.sampled_from(["08:30-23:00", "10:00-14:00,17:30-24:00", "00:00-24:00", "22:00-02:00"]),
)
def test_add_then_measure_round_trips(start, minutes, hours):
    cal = ServiceCalendar(hours=hours)
    t = at(2026, 10, 1) + timedelta(seconds=start)
    due = cal.add_service_minutes(t, minutes)
    assert due >= t
    assert cal.service_minutes_between(t, due) == minutes
    assert cal.is_open(due) or minutes > 0  # n=0 lands inside hours


# -- working days ------------------------------------------------------------


def test_make_up_weekend_days_are_working_days(cal):
    assert cal.is_working_day(date(2026, 1, 4), explain=True) == (True, "package")  # Sunday 调休
    assert cal.is_working_day(date(2026, 10, 10))  # Saturday 调休
    assert cal.is_working_day(date(2025, 10, 11))  # Saturday 调休
    assert not cal.is_working_day(date(2026, 11, 7))  # ordinary Saturday
    assert not cal.is_holiday(date(2026, 11, 7))


def test_monday_public_holiday_is_not_a_working_day(cal):
    d = date(2026, 10, 5)
    assert d.weekday() == 0
    assert cal.is_working_day(d, explain=True) == (False, "package")
    assert cal.is_holiday(d)
    assert cal.holiday_name(d) == "国庆节"
    assert cal.holiday_name(date(2026, 11, 3)) is None
    assert cal.is_working_day(at(2026, 10, 5, 12, 0)) is False  # datetimes count by their local date


def test_add_working_days_across_national_day(cal):
    # R-SLA-3: complex problem, 3 working days. 10-01..07 off; 10-08 Thu, 10-09 Fri, 10-10 Sat 调休.
    assert cal.add_working_days(at(2026, 9, 30, 10, 0), 3) == at(2026, 10, 10, 10, 0)
    assert cal.add_working_days(at(2026, 9, 30, 10, 0), 1) == at(2026, 10, 8, 10, 0)


def test_add_working_days_moves_into_service_hours(cal):
    # Friday 07:00 + 1 working day = Monday 07:00, before opening -> Monday 08:30
    assert cal.add_working_days(at(2026, 11, 6, 7, 0), 1) == at(2026, 11, 9, 8, 30)
    # Saturday counts from the next day: Monday
    assert cal.add_working_days(at(2026, 11, 7, 12, 0), 1) == at(2026, 11, 9, 12, 0)


def test_working_days_list(cal):
    days = cal.working_days(date(2026, 9, 28), date(2026, 10, 11))
    assert days == [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9),
                    date(2026, 10, 10)]


def test_year_outside_coverage_warns_once_and_marks_guess(cal):
    assert 2027 not in cal.covered_years()
    assert cal.is_working_day(date(2027, 1, 1), explain=True) == (True, "weekday-guess")  # a Friday
    assert cal.is_working_day(date(2027, 1, 2), explain=True) == (False, "weekday-guess")
    cal.add_working_days(at(2027, 3, 1, 10), 5)
    assert cal.is_holiday(date(2027, 1, 1), explain=True) == (False, "weekday-guess")
    assert cal.guessed_years == {2027}
    assert len(cal.warnings) == 1
    assert "2027" in cal.warnings[0] and "[calendar] holidays/workdays" in cal.warnings[0]
    assert "asx.toml" in cal.warnings[0]


def test_covered_year_never_warns(cal):
    cal.working_days(date(2026, 1, 1), date(2026, 12, 31))
    assert cal.warnings == [] and cal.guessed_years == set()
    assert {2025, 2026} <= set(cal.covered_years())


def test_config_data_covers_a_year():
    cal = ServiceCalendar(extra_holidays={"2027-01-01": "元旦"}, extra_workdays=["2027-02-07"])
    assert 2027 in cal.covered_years()
    assert cal.is_working_day(date(2027, 1, 1), explain=True) == (False, "config")
    assert cal.holiday_name(date(2027, 1, 1)) == "元旦"
    assert cal.is_working_day(date(2027, 2, 7), explain=True) == (True, "config")  # a Sunday
    assert cal.is_working_day(date(2027, 1, 4), explain=True) == (True, "config")
    assert cal.warnings == []


def test_config_overrides_package():
    cal = ServiceCalendar(extra_holidays={date(2026, 11, 11): "店休"}, extra_workdays=[date(2026, 10, 5)])
    assert cal.is_working_day(date(2026, 11, 11), explain=True) == (False, "config")
    assert cal.is_working_day(date(2026, 10, 5), explain=True) == (True, "config")


def test_bad_config_dates():
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        ServiceCalendar(extra_holidays={"2027-13-01": "x"})
    with pytest.raises(UserError, match="both a holiday and a workday"):
        ServiceCalendar(extra_holidays={"2027-01-01": "元旦"}, extra_workdays=["2027-01-01"])


def test_chinese_calendar_is_imported_lazily():
    import subprocess
    import sys

    code = (
        "import sys; from asx.core.calendar import ServiceCalendar; c = ServiceCalendar();"
        "c.service_minutes_between(0, 86400); assert 'chinese_calendar' not in sys.modules;"
        "c.is_working_day(0); assert 'chinese_calendar' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_guess_warning_reads_in_chinese(cal):
    # --lang zh is Chinese all the way (issue 18 item 5): the warning is a phrase of the labels
    from asx.core.labels import LabelSet
    from asx.plugins.core import register_labels

    labels = LabelSet()
    register_labels(labels.add)
    cal.is_working_day(date(2099, 3, 2))
    zh = labels.translate(cal.warnings[-1], "zh")
    assert zh.startswith("没有 2099 年的节假日数据：暂按周一至周五为工作日") and "[calendar] holidays/workdays" in zh, zh
