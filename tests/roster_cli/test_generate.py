"""asx roster generate / show / check on the seed's house case (R-ROS-1..5)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from asx.testing import invoke
from tests.roster_cli.conftest import HOUSE, MONDAY, add_settings, grid


def _dates(first: str, n: int) -> list[str]:
    d0 = date.fromisoformat(first)
    return [(d0 + timedelta(days=i)).isoformat() for i in range(n)]


def test_house_case_solves_and_reads_sensibly(generated, asx):
    # seed 001: 3 agents, 6 on 1 off, both shifts covered every day, one agent on nights per week
    g = grid(asx, "--from", MONDAY, "--to", "2026-12-20")
    assert set(g) == set(HOUSE)
    days = _dates(MONDAY, 21)
    for d in days:
        codes = [g[a][d] for a in HOUSE]
        assert codes.count("N") == 1, (d, codes)          # R-ROS-3 (N max 1 by default)
        assert codes.count("D") >= 1, (d, codes)          # R-ROS-3, rest days included
    for a in HOUSE:
        for w in range(3):
            week = [g[a][d] for d in days[7 * w:7 * w + 7]]
            assert week.count("rest") == 1, (a, week)     # R-ROS-1: 6 on 1 off
        # R-ROS-4: the shift type changes only at the weekend (a Mon–Fri block has one type)
        for w in range(3):
            block = {g[a][d] for d in days[7 * w:7 * w + 5]} - {"rest"}
            assert len(block) == 1, (a, block)
    # in rotation: every agent has a night week
    assert all(sum(g[a][d] == "N" for d in days) >= 5 for a in HOUSE)
    r = asx(["roster", "check"])
    assert r.exit_code == 0, r


def test_show_table_has_marks_totals_and_chinese(generated, asx):
    r = asx(["roster", "show", "--week", MONDAY, "-f", "table"])
    assert r.exit_code == 0, r
    lines = r.stdout.splitlines()
    assert lines[0] == "Roster 2026-11-30 – 2026-12-06"
    assert any(line.startswith("Σ D") for line in lines) and any(line.startswith("Σ N") for line in lines)
    nrow = next(line for line in lines if line.startswith("Σ N")).split()[2:]
    assert nrow == ["1"] * 7
    assert "Mo" in r.stdout and "萌萌" in r.stdout
    zh = asx(["--lang", "zh", "roster", "show", "--week", MONDAY, "-f", "table"])
    assert zh.exit_code == 0, zh
    assert "晚" in zh.stdout and "白" in zh.stdout and "休" in zh.stdout and "客服" in zh.stdout
    assert "Σ 晚班" in zh.stdout


def test_generate_prints_status_and_is_deterministic(house, asx, tmp_path, monkeypatch):
    # generate twice with the same seed (two fresh workspaces) -> identical output, byte for byte
    first = asx(["roster", "generate", "--start", MONDAY, "--weeks", "3", "--seed", "5"])
    assert first.exit_code == 0, first
    assert "optimal" in first.stderr or "feasible" in first.stderr
    other = tmp_path / "other"
    assert invoke(["init", str(other), "--me", "李主管"]).exit_code == 0
    monkeypatch.chdir(other)
    assert invoke(["agent", "add", "李主管", "--role", "supervisor"]).exit_code == 0
    for n in HOUSE:
        assert invoke(["agent", "add", n, "--role", "agent", "--joined", "2024-03-01"]).exit_code == 0
    add_settings(other, "[roster]\ntime_limit = 2.0\n")
    second = asx(["roster", "generate", "--start", MONDAY, "--weeks", "3", "--seed", "5"])
    assert second.exit_code == 0, second
    assert first.stdout == second.stdout
    assert first.stderr == second.stderr


def test_generate_dry_run_stores_nothing(house, asx):
    r = asx(["roster", "generate", "--start", MONDAY, "--weeks", "1", "--dry-run"])
    assert r.exit_code == 0, r
    assert "not stored" in r.stderr
    assert all(n in r.stdout for n in HOUSE) and "Σ N" in r.stdout
    assert "no roster stored" in asx(["roster", "check"]).stderr


def test_generate_refuses_a_non_monday_and_non_supervisor(house, asx):
    r = asx(["roster", "generate", "--start", "2026-12-01"])
    assert r.exit_code == 2 and "Monday" in r.stderr and "2026-11-30" in r.stderr
    r = asx(["--as", "萌萌", "roster", "generate", "--start", MONDAY])
    assert r.exit_code == 2 and "supervisor" in r.stderr


def test_infeasible_input_is_explained_not_a_traceback(workspace, asx, monkeypatch):
    # one agent cannot cover a day shift and a night shift every day (R-ROS-3)
    monkeypatch.setenv("ASX_NOW", "2026-11-25T10:00:00+08:00")
    assert asx(["agent", "add", "萌萌", "--role", "agent"]).exit_code == 0
    r = asx(["roster", "generate", "--start", MONDAY, "--weeks", "1", "--time-limit", "1"])
    assert r.exit_code == 2, r
    assert "Traceback" not in r.output
    assert "cannot all be met" in r.stderr
    assert "  - " in r.stderr  # the engine's explanation lines
    assert r.stdout == ""


def test_holidays_and_make_up_workdays_are_applied(house, asx):
    # National Day 2026: Oct 1–7 holidays; Sat Oct 10 is a 调休 working day. Three agents cannot
    # keep exactly one rest per week on the few non-holiday days with at most 7 days in a row
    # (the engine proves it), so this team has four.
    assert asx(["agent", "add", "晓琳", "--role", "agent", "--joined", "2024-03-01"]).exit_code == 0
    r = asx(["roster", "generate", "--start", "2026-09-28", "--weeks", "2"])
    assert r.exit_code == 0, r
    g = grid(asx, "--from", "2026-09-28", "--to", "2026-10-11")
    team = [*HOUSE, "晓琳"]
    hol = [(a, d) for a in team for d, v in g[a].items() if v == "holiday"]
    assert hol and all("2026-10-01" <= d <= "2026-10-07" for _a, d in hol)
    for d in _dates("2026-09-28", 14):
        codes = [g[a][d] for a in team]
        assert codes.count("N") >= 1 and codes.count("D") >= 1, (d, codes)  # R-ROS-3 on holidays too
    r = asx(["roster", "check"])
    assert r.exit_code == 0, r


def test_check_itemises_and_fails_on_hard(generated, asx):
    # make a hard violation: two nights on one day exceeds nothing hard, but a rest day taken away does
    g = grid(asx, "--week", MONDAY)
    who = next(a for a in HOUSE if g[a][MONDAY] == "D")
    rest_day = next(d for d, v in g[who].items() if v == "rest")
    r = asx(["roster", "set", who, rest_day, "D", "--reason", "测试：取消休息", "--override"])
    assert r.exit_code == 1, r  # written with --override; the hard violation is reported (issue 19)
    assert "warning: HARD R-ROS-1" in r.stderr
    r = asx(["roster", "check", "-f", "json"])
    assert r.exit_code == 1, r
    data = json.loads(r.stdout)
    hard = [v for v in data["rows"] if v["severity"] == "hard"]
    assert any(v["rule"] == "R-ROS-1" and v["agent"] == who for v in hard)
    assert data["meta"]["hard"] == len(hard)
    assert "hard roster violation" in r.stderr
    r = asx(["--lang", "zh", "roster", "check", "-f", "table"])  # a table in Chinese; CSV/JSON keep English
    assert r.exit_code == 1 and "硬性" in r.stdout and "规定 1 天" in r.stdout and "每周休息" in r.stdout, r.stdout


def test_a_cycle_left_out_is_one_gap_not_each_empty_cell(generated, asx):
    # issue 19 item 1: a cycle generated after a gap leaves the weeks between without anyone on duty;
    # generate says so and exits 1, and check names the gap once (R-ROS-3), not 7 agents × 21 days
    r = asx(["roster", "generate", "--start", "2027-01-11", "--weeks", "3"])
    assert r.exit_code == 1, r
    assert "no roster stored for 2026-12-21 – 2027-01-10: nobody is on duty" in r.stderr
    assert "1 hard violation(s)" in r.stderr
    r = asx(["roster", "check", "-f", "json"])
    assert r.exit_code == 1, r
    hard = [v for v in json.loads(r.stdout)["rows"] if v["severity"] == "hard"]
    assert [(v["rule"], v["day"]) for v in hard] == [("R-ROS-3", "2026-12-21")], hard
    r = asx(["--lang", "zh", "roster", "generate", "--start", "2027-01-11", "--weeks", "3"])
    assert r.exit_code == 1, r
    assert "排班已保存，但排班有 1 处硬性违规（asx roster check）" in r.stderr
    r = asx(["roster", "generate", "--start", "2026-12-21", "--weeks", "3"])  # the gap filled: nothing hard left
    assert r.exit_code == 0, r
    assert asx(["roster", "check"]).exit_code == 0


def test_team_of_three_over_national_day_2027_configured_dates(house, asx):
    # issue 19 item 2 (R-ROS-1/3/4/6): 2027 holidays as configured dates (the package lacks 2027)
    add_settings(house, "[calendar]\n"
                        + "holidays = {" + ", ".join(f'"2027-10-0{k}" = "国庆节"' for k in range(1, 8)) + "}\n"
                        + 'workdays = ["2027-09-26", "2027-10-09"]\n')
    r = asx(["roster", "generate", "--start", "2027-09-27", "--weeks", "2"])
    assert r.exit_code == 0, r
    assert "week of 2027-09-27: a holiday rest counts as the weekly rest — R-ROS-6 gives way" in r.stderr
    assert "a team of 3" in r.stderr
    assert asx(["roster", "check"]).exit_code == 0
    r = asx(["--lang", "zh", "roster", "generate", "--start", "2027-09-27", "--weeks", "2", "--dry-run"])
    assert r.exit_code == 0, r  # the notes and the status line in Chinese too
    assert "2027-09-27 这一周：节假日休息算作每周休息——R-ROS-6 让步" in r.stderr, r.stderr
    assert "3 人无法在同一换班段（R-ROS-4）的非节假日里安排每人的每周休息" in r.stderr, r.stderr
    assert "asx：排班 2027-09-27 – 2027-10-10：" in r.stderr and "未保存：--dry-run" in r.stderr, r.stderr
    assert asx(["config", "set", "roster.holiday_rest_as_weekly_rest", "never"]).exit_code == 0
    r = asx(["roster", "generate", "--start", "2027-09-27", "--weeks", "2"])
    assert r.exit_code == 2 and "R-ROS-1" in r.stderr, r
