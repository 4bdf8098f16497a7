"""The flower shop's use cases as plain functions (no click): record a delivery, take a complaint."""

from __future__ import annotations

from datetime import datetime

from asx.api import UserError


def record_delivery(app, order_no: str, *, slot: str, photo: str, note: str | None = None,
                    at: datetime | None = None, by: str | None = None) -> dict:
    """Record that the bouquet of ``order_no`` was handed over, with its photo (the evidence of
    R-CASE-3 when a complaint comes). Returns the record."""
    from asx.api import parse_label, to_epoch
    from asx_example import store

    who = by or app.actor()["name"]
    if not order_no.strip():
        raise UserError("which order? (ORDER)")
    if not photo.strip():
        raise UserError("every bouquet is photographed before it is handed over: --photo FILE")
    slot = parse_label(app, "delivery_slot", slot, what="delivery slot")
    t = at or app.now()
    if t > app.now():
        raise UserError("--at lies in the future")
    with app.store.tx():
        rid = store.add_delivery(app.store, {"order_no": order_no.strip(), "slot": slot, "photo": photo.strip(),
                                             "note": note, "by": who, "at": to_epoch(t)})
    return next(d for d in store.deliveries(app.store, order_no.strip()) if d["id"] == rid)


def complain(app, order_no: str, *, summary: str, category: str = "wilted", buyer: str | None = None,
             channel: str = "chat", at: datetime | None = None, by: str | None = None) -> dict:
    """Open a complaint case for ``order_no`` (R-CASE-1; ``category`` as a code or label). When the
    bouquet's delivery was recorded, the case notes it — within the freshness guarantee
    (``plugins.example.fresh_days``) or not — and ticks ``check_delivery`` when the category's
    checklist has that step (R-CASE-3). Returns the case."""
    from asx.api import act_on_case, categories, from_epoch, get_case, label, open_case, to_epoch
    from asx_example import store

    t = at or app.now()
    case = get_case(app, open_case(app, {"category": category, "order": order_no, "buyer": buyer,
                                         "summary": summary, "channel": channel, "severity": "high"}, at=t, by=by))
    d = store.last_delivery(app.store, order_no)
    if d is None:
        return act_on_case(app, case["id"], "note", at=t, by=by, note="no delivery record for this order")
    days = int(app.config.get("plugins.example.fresh_days"))
    fresh = to_epoch(t) - d["at"] <= days * 86400
    when = from_epoch(d["at"], app.tz).strftime("%Y-%m-%d %H:%M")
    case = act_on_case(app, case["id"], "note", at=t, by=by,
                       note=f"delivered {when} ({label(app, 'delivery_slot', d['slot'], 'zh')}), photo {d['photo']}: "
                            + (f"within the {days}-day freshness guarantee" if fresh
                               else f"after the {days}-day freshness guarantee"))
    if "check_delivery" in {s.step for s in categories(app)[case["category"]].checklist}:
        case = act_on_case(app, case["id"], "check", step="check_delivery", at=t, by=by)
    return case
