"""Case auto-assignment with the roster (issue 11 §4, R-ROS-9): never to someone off shift."""

from __future__ import annotations

import pytest

from tests.daily.conftest import at, dt

OFF = {"阿杰", "晓琳"}  # resting, on leave


def _add(asx, hm, *extra, who="李主管", day="2026-12-03"):
    r = asx(["--as", who, "case", "add", "--category", "quality", "-q", "--at", at(hm, day), *extra])
    assert r.exit_code == 0, r
    return int(r.stdout), r


def _agent(app, case_id):
    from asx.store import cases as case_store

    return case_store.get(app.store, case_id)["agent"]


@pytest.mark.parametrize("hm,allowed", [("09:00", {"萌萌"}), ("13:59", {"萌萌", "小雨"}), ("14:01", {"萌萌"}),
                                        ("22:50", {"小雨"})])
def test_assigns_only_agents_on_shift(shop, asx, clock, app, hm, allowed):
    clock(hm)
    got = set()
    for _ in range(4):
        cid, _r = _add(asx, hm)
        got.add(_agent(app, cid))
    assert got == allowed          # least loaded spreads over everyone on shift, nobody else
    assert not got & OFF


def test_least_loaded_then_category_experience(shop, asx, clock, app):
    clock("13:59")
    a, _ = _add(asx, "13:59", "--agent", "萌萌")
    b, _ = _add(asx, "13:59")
    assert _agent(app, b) == "小雨"            # fewer open cases
    # equal load (1 each): 小雨 has a quality case, 萌萌 has one too → name order; make 萌萌 more experienced
    c, _ = _add(asx, "13:59", "--agent", "小雨", "--category", "inquiry")
    assert asx(["--as", "萌萌", "case", "check", str(a), "apologise", "--at", at("13:59")]).exit_code == 0  # R-CASE-3
    assert asx(["--as", "萌萌", "case", "resolve", str(a), "--resolution", "explained", "--party", "us",
                "--at", at("13:59")]).exit_code == 0
    # loads: 萌萌 0 open, 小雨 2 open → 萌萌
    d, _ = _add(asx, "13:59")
    assert _agent(app, d) == "萌萌"
    from asx.daily.assign import least_loaded

    # tie on load: experience of the same category decides (萌萌 has 2 quality cases, 小雨 1)
    app.store.execute("UPDATE cases SET status = 'closed'")
    T = int(dt("14:00").timestamp())
    assert least_loaded(app, {"category": "quality", "opened_at": T}, ["小雨", "萌萌"]) == "萌萌"
    assert least_loaded(app, {"category": "inquiry", "opened_at": T}, ["小雨", "萌萌"]) == "小雨"


def test_nobody_on_shift_or_no_roster_leaves_unassigned(shop, asx, clock, app):
    clock("23:30")
    cid, r = _add(asx, "23:30")
    assert _agent(app, cid) is None
    assert "nobody is on shift" in r.stderr
    clock("10:00", "2026-12-05")
    cid, r = _add(asx, "10:00", day="2026-12-05")
    assert _agent(app, cid) is None
    assert "no roster for 2026-12-05" in r.stderr


def test_setting_none_keeps_the_opener(shop, asx, clock, app):
    assert asx("config set daily.assignment none").exit_code == 0
    clock("09:00")
    cid, r = _add(asx, "09:00")
    assert _agent(app, cid) == "李主管" and r.stderr == ""
    assert asx("config set daily.assignment bogus").exit_code == 2


def test_a_plugin_overrides_through_the_hook(shop, asx, clock, app):
    from asx import hookimpl
    from asx.testing import plugin_registered

    seen = {}

    class Pick:
        @hookimpl
        def assign_case(self, app, case, candidates):
            seen["candidates"] = list(candidates)
            seen["category"] = case["category"]
            return "小雨" if "小雨" in candidates else None

    with plugin_registered(Pick(), "test-pick"):
        clock("13:59")
        _add(asx, "13:59", "--agent", "小雨")
        cid, _ = _add(asx, "13:59")
        assert _agent(app, cid) == "小雨"      # the plugin wins over least loaded
        assert seen == {"candidates": ["小雨", "萌萌"], "category": "quality"}
        clock("09:00", "2026-12-04")
        cid, _ = _add(asx, "09:00", day="2026-12-04")
        assert _agent(app, cid) in {"萌萌", "阿杰"}  # plugin said None → the built-in rule
