"""Sample cases for ``asx init --sample`` (order 30): a month of a Tmall shop's after-sales work.

About 300 cases over the month before ``sample.now`` in every category and state: answered and
late first responses, waits, escalations, money resolutions (ledger entries), closes, ratings,
some reopened, some merged duplicates, and today's open ones — some overdue. Deterministic from
``sample.rng``; written in one transaction.
"""

from __future__ import annotations

from datetime import timedelta

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
NICKS = ["小鱼儿", "爱吃猫的鱼", "星星点灯", "tb_阳光", "快乐的小熊", "蓝色天空", "宝贝妈咪", "木子李", "风中的叶子",
         "甜甜圈", "jerry_wang", "小确幸", "晴天娃娃", "柠檬不酸", "海边的风"]
SUMMARIES = {
    "not_as_described": ["颜色和图片差别很大", "尺码偏小，和详情页不符", "材质摸起来不像描述的纯棉"],
    "service": ["客服回复太慢，态度敷衍", "问了三次都没人回答", "客服说话不客气"],
    "missing_item": ["少发了一件赠品", "订单两件只收到一件", "配件缺失，少了充电线"],
    "late_delivery": ["下单五天还没发货", "物流三天没有更新", "说好次日达，现在还没到"],
    "transit_damage": ["外箱压坏，杯子碎了", "收到时包装破损，商品有划痕", "液体漏出来了"],
    "quality": ["用了两天就坏了", "拉链开线", "开机就黑屏"],
    "inquiry": ["请问什么时候发货", "这款有没有大一码", "能开发票吗"],
    "other": ["想修改收货地址", "要求备注送礼", "咨询会员积分"],
}
WEIGHTS = {"inquiry": 22, "late_delivery": 16, "quality": 14, "not_as_described": 12, "missing_item": 11,
           "transit_damage": 10, "service": 8, "other": 7}
RESOLUTIONS = {
    "not_as_described": [("return_refund", "buyer", 8900), ("exchange", "supplier", None), ("explained", "buyer", None)],
    "service": [("coupon", "us", 1000), ("explained", "us", None)],
    "missing_item": [("reship", "warehouse", None), ("reship", "us", None), ("coupon", "us", 500)],
    "late_delivery": [("explained", "courier", None), ("cash_compensation", "courier", 500)],
    "transit_damage": [("reship", "courier", None), ("cash_compensation", "courier", 2000),
                       ("refund_only", "courier", 3900)],
    "quality": [("exchange", "supplier", None), ("return_refund", "supplier", 12900), ("repair", "supplier", None)],
    "inquiry": [("explained", "unknown", None)],
    "other": [("explained", "buyer", None), ("rejected", "buyer", None)],
}


def sample_cases(app, sample) -> None:
    from asx.cases import service
    from asx.store import agents as agents_store
    from asx.core.timeutil import from_epoch

    rng = sample.rng
    team = list(agents_store.list_agents(app.store))
    agents = [a["name"] for a in team if a["role"] == "agent"]
    specialists = [a["name"] for a in team if a["role"] == "specialist"]
    sup = next((a["name"] for a in team if a["role"] == "supervisor"), None)
    if not agents:
        return
    now = sample.now
    cats = list(WEIGHTS)
    weights = [WEIGHTS[c] for c in cats]
    plans = []
    for i in range(300):
        age_days = rng.random() * 1.5 if rng.random() < 0.15 else rng.random() * 30
        opened = now - timedelta(days=age_days)
        # most buyers write during service hours
        if opened.hour < 8 or opened.hour >= 23:
            opened = opened.replace(hour=rng.randint(9, 21))
            if opened > now:
                opened -= timedelta(days=1)
        plans.append(opened.replace(microsecond=0))
    plans.sort()
    live: list[int] = []
    stats = {"cases": 0}
    with app.store.tx():
        for opened in plans:
            cat = rng.choices(cats, weights)[0]
            agent = rng.choice(agents)
            sev = rng.choices(["low", "normal", "high", "urgent"], [15, 60, 18, 7])[0]
            channel = rng.choices(["wangwang", "chat", "phone", "email", "platform"], [60, 10, 15, 8, 7])[0]
            data = {"category": cat, "severity": sev, "channel": channel, "agent": agent,
                    "order": str(rng.randint(10**17, 4 * 10**18)),
                    "buyer": rng.choice(NICKS) + str(rng.randint(1, 999)),
                    "phone": f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
                    "summary": rng.choice(SUMMARIES[cat])}
            if cat == "service":  # R-KPI-4: the buyer complains about the agent who is serving them
                data["about"] = agent
            cid = service.open_case(app, data, at=opened, by=agent)
            stats["cases"] += 1
            _life(app, service, rng, cid, cat, agent, opened, now, specialists, sup, live)
        # duplicates registered twice for the same order: merged into the live case
        from asx.store import cases as case_store

        merged = 0
        for into in live:
            orig = case_store.get(app.store, into)
            if merged >= 4 or orig["status"] not in ("new", "open"):
                continue
            t = max(sample.now - timedelta(hours=2), from_epoch(orig["updated_at"], app.tz))
            if t + timedelta(minutes=6) > sample.now:
                continue
            dup = service.open_case(app, {"category": orig["category"], "severity": orig["severity"],
                                          "channel": "phone", "order": orig["order_no"], "buyer": orig["buyer"],
                                          "phone": orig["buyer_contact"], "summary": "买家来电重复反映同一问题",
                                          "agent": orig["agent"]}, at=t, by=orig["agent"])
            service.act(app, dup, "merge", at=t + timedelta(minutes=5), by=orig["agent"], into=into,
                        note="同一订单重复登记")
            merged += 1
            stats["cases"] += 1
        stats["cases"] += _showcase(app, service, sample, agents, sup)
    sample.notes.setdefault("summary", {})["cases"] = stats["cases"]


def _showcase(app, service, sample, agents, sup) -> int:
    """Issue 16's rules, one case each (written last, so their times follow the month's cases):

    * a phone complaint answered within the hour and given a solution within 2 h (R-SLA-2);
    * a service complaint about one agent handled by another: the fines ladder counts it against the
      agent who served the buyer (R-KPI-4, ``about`` defaulting from the earlier case of the order);
    * a promise past its target, with its reason (R-SLA-5): listed in ``asx today``.
    Their ids are in ``sample.notes["rules"]``."""
    from asx.store import cases as case_store

    if len(agents) < 2:
        return 0
    now = sample.now
    first, second = agents[0], agents[1]
    notes = sample.notes.setdefault("rules", {})

    def at(hours_ago: float, plus_minutes: int = 0):
        return (now - timedelta(hours=hours_ago) + timedelta(minutes=plus_minutes)).replace(microsecond=0)

    def resolve_ticked(cid, t, by, res, party, note):
        _tick_required(app, cid, case_store.get(app.store, cid)["category"], res, party,
                       lambda action, **kw: service.act(app, cid, action, at=t, by=by, **kw))
        service.act(app, cid, "resolve", at=t, by=by, resolution=res, party=party, note=note)

    # R-SLA-2: a phone complaint about a quality problem, answered in 20 min, solution in 70 min
    cid = service.open_case(app, {"category": "quality", "channel": "phone", "agent": second,
                                  "order": "4100000000000000016", "buyer": "电话投诉的买家",
                                  "summary": "电话投诉：收到的水杯有裂纹"}, at=at(5), by=second)
    service.act(app, cid, "respond", at=at(5, 20), by=second, note="已致歉，请买家拍照")
    service.act(app, cid, "respond", at=at(5, 70), by=second, solution=True, note="方案：补发新杯")
    notes["phone_complaint"] = cid
    # R-KPI-4: `first` served the order; the buyer's service complaint is handled by `second`
    order = "4100000000000000017"
    served = service.open_case(app, {"category": "inquiry", "channel": "wangwang", "agent": first, "order": order,
                                     "buyer": "被怠慢的买家", "summary": "询问发货时间"}, at=at(30), by=first)
    service.act(app, served, "respond", at=at(30, 2), by=first, note="已回复")
    resolve_ticked(served, at(30, 5), first, "explained", "unknown", "已说明发货时间")
    cid = service.open_case(app, {"category": "service", "channel": "wangwang", "agent": second, "order": order,
                                  "buyer": "被怠慢的买家", "summary": "上次客服回复敷衍"}, at=at(4), by=second)
    service.act(app, cid, "respond", at=at(4, 2), by=second, note="非常抱歉，我来为您处理")
    resolve_ticked(cid, at(4, 40), second, "coupon", "us", "致歉并送优惠券")
    notes["complaint_about"] = {"case": cid, "about": first, "handled_by": second}
    # R-SLA-5: a promise past the target, with its reason
    cid = service.open_case(app, {"category": "quality", "channel": "email", "agent": first,
                                  "order": "4100000000000000018", "buyer": "等检测结果的买家",
                                  "summary": "邮件投诉：电器使用一周后无法开机"}, at=at(3), by=first)
    service.act(app, cid, "promise", at=at(3, 30), by=first, until=at(-24 * 6),
                note="检测结果出来后第一时间答复", reason="需厂家检测，约一周")
    notes["promise_past_target"] = cid
    return 4


def _life(app, service, rng, cid, cat, agent, opened, now, specialists, sup, live) -> None:
    """Walk one case through a plausible history up to ``now``."""
    age = (now - opened).total_seconds() / 3600  # hours
    t = opened

    def step(minutes):
        nonlocal t
        nt = t + timedelta(minutes=minutes)
        if nt >= now:
            return False
        t = nt
        return True

    def do(action, **kw):
        service.act(app, cid, action, at=t, by=kw.pop("by", agent), **kw)

    # today's fresh cases: some untouched (overdue first response), some answered
    if age < 3 and rng.random() < 0.5:
        return
    if not step(rng.choice([1, 2, 2, 3, 5, 8, 15, 40])):
        return
    do("respond", note="您好，非常抱歉给您带来不便，我马上为您核实")
    if cat in ("missing_item", "late_delivery", "transit_damage", "quality") and rng.random() < 0.4:
        if step(rng.randint(5, 60)):
            do("wait", on=rng.choice(["buyer", "courier", "warehouse"]), note="等待对方回复/核实")
            if age < 30 and rng.random() < 0.6:
                return  # still waiting: the clock is paused
            if step(rng.randint(60, 60 * 30)):
                do("resume", note="已收到回复")
            else:
                return
    # duplicates of live cases get merged (R-CASE: one live case)
    if live and rng.random() < 0.04:
        into = rng.choice(live)
        from asx.store import cases as case_store

        if case_store.get(app.store, into)["status"] not in ("closed", "merged", "resolved") and step(3):
            do("merge", into=into, note="同一订单重复登记")
            return
    if cat in ("quality", "transit_damage", "service") and specialists and rng.random() < 0.5 and step(20):
        sp = rng.choice(specialists)
        do("escalate", to=sp, note="需要专员跟进")
        if step(rng.randint(30, 600)):
            do("handback", by=sp, note="已查明原因，按方案处理")
    if sup and rng.random() < 0.04 and step(15):
        others = [a for a in _agents(app) if a != agent]
        if others:
            do("assign", by=sup, to=rng.choice(others), reason="原客服轮休，主管重新分配")
    if age < 20 and rng.random() < 0.5:
        live.append(cid)
        if rng.random() < 0.3 and step(10):
            until = t + timedelta(hours=rng.choice([2, 4, 24]))
            do("promise", until=until, note="承诺时间内回复", reason=_late_reason(app, service, cid, t, until))
        return
    if cat in ("transit_damage", "quality"):
        if step(rng.randint(10, 240)):
            do("check", step="photo_evidence")
        else:
            return
    if cat == "missing_item" and step(5):
        do("check", step="check_order")
    res, party, amount = rng.choice(RESOLUTIONS[cat])
    if not step(rng.choice([30, 90, 240, 600, 1500, 3000])):
        live.append(cid)
        return
    note = "已向买家说明原因并提供替代方案" if res == "rejected" else "已与买家协商一致"
    _tick_required(app, cid, cat, res, party, do)  # R-CASE-3: the required steps before resolving
    do("resolve", resolution=res, party=party, amount_fen=amount, note=note)
    if step(rng.choice([10, 30, 50, 90])):
        do("respond", note="跟进：问题已解决，请确认")
    if rng.random() < 0.7 and step(rng.randint(60, 2880)):
        do("rate", score=rng.choices([5, 4, 3, 2, 1], [55, 25, 10, 6, 4])[0])
    if rng.random() < 0.08 and step(rng.randint(60, 4000)):
        do("reopen", note="买家反馈问题仍未解决")
        if not step(rng.randint(10, 120)):
            return
        do("respond", note="重新跟进")
        if not step(rng.randint(60, 1000)):
            return
        do("resolve", resolution="explained", party=party, note="再次处理完成")
        if step(30):
            do("respond", note="跟进：再次确认已解决")
    if step(rng.randint(60 * 24, 60 * 24 * 7)):
        do("close", note="买家确认收货/已确认")


def _late_reason(app, service, cid, t, until) -> str | None:
    """R-SLA-5: the reason a promise past its target needs (None when the promise is within it)."""
    from asx.cases.sla import late_promise
    from asx.core.timeutil import to_epoch
    from asx.store import cases as case_store

    case = case_store.get(app.store, cid)
    if late_promise(case, service.sla_state(app, case, now=to_epoch(t)), to_epoch(until)):
        return "需仓库核实库存，已告知买家具体回复时间"
    return None


def _tick_required(app, cid, cat, res, party, do) -> None:
    from asx.cases.model import missing_steps
    from asx.store import cases as case_store

    for s in missing_steps(app.plugins, cat, case_store.checks(app.store, cid), res, party):
        do("check", step=s.step)


def _agents(app) -> list[str]:
    from asx.store import agents as agents_store

    return [a["name"] for a in agents_store.list_agents(app.store, role="agent")]
