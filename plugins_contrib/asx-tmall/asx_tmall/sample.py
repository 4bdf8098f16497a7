"""Sample data of the Tmall plugin: orders (some unpaid today) and flags, for `asx init --sample --store tmall`."""

from __future__ import annotations

import json
from datetime import timedelta

TITLES = ["纯棉四件套 1.8m", "记忆棉枕头", "蚕丝被 200x230", "乳胶床垫 1.5m", "珊瑚绒毯子", "羽绒枕芯一对"]


def sample_orders(app, sample):
    if sample.store_kind != "tmall":
        return None
    from asx.timeutil import to_epoch
    from asx_tmall import store as tstore

    rng = sample.rng
    rows = []
    base = 3_900_000_000_000_000_000
    agents = [n for n in getattr(sample, "team", []) if n in ("萌萌", "小雨", "阿杰", "晓琳")] or ["萌萌"]
    today = sample.now.replace(hour=0, minute=0, second=0, microsecond=0)
    for i in range(80):
        created = sample.start + timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
        status = rng.choice(["success"] * 6 + ["shipped"] * 2 + ["paid", "closed"])
        if i < 6:  # today's unpaid orders: the 16:00 reminder list
            created = today + timedelta(hours=8 + i, minutes=rng.randrange(60))
            status = "unpaid"
        paid = rng.choice([8900, 12900, 19900, 45900, 89900])
        rows.append({"order_no": str(base + rng.randrange(10**15)), "store": app.config.get("store.name"),
                     "buyer": f"tb{rng.randrange(10**6, 10**7)}_{rng.choice('abcdefgh')}",
                     "paid_fen": None if status == "unpaid" else paid, "status": status,
                     "created_at": to_epoch(created), "paid_at": None if status == "unpaid" else to_epoch(created) + 120,
                     "data": json.dumps({"title": rng.choice(TITLES)}, ensure_ascii=False)})
    with app.store.tx():
        tstore.upsert_orders(app.store, rows)
        for r in rows[6:10]:
            agent = rng.choice(agents)
            tstore.add_flag(app.store, order_no=r["order_no"], color="red", note=f"发邮政快递 _ {agent}", agent=agent,
                            at=r["created_at"] + 600)
        agent = rng.choice(agents)
        tstore.add_flag(app.store, order_no=rows[0]["order_no"], color="blue", note=f"付款提醒 _ {agent}",
                        agent=agent, at=to_epoch(today) + 1)
    return f"{len(rows)} orders, 5 flags"
