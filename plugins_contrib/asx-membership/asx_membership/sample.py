"""Sample data of the membership plugin for `asx init --sample --store membership`: members of three
tiers with products (some out of warranty), and a month of member cases — accepted and closed,
resolved awaiting the member's acceptance, an out-of-warranty repair quote, open ones with tier
targets (some overdue) — and last month's closed cases archived."""

from __future__ import annotations

from datetime import timedelta

MEMBERS = [("M0001", "会员_王芳", "王芳", "gold"), ("M0002", "会员_李娜", "李娜", "gold"),
           ("M0003", "会员_张伟", "张伟", "silver"), ("M0004", "会员_刘洋", "刘洋", "silver"),
           ("M0005", "会员_陈静", "陈静", "regular"), ("M0006", "会员_杨磊", "杨磊", "regular"),
           ("M0007", "会员_赵敏", "赵敏", "regular"), ("M0008", "会员_黄婷", "黄婷", "silver")]
PRODUCTS = ["扫地机器人 X5", "空气净化器 A3", "破壁料理机 B2", "智能门锁 L7", "电动牙刷 T1"]
SUMMARIES = {
    "usage": "不会设置定时清扫", "return_exchange": "收到颜色不对，要求换货", "repair_in_warranty": "开机后不出风",
    "repair_out_of_warranty": "电机异响，已过保", "member_complaint": "上次维修后客服没有回访", "quality": "滤网边框开裂",
    "inquiry": "滤网多久更换一次",
}
PLAN = ["repair_in_warranty", "usage", "quality", "inquiry", "return_exchange", "member_complaint",
        "repair_out_of_warranty", "repair_in_warranty", "usage", "inquiry", "quality", "member_complaint",
        "usage", "repair_out_of_warranty"]


def sample_members(app, sample):
    if sample.store_kind != "membership":
        return None
    from asx.api import act_on_case, list_agents, open_case, to_epoch
    from asx_membership import members, store as member_store

    rng = sample.rng
    agents = [a["name"] for a in list_agents(app) if a["role"] == "agent"] or ["李主管"]
    now = sample.now.replace(microsecond=0)
    today = now.date()
    with app.store.tx():
        for i, (mid, buyer, name, tier) in enumerate(MEMBERS):
            joined = today - timedelta(days=200 + 97 * i)
            member_store.add_member(app.store, {"member_id": mid, "buyer": buyer, "name": name, "tier": tier,
                                      "joined_on": joined.isoformat(), "created_at": to_epoch(sample.start),
                                      "created_by": "李主管"})
            member_store.set_tier(app.store, mid, tier, at=to_epoch(sample.start.replace(
                year=joined.year, month=joined.month, day=joined.day)), by="李主管", reason="joined", from_tier=None)
            for k in range(2):
                bought = today - timedelta(days=rng.randrange(60, 800))
                member_store.add_product(app.store, {"member_id": mid, "product": PRODUCTS[(i + k) % len(PRODUCTS)],
                                           "serial": f"SN{mid[1:]}{k}{rng.randrange(1000, 9999)}",
                                           "purchased_on": bought.isoformat(),
                                           "warranty_until": (bought + timedelta(days=364)).isoformat()})
        member_store.set_tier(app.store, "M0004", "gold", at=to_epoch(sample.start + timedelta(days=3)), by="李主管",
                    reason="年消费满 5000 元", from_tier="silver")
        n = {"cases": 0, "closed": 0, "awaiting acceptance": 0, "open": 0}
        for j, cat in enumerate(PLAN):
            mid, buyer, _, _ = MEMBERS[j % len(MEMBERS)]
            agent = rng.choice(agents)
            old = j < 9
            opened = (now - timedelta(days=rng.randrange(9, 28), hours=rng.randrange(0, 6)) if old
                      else now - timedelta(hours=rng.choice([1, 2, 4, 26])))
            opened = opened.replace(hour=rng.randint(9, 20)) if old else opened
            cid = open_case(app, {"category": cat, "severity": "normal", "channel": rng.choice(
                ["phone", "chat", "email"]), "buyer": buyer, "summary": SUMMARIES[cat], "agent": agent,
                "order": str(rng.randint(10**17, 4 * 10**18))}, at=opened, by=agent)
            n["cases"] += 1
            t = opened + timedelta(minutes=rng.choice([20, 40, 90]))
            if t > now:
                n["open"] += 1
                continue
            act_on_case(app, cid, "respond", at=t, by=agent, note="您好，已记录您的问题", solution=True)
            t += timedelta(minutes=rng.choice([30, 60, 150]))
            if t > now:
                n["open"] += 1
                continue
            act_on_case(app, cid, "start", at=t, by=agent, note="已安排处理", meets=["start"])
            if not old:
                n["open"] += 1
                continue
            if cat == "repair_out_of_warranty":
                prod = member_store.products(app.store, mid)[0]
                member_store.add_quote(app.store, {"case_id": cid, "product_id": prod["id"], "amount_fen": 18000,
                                         "note": "更换电机，含工时", "at": to_epoch(t), "by": agent})
                act_on_case(app, cid, "check", at=t, by=agent, step="quote_given")
                act_on_case(app, cid, "check", at=t, by=agent, step="quote_accepted")
            if cat in ("repair_in_warranty",):
                act_on_case(app, cid, "check", at=t, by=agent, step="warranty_checked")
            if cat in ("return_exchange", "quality"):
                act_on_case(app, cid, "check", at=t, by=agent, step="photo_evidence")
            if cat == "quality":  # R-CASE-3: apologise first (a required step of the core checklist)
                act_on_case(app, cid, "check", at=t, by=agent, step="apologise")
            res = {"repair_in_warranty": ("repair", "supplier"), "repair_out_of_warranty": ("repair", "buyer"),
                   "return_exchange": ("exchange", "supplier"), "quality": ("exchange", "supplier"),
                   "member_complaint": ("explained", "us")}.get(cat, ("explained", "unknown"))
            t += timedelta(hours=rng.choice([3, 10, 30]))
            act_on_case(app, cid, "resolve", at=t, by=agent, resolution=res[0], party=res[1])
            act_on_case(app, cid, "respond", at=t + timedelta(minutes=40), by=agent, note="已反馈处理结果")
            if j % 4 == 3:
                n["awaiting acceptance"] += 1
                continue
            t += timedelta(hours=5)
            act_on_case(app, cid, "accept", at=t, by=agent, note="会员确认满意", data={"member_id": mid})
            act_on_case(app, cid, "rate", at=t, by=agent, score=rng.choice([4, 5, 5, 3]))
            act_on_case(app, cid, "close", at=t + timedelta(minutes=5), by=agent)
            n["closed"] += 1
        old_closed = [r["id"] for r in members.archivable(app, to_epoch(now - timedelta(days=10)))]
        member_store.archive(app.store, old_closed, at=to_epoch(now), by="李主管")
    return (f"{len(MEMBERS)} members, {n['cases']} member cases ({n['closed']} closed, "
            f"{n['awaiting acceptance']} awaiting acceptance, {n['open']} open), {len(old_closed)} archived")
