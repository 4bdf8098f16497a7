"""General hooks for store plugins on cases: case attributes in SLA rules, plugin actions that meet
plugin targets, and guards that refuse an action (docs/plugins.md "Cases: plugin actions …")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from asx import hookimpl
from asx.cases import service
from asx.core.errors import UserError
from asx.testing import plugin_registered


class VipPlugin:
    """A store plugin: VIP buyers get a 30-minute first response and a `visit` target of 2 hours
    met by its own `visit` action; a VIP case closes only after a `confirm`."""

    VIPS = {"大客户"}

    @hookimpl
    def case_attributes(self, app, case):
        return {"vip": "yes"} if case.get("buyer") in self.VIPS else None

    @hookimpl
    def register_sla_targets(self, register, settings):
        register("first_response", minutes=30, when={"vip": "yes"})
        register("visit", minutes=120, when={"vip": "yes"})

    @hookimpl
    def register_case_transitions(self, register):
        for s in ("new", "open"):
            register(s, "=", "visit", "agent")
        register("resolved", "=", "confirm", "agent")

    @hookimpl
    def check_case_action(self, app, case, action, who):
        if action == "close" and case["buyer"] in self.VIPS:
            done = [e for e in app.store.q("SELECT action FROM case_events WHERE case_id = ?", (case["id"],))
                    if e["action"] == "confirm"]
            if not done:
                raise UserError("a VIP case needs `confirm` before close")


@pytest.fixture
def vip(app):
    plugin = VipPlugin()
    app.plugins.register(plugin, name="vip")        # this app's plugins
    app.__dict__.pop("_sla_rules", None)
    with plugin_registered(plugin, "vip"):         # and those of asx runs inside the test
        yield app


def _open(app, buyer, hours_ago=5):
    t = app.now() - timedelta(hours=hours_ago)
    cid = service.open_case(app, {"category": "quality", "buyer": buyer, "summary": "坏了", "agent": "萌萌"},
                            at=t, by="萌萌")
    service.act(app, cid, "check", at=t, by="萌萌", step="apologise")   # R-CASE-3: required before resolving
    return cid


def _targets(app, cid):
    return {r["target"]: r for r in service.sla_state(app, app.store.one("SELECT * FROM cases WHERE id = ?", (cid,)))}


def test_attribute_condition_selects_targets(vip):
    plain, big = _open(vip, "路人甲"), _open(vip, "大客户", hours_ago=14)
    assert "visit" not in _targets(vip, plain)
    t = _targets(vip, big)
    assert t["first_response"]["target_rule"] == "30 service min"
    assert t["visit"]["state"] == "breached"  # opened 20:00 yesterday: 3.5 service hours, 2 h target
    assert _targets(vip, plain)["first_response"]["target_rule"] == "3 service min"


def test_plugin_action_meets_plugin_target_at_given_time(vip):
    cid = _open(vip, "大客户", hours_ago=3)
    arrived = vip.now() - timedelta(hours=2)
    service.act(vip, cid, "visit", by="萌萌", note="上门", data={"engineer": "老王"}, meets={"visit": arrived})
    t = _targets(vip, cid)["visit"]
    assert t["state"] == "met" and t["met_at"] == int(arrived.timestamp())
    ev = [e for e in vip.store.q("SELECT * FROM case_events WHERE case_id = ?", (cid,)) if e["action"] == "visit"]
    assert '"engineer": "老王"' in ev[0]["data"]


def test_plugin_target_unmet_is_met_by_resolution(vip):
    cid = _open(vip, "大客户", hours_ago=1)
    service.resolve(vip, cid, resolution="explained", party="buyer", by="萌萌")
    assert _targets(vip, cid)["visit"]["state"] == "met"


def test_plugin_action_only_where_the_table_allows(vip):
    cid = _open(vip, "大客户")
    with pytest.raises(UserError, match="cannot confirm"):
        service.act(vip, cid, "confirm", by="萌萌")
    with pytest.raises(UserError, match="unknown case action"):
        service.act(vip, cid, "fly", by="萌萌")


def test_guard_refuses_close_until_confirmed_and_autoclose_skips(vip, monkeypatch):
    big, plain = _open(vip, "大客户", hours_ago=240), _open(vip, "路人甲", hours_ago=240)
    for cid in (big, plain):
        service.resolve(vip, cid, resolution="explained", party="buyer", by="萌萌",
                        at=vip.now() - timedelta(days=9))
    with pytest.raises(UserError, match="confirm"):
        service.close(vip, big, by="萌萌")
    assert "closed 1" in service.autoclose(vip)
    status = {r["id"]: r["status"] for r in vip.store.q("SELECT id, status FROM cases")}
    assert status == {big: "resolved", plain: "closed"}
    service.act(vip, big, "confirm", by="萌萌", note="客户确认")
    assert service.close(vip, big, by="萌萌")["status"] == "closed"


def test_without_the_plugin_nothing_changes(app):
    cid = _open(app, "大客户")
    t = _targets(app, cid)
    assert "visit" not in t and t["first_response"]["target_rule"] == "3 service min"
