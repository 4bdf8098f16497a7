"""asx agent: the team and role checks (R-PPL-1..3)."""

from __future__ import annotations

import json


def test_first_agent_bootstraps_then_supervisor_only(asx, tmp_path, monkeypatch):
    ws = tmp_path / "w"
    assert asx(["init", str(ws)]).exit_code == 0
    monkeypatch.chdir(ws)
    assert asx("agent add 李主管 --role 售后主管").exit_code == 0  # Chinese role label accepted
    r = asx("agent add 萌萌 --role agent")
    assert r.exit_code == 2 and "who is acting" in r.stderr
    assert asx("--as 李主管 agent add 萌萌 --role agent").exit_code == 0
    r = asx("--as 萌萌 agent add 小雨 --role agent")
    assert r.exit_code == 2 and "only supervisor" in r.stderr
    r = asx("--as 李主管 agent add 萌萌 --role agent")
    assert r.exit_code == 2 and "exists" in r.stderr


def test_update_keeps_role_history(asx, workspace):
    asx("agent add 萌萌 --role agent")
    assert asx("agent update 萌萌 --role specialist --effective 2026-11-01 --note 晋升").exit_code == 0
    r = asx("agent show 萌萌 -f json")
    rec = json.loads(r.stdout)[0]
    assert rec["role"] == "specialist"
    changes = [(h["field"], h["old"], h["new"], h["effective_on"]) for h in rec["history"]]
    assert ("role", "agent", "specialist", "2026-11-01") in changes


def test_retire(asx, workspace):
    asx("agent add 萌萌 --role agent")
    assert asx("agent retire 萌萌 --on 2026-11-30").exit_code == 0
    names = [a["name"] for a in json.loads(asx("agent list -f json").stdout)]
    assert names == ["李主管"]
    names = [a["name"] for a in json.loads(asx("agent list --all -f json").stdout)]
    assert "萌萌" in names
    r = asx("--as 萌萌 agent list")
    assert r.exit_code == 0  # listing needs no actor
    r = asx("--as 萌萌 agent update 李主管 --store x")
    assert r.exit_code == 2 and "retired" in r.stderr


def test_unknown_role(asx, workspace):
    r = asx("agent add x --role boss")
    assert r.exit_code == 2
