"""Daily records: add, import, list, missing by Friday 11:00 (R-KPI-1)."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def team(workspace, asx, monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-20T12:00:00+08:00")   # Friday, past 11:00
    for name, role in (("萌萌", "agent"), ("小雨", "agent"), ("阿敏", "order_clerk")):
        assert asx(f"--as 李主管 agent add {name} --role {role} --joined 2026-01-01").exit_code == 0
    return workspace


def test_add_own_record_with_ids_and_amount(team, asx):
    r = asx("--as 萌萌 log add --day 2026-11-19 --served-ids tb1,tb2,tb3 --served 30 --ordered-ids tb1 "
            "--ordered 5 --amount 1234.50")
    assert r.exit_code == 0, r
    rows = json.loads(asx("log list -p 2026-W47 -f json").stdout)
    assert rows[0]["served"] == 30 and rows[0]["ordered"] == 5 and rows[0]["order_fen"] == 123450  # integer fen (issue 18)
    assert rows[0]["served_ids"] == "t**、t**、t**"   # buyer ids masked (R-SEC-1)
    # the same again changes nothing; a different record needs --replace
    assert "same" in asx("--as 萌萌 log add --day 2026-11-19 --served-ids tb1,tb2,tb3 --served 30 "
                         "--ordered-ids tb1 --ordered 5 --amount 1234.50").stderr
    r = asx("--as 萌萌 log add --day 2026-11-19 --served 31")
    assert r.exit_code == 2 and "--replace" in r.stderr
    assert asx("--as 萌萌 log add --day 2026-11-19 --served 31 --replace").exit_code == 0


def test_order_clerk_shipments_and_returns(team, asx):
    r = asx("--as 阿敏 log add --day 2026-11-19 --shipment 服装=10 --shipment 鞋包=5 --return 服装=1")
    assert r.exit_code == 0, r
    rows = json.loads(asx("log list -p 2026-11-19 -f json").stdout)
    assert rows[0]["items"] == "return:服装=1;shipment:服装=10;shipment:鞋包=5"


@pytest.mark.parametrize("args, msg", [
    ("--served 3 --ordered 5", "cannot exceed"),
    ("--served 1 --served-ids a,b", "2 旺旺 ids"),
    ("--amount 12.345", "bad amount"),
    ("--shipment 服装", "CATEGORY=QUANTITY"),
    ("--day 2026-11-25 --served 1", "future"),
])
def test_bad_records_are_refused(team, asx, args, msg):
    r = asx(f"--as 萌萌 log add {args}")
    assert r.exit_code == 2 and msg in r.stderr, r


def test_only_supervisor_records_for_others(team, asx):
    assert asx("--as 萌萌 log add --agent 小雨 --served 3").exit_code == 2
    assert asx("--as 李主管 log add --agent 小雨 --served 3").exit_code == 0


def test_import_all_or_nothing_rejects_and_idempotent(team, asx, tmp_path):
    f = tmp_path / "records.csv"
    f.write_text("day,agent,served,served_ids,ordered,ordered_ids,amount,shipments,returns\n"
                 "2026-11-16,萌萌,20,tb1;tb2,4,tb1,800,,\n"
                 "2026-11-16,阿敏,,,,,,服装=10;鞋包=2,服装=1\n"
                 "2026-11-16,无名,5,,1,,10,,\n"
                 "2026-11-17,小雨,5,,9,,10,,\n", encoding="utf-8")
    r = asx(f"--as 李主管 log import {f}")
    assert r.exit_code == 2 and "2 bad row" in r.stderr
    rejects = (tmp_path / "records.csv.rejects.csv").read_text(encoding="utf-8")
    assert "records.csv,4,no agent named '无名'" in rejects and ",5," in rejects
    assert json.loads(asx("log list -p 2026-W47 -f json").stdout) == []
    r = asx(f"--as 李主管 log import {f} --skip-bad")
    assert r.exit_code == 0 and "2 added" in r.stderr
    r = asx(f"--as 李主管 log import {f} --skip-bad")
    assert "0 added" in r.stderr and "2 unchanged" in r.stderr
    assert asx(f"--as 萌萌 log import {f}").exit_code == 2          # agents do not import


def test_import_gb18030(team, asx, tmp_path):
    f = tmp_path / "gbk.csv"
    f.write_bytes("day,agent,served,ordered,amount\n2026-11-16,萌萌,20,4,800\n".encode("gb18030"))
    assert asx(f"--as 李主管 log import {f}").exit_code == 0


def test_missing_by_friday_1100(team, asx, workspace):
    from asx.core.app import App

    # week 46 (9–15 November): 萌萌 hands in Mon–Sat on time, 小雨 only Monday, late; 阿敏 nothing
    app = App(workspace)
    try:
        from asx.kpi import records
        from asx.core.timeutil import to_epoch

        with app.store.tx():
            for d in range(9, 15):
                records.save(app.store, records.Record(day=f"2026-11-{d:02d}", agent="萌萌", served=1),
                             at=to_epoch(app.parse_time("2026-11-15T22:00:00+08:00")), by="萌萌")
            records.save(app.store, records.Record(day="2026-11-09", agent="小雨", served=1),
                         at=to_epoch(app.parse_time("2026-11-20T11:30:00+08:00")), by="小雨")
            # 小雨 rests on Wednesday by the roster
            app.store.insert("roster_days", {"day": "2026-11-11", "agent": "小雨", "mark": "rest",
                                             "updated_at": 0})
    finally:
        app.close()
    r = asx("log missing --week 2026-W46 -f json")
    assert r.exit_code == 1                                   # past the deadline: exit 1
    rows = json.loads(r.stdout)
    by = {}
    for x in rows:
        by.setdefault(x["agent"], []).append((x["day"][-2:], x["status"]))
    assert "萌萌" not in by
    assert by["小雨"] == [("09", "late"), ("10", "missing"), ("12", "missing"), ("13", "missing"), ("14", "missing")]
    assert len(by["阿敏"]) == 6                                # Monday–Saturday without a roster row
    assert rows[0]["due"] == "2026-11-20T11:00:00+08:00"


def test_missing_before_deadline_exits_0(team, asx, monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:59:00+08:00")
    r = asx("log missing --week 2026-W46 -f json")
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 18
    assert asx("log missing --week 2026-11").exit_code == 2
