"""General extension points used by store plugins: per-shift SLA rules (R-SLA-1) and adding steps
to another plugin's category checklist (R-CASE-3)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from asx import hookimpl
from asx.cases import model, service, sla
from asx.testing import plugin_registered

TZ = ZoneInfo("Asia/Shanghai")


def T(s):
    return datetime.fromisoformat(s).replace(tzinfo=TZ)


class NightOneMinute:
    """A store plugin's R-SLA-1 override: 1 minute on the night shift N."""

    @hookimpl
    def register_sla_targets(self, register, settings):
        register("first_response", minutes=1, shift=["N"])


class ExtraSteps:
    @hookimpl
    def register_categories(self, register):
        register("missing_item", checklist=[{"step": "check_split_waybills", "en": "split waybills (Tmall)",
                                             "zh": "查拆单运单"},
                                            {"step": "photo_first", "en": "ask for photos", "zh": "请买家拍照",
                                             "after": "check_order"},
                                            ("store_step", "a store's own last step", "店铺步骤")],
                 aliases=("少件",), extend=True)
        register("later_cat", checklist=[("x", "x step")], extend=True)   # defined after: waits
        register("later_cat", "later", "后来", checklist=[("a", "a step")])


def _roster(app, day, agent, shift, segments):
    app.store.execute("INSERT INTO roster_days (day, agent, shift, mark, segments, updated_at) "
                      "VALUES (?, ?, ?, 'work', ?, 0)", (day, agent, shift, segments))


def _due(app, cid, target="first_response"):
    return app.store.one("SELECT due_at FROM case_sla WHERE case_id = ? AND target = ?", (cid, target))["due_at"]


def test_night_shift_rule_applies_to_the_night_agent_only(team):
    from asx.core.app import App

    with plugin_registered(NightOneMinute(), "night-test") as host:
        app = App(team, plugins=host)
        try:
            with app.store.tx():
                _roster(app, "2026-11-19", "萌萌", "N", "10:00-14:00,17:30-23:00")
                _roster(app, "2026-11-19", "小雨", "D", "08:30-17:30")
            assert service.rules(app).uses_shift
            night = service.open_case(app, {"category": "inquiry", "agent": "萌萌"}, at=T("2026-11-19T18:00"),
                                      by="萌萌")
            day_agent_off = service.open_case(app, {"category": "inquiry", "agent": "小雨"},
                                              at=T("2026-11-19T18:00"), by="萌萌")
            day_on = service.open_case(app, {"category": "inquiry", "agent": "小雨"}, at=T("2026-11-19T09:00"),
                                       by="萌萌")
            assert _due(app, night) == int(T("2026-11-19T18:01").timestamp())       # R-SLA-1 night: 1 min
            assert _due(app, day_agent_off) == int(T("2026-11-19T18:03").timestamp())  # default 3 min
            assert _due(app, day_on) == int(T("2026-11-19T09:03").timestamp())
            # the rule survives later recomputes (act) and shows in sla_state
            service.act(app, night, "note", note="x", at=T("2026-11-19T18:00:30"), by="萌萌")
            assert _due(app, night) == int(T("2026-11-19T18:01").timestamp())
            st = {r["target"]: r for r in service.sla_state(app, app.store.one("SELECT * FROM cases WHERE id = ?",
                                                                                (night,)))}
            assert st["first_response"]["target_rule"] == "1 service min"
        finally:
            app.close()


def test_without_shift_rules_no_roster_lookup(app, monkeypatch):
    import asx.roster.duty

    monkeypatch.setattr(asx.roster.duty, "on_duty", lambda *a, **k: pytest.fail("roster consulted without shift rules"))
    assert not service.rules(app).uses_shift
    cid = service.open_case(app, {"category": "inquiry", "agent": "萌萌"}, at=T("2026-11-19T18:00"), by="萌萌")
    assert _due(app, cid) == int(T("2026-11-19T18:03").timestamp())


def test_ruleset_shift_key_most_specific_wins():
    rs = sla.RuleSet()
    rs.add("first_response", minutes=3)
    rs.add("first_response", minutes=1, shift="N")
    rs.add("first_response", minutes=5, shift="N", channel="email")
    assert rs.uses_shift
    assert rs.for_case({"channel": "chat", "shift": "N"})["first_response"].minutes == 1
    assert rs.for_case({"channel": "chat", "shift": None})["first_response"].minutes == 3
    assert rs.for_case({"channel": "email", "shift": "N"})["first_response"].minutes == 5
    with pytest.raises(ValueError):
        rs.add("first_response", minutes=1, weekday="Mon")


def test_shift_lookup_overnight_and_unknown(app):
    with app.store.tx():
        _roster(app, "2026-11-19", "萌萌", "L", "22:00-02:00")
    look = sla.ShiftLookup(app.store, TZ)
    assert look("萌萌", int(T("2026-11-20T01:00").timestamp())) == "L"   # yesterday's segment past midnight
    assert look("萌萌", int(T("2026-11-20T03:00").timestamp())) is None
    assert look(None, 0) is None and look("nobody", int(T("2026-11-19T23:00").timestamp())) is None


def test_extend_category_checklist_without_redefining():
    from asx.testing import plugin_host

    with plugin_registered(ExtraSteps(), "steps-test") as host:
        cats = model.categories(host)
        mi = cats["missing_item"]
        ids = [s.step for s in mi.checklist]
        assert mi.en == "missing item" and mi.zh == "少发货/缺货"                  # labels kept
        assert ids.count("check_split_waybills") == 1
        assert mi.checklist[ids.index("check_split_waybills")].en == "split waybills (Tmall)"  # replaced in place
        assert ids[ids.index("check_order") + 1] == "photo_first"
        assert ids[-1] == "store_step" and "少件" in mi.aliases and "缺货" in mi.aliases
        assert [s.step for s in cats["later_cat"].checklist] == ["a", "x"]
    assert "store_step" not in [s.step for s in model.categories(plugin_host())["missing_item"].checklist]


def test_extend_category_needs_no_label_but_define_does():
    cs = model.CategorySet()
    with pytest.raises(ValueError):
        cs.add("x")
