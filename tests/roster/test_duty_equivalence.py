"""R-ROS-9: who is on duty was computed four ways; asx.roster.duty is now the one place.

The former algorithms are kept here verbatim (over plain rows instead of the store) as the
reference: the store-backed ``on_duty`` (asx/duty.py), the pure ``on_duty`` over an engine Roster
(asx/roster/who.py), the refund audit's per-day ``DutyCache`` with its grace minutes (R-FIN-3,
also read by the sample statement's ``on_duty_time``) and the case import's ``ShiftLookup``
(R-SLA-1) — plus ``next_on_duty``. The unified implementation must answer exactly as they did.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asx.roster.duty import DutyDay, next_on_duty, on_duty, on_duty_in_roster
from asx.roster.model import LEAVE, Roster, Segment, ShiftType

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 12, 3)
AGENTS = ("萌萌", "小雨", "阿杰")


# --- the former algorithms (reference) -------------------------------------------------------

def old_store_on(today, yesterday, minute):
    """asx/duty.py on_duty: (known, on, rostered)."""
    on, rostered = {}, {}
    for r in today:
        rostered[r["agent"]] = r["shift"] or r["mark"]
        if r["mark"] == "work" and any(a <= minute < b for a, b in r["segments"]):
            on[r["agent"]] = r["shift"]
    for r in yesterday:
        if r["mark"] == "work" and any(a <= minute + 1440 < b for a, b in r["segments"]):
            on[r["agent"]] = r["shift"]
    return bool(today), on, rostered


def old_duty_cache(today, yesterday):
    """asx/money/audit/engine.py DutyCache.day: (known, agent -> segments, agents with a row)."""
    segs = {}
    for r in today:
        if r["mark"] == "work":
            segs.setdefault(r["agent"], []).extend(r["segments"])
    for r in yesterday:
        if r["mark"] == "work":
            for a, b in r["segments"]:
                if b > 1440:
                    segs.setdefault(r["agent"], []).append((a - 1440, b - 1440))
    return bool(today), segs, {r["agent"] for r in today}


def old_audit_on(segs, minute, grace):
    for a, b in segs:
        if a <= minute < b + grace:
            return True
    return False


def old_shift_lookup(today, yesterday, agent, minute):
    """asx/cases/sla.py ShiftLookup.local."""
    spans = {}
    for rows, off in ((today, 0), (yesterday, 1440)):
        by_agent = {}
        for r in rows:
            if r["mark"] == "work":
                by_agent.setdefault(r["agent"], []).append((r["shift"], r["segments"]))
        for who, lst in by_agent.items():
            out = spans.setdefault(who, [])
            for shift, ss in lst:
                out.extend((a - off, b - off, shift) for a, b in ss)
    for lst in spans.values():
        lst.reverse()
    for a, b, shift in spans.get(agent, ()):
        if a <= minute < b:
            return shift
    return None


def old_roster_on(roster, shifts, when, tz="Asia/Shanghai"):
    """asx/roster/who.py on_duty: [(agent, shift, segment, day, start, end)]."""
    zone = ZoneInfo(tz)
    local = when.astimezone(zone) if when.tzinfo else when.replace(tzinfo=zone)
    by_id = {s.id: s for s in shifts}
    out = []
    for back in (0, 1):
        day = local.date() - timedelta(days=back)
        minute = local.hour * 60 + local.minute + back * 1440
        for agent in roster.agents:
            sid = roster.get(agent, day)
            if sid is None or sid == LEAVE or sid not in by_id:
                continue
            for k, seg in enumerate(by_id[sid].segments):
                if seg.start_min <= minute < seg.end_min:
                    midnight = datetime.combine(day, time(0), zone)
                    out.append((agent, sid, k, day, midnight + timedelta(minutes=seg.start_min),
                                midnight + timedelta(minutes=seg.end_min)))
    out.sort(key=lambda o: (o[4], o[0]))
    return out


# --- random roster days ------------------------------------------------------------------------

segments = st.lists(st.tuples(st.integers(0, 1439), st.integers(1, 1440)).map(lambda t: (t[0], t[0] + t[1])),
                    min_size=0, max_size=3)


@st.composite
def day_rows(draw):
    rows = []
    for agent in draw(st.lists(st.sampled_from(AGENTS), unique=True)):
        mark = draw(st.sampled_from(["work", "work", "work", "rest", "leave", "holiday"]))
        if mark == "work":
            rows.append({"agent": agent, "shift": draw(st.sampled_from(["D", "N", "X"])), "mark": mark,
                         "segments": draw(segments)})
        else:
            rows.append({"agent": agent, "shift": None, "mark": mark, "segments": []})
    return rows


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day_rows(), day_rows(), st.integers(0, 1439), st.integers(0, 60))
def test_duty_day_answers_as_every_former_algorithm(today, yesterday, minute, grace):
    duty = DutyDay(today, yesterday)
    known, on, rostered = old_store_on(today, yesterday, minute)
    assert (duty.known, list(duty.on(minute).items()), duty.rostered) == (known, list(on.items()), rostered)
    c_known, c_segs, c_rota = old_duty_cache(today, yesterday)
    assert (duty.known, duty.segments, set(duty.rostered)) == (c_known, c_segs, c_rota)
    for agent in AGENTS:
        assert duty.is_on(agent, minute, grace) == old_audit_on(c_segs.get(agent, ()), minute, grace)
        assert duty.shift_of(agent, minute) == old_shift_lookup(today, yesterday, agent, minute)


SHIFTS = [ShiftType("D", segments=(Segment(510, 1050),)),
          ShiftType("N", segments=(Segment(600, 840), Segment(1050, 1380))),
          ShiftType("L", segments=(Segment(1320, 1560),))]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["D", "N", "L", "Z", None, LEAVE]), min_size=6, max_size=6),
       st.integers(0, 1439), st.booleans())
def test_roster_answer_as_before_and_as_the_stored_days(cells, minute, aware_utc):
    """The pure answer over an engine Roster equals the former who.on_duty, and agrees with the
    rows the roster would be stored as (R-ROS-9: one rule for a plan and for the stored days)."""
    from asx.core.timeutil import parse_clock_ranges
    from asx.roster.cells import segments_text

    roster = Roster(DAY - timedelta(days=1), 2, AGENTS)
    for k, v in enumerate(cells):
        roster.set(AGENTS[k % 3], DAY - timedelta(days=1 - k // 3), v)
    when = datetime.combine(DAY, time(minute // 60, minute % 60), TZ)
    if aware_utc:
        when = when.astimezone(ZoneInfo("UTC"))
    got = [(o.agent, o.shift, o.segment, o.day, o.start, o.end) for o in on_duty_in_roster(roster, SHIFTS, when)]
    assert got == old_roster_on(roster, SHIFTS, when)
    by_id = {s.id: s for s in SHIFTS}

    def rows(d):
        return [{"agent": a, "shift": v, "mark": "work", "segments": parse_clock_ranges(segments_text(by_id[v]))}
                for a in AGENTS if (v := roster.get(a, d)) in by_id]

    stored = DutyDay(rows(DAY), rows(DAY - timedelta(days=1)))
    assert set(stored.on(minute)) == {o[0] for o in got}


def _store(tmp_path, rows):
    from asx.store import open_store

    st_ = open_store(tmp_path / "duty.db", create=True)
    with st_.tx():
        for r in rows:
            st_.insert("roster_days", {**r, "updated_at": 0})
    return st_


def test_store_backed_answers(tmp_path):
    """on_duty and next_on_duty read the stored rows through the same DutyDay (overnight included)."""
    st_ = _store(tmp_path, [
        {"day": "2026-12-02", "agent": "夜猫", "shift": "L", "mark": "work", "segments": "22:00-02:00"},
        {"day": "2026-12-03", "agent": "夜猫", "shift": "D", "mark": "work", "segments": "01:00-03:00,09:00-18:00"},
        {"day": "2026-12-03", "agent": "小雨", "shift": "N", "mark": "work", "segments": "10:00-14:00,17:30-23:00"},
    ])
    d = on_duty(st_, datetime(2026, 12, 3, 1, 30, tzinfo=TZ))
    assert d.on == {"夜猫": "L"} and d.rostered == {"小雨": "N", "夜猫": "D"}  # yesterday's row names the shift
    assert next_on_duty(st_, "小雨", datetime(2026, 12, 3, 14, 0, tzinfo=TZ)) == datetime(2026, 12, 3, 17, 30,
                                                                                            tzinfo=TZ)
    assert next_on_duty(st_, "夜猫", datetime(2026, 12, 3, 4, 0, tzinfo=TZ)) == datetime(2026, 12, 3, 9, 0,
                                                                                           tzinfo=TZ)
    assert next_on_duty(st_, "阿杰", datetime(2026, 12, 3, 4, 0, tzinfo=TZ)) is None
