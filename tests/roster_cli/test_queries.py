"""who / export --ics / fairness, the sample roster, and the domain module directly (R-ROS-9/10)."""

from __future__ import annotations

from asx.testing import ws_db
import json
import re
from datetime import date, datetime

import pytest

from tests.roster_cli.conftest import HOUSE, MONDAY, grid


def test_who_at_1359_and_1401_on_a_night_shift_day(generated, asx):
    # R-ROS-2/9: the night shift is 10:00-14:00 and 17:30-23:00
    g = grid(asx, "--week", MONDAY)
    night = next(a for a in HOUSE if g[a][MONDAY] == "N")
    day_agents = {a for a in HOUSE if g[a][MONDAY] == "D"}
    r = asx(["roster", "who", "--at", f"{MONDAY} 13:59", "-f", "json"])
    assert r.exit_code == 0, r
    at_1359 = {x["agent"]: x for x in json.loads(r.stdout)["rows"]}
    assert set(at_1359) == day_agents | {night}
    assert at_1359[night]["segment"] == "10:00-14:00"
    r = asx(["roster", "who", "--at", f"{MONDAY} 14:01", "-f", "json"])
    assert {x["agent"] for x in json.loads(r.stdout)["rows"]} == day_agents
    r = asx(["roster", "who", "--at", f"{MONDAY} 22:59", "-f", "json"])
    assert {x["agent"] for x in json.loads(r.stdout)["rows"]} == {night}
    r = asx(["roster", "who", "--at", f"{MONDAY} 23:00", "-f", "table"])
    assert r.exit_code == 0 and "nobody is on duty" in r.stderr
    r = asx(["roster", "who", "--at", "2027-03-01 12:00"])
    assert r.exit_code == 2 and "no roster stored" in r.stderr


def test_export_ics_has_one_event_per_segment_and_stable_uids(generated, asx, tmp_path):
    out = tmp_path / "cal"
    r = asx(["roster", "export", "--ics", "--from", MONDAY, "--to", "2026-12-06", "-o", str(out)])
    assert r.exit_code == 0, r
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{a}.ics" for a in HOUSE)
    g = grid(asx, "--week", MONDAY)
    for a in HOUSE:
        text = (out / f"{a}.ics").read_bytes().decode("utf-8")
        segments = sum(1 if v == "D" else 2 if v == "N" else 0 for v in g[a].values())
        assert text.count("BEGIN:VEVENT") == segments
        assert "DTSTART;TZID=Asia/Shanghai:" in text and "\r\n" in text
    first = (out / f"{HOUSE[0]}.ics").read_bytes()
    r = asx(["roster", "export", "--ics", "--from", MONDAY, "--to", "2026-12-06", "-o", str(out)])
    again = (out / f"{HOUSE[0]}.ics").read_bytes()
    assert re.findall(rb"UID:(\S+)", first) == re.findall(rb"UID:(\S+)", again)
    assert first == again  # same clock, same roster: byte for byte
    one = asx(["roster", "export", "--ics", "--agent", HOUSE[1], "--from", MONDAY, "--to", "2026-12-06"])
    assert one.exit_code == 0 and one.stdout.startswith("BEGIN:VCALENDAR") and HOUSE[0] not in one.stdout


def test_fairness_summary(generated, asx):
    r = asx(["roster", "fairness", "-f", "json"])
    assert r.exit_code == 0, r
    data = json.loads(r.stdout)
    rows = {x["agent"]: x for x in data["rows"]}
    assert set(rows) == set(HOUSE)
    assert sum(x["nights"] for x in rows.values()) == 21          # one night shift a day
    assert all(x["rests"] == 3 for x in rows.values())            # 6 on 1 off for three weeks
    assert all(x["weekend_rests"] <= x["rests"] for x in rows.values())
    assert all(x["hours"] > 100 for x in rows.values())
    assert data["meta"]["spread"]["nights"] == max(x["nights"] for x in rows.values()) - \
        min(x["nights"] for x in rows.values())
    assert "spread" in r.stderr


def test_sample_has_a_published_roster_with_a_leave_and_its_cover(sample, asx):
    r = asx(["roster", "show", "--all", "-f", "json"])
    assert r.exit_code == 0, r
    data = json.loads(r.stdout)
    agents = {x["agent"] for x in data["rows"]}
    assert agents == {"萌萌", "小雨", "阿杰", "晓琳", "大伟", "思思", "小七"}  # the role-agent team
    assert data["meta"]["published"] and data["meta"]["published"][-1] == "2026-11-22"
    lv = json.loads(asx(["roster", "leaves", "-f", "json"]).stdout)
    assert len(lv) == 1
    day = lv[0]["from_day"]
    cells = {x["agent"]: x[day] for x in data["rows"]}
    assert cells[lv[0]["agent"]] == "leave"
    assert list(cells.values()).count("N") >= 1  # covered
    ch = json.loads(asx(["roster", "changes", "-f", "json"]).stdout)
    assert any(c["kind"] == "cover" and c["day"] == day for c in ch)
    assert asx(["roster", "check"]).exit_code == 0
    r = asx(["roster", "who", "--at", "2026-11-20 10:00", "-f", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["rows"]


def test_roster_commands_need_a_roster(workspace, asx):
    r = asx(["roster", "check"])
    assert r.exit_code == 2 and "generate" in r.stderr
    r = asx(["roster", "publish", "--to", "2026-12-01"])
    assert r.exit_code == 2
    r = asx(["roster", "show", "-f", "csv"])
    assert r.exit_code == 0 and "no roster stored" in r.stderr


# --- the domain module directly ------------------------------------------------------------------

@pytest.fixture
def app(house):
    from asx.core.app import App

    a = App(house)
    yield a
    a.close()


def test_build_problem_reads_settings_team_calendar_and_leave(app):
    from asx.roster.problem import build_problem
    from asx.store import roster as roster_store

    with app.store.tx():
        roster_store.add_leave(app.store, agent="小雨", from_day="2026-10-02", to_day="2026-10-03", reason="x",
                               at=0, by=None)
    p = build_problem(app, date(2026, 9, 28), date(2026, 10, 11))
    assert [a.name for a in p.rostered()] == HOUSE
    assert date(2026, 10, 1) in p.holidays and date(2026, 10, 7) in p.holidays
    assert date(2026, 10, 10) in p.workdays  # 调休 Saturday
    assert p.leave == {"小雨": {date(2026, 10, 2), date(2026, 10, 3)}}
    assert p.rules.cycle_weeks == 3 and [s.id for s in p.shifts] == ["D", "N"]
    with pytest.raises(Exception, match="Monday"):
        build_problem(app, date(2026, 9, 29), date(2026, 10, 11))


def test_settings_reach_the_rules(house, app):
    from asx.roster.problem import ruleset

    (house / "asx.toml").write_text((house / "asx.toml").read_text(encoding="utf-8").replace(
        "[roster]\n", "[roster]\ncycle_weeks = 2\nswitch_days = [\"sun\"]\n"), encoding="utf-8")
    rules = ruleset(app)
    assert rules.cycle_weeks == 2 and rules.switch_days == ("sun",)


def test_team_joins_and_leaves_are_absent_days(app):
    from asx.roster.problem import rostered_team, ruleset
    from asx.roster.regenerate import next_switch_day
    from asx.store import agents

    with app.store.tx():
        agents.add(app.store, name="新人", role="agent", at=0, by=None, joined_on="2026-12-03")
    team = rostered_team(app, ruleset(app), date(2026, 11, 30), date(2026, 12, 6))
    assert team.names == [*HOUSE, "新人"]
    assert team.absent == {"新人": {date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)}}
    assert next_switch_day(app, date(2026, 12, 1)) == date(2026, 12, 5)


def test_publications_and_changes_are_append_only(generated, asx):
    import sqlite3

    assert asx(["roster", "publish", "--to", "2026-12-06"]).exit_code == 0
    con = ws_db(generated)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM roster_publications")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE roster_publications SET rows = 0")
    con.close()


def test_duty_answers_from_the_laid_out_days(generated, app):
    from zoneinfo import ZoneInfo

    from asx.roster.duty import on_duty

    d = on_duty(app.store, datetime(2026, 11, 30, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert d.known and list(d.on.values()) == ["N"]


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "jsonl"])
def test_fairness_shows_night_turns_and_whose_turn_is_next(generated, asx, fmt):
    # issue 19 item 3 (R-ROS-10, R-ROS-4): nights come in runs (turns); the queue says who is next
    r = asx(["roster", "fairness", "-f", fmt])
    assert r.exit_code == 0, r
    assert "next night turn: " in r.stderr
    if fmt == "table":
        assert "night turns" in r.stdout and "next turn" in r.stdout
    elif fmt in ("csv", "tsv"):
        head = r.stdout.splitlines()[0]
        assert "night_turns" in head and "next_night_turn" in head and "last_night" in head
    else:
        data = json.loads(r.stdout) if fmt == "json" else {
            "rows": [json.loads(x) for x in r.stdout.splitlines() if '"_meta"' not in x],
            "meta": next(json.loads(x)["_meta"] for x in r.stdout.splitlines() if '"_meta"' in x)}
        rows = {x["agent"]: x for x in data["rows"]}
        assert sorted(x["next_night_turn"] for x in rows.values()) == [1, 2, 3]
        g = grid(asx, "--from", MONDAY, "--to", "2026-12-20")
        for a, x in rows.items():  # a turn is a run of nights: here one Sun–Fri run per agent at most
            assert x["nights"] == sum(1 for v in g[a].values() if v == "N")
            assert (x["night_turns"] > 0) == (x["nights"] > 0)
        head = min(rows.values(), key=lambda x: (x["night_turns"], x["nights"], x["last_night"]))
        assert data["meta"]["next_night_turn"][0] == head["agent"]
        assert "night_turns" in data["meta"]["spread"]


def test_whose_turn_is_next_leaves_out_who_has_left(generated, asx):
    # R-ROS-10: the night queue is the team of the day after the range; an agent who left keeps the
    # counts (for the fairness of the range) but has no next turn
    r = asx(["roster", "fairness", "-f", "json"])
    head = json.loads(r.stdout)["meta"]["next_night_turn"][0]
    assert asx(["--as", "李主管", "agent", "retire", head, "--on", "2026-12-10"]).exit_code == 0
    r = asx(["roster", "fairness", "-f", "json"])
    assert r.exit_code == 0, r
    data = json.loads(r.stdout)
    rows = {x["agent"]: x for x in data["rows"]}
    assert rows[head]["next_night_turn"] is None and rows[head]["worked"] > 0
    assert head not in data["meta"]["next_night_turn"]
    assert sorted(x["next_night_turn"] for x in rows.values() if x["next_night_turn"]) == [1, 2]


def test_fairness_in_chinese_calls_nights_wanban(generated, asx):
    # R-ROS-2 names the night shift 晚班: the zh summary and queue line use the rulebook's word
    r = asx(["--lang", "zh", "roster", "fairness"])
    assert r.exit_code == 0, r
    assert "下一轮晚班：" in r.stderr and "晚班轮次" in r.stderr
    assert "夜班" not in r.stderr + r.stdout
