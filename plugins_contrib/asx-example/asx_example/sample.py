"""Sample data of the flower shop (`asx init --sample --store example`): a week of deliveries with
their photos and two complaints, one within the freshness guarantee."""

from __future__ import annotations

from datetime import timedelta

SLOTS = {"morning": 10, "afternoon": 15, "evening": 19}


def sample_shop(app, sample):
    if sample.store_kind != "example":
        return None
    from asx.api import list_agents
    from asx_example import shop

    agents = [a["name"] for a in list_agents(app, role="agent")] or [list_agents(app)[0]["name"]]
    now = sample.now.replace(second=0, microsecond=0)
    orders = []
    for i in range(12):
        slot = sample.rng.choice(list(SLOTS))
        at = (now - timedelta(days=7 - i // 2)).replace(hour=SLOTS[slot], minute=sample.rng.randrange(60))
        if at > now:
            continue
        order_no = f"FL{at:%m%d}{i:02d}"
        shop.record_delivery(app, order_no, slot=slot, photo=f"IMG_{4000 + i}.jpg", at=at,
                             by=sample.rng.choice(agents))
        orders.append((order_no, at))
    (late_order, late_at), (fresh_order, fresh_at) = orders[0], orders[-1]
    shop.complain(app, fresh_order, summary="玫瑰收到第二天就蔫了", category="wilted", buyer="花友小林",
                  at=min(now, fresh_at + timedelta(hours=20)), by=agents[0])
    shop.complain(app, late_order, summary="百合花束颜色和订单不一样", category="花束不符", buyer="花友阿珍",
                  at=late_at + timedelta(days=1), by=agents[-1])
    return f"{len(orders)} deliveries, 2 complaints"
