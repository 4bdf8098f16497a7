"""Returns 退换货 (seed 000 退换货处理 1–5, R-CASE-8; issue 16 item 7).

1. The request is checked against the store's return policy (settings ``returns.*``: the no-reason
   window in days from delivery, goods categories never returnable without a fault, who pays the
   postage of a no-reason return); the result and why are recorded with the case.
2. The return waybill and courier are recorded (``asx case list --waybill``).
3./4. Receipt is recorded (``--received``); inspection is ``asx case inspect`` (R-CASE-8).
5. Closing the case writes the outcome to the customer's file (:func:`on_close`; ``asx customer show``).
Every change is a case event ``return`` (append-only history, R-CASE-6).
"""

from __future__ import annotations

from datetime import datetime

from asx.core.errors import UserError

REASONS = ("no_reason", "fault")
DAY = 86400


def policy(app) -> dict:
    cfg = app.config
    return {"no_reason_days": cfg.get("returns.no_reason_days"),
            "never_returnable": list(cfg.get("returns.never_returnable")),
            "no_reason_postage": cfg.get("returns.no_reason_postage")}


def check(pol: dict, *, reason: str, goods_category: str | None, delivered_at: int | None,
          requested_at: int) -> tuple[str, list[str], str]:
    """(result, why refused, postage payer) of a return request under policy ``pol``."""
    why: list[str] = []
    if reason == "fault":  # the goods are at fault: no window, any category, the store pays (R-CASE-8)
        return "accepted", why, "store"
    if goods_category and goods_category in pol["never_returnable"]:
        why.append(f"goods category {goods_category!r} is never returnable without a fault")
    if delivered_at is None:
        why.append("a no-reason return needs the delivery date (--delivered)")
    else:
        days = (requested_at - delivered_at) / DAY
        if days > pol["no_reason_days"]:
            why.append(f"requested {days:.1f} days after delivery; the no-reason window is "
                       f"{pol['no_reason_days']} days")
    return ("refused" if why else "accepted"), why, pol["no_reason_postage"]


def record(app, case_id: int, *, reason: str | None = None, goods_category: str | None = None,
           delivered: datetime | None = None, waybill: str | None = None, courier: str | None = None,
           received: datetime | None = None, at: datetime | None = None, by: str | None = None) -> dict:
    """Record a return request (policy checked), its waybill/courier, or its receipt. One transaction."""
    from asx.store import cases as case_store
    from asx.store import returns as return_store
    from asx.core.timeutil import to_epoch

    if by is None:
        who = app.require_role("agent", action="record a return")
    else:  # the sample and importers act as a named agent
        from asx.store import agents as agents_store

        who = agents_store.get(app.store, by) or {"name": by, "role": "agent"}
    t = to_epoch(at or app.now())
    with app.store.tx(row_locks=True):
        case = case_store.require(app.store, case_id, lock=True)
        if case["status"] in ("closed", "merged"):
            raise UserError(f"case #{case_id} is {case['status']}; reopen it first")
        row = return_store.get(app.store, case_id)
        values: dict = {}
        data: dict = {}
        if reason is not None or row is None:
            if reason is None:
                raise UserError("a new return needs --reason no-reason|fault (seed 000 退换货 1)")
            if reason not in REASONS:
                raise UserError(f"--reason must be no-reason or fault, not {reason!r}")
            dl = to_epoch(delivered) if delivered is not None else (row or {}).get("delivered_at")
            gc = goods_category if goods_category is not None else (row or {}).get("goods_category")
            pol = policy(app)
            result, why, payer = check(pol, reason=reason, goods_category=gc, delivered_at=dl, requested_at=t)
            values.update(reason=reason, goods_category=gc, delivered_at=dl, requested_at=t,
                          policy_result=result, policy_why="; ".join(why) or None, postage_payer=payer)
            data.update(policy=pol, result=result, why=why, postage_payer=payer)
        if waybill is not None:
            values["waybill"] = waybill.strip()
            data["waybill"] = values["waybill"]
        if courier is not None:
            values["courier"] = courier.strip()
            data["courier"] = values["courier"]
        if received is not None:
            values["received_at"] = to_epoch(received)
            data["received_at"] = app.iso(values["received_at"])
        if not values:
            raise UserError("nothing to record: give --reason, --waybill/--courier or --received")
        return_store.upsert(app.store, case_id, values, at=t, by=who["name"])
        note = None
        if "policy_result" in values:
            note = f"return {values['policy_result']}" + (f": {values['policy_why']}" if values["policy_why"] else "")
        case_store.add_event(app.store, case_id, at=t, by=who["name"], action="return", note=note, data=data)
    return return_store.get(app.store, case_id)


def on_close(app, case: dict, at: int, by: str | None) -> None:
    """Seed 000 退换货 5: the return's outcome goes to the customer's file when its case closes
    (inside the close's transaction)."""
    from asx.store import returns as return_store

    if return_store.get(app.store, case["id"]) is None:
        return
    outcome = "/".join(x for x in (case.get("resolution"), case.get("inspection") and
                                   f"inspection {case['inspection']}") if x) or "closed"
    return_store.upsert(app.store, case["id"], {"closed_at": at, "outcome": outcome}, at=at, by=by)


def sample_returns(app, sample) -> str | None:
    """The sample shows a return checked against policy: one accepted (within the no-reason window,
    waybill, received, inspected, refunded and closed: the customer's file updated) and one refused
    (asked after the window)."""
    from datetime import timedelta

    from asx.cases import model, service
    from asx.store import agents as agents_store

    team = list(agents_store.list_agents(app.store))
    agents = [a["name"] for a in team if a["role"] == "agent"]
    specialist = next((a["name"] for a in team if a["role"] == "specialist"), None)
    if not agents or specialist is None:
        return None
    agent = agents[0]
    now = sample.now.replace(microsecond=0)
    t0 = now - timedelta(days=4)
    cid = service.open_case(app, {"category": "not_as_described", "channel": "wangwang", "agent": agent,
                                  "order": "3900000000000000701", "buyer": "退货买家_小陈",
                                  "summary": "颜色与图片不符，想七天无理由退货"}, at=t0, by=agent)
    service.act(app, cid, "respond", at=t0 + timedelta(minutes=3), by=agent, note="已致歉，按政策办理退货")
    record(app, cid, reason="no_reason", goods_category="apparel", delivered=t0 - timedelta(days=2),
           at=t0 + timedelta(minutes=5), by=agent)
    record(app, cid, waybill="SF1400000000701", courier="顺丰", at=t0 + timedelta(hours=3), by=agent)
    record(app, cid, received=t0 + timedelta(days=2), at=t0 + timedelta(days=2), by=specialist)
    service.act(app, cid, "inspect", at=t0 + timedelta(days=2, hours=1), by=specialist, result="pass",
                note="吊牌完好，可二次销售")
    for i, step in enumerate(model.categories(app.plugins)["not_as_described"].checklist):
        service.act(app, cid, "check", at=t0 + timedelta(days=2, hours=1, minutes=1 + i), by=agent, step=step.step)
    service.act(app, cid, "resolve", at=t0 + timedelta(days=2, hours=2), by=agent, resolution="return_refund",
                party="buyer", amount_fen=12900, note="退货退款")
    service.act(app, cid, "close", at=t0 + timedelta(days=3), by=agent, note="买家确认收到退款")
    t1 = now - timedelta(days=1)
    late = service.open_case(app, {"category": "not_as_described", "channel": "wangwang", "agent": agent,
                                   "order": "3900000000000000702", "buyer": "退货买家_老王",
                                   "summary": "穿了两周想退"}, at=t1, by=agent)
    record(app, late, reason="no_reason", goods_category="apparel", delivered=t1 - timedelta(days=15),
           at=t1 + timedelta(minutes=4), by=agent)
    return "2 returns checked against policy (1 accepted, 1 refused)"
