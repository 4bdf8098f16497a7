from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from asx.roster.ics import fold, to_ics, uid
from asx.roster.model import Roster, RuleSet, Segment, ShiftType
from asx.roster.duty import on_duty_in_roster

from .conftest import MONDAY

SH = ZoneInfo("Asia/Shanghai")


def roster():
    r = Roster(MONDAY, 2, ("A", "B", "C"))
    r.set("A", MONDAY, "N")
    r.set("B", MONDAY, "D")
    r.set("C", MONDAY, "X")
    return r


def test_who_is_on_duty_r_ros_9():
    shifts = RuleSet().shifts
    at = lambda h, m: datetime(2026, 11, 30, h, m, tzinfo=SH)  # noqa: E731
    got = on_duty_in_roster(roster(), shifts, at(13, 59))
    assert [(o.agent, o.shift, o.segment) for o in got] == [("B", "D", 0), ("A", "N", 0)]
    assert [o.agent for o in on_duty_in_roster(roster(), shifts, at(14, 1))] == ["B"]  # night agent off until 17:30
    assert [o.agent for o in on_duty_in_roster(roster(), shifts, at(17, 30))] == ["A"]  # handover at 17:30
    assert on_duty_in_roster(roster(), shifts, at(23, 0)) == []
    utc = at(13, 59).astimezone(ZoneInfo("UTC"))
    assert len(on_duty_in_roster(roster(), shifts, utc)) == 2


def test_overnight_segment_belongs_to_its_start_day():
    x = ShiftType("X", "late", "", (Segment.parse("22:00-06:00"),), "night")
    r = roster()
    got = on_duty_in_roster(r, [x], datetime(2026, 12, 1, 1, 0, tzinfo=SH))
    assert [(o.agent, o.day) for o in got] == [("C", MONDAY)]
    assert got[0].end == datetime(2026, 12, 1, 6, 0, tzinfo=SH)


def test_ics_export():
    shifts = RuleSet().shifts
    text = to_ics(roster(), shifts, dtstamp=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")))
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert text.count("BEGIN:VEVENT") == 3  # N has two segments, D one; unknown X skipped
    assert "DTSTART;TZID=Asia/Shanghai:20261130T100000" in text
    assert "DTEND;TZID=Asia/Shanghai:20261130T230000" in text
    assert "TZOFFSETTO:+0800" in text
    assert f"UID:{uid('A', MONDAY, 'N', 1)}" in text
    assert to_ics(roster(), shifts, dtstamp=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))) == text  # stable
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75


def test_fold_respects_utf8():
    line = "SUMMARY:" + "晚班" * 40
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(parts) == line
