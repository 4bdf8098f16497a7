"""R-KPI-4: warnings, fines and dismissal reviews a supervisor confirms become disciplinary records
(append-only), shown in `asx eval show`; complaints settled by whom they are about."""

from __future__ import annotations

import json

import pytest


def test_supervisor_records_a_fine_shown_in_eval(kpi_data, asx):
    cid = kpi_data.ids["C3"]
    r = asx(f"--as 萌萌 agent discipline add 萌萌 --kind fine --amount 50 --case {cid} -p 2026-11")
    assert r.exit_code != 0 and "supervisor" in r.stderr                      # R-KPI-4: supervisor only
    r = asx(f"--as 李主管 agent discipline add 萌萌 --kind fine --amount 50 --case {cid} -p 2026-11")
    assert r.exit_code == 0, r
    r = asx("--as 李主管 agent discipline add 萌萌 --kind fine -p 2026-11")
    assert r.exit_code == 2 and "amount" in r.stderr
    r = asx("--as 李主管 agent discipline add 萌萌 --kind warning -p 2026-11 --note 态度")
    assert r.exit_code == 0, r
    ev = {e["agent"]: e for e in json.loads(asx("--as 李主管 eval show -p 2026-11 -f json").stdout)}
    assert ev["萌萌"]["discipline"] == "1 warning(s), fined 50 yuan"
    assert ev["小雨"]["discipline"] == ""
    rows = json.loads(asx("--as 李主管 agent discipline list --agent 萌萌 -f json").stdout)
    assert [r["kind"] for r in rows] == ["fine", "warning"] and rows[0]["case_id"] == cid


def test_records_are_append_only_and_revoked_by_a_new_record(kpi_data, asx):
    assert asx("--as 李主管 agent discipline add 萌萌 --kind dismissal_review -p 2026-11").exit_code == 0
    with pytest.raises(Exception):
        with kpi_data.store.tx():
            kpi_data.store.execute("DELETE FROM discipline")
    r = asx("--as 李主管 agent discipline add 萌萌 --kind revoked --revokes 1 -p 2026-11")
    assert r.exit_code == 2 and "reason" in r.stderr
    assert asx("--as 李主管 agent discipline add 萌萌 --kind revoked --revokes 1 -p 2026-11 "
               "--note 复核后撤销").exit_code == 0
    ev = {e["agent"]: e for e in json.loads(asx("--as 李主管 eval show -p 2026-11 -f json").stdout)}
    assert ev["萌萌"]["discipline"] == ""
    assert len(json.loads(asx("--as 李主管 agent discipline list -f json").stdout)) == 2


def test_supervisor_settles_whom_a_complaint_is_about(kpi_data, asx, h):
    # R-KPI-4: an unknown complaint is listed; the supervisor settles it and it joins that agent's ladder
    cid = h.add_case(kpi_data, agent="小雨", about=None, opened="2026-11-25T10:00:00+08:00",
                     category="service", party="us")
    lad = json.loads(asx("--as 李主管 eval complaints -p 2026-11 -f json").stdout)
    assert [r["agent"] for r in lad if r["case_id"] == cid] == ["(unknown)"]
    assert asx(f"--as 萌萌 case about {cid} 萌萌 --reason 聊天记录").exit_code != 0          # supervisor only
    r = asx(f"--as 李主管 case about {cid} 萌萌 --reason 聊天记录显示萌萌接待")
    assert r.exit_code == 0, r
    lad = json.loads(asx("--as 李主管 eval complaints -p 2026-11 -f json").stdout)
    row = next(r for r in lad if r["case_id"] == cid)
    assert (row["agent"], row["n"], row["handled_by"]) == ("萌萌", 4, "小雨")
