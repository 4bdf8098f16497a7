"""A large import drops the plain indexes and mirror triggers and rebuilds them in its transaction
(issue 3 speed); the stored per-case service minutes (migration 0015) match case_sla."""

from __future__ import annotations

import pytest

HEADER = "order,category,agent,opened_at,first_response_at,resolved_at\n"


def _schema(app):
    """Every index and trigger with its definition (SQLite drops and rebuilds them; PostgreSQL keeps them)."""
    if app.store.backend == "sqlite":
        return sorted(tuple(r) for r in app.store.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name"))
    return sorted(tuple(r) for r in app.store.execute(
        "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "UNION ALL SELECT 'trigger', t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid)"))


def _file(team, n, bad=False):
    rows = [f"9{i:08d},quality,萌萌,2026-11-{1 + i % 9:02d} 10:{i % 60:02d},2026-11-{1 + i % 9:02d} 11:00,"
            + (f"2026-11-{2 + i % 9:02d} 15:30" if i % 3 else "") + "\n" for i in range(n)]
    if bad:
        rows.append("99,nonsense,萌萌,2026-11-01 10:00,,\n")
    f = team / "big.csv"
    f.write_text(HEADER + "".join(rows), encoding="utf-8")
    return f


@pytest.mark.parametrize("bulk", [False, True])
def test_bulk_import_rebuilds_indexes_and_keeps_minutes(app, team, monkeypatch, bulk):
    from asx.cases import importer

    if bulk:
        monkeypatch.setattr(importer, "BULK_ROWS", 1)  # R-SLA figures must not depend on the path taken
    before = _schema(app)
    res = importer.import_file(app, str(_file(team, 40)), by="李主管")
    assert res.added == 40
    assert _schema(app) == before  # every index and trigger is back
    mism = app.store.scalar("""
        SELECT count(*) FROM cases c
        LEFT JOIN case_sla f ON f.case_id = c.id AND f.target = 'first_response'
        LEFT JOIN case_sla r ON r.case_id = c.id AND r.target = 'resolution'
        WHERE c.first_response_service_min IS DISTINCT FROM f.service_minutes
           OR c.resolution_service_min IS DISTINCT FROM r.service_minutes""")
    assert mism == 0
    assert app.store.scalar("SELECT count(*) FROM cases WHERE first_response_service_min IS NOT NULL") == 40
    assert app.store.scalar("SELECT count(*) FROM cases WHERE resolution_service_min IS NOT NULL") > 0
    assert app.store.integrity_problems() == []


def test_failed_bulk_import_leaves_indexes(app, team, monkeypatch):
    from asx.cases import importer
    from asx.core.errors import UserError

    monkeypatch.setattr(importer, "BULK_ROWS", 1)
    before = _schema(app)
    with pytest.raises(UserError):
        importer.import_file(app, str(_file(team, 10, bad=True)), by="李主管")
    assert _schema(app) == before
    assert app.store.scalar("SELECT count(*) FROM cases") == 0


def test_mirror_triggers_follow_case_sla(app, team):
    """Whoever writes case_sla (case clock, imports, plugins), the case columns follow it."""
    st = app.store
    with st.tx():
        cid = st.insert("cases", {"channel": "wangwang", "category": "quality", "opened_at": 0, "updated_at": 0})
        st.insert("case_sla", {"case_id": cid, "target": "first_response", "state": "met", "service_minutes": 7})
        st.insert("case_sla", {"case_id": cid, "target": "resolution", "state": "met", "service_minutes": 90})
    row = lambda: st.one("SELECT first_response_service_min AS f, resolution_service_min AS r FROM cases "  # noqa: E731
                         "WHERE id = ?", (cid,))
    assert row() == {"f": 7, "r": 90}
    with st.tx():
        st.execute("UPDATE case_sla SET service_minutes = 8 WHERE case_id = ? AND target = 'first_response'", (cid,))
        st.execute("DELETE FROM case_sla WHERE case_id = ? AND target = 'resolution'", (cid,))
    assert row() == {"f": 8, "r": None}


@pytest.mark.parametrize("tzname", ["Asia/Shanghai", "Europe/Berlin", "America/New_York"])
def test_fast_time_parsing_equals_the_full_parser(tzname):
    """The import's fast path for local "YYYY-MM-DD HH:MM[:SS]" gives what datetime gives, DST days included."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from asx.cases.importer import BadRow, RowBuilder

    tz = ZoneInfo(tzname)
    b = object.__new__(RowBuilder)
    b.tz, b.days, b.now = tz, {}, 2 ** 40
    texts = []
    d = datetime(2026, 3, 1)
    while d < datetime(2026, 11, 10):
        for hm in ("00:00", "01:59:59", "02:00", "02:30:00", "03:00", "12:34:56", "23:59"):
            texts.append(f"{d:%Y-%m-%d} {hm}")
            texts.append(f"{d:%Y-%m-%d}T{hm}")
        d += timedelta(days=1)
    for text in texts:
        dt = datetime.fromisoformat(text).replace(tzinfo=tz)
        assert b.when("opened_at", text) == int(dt.timestamp()), text
    for bad in ("2026-02-30 10:00", "2026-11-03 24:00", "2026-11-03 10:60", "2026-11-03 1x:00", "2026-11-03 +9:00"):
        with pytest.raises(BadRow):
            b.when("opened_at", bad)
    b.now = int(datetime(2026, 11, 1, tzinfo=tz).timestamp())
    with pytest.raises(BadRow, match="future"):
        b.when("opened_at", "2026-11-02 10:00")


@pytest.mark.parametrize("tzname", ["Asia/Shanghai", "Europe/Berlin"])
def test_fast_working_days_equal_the_calendar(tzname):
    """ServiceClock.add_working_days (cached fast path on the second call) == the calendar (R-SLA)."""
    import random
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from asx.cases import sla
    from asx.core.calendar import ServiceCalendar

    cal = ServiceCalendar(tz=tzname, hours="08:30-23:00")
    clock = sla.ServiceClock(cal)
    rng = random.Random(tzname)
    base = int(datetime(2026, 1, 1, tzinfo=ZoneInfo(tzname)).timestamp())
    for _ in range(300):
        a = base + rng.randrange(0, 330 * 86400)
        n = rng.choice([1, 2, 3])
        want = int(cal.add_working_days(a, n).timestamp())
        assert clock.add_working_days(a, n) == want
        assert clock.add_working_days(a, n) == want  # second call: cached day, fast path
        a2 = a + rng.randrange(-3600, 3600)
        assert clock.add_working_days(a2, n) == int(cal.add_working_days(a2, n).timestamp())


def test_shift_lookup_equals_on_duty(app, team):
    """ShiftLookup (per-day cache) answers what asx.roster.duty.on_duty answers, overnight segments included (R-SLA-1)."""
    from datetime import datetime

    from asx.cases.sla import ShiftLookup
    from asx.roster.duty import on_duty

    st = app.store
    with st.tx():
        for day, agent, shift, mark, segs in (
                ("2026-11-02", "萌萌", "D", "work", "09:00-12:00,13:30-18:00"),
                ("2026-11-02", "小雨", "N", "work", "22:00-02:00"),
                ("2026-11-03", "萌萌", None, "rest", None),
                ("2026-11-03", "小雨", "D", "work", "01:00-03:00,09:00-18:00")):
            st.insert("roster_days", {"day": day, "agent": agent, "shift": shift, "mark": mark, "segments": segs,
                                      "updated_at": 0})
    look = ShiftLookup(st, app.tz)
    t0 = int(datetime(2026, 11, 2, tzinfo=app.tz).timestamp())
    hits = 0
    for k in range(0, 3 * 86400, 7 * 60 + 13):
        at = t0 + k
        for agent in ("萌萌", "小雨", "阿敏"):
            want = on_duty(st, datetime.fromtimestamp(at - at % 60, app.tz)).on.get(agent)
            assert look(agent, at) == want, (agent, datetime.fromtimestamp(at, app.tz))
            hits += want is not None
    assert hits > 50


@pytest.mark.parametrize("hours", ["08:30-23:00", "09:00-12:00,13:30-18:00"])
def test_add_each_equals_add(hours):
    """ServiceClock.add_each (one day look-up for a case's targets) == add per target (R-SLA)."""
    import random
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from asx.cases import sla
    from asx.core.calendar import ServiceCalendar

    cal = ServiceCalendar(tz="Asia/Shanghai", hours=hours)
    clock, ref = sla.ServiceClock(cal), sla.ServiceClock(cal)
    rng = random.Random(hours)
    base = int(datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp())
    for _ in range(2000):
        a = base + rng.randrange(0, 330 * 86400)
        secs = tuple(rng.choice([None, 0, 60, 600, 3600, 4 * 3600, 24 * 3600, 72 * 3600]) for _ in range(3))
        want = [None if s is None else ref.add(a, s) for s in secs]
        assert clock.add_each(a, secs) == want, (a, secs)


def test_rows_without_lifecycle_columns_equal_the_full_path(app, team):
    """A file without lifecycle columns takes the short path (narrow rows, opening events written
    set-based from the cases); the same rows with an empty lifecycle column take the full path:
    both give the same cases, history and SLA rows (R-CASE-6, R-SLA)."""
    from asx.cases import importer

    def rows(prefix):
        return [f"{prefix}{i},{'quality' if i % 2 else '咨询'},{'萌萌' if i % 3 else ''},"
                f"2026-11-{1 + i % 9:02d} {8 + i % 15:02d}:{i % 60:02d}" for i in range(70)]

    short = team / "short.csv"
    short.write_text("order,category,agent,opened_at\n" + "\n".join(rows("S")) + "\n", encoding="utf-8")
    full = team / "full.csv"
    full.write_text("order,category,agent,opened_at,status\n" + "\n".join(r + "," for r in rows("F")) + "\n",
                    encoding="utf-8")
    assert importer.import_file(app, str(short), by="李主管").added == 70
    assert importer.import_file(app, str(full), by="李主管").added == 70
    st = app.store

    def dump(prefix):
        cases = [{k: v for k, v in r.items() if k not in ("id", "order_no", "ext_key")}
                 for r in st.q("SELECT * FROM cases WHERE order_no LIKE ? ORDER BY id", (prefix + "%",))]
        events = [{k: v for k, v in r.items() if k not in ("id", "case_id")} for r in st.q(
            "SELECT e.* FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.order_no LIKE ? "
            "ORDER BY e.id", (prefix + "%",))]
        slas = [{k: v for k, v in r.items() if k != "case_id"} for r in st.q(
            "SELECT s.* FROM case_sla s JOIN cases c ON c.id = s.case_id WHERE c.order_no LIKE ? "
            "ORDER BY c.id, s.target", (prefix + "%",))]
        return cases, events, slas

    s_cases, s_events, s_slas = dump("S")
    assert (s_cases, s_events, s_slas) == dump("F")
    assert len(s_events) == 70 and len(s_slas) >= 140
    assert {e["by"] for e in s_events} == {"萌萌", "李主管"}  # the agent, else whoever imports
    assert all(e["action"] == "open" and e["to_status"] == "new" and e["note"] == "imported" for e in s_events)
    assert [e["at"] for e in s_events] == [c["opened_at"] for c in s_cases]
