"""asx review commands end to end (R-REV-1..7, R-FIN-2, R-SEC-1/2)."""

from __future__ import annotations

import json


def add(asx, *extra, tid="4100000000000001", created="2026-11-01 20:00", result="中评", content="有点味道"):
    r = asx(["--as", "萌萌", "review", "add", "--tid", tid, "--created", created, "--result", result,
             "--buyer", "晴天娃娃", "--phone", "13812345678", "--item", "乳胶枕", "--content", content, *extra])
    assert r.exit_code == 0, r
    return int(r.stdout.strip())


def show(asx, rid, *extra):
    r = asx(["review", "show", str(rid), "-f", "json", *extra])
    assert r.exit_code == 0, r
    return json.loads(r.stdout)[0]


def test_whole_flow(asx, team, clock):
    rid = add(asx, "--at", "2026-11-01T21:00")
    assert show(asx, rid)["severity"] == 1 and show(asx, rid)["result"] == "neutral"
    r = asx(f"--as 萌萌 review contact {rid} --via 旺旺 --result no_answer --at 2026-11-02T09:00")
    assert r.exit_code == 0 and "next: send SMS" in r.stderr, r
    r = asx(f"--as 萌萌 review contact {rid} --via sms --result no_answer --at 2026-11-02T09:40")
    assert r.exit_code == 0, r
    r = asx(f"--as 萌萌 review next --at 2026-11-02T10:00 -f json")
    assert json.loads(r.stdout) == [] and "1 × phone the buyer from 2026-11-04T09:30:00+08:00" in r.stderr, r
    r = asx(f"--as 萌萌 review next --at 2026-11-04T09:45 -f json")
    assert [x["next_step"] for x in json.loads(r.stdout)] == ["phone"]
    assert "no roster for 2026-11-04" in r.stderr
    clock.set(clock.now.replace(day=4, hour=10))
    r = asx(f"--as 萌萌 review contact {rid} --via phone --result promised --by 2026-11-06 --note 答应周五前删除")
    assert r.exit_code == 0, r
    rec = show(asx, rid)
    assert rec["progress"] == "promised" and rec["promised_until"] == "2026-11-07T00:00:00+08:00"
    assert rec["owner"] == "萌萌"
    r = asx(f"--as 萌萌 review resolve {rid} awaiting_compensation --note 要求补偿10元")
    assert r.exit_code == 0, r
    r = asx(f"--as 萌萌 review compensate {rid} --amount 10")
    assert r.exit_code == 0 and "'删除中评_萌萌'" in r.stderr, r
    r = asx(f"--as 萌萌 review resolve {rid} 已删除")
    assert r.exit_code == 0 and "nothing more to do" in r.stderr, r
    rec = show(asx, rid)
    assert rec["progress"] == "revised" and rec["compensated_fen"] == 1000
    assert [h["action"] for h in rec["history"]] == ["add", "contact", "contact", "contact", "resolve",
                                                      "compensate", "resolve"]
    assert rec["history"][3]["note"] == "答应周五前删除"
    assert rec["buyer"] == "晴***" and rec["phone"] == "138****5678"  # masked (R-SEC-1)


def test_at_rules_on_the_command_line(asx, team, clock):
    rid = add(asx)
    r = asx(f"--as 萌萌 review contact {rid} --via wangwang --result no_answer --at 2026-11-03T09:00")
    assert r.exit_code == 2 and "in the future" in r.stderr
    r = asx(f"--as 萌萌 review contact {rid} --via wangwang --result no_answer --at 2026-11-01T19:00")
    assert r.exit_code == 2 and "history must read in order" in r.stderr
    r = asx(f"review contact {rid} --via fax --result no_answer")
    assert r.exit_code == 2 and "unknown --via 'fax'" in r.stderr


def test_duplicate_add_refused(asx, team, clock):
    rid = add(asx)
    r = asx(["--as", "萌萌", "review", "add", "--tid", "4100000000000001", "--created", "2026-11-01 20:00",
             "--result", "neutral"])
    assert r.exit_code == 2 and f"already recorded as review {rid}" in r.stderr


def test_list_filters(asx, team, clock):
    a = add(asx, tid="1", content="质量差, 假货")
    b = add(asx, tid="2", created="2026-10-20 10:00", result="差评")
    c = add(asx, tid="3")
    asx(f"--as 萌萌 review resolve {c} revised")
    ids = lambda args: [x["id"] for x in json.loads(asx(f"review list {args} -f json").stdout)]  # noqa: E731
    assert ids("") == [a, b, c]
    assert ids("--severity 3") == [a]
    assert ids("--progress revised") == [c]
    assert ids("--open") == [a, b]
    assert ids("--older-than 7d") == [b]
    assert ids("--owner 萌萌") == [c]
    assert ids("--owner none") == [a, b]
    assert ids("--item 乳胶") == [a, b, c]


def test_reveal_needs_supervisor_and_is_recorded(asx, team, clock):
    rid = add(asx)
    r = asx(f"--as 萌萌 review show {rid} --reveal")
    assert r.exit_code == 2 and "may reveal" in r.stderr
    r = asx(f"--as 萌萌 review export --reveal -f csv")
    assert r.exit_code == 2
    r = asx("review export -f csv")
    assert r.exit_code == 0 and "138****5678" in r.stdout and "13812345678" not in r.stdout
    r = asx("review export --reveal -f csv")
    assert r.exit_code == 0 and "13812345678" in r.stdout and "晴天娃娃" in r.stdout
    assert show(asx, rid, "--reveal")["phone"] == "13812345678"
    from asx.core.app import App

    app = App(team)
    log = [(x["action"], x["subject"]) for x in app.store.q("SELECT * FROM access_log ORDER BY id")]
    app.close()
    assert log == [("export_unmasked", "reviews"), ("reveal", f"review:{rid}")]


def test_assign_and_link(asx, team, clock):
    rid = add(asx)
    assert asx(f"--as 萌萌 review assign {rid}").exit_code == 0
    r = asx(f"--as 小雨 review assign {rid}")
    assert r.exit_code == 2 and "only a supervisor" in r.stderr
    assert asx(f"review assign {rid} --to 小雨").exit_code == 0  # 李主管 is supervisor
    r = asx(f"review link {rid} --case 99")
    assert r.exit_code == 2 and "no case 99" in r.stderr


def test_severity_override(asx, team, clock):
    rid = add(asx)
    assert asx(f"review severity {rid} 3 --note 买家威胁投诉").exit_code == 0
    assert show(asx, rid)["severity"] == 3 and show(asx, rid)["severity_rule"] == "manual"


def test_sample_has_a_month_at_every_step(asx, sample):
    rows = json.loads(asx("review export -f json").stdout)
    assert 70 <= len(rows) <= 90
    assert {r["progress"] for r in rows} == {"open", "promised", "awaiting_compensation", "revised", "refused"}
    assert {r["next_step"] for r in rows if r["next_step"]} == {"wangwang", "sms", "phone", "compensate"}
    assert {r["last_contact_via"] for r in rows if r["last_contact_via"]} == {"wangwang", "sms", "phone"}
    assert {r["severity"] for r in rows} == {1, 2, 3}
    r = asx("review next --agent all -f json")
    assert r.exit_code == 0 and json.loads(r.stdout)
    r = asx("review report --week -f json")
    assert r.exit_code == 0, r
    data = json.loads(r.stdout)
    assert data["meta"]["period"] == "2026-W46"
    keys = {(x["section"], x["key"]) for x in data["rows"]}
    assert ("revision", "revision rate") in keys and ("compensation", "paid") in keys
    assert ("stuck", "phone the buyer") in keys
    from asx.core.app import App

    app = App(sample)
    notes = [x["note"] for x in app.store.q("SELECT note FROM ledger WHERE review_id IS NOT NULL")]
    app.close()
    assert notes and all(n.startswith(("删除中评_", "删除差评_")) for n in notes)  # R-FIN-2


def test_report_in_chinese(asx, sample):
    r = asx("--lang zh review report --week 2026-W46 -f table")
    assert r.exit_code == 0 and "已删除/修改" in r.stdout


def test_installed_entry_point(script_runner, sample):
    r = script_runner.run(["asx", "review", "next", "--agent", "萌萌", "--limit", "3", "-f", "csv"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith("id,severity,result,next_step")
    assert "actionable now" in r.stderr


def test_open_case(asx, team, clock):
    import importlib.util

    have_cases = importlib.util.find_spec("asx.cases.service") is not None
    rid = add(asx, content="收到有破损")
    r = asx(f"--as 萌萌 review open-case {rid}")
    if not have_cases:
        assert r.exit_code == 2 and "review link" in r.stderr
        return
    assert r.exit_code == 0, r
    case_id = int(r.stdout.strip())
    assert show(asx, rid)["case_id"] == case_id
    assert asx(f"--as 萌萌 review open-case {rid}").exit_code == 2


def test_guess_category():
    from asx.reviews.service import guess_category

    assert guess_category("收到有破损") == "transit_damage"
    assert guess_category("客服态度差") == "service"
    assert guess_category("还行") == "other"


def test_later_steps_of_an_agent_with_no_shift_ahead_read_as_a_sentence(sample, asx):
    # an agent with no shift rostered ahead: the later line says so (it read "from no shift rostered")
    assert asx(["agent", "add", "新客服", "--role", "agent"]).exit_code == 0
    for lang, want in (("en", "when you have a shift: none is rostered"), ("zh", "待你有班时处理：目前没有排班")):
        r = asx(["--lang", lang, "--as", "新客服", "review", "next"])
        assert r.exit_code == 0, r
        assert want in r.stderr and "from no shift" not in r.stderr and "没有排班 起" not in r.stderr
