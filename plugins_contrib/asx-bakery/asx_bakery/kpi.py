"""Bakery KPIs (seed 004 四(二) 考核指標, R-KPI-2) through the core KPI registry.

* ``bakery_order_timeliness`` 订单处理及时率: orders received in the period that were confirmed within
  ``plugins.bakery.confirm_within_minutes`` of receipt AND shipped by 12:00 of the wanted delivery
  day (or within ``plugins.bakery.ship_within_hours`` of receipt when no day was given) ÷ orders
  received, cancelled ones left out.
* ``bakery_order_completion`` 订单完成率: orders received in the period and completed before its end ÷
  orders received, cancelled ones left out.
* ``bakery_satisfaction`` 客户满意度 vs target: follow-up ratings ≥ 4 of 5 ÷ ratings, of orders
  received in the period; columns ``satisfaction``, ``satisfaction_target`` (setting
  ``plugins.bakery.satisfaction_target``, default 0.95) and ``satisfaction_gap`` (satisfaction −
  target; negative = below target).

* ``bakery_order_accuracy`` 订单准确率 (issue 16 item 9): orders whose first intake check passed ÷
  orders checked, of those received in the period (cancelled excluded) — an order corrected with
  ``bakery order edit`` after a failed check counts as not accurate.
* ``bakery_delivery_accuracy`` 配送准确率: orders delivered by the end of the wanted delivery day
  with no tracking exception (delayed, lost, damaged) ÷ orders shipped, of those received in the
  period.

Groups: agent (the order's agent), team, store (the team), day (of receipt); ``category`` groups
everything under ``bakery_order``.
"""

from __future__ import annotations

VERSION = 1


def _grp(by: str) -> str:
    return {"agent": "COALESCE(agent, '(none)')", "team": ":team", "store": ":team", "category": "'bakery_order'",
            "day": "strftime('%Y-%m-%d', received_at + :off, 'unixepoch')"}[by]


def _rows(q) -> dict[str, dict]:
    from asx_bakery import store as bakery_store

    def load():
        st = q.settings or (lambda k: None)
        params = {"off": q.off, "team": q.team,
                  "confirm_s": int(st("plugins.bakery.confirm_within_minutes") or 120) * 60,
                  "ship_s": int(st("plugins.bakery.ship_within_hours") or 24) * 3600}
        return {r["grp"]: r for r in bakery_store.kpi_orders(q.store, q.start_epoch, q.end_epoch, _grp(q.by), params)}

    return q.cached("bakery_orders", load)


def _accuracy_rows(q) -> dict[str, dict]:
    from asx_bakery import store as bakery_store

    def load():
        params = {"off": q.off, "team": q.team}
        return {r["grp"]: r for r in bakery_store.kpi_accuracy(q.store, q.start_epoch, q.end_epoch, _grp(q.by), params)}

    return q.cached("bakery_accuracy", load)


def order_accuracy(q):
    return {g: _ratio(r["first_ok"], r["checked"]) for g, r in _accuracy_rows(q).items()}


def delivery_accuracy(q):
    return {g: _ratio(r["delivered_ok"], r["shipped"]) for g, r in _accuracy_rows(q).items()}


def _ratio(a, b):
    return None if not b else (a or 0) / b


def timeliness(q):
    return {g: _ratio(r["on_time"], r["received"] - (r["cancelled"] or 0)) for g, r in _rows(q).items()}


def completion(q):
    return {g: _ratio(r["completed"], r["received"] - (r["cancelled"] or 0)) for g, r in _rows(q).items()}


def satisfaction(q):
    target = float((q.settings or (lambda k: None))("plugins.bakery.satisfaction_target") or 0.95)
    out = {}
    for g, r in _rows(q).items():
        s = _ratio(r["satisfied"], r["rated"])
        out[g] = {"satisfaction": s, "satisfaction_ratings": r["rated"] or 0, "satisfaction_target": target,
                  "satisfaction_gap": None if s is None else s - target}
    return out


def register_all(register) -> None:
    register("bakery_order_timeliness", title="Bakery orders processed on time", title_zh="订单处理及时率",
             definition=("orders confirmed within plugins.bakery.confirm_within_minutes of receipt and shipped by "
                         "12:00 of the wanted delivery day (else within plugins.bakery.ship_within_hours) ÷ orders "
                         "received in the period, cancelled excluded (seed 004)"),
             version=VERSION, unit="ratio", compute=timeliness, order=900)
    register("bakery_order_completion", title="Bakery order completion rate", title_zh="订单完成率",
             definition="orders received in the period and completed before its end ÷ orders received, cancelled "
                        "excluded (seed 004)",
             version=VERSION, unit="ratio", compute=completion, order=901)
    register("bakery_satisfaction", title="Customer satisfaction vs target", title_zh="客户满意度（对比目标）",
             definition=("follow-up ratings ≥ 4 of 5 ÷ ratings, orders received in the period; target "
                         "plugins.bakery.satisfaction_target (default 95 %), gap = satisfaction − target (seed 004)"),
             version=VERSION, unit="ratio", compute=satisfaction, order=902,
             columns=("satisfaction", "satisfaction_ratings", "satisfaction_target", "satisfaction_gap"),
             units={"satisfaction_ratings": "count"})
    register("bakery_order_accuracy", title="Bakery order accuracy", title_zh="订单准确率",
             definition=("orders whose first intake check passed ÷ orders checked, received in the period, "
                         "cancelled excluded (seed 004 三(二) 2, 四(二))"),
             version=VERSION, unit="ratio", compute=order_accuracy, order=903)
    register("bakery_delivery_accuracy", title="Bakery delivery accuracy", title_zh="配送准确率",
             definition=("orders delivered by the end of the wanted day with no tracking exception (delayed, lost, "
                         "damaged) ÷ orders shipped, received in the period (seed 004 三(二) 5, 四(二))"),
             version=VERSION, unit="ratio", compute=delivery_accuracy, order=904)
