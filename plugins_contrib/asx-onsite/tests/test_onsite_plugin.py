"""asx-onsite (seed 003): warranty targets, dispatch and visits, repeat faults, repair at cost,
follow-up survey, monthly quality report, sample store, entry point."""

from __future__ import annotations

from asx.testing import ws_db
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from onsite_testdata import open_case, sla


def test_warranty_case_targets(asx, field):
    t = sla(asx, open_case(asx))
    assert {k: v["target_rule"] for k, v in t.items()} == {
        # R-SLA preamble: dispatch, on site and solved ("N 小时") run on the calendar clock
        "first_response": "120 service min", "dispatch": "8 calendar h", "on_site": "24 calendar h",
        "resolution": "48 calendar h"}
    paid = sla(asx, open_case(asx, category="质保期外维修"))
    assert "dispatch" not in paid and paid["first_response"]["target_rule"] == "1 working day(s)"  # core phone rule


def test_dispatch_and_visit_meet_their_targets(asx, field):
    cid = open_case(asx, at="2026-11-19 09:00")
    assert asx(f"--as 萌萌 onsite dispatch {cid} --engineer 林工 --at '2026-11-19 12:00'").exit_code == 0
    r = asx(["--as", "萌萌", "onsite", "visit", str(cid), "--arrived", "2026-11-20 09:00", "--done", "2026-11-20 09:40",
             "--fault", "e02", "--unit", "SN-W", "--parts", "主板，风扇"])
    assert r.exit_code == 0, r
    t = sla(asx, cid)
    assert t["dispatch"]["state"] == "met" and t["dispatch"]["met_at"].startswith("2026-11-19T12:00")
    # on site at the arrival (09:00), not when it was recorded (10:00)
    assert t["on_site"]["state"] == "met" and t["on_site"]["met_at"].startswith("2026-11-20T09:00")
    v = json.loads(asx(f"onsite visits {cid} -f json").stdout)
    assert v[0]["engineer"] == "林工" and v[0]["fault_code"] == "E02" and v[0]["parts"] == "主板, 风扇"


def test_late_dispatch_is_breached(asx, field):
    cid = open_case(asx, at="2026-11-18 09:00")
    assert asx(f"--as 萌萌 onsite dispatch {cid} --engineer 林工 --at '2026-11-19 09:00'").exit_code == 0
    assert sla(asx, cid)["dispatch"]["state"] == "breached"


def test_visit_needs_a_dispatch_and_sane_times(asx, field):
    cid = open_case(asx)
    args = ["--as", "萌萌", "onsite", "visit", str(cid), "--arrived", "2026-11-19 12:00", "--done", "2026-11-19 13:00",
            "--fault", "E01", "--unit", "SN-W"]
    r = asx(args)
    assert r.exit_code == 2 and "dispatch" in r.stderr
    assert asx(f"--as 萌萌 onsite dispatch {cid} --engineer 林工 --at '2026-11-19 10:00'").exit_code == 0
    bad = list(args)
    bad[bad.index("--done") + 1] = "2026-11-19 11:00"
    assert asx(bad).exit_code == 2  # done before arrival
    bad = list(args)
    bad[bad.index("--unit") + 1] = "SN-NEW"
    assert asx(bad).exit_code == 2 and "--model" in asx(bad).stderr
    assert asx(bad + ["--model", "RZ-300"]).exit_code == 0  # registers the unit
    # with the case's customer (asx.api.copy_case_buyer; R-SEC-5 on PostgreSQL: test_onsite_pg.py)
    assert ws_db(".").execute("SELECT buyer FROM onsite_units WHERE serial = 'SN-NEW'").fetchone()[0] == "宏达机械"
    assert asx(f"--as 萌萌 onsite dispatch {open_case(asx, category='咨询')} --engineer 林工").exit_code == 2


def _visit(asx, cid, arrived, fault, unit="SN-W", extra=()):
    assert asx(f"--as 萌萌 onsite dispatch {cid} --engineer 高工 --at '{arrived}'").exit_code == 0
    r = asx(["--as", "萌萌", "onsite", "visit", str(cid), "--arrived", arrived, "--done", arrived.replace(":00", ":30", 1),
             "--fault", fault, "--unit", unit, *extra])
    assert r.exit_code == 0, r
    return r


def test_repeat_fault_on_the_same_unit_is_flagged(asx, field):
    first = open_case(asx, at="2026-11-10 09:00")
    _visit(asx, first, "2026-11-10 14:00", "E03")
    other_fault = open_case(asx, at="2026-11-12 09:00")
    assert "REPEAT" not in _visit(asx, other_fault, "2026-11-12 14:00", "E04").stderr
    other_unit = open_case(asx, at="2026-11-13 09:00", category="质保期外维修")
    assert "REPEAT" not in _visit(asx, other_unit, "2026-11-13 14:00", "E03", unit="SN-X").stderr
    again = open_case(asx, at="2026-11-19 09:00")
    r = _visit(asx, again, "2026-11-19 14:00", "E03")
    assert "REPEAT FAULT" in r.stderr and f"#{first}" in r.stderr
    rep = json.loads(asx("onsite repeats -f json").stdout)
    assert [(x["case_id"], x["previous_case"], x["serial"]) for x in rep] == [(again, first, "SN-W")]
    assert json.loads(asx("onsite repeats --month 2026-10 -f json").stdout) == []
    with pytest.raises(sqlite3.IntegrityError):
        ws_db(".").execute("DELETE FROM onsite_visits")


def test_unfixed_visit_is_not_a_repair_to_repeat(asx, field):
    a = open_case(asx, at="2026-11-10 09:00")
    _visit(asx, a, "2026-11-10 14:00", "E05", extra=("--not-fixed",))
    b = open_case(asx, at="2026-11-19 09:00")
    assert "REPEAT" not in _visit(asx, b, "2026-11-19 14:00", "E05").stderr


def test_out_of_warranty_repair_at_cost_goes_into_the_ledger(asx, field):
    w = open_case(asx)
    _visit(asx, w, "2026-11-19 14:00", "E01")
    r = asx(f"--as 萌萌 onsite quote {w} --parts 100")
    assert r.exit_code == 2 and "in warranty" in r.stderr
    cid = open_case(asx, category="质保期外维修")
    assert asx(f"--as 萌萌 onsite charge {cid}").exit_code == 2  # no quote yet
    _visit(asx, cid, "2026-11-19 14:00", "E01", unit="SN-X")
    assert asx(f"--as 萌萌 onsite quote {cid} --parts 320.00 --labour 150").exit_code == 0
    assert asx(f"--as 萌萌 case resolve {cid} --resolution repair --party buyer").exit_code == 2  # not accepted
    assert asx(f"--as 萌萌 case check {cid} quote_accepted").exit_code == 0
    r = asx(f"--as 萌萌 onsite charge {cid} --channel bank")
    assert r.exit_code == 0, r
    rows = ws_db(".").execute(
        "SELECT amount_fen, direction, reason, case_id, note FROM ledger").fetchall()
    assert rows == [(47000, "in", "repair_charge", cid, "维修费_萌萌")]
    assert asx(f"--as 萌萌 onsite charge {cid}").exit_code == 2  # charged once
    assert asx(f"--as 萌萌 case resolve {cid} --resolution repair --party buyer").exit_code == 0


def test_followup_survey_after_the_repair(asx, field):
    cid = open_case(asx)
    _visit(asx, cid, "2026-11-19 14:00", "E01")
    assert asx(f"--as 萌萌 onsite followup {cid} --score 5").exit_code == 2  # not repaired yet
    assert asx(f"--as 萌萌 case resolve {cid} --resolution repair --party supplier").exit_code == 0
    assert asx(f"--as 萌萌 onsite followup {cid} --score 6").exit_code == 2
    assert asx(f"--as 萌萌 onsite followup {cid} --score 4 --note 运行正常").exit_code == 0
    rec = json.loads(asx(f"case show {cid} -f json").stdout)
    assert rec["csat"] == 4 and "followup" in [h["action"] for h in rec["history"]]


def test_monthly_quality_report_by_model(asx, field):
    a = open_case(asx, at="2026-11-10 09:00")
    _visit(asx, a, "2026-11-10 14:00", "E03", extra=("--parts", "风扇"))
    b = open_case(asx, at="2026-11-19 09:00")
    _visit(asx, b, "2026-11-19 14:00", "E03", extra=("--parts", "风扇,电源"))
    c = open_case(asx, at="2026-11-19 09:30", category="质保期外维修")
    _visit(asx, c, "2026-11-19 15:00", "E01", unit="SN-X")
    r = asx("onsite quality --month 2026-11 -f json")
    assert r.exit_code == 0, r
    doc = json.loads(r.stdout)
    assert doc["meta"]["period"] == "2026-11" and doc["meta"]["visits"] == 3 and doc["meta"]["repeats"] == 1
    rows = {(x["model"], x["fault_code"]): x for x in doc["rows"]}
    assert rows[("RZ-500", "E03")]["visits"] == 2 and rows[("RZ-500", "E03")]["repeats"] == 1
    assert rows[("RZ-500", "E03")]["parts_used"] == "风扇×2, 电源×1"
    assert rows[("RZ-500", "E01")]["units"] == 1
    assert json.loads(asx("onsite quality --month 2026-10 -f json").stdout)["rows"] == []
    csv = asx("onsite quality --month 2026-11 -f csv").stdout
    assert csv.splitlines()[0].startswith("model,fault")


def test_sample_store_onsite(asx, onsite_shop):
    assert len(json.loads(asx("onsite repeats -f json").stdout)) >= 2
    q = json.loads(asx("onsite quality --month 2026-11 -f json").stdout)["rows"]
    assert len({r["model"] for r in q}) >= 3
    ledger = ws_db(".").execute("SELECT count(*) FROM ledger WHERE direction = 'in'").fetchone()[0]
    assert ledger >= 1
    assert ws_db(".").execute("SELECT count(*) FROM onsite_followups").fetchone()[0] >= 5


def test_installed_entry_point_lists_in_plugins(tmp_path):
    """Installed with pip, the plugin loads through its entry point (no test registration)."""
    env = {**os.environ, "ASX_LOAD_PLUGINS": "onsite"}
    code = "import sys; sys._called_from_test = False\nfrom asx.cli import main\nmain(['plugins', '-f', 'json'])"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    names = {p["name"] for p in json.loads(r.stdout)}
    assert "onsite" in names, r.stderr


def test_kpi_on_site_timeliness(asx, field):
    on_time, late = open_case(asx, at="2026-11-19 09:00"), open_case(asx, at="2026-11-18 09:00")
    _visit(asx, on_time, "2026-11-19 14:00", "E01")
    _visit(asx, late, "2026-11-19 15:00", "E02")  # dispatch late, on site in 30 calendar h (> 24 h, R-SLA preamble)
    r = asx("kpi show --kpi onsite_on_time -p 2026-11 --by category -f json")
    assert r.exit_code == 0, r
    row = json.loads(r.stdout)["rows"][0]
    assert row["dispatch_on_time"] == 0.5 and row["on_site_on_time"] == 0.5 and row["onsite_cases"] == 2


# --- issue 16 item 10 (seed 003) -------------------------------------------------------------------

def test_engineers_are_registered_people_with_a_role(asx, field):
    """seed 003 二/三(二) 售后工程师: an engineer is a registered person with an engineer role, not free text."""
    cid = open_case(asx, at="2026-11-19 09:00")
    r = asx(f"--as 萌萌 onsite dispatch {cid} --engineer 张三 --at '2026-11-19 10:00'")
    assert r.exit_code == 2 and "not a registered person" in r.stderr
    r = asx(f"--as 萌萌 onsite dispatch {cid} --engineer 萌萌 --at '2026-11-19 10:00'")
    assert r.exit_code == 2 and "萌萌 is agent, not an engineer" in r.stderr
    assert asx(f"--as 萌萌 onsite dispatch {cid} --engineer 林工 --at '2026-11-19 10:00'").exit_code == 0
    assert asx(["agent", "retire", "高工"]).exit_code == 0
    cid2 = open_case(asx, at="2026-11-19 09:30")
    r = asx(f"--as 萌萌 onsite dispatch {cid2} --engineer 高工 --at '2026-11-19 10:00'")
    assert r.exit_code == 2 and "retired" in r.stderr


def test_depot_repair_is_shipped_back_with_a_waybill_and_the_customer_told(asx, field):
    """seed 003 三(一)7: the repaired unit goes back by courier and the customer is told the waybill."""
    cid = open_case(asx, at="2026-11-19 09:00")
    r = asx(f"--as 萌萌 onsite ship-back {cid} --courier 顺丰 --told sms --at '2026-11-19 16:00'")
    assert r.exit_code == 2                                                     # no waybill: refused
    r = asx(f"--as 萌萌 onsite ship-back {cid} --waybill SF778899 --courier 顺丰 --told sms "
            f"--unit SN-W --at '2026-11-19 16:00'")
    assert r.exit_code == 0, r
    rows = json.loads(asx("onsite shipments -f json").stdout)
    assert [(x["case_id"], x["serial"], x["waybill"], x["courier"], x["told_via"], x["by"]) for x in rows] == \
        [(cid, "SN-W", "SF778899", "顺丰", "sms", "萌萌")]
    hist = json.loads(asx(f"case show {cid} -f json").stdout)["history"]
    assert any(e["action"] == "ship_back" and "SF778899" in e["note"] and "短信" in e["note"] for e in hist)
    with pytest.raises(sqlite3.IntegrityError):
        ws_db(field).execute("DELETE FROM onsite_shipments")


def test_paid_repair_needs_a_quote_before_its_checklist_completes(asx, field):
    """seed 003 八、1: a repair at cost is quoted first; its quote steps (and resolving it as a repair)
    are refused while no quote is recorded."""
    cid = open_case(asx, category="质保期外维修", at="2026-11-19 09:00")
    r = asx(f"--as 萌萌 case check {cid} quote_accepted --at '2026-11-19 09:10'")
    assert r.exit_code == 2 and "no quote" in r.stderr
    r = asx(f"--as 萌萌 case check {cid} quote_given --at '2026-11-19 09:10'")
    assert r.exit_code == 2 and "asx onsite quote" in r.stderr
    for step_ in ("record_fault", "phone_diagnosis"):
        assert asx(f"--as 萌萌 case check {cid} {step_} --at '2026-11-19 09:10'").exit_code == 0
    r = asx(f"--as 萌萌 case resolve {cid} --resolution repair --party us --at '2026-11-19 09:20'")
    assert r.exit_code == 2 and "no quote" in r.stderr
    assert asx(f"--as 萌萌 onsite quote {cid} --unit SN-X --parts 320 --labour 80").exit_code == 0
    assert asx(f"--as 萌萌 case check {cid} quote_accepted").exit_code == 0
    r = asx(f"--as 萌萌 case resolve {cid} --resolution repair --party us")
    assert r.exit_code == 0, r
    # a warranty case has no such rule; a paid case may still be explained without a quote
    cid2 = open_case(asx, category="质保期外维修", at="2026-11-19 09:30")
    assert asx(f"--as 萌萌 case resolve {cid2} --resolution explained --party buyer").exit_code == 0


def test_onsite_workspace_keeps_a_7x24_service_clock(asx, onsite_shop):
    """R-SLA preamble / issue 16 item 2: the onsite store keeps a 7×24 hotline, so a workspace made
    with `--store onsite` (its sample included) starts with service hours of the whole day, set
    before the sample opens any case: a warranty call at 23:30 is answered by 01:30, not the next
    morning."""
    shown = json.loads(asx("config show -f json").stdout)
    assert {r["key"]: r["value"] for r in shown}["service.hours"] == "00:00-24:00"
    cid = open_case(asx, at="2026-11-19 23:30")
    first = sla(asx, cid)["first_response"]
    assert first["target_rule"] == "120 service min"
    assert first["due_at"] == "2026-11-20T01:30:00+08:00" and first["clock"] == "service"
