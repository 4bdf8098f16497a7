"""R-CASE-3: resolving with required checklist steps unticked is refused with the list of missing
steps, unless a supervisor passes --override --reason (recorded in the history). Fixed clock."""

from __future__ import annotations

import json


def _add(asx, category):
    r = asx(["--as", "萌萌", "case", "add", "--category", category, "--order", "3512", "-q",
             "--at", "2026-11-20T09:00:00+08:00"])
    assert r.exit_code == 0, r
    return int(r.stdout)


def test_missing_item_reship_by_us_needs_the_prescribed_steps(asx, team):
    # the case: missing_item resolved reship / party us with no step ticked and no coupon
    cid = _add(asx, "missing_item")
    r = asx(f"--as 萌萌 case resolve {cid} --resolution reship --party us")
    assert r.exit_code == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    for step in ("apologise", "check_chat_log", "check_order", "check_split_waybills", "check_staff_error",
                 "reship", "coupon"):
        assert step in r.stderr
    for step in ("apologise", "check_chat_log", "check_order", "check_split_waybills", "check_staff_error",
                 "reship"):
        assert asx(f"--as 萌萌 case check {cid} {step}").exit_code == 0
    r = asx(f"--as 萌萌 case resolve {cid} --resolution reship --party us")
    assert r.exit_code == 2 and "coupon" in r.stderr and "reship," not in r.stderr     # ours: the coupon too
    assert asx(f"--as 萌萌 case resolve {cid} --resolution reship --party warehouse").exit_code == 0


def test_apologise_first_before_any_resolution_of_a_complaint(asx, team):
    cid = _add(asx, "quality")
    r = asx(f"--as 萌萌 case resolve {cid} --resolution explained --party supplier")
    assert r.exit_code == 2 and "apologise" in r.stderr
    assert asx(f"--as 萌萌 case check {cid} apologise").exit_code == 0
    assert asx(f"--as 萌萌 case resolve {cid} --resolution explained --party supplier").exit_code == 0


def test_inquiry_has_no_required_step(asx, team):
    cid = _add(asx, "inquiry")
    assert asx(f"--as 萌萌 case resolve {cid} --resolution explained --party buyer").exit_code == 0


def test_supervisor_override_with_reason_is_recorded(asx, team):
    cid = _add(asx, "service")
    r = asx(f"--as 萌萌 case resolve {cid} --resolution explained --party us --override --reason 买家已撤诉")
    assert r.exit_code != 0 and "supervisor" in r.stderr                       # an agent may not override
    r = asx(f"--as 李主管 case resolve {cid} --resolution explained --party us --override")
    assert r.exit_code == 2 and "--reason" in r.stderr
    r = asx(f"--as 李主管 case resolve {cid} --resolution explained --party us --override --reason 买家已撤诉")
    assert r.exit_code == 0, r
    from asx.core.app import App

    app = App(team)
    try:
        data = app.store.scalar("SELECT data FROM case_events WHERE case_id = ? AND action = 'resolve'", (cid,))
    finally:
        app.close()
    rec = json.loads(data)
    assert rec["override"] == ["apologise", "review_chat_log", "record_fault"]
    assert rec["override_reason"] == "买家已撤诉"


def test_a_store_rewording_a_step_keeps_its_requirement():
    # R-CASE-3: a store plugin replacing a core step by id (its own wording) keeps when it is required,
    # unless it says so itself
    from asx.cases.model import CategorySet

    cats = CategorySet()
    cats.add("missing_item", "missing item", "少发货",
             [{"step": "coupon", "en": "coupon", "required_if_party": ["us"]},
              {"step": "reship", "en": "reship", "required_for": ["reship"]}])
    cats.add("missing_item", extend=True, checklist=[{"step": "coupon", "en": "send a shop coupon"},
                                                     {"step": "reship", "en": "reship", "required_for": []}])
    steps = {s.step: s for s in cats["missing_item"].checklist}
    assert steps["coupon"].en == "send a shop coupon" and steps["coupon"].required_if_party == ("us",)
    assert steps["reship"].required_for == ()
