"""Sample data of the bakery plugin (`asx init --sample --store bakery`): a month of orders at every
pipeline step, follow-up ratings, customers of each class, perishable complaints with measures."""

from __future__ import annotations

from datetime import timedelta

PRODUCTS = [("生日蛋糕", "8寸", 26800), ("生日蛋糕", "10寸", 36800), ("芒果慕斯", "6寸", 19800),
            ("全麦吐司", "450g", 2800), ("蛋黄酥", "6枚装", 4800), ("月饼礼盒", "8枚装", 16800),
            ("提拉米苏", "4杯装", 9600), ("法式可颂", "4个装", 3600)]
CUSTOMERS = ["王女士", "李先生", "陈小姐", "张阿姨", "刘先生", "赵女士", "孙小姐", "周先生", "吴女士", "郑先生",
             "冯小姐", "何女士"]
ADDRESSES = ["上海市浦东新区世纪大道100号", "上海市徐汇区漕溪北路88号3栋502室", "上海市静安区南京西路1266号",
             "上海市闵行区七宝镇新镇路79号", "上海市杨浦区国定路335号"]


#: regular customers keep their phone number (the customer classes are keyed by it)
REGULARS = {"王女士": "13800138001", "李先生": "13900139002"}


def sample_bakery(app, sample):
    if sample.store_kind != "bakery":
        return None
    from asx.api import act_on_case, list_agents, open_case
    from asx_bakery import orders

    rng = sample.rng
    agents = [a["name"] for a in list_agents(app) if a["role"] == "agent"] or ["萌萌"]
    now = sample.now.replace(microsecond=0)
    n = 0
    plans = []
    for i in range(60):
        # 王女士 orders every few days (long-term), 李先生 orders for the company (important)
        cust = "王女士" if i % 9 == 0 else "李先生" if i % 17 == 0 else rng.choice(CUSTOMERS[2:])
        at = sample.start + timedelta(days=rng.random() * 29.5)
        at = at.replace(hour=rng.randint(9, 20), minute=rng.randint(0, 59), second=0, microsecond=0)
        if at > now - timedelta(hours=1):
            at = now - timedelta(hours=rng.randint(2, 20))
        plans.append((at, cust))
    plans.sort()
    corrected: list[str] = []
    for i, (at, cust) in enumerate(plans):
        prod, spec, price = rng.choice(PRODUCTS)
        qty = 20 if cust == "李先生" else rng.choice([1, 1, 1, 2])
        agent = rng.choice(agents)
        good = rng.random() > 0.12
        no = f"BK{at:%m%d}{i:03d}"
        phone = f"1{rng.choice('3589')}{rng.randint(0, 10**9 - 1):09d}" if good or rng.random() < 0.5 else None
        if phone and cust in REGULARS:
            phone = REGULARS[cust]  # the same customer, the same phone: classes are keyed by phone
        orders.add_order(app, {"order_no": no, "customer": cust, "phone": phone,
                               "address": rng.choice(ADDRESSES) if good else rng.choice(["上海", ""]),
                               "items": [{"product": prod, "spec": spec if good else "", "qty": qty}],
                               "amount_fen": price * qty, "deliver_on": (at + timedelta(days=1)).date().isoformat(),
                               "agent": agent}, at=at, by=agent)
        n += 1
        t = at
        age_h = (now - at).total_seconds() / 3600

        def step(action, minutes, **kw):
            nonlocal t
            nt = t + timedelta(minutes=minutes)
            if nt > now:
                return False
            t = nt
            return orders.act(app, no, action, at=t, by=agent, **kw)

        res = step("check", rng.choice([3, 5, 10, 30]))
        if res and res["problems"] and not corrected and age_h > 30:
            # the customer is asked and the order corrected (asx bakery order edit): checked again
            orders.edit(app, no, {"phone": REGULARS["王女士"][:3] + "0000" + no[-4:].rjust(4, "0"),
                                  "address": ADDRESSES[0], "items": [{"product": prod, "spec": spec, "qty": qty}]},
                        at=t + timedelta(minutes=20), by=agent, note="客户来电补全规格、地址和电话")
            corrected.append(no)
            continue
        if not res or res["problems"]:
            continue  # stays received: the customer is asked to correct it
        if not step("confirm", rng.choice([5, 15, 40, 150])) or not step("produce", rng.randint(30, 240)):
            continue
        if not step("ship", rng.randint(120, 900), waybill=f"SF{rng.randint(10**11, 10**12 - 1)}", courier="顺丰"):
            continue
        if rng.random() < 0.1:
            step("track", rng.randint(60, 240), state="delayed", note="快递延误，已联系快递并告知客户")
        if age_h < 30 or not step("track", rng.randint(120, 600), state="delivered"):
            continue
        if not step("complete", rng.randint(30, 300)):
            continue
        if rng.random() < 0.8:
            score = rng.choices([5, 4, 3, 2], [70, 22, 6, 2])[0]
            step("follow_up", rng.randint(600, 2000), satisfaction=score, note="回访：口味满意" if score >= 4 else "回访：有意见")
    # perishable complaints with measures (one done, one overdue, one open)
    sup = [a["name"] for a in list_agents(app) if a["role"] in ("supervisor", "specialist")]
    owner = sup[0] if sup else agents[0]
    made = 0
    for k, (summary, measure, due_h, done) in enumerate([
            ("芒果慕斯收到时已有酸味，疑似变质", "同批次留样送检，给客户退款并补送新品", 24, True),
            ("月饼礼盒内一枚发霉", "质检部排查包装密封，48小时内给出原因", 48, False),
            ("生日蛋糕奶油化了，冷链不达标", "与快递核实冷链温度记录，改用冰袋加量包装", 72, False)]):
        opened = now - timedelta(days=3 - k, hours=2)
        cid = open_case(app, {"category": "perishable", "channel": "phone", "agent": agents[k % len(agents)],
                              "severity": "high", "order": f"BK-C{k + 1}", "buyer": CUSTOMERS[k + 2],
                              "summary": summary}, at=opened, by=agents[k % len(agents)])
        act_on_case(app, cid, "respond", at=opened + timedelta(minutes=4), by=agents[k % len(agents)],
                    note="已致歉，请客户拍照并保留产品")
        for j, step_ in enumerate(("apologise", "record", "photo_evidence")):
            act_on_case(app, cid, "check", step=step_, at=opened + timedelta(minutes=5 + j), by=agents[k % len(agents)])
        mid = orders.add_measure(app, cid, measure=measure, owner=owner, due=opened + timedelta(hours=due_h),
                                 at=opened + timedelta(minutes=30), by=agents[k % len(agents)])
        if done:
            orders.finish_measure(app, mid, result="已退款并补送，客户认可", at=opened + timedelta(hours=6),
                                  by=owner)
            # handled to the end: every step, refunded, then summarised (seed 004 三(三) 8)
            from asx.api import categories

            for j, s_ in enumerate(categories(app)["perishable"].checklist[3:]):
                act_on_case(app, cid, "check", step=s_.step, at=opened + timedelta(hours=6, minutes=1 + j),
                            by=agents[k % len(agents)])
            act_on_case(app, cid, "resolve", at=opened + timedelta(hours=7), by=agents[k % len(agents)],
                        resolution="refund_only", party="supplier", amount_fen=8800, note="退款并补送新品")
        made += 1
    return f"{n} bakery orders ({len(corrected)} corrected), {made} perishable complaints with measures"
