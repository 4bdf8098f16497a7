"""Training records 培训 (seed 000 培训与发展, seed 003 六, seed 004 四(一); issue 16 item 11).
Clock fixed at 2026-11-20 10:00 +08:00."""

from __future__ import annotations

import json

import pytest

from asx.testing import ws_store


@pytest.fixture
def crew(workspace, asx, monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")
    for name in ("萌萌", "小雨"):
        assert asx(["agent", "add", name, "--role", "agent"]).exit_code == 0
    return workspace


def test_supervisor_records_training_and_it_is_listed(asx, crew):
    """seed 000 培训: course, date and result recorded by the supervisor, listed per person."""
    r = asx(["agent", "train", "萌萌", "--course", "产品知识", "--date", "2026-11-05", "--result", "pass",
             "--score", "92", "--note", "内部培训"])
    assert r.exit_code == 0, r
    assert asx(["agent", "train", "小雨", "--course", "沟通技巧", "--date", "2026-11-06",
                "--result", "attended"]).exit_code == 0
    rows = json.loads(asx("agent training 萌萌 -f json").stdout)
    assert [(t["course"], t["held_on"], t["result"], t["score"], t["recorded_by"]) for t in rows] == \
        [("产品知识", "2026-11-05", "pass", 92.0, "李主管")]
    assert len(json.loads(asx("agent training -f json").stdout)) == 2
    assert json.loads(asx("agent training --since 2026-11-06 -f json").stdout)[0]["agent"] == "小雨"
    # an agent may not record training; a bad date, a future date and an unknown agent are refused
    r = asx(["--as", "萌萌", "agent", "train", "萌萌", "--course", "x", "--date", "2026-11-05", "--result", "pass"])
    assert r.exit_code == 2 and "supervisor" in r.stderr
    assert asx(["agent", "train", "萌萌", "--course", "x", "--date", "05.11.2026", "--result", "pass"]).exit_code == 2
    assert asx(["agent", "train", "萌萌", "--course", "x", "--date", "2026-12-01", "--result", "pass"]).exit_code == 2
    assert asx(["agent", "train", "无人", "--course", "x", "--date", "2026-11-05", "--result", "pass"]).exit_code == 2
    # append-only: the history cannot be changed behind asx's back
    st = ws_store(crew)
    with pytest.raises(Exception, match="append-only"):
        with st.tx():
            st.execute("UPDATE agent_training SET result = 'fail'")
    st.close()


def test_eval_show_shows_the_months_training_and_a_retake_due(asx, crew):
    """seed 000 培训考核 (不合格者补考) / seed 004 四(一): `asx eval show` lists the month's training;
    a course last failed in an earlier month shows as a retake due."""
    assert asx(["agent", "train", "小雨", "--course", "售后流程", "--date", "2026-10-20", "--result", "fail"]).exit_code == 0
    assert asx(["agent", "train", "萌萌", "--course", "产品知识", "--date", "2026-11-05", "--result", "pass",
                "--score", "88"]).exit_code == 0
    rows = {r["agent"]: r for r in json.loads(asx("eval show -p 2026-11 -f json").stdout)}
    assert rows["萌萌"]["training"] == "产品知识: pass 88 (2026-11-05)"
    assert rows["小雨"]["training"] == "retake due: 售后流程"
    oct_rows = {r["agent"]: r for r in json.loads(asx("eval show -p 2026-10 -f json").stdout)}
    assert oct_rows["小雨"]["training"] == "售后流程: fail (2026-10-20)" and oct_rows["萌萌"]["training"] == ""
    # retaken and passed: no longer due
    assert asx(["agent", "train", "小雨", "--course", "售后流程", "--date", "2026-11-10", "--result", "pass"]).exit_code == 0
    rows = {r["agent"]: r for r in json.loads(asx("eval show -p 2026-11 -f json").stdout)}
    assert rows["小雨"]["training"] == "售后流程: pass (2026-11-10)"
