"""Sample data of the Tmall plugin: orders (some unpaid today) and flags, for `asx init --sample --store tmall`."""

from __future__ import annotations

import json
from datetime import timedelta

TITLES = ["纯棉四件套 1.8m", "记忆棉枕头", "蚕丝被 200x230", "乳胶床垫 1.5m", "珊瑚绒毯子", "羽绒枕芯一对"]


def sample_orders(app, sample):
    if sample.store_kind != "tmall":
        return None
    from asx.api import to_epoch, upsert_orders
    from asx_tmall import store as tmall_store

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
        upsert_orders(app, rows)
        for r in rows[6:10]:
            agent = rng.choice(agents)
            tmall_store.add_flag(app.store, order_no=r["order_no"], color="red", note=f"发邮政快递 _ {agent}", agent=agent,
                            at=r["created_at"] + 600)
        agent = rng.choice(agents)
        tmall_store.add_flag(app.store, order_no=rows[0]["order_no"], color="blue", note=f"付款提醒 _ {agent}",
                        agent=agent, at=to_epoch(today) + 1)
    return f"{len(rows)} orders, 5 flags"


# --- roster fallback, Tmall cases, 千牛 reviews ------------------------------------------------

DAY, NIGHT = ("D", "08:30-17:30"), ("N", "10:00-14:00,17:30-23:00")  # seed 001 工休管理 (R-ROS-2)


def sample_roster(app, sample):
    """A plain six-on-one-off day/night rotation for the sample month when no roster step wrote
    one (the roster domain's own sample takes precedence), so that the night-shift target shows."""
    if sample.store_kind != "tmall":
        return None
    from datetime import timedelta

    from asx.api import list_agents, roster_days, write_roster_days

    first = sample.start.date()
    last = (sample.now + timedelta(days=7)).date()
    if roster_days(app, first.isoformat(), last.isoformat()):
        return "roster exists (kept)"
    names = [a["name"] for a in list_agents(app) if a["role"] == "agent"]
    rows = []
    d = first
    while d <= last:
        week = d.isocalendar()[1]
        for i, name in enumerate(names):
            rest = d.weekday() == 1 + i % 6                       # one rest day a week, never Monday (R-ROS-8)
            shift, segs = NIGHT if (i + week) % 3 == 0 else DAY   # switches only at the weekend (R-ROS-4)
            rows.append({"day": d.isoformat(), "agent": name, "shift": None if rest else shift,
                         "mark": "rest" if rest else "work", "segments": None if rest else segs,
                         "published": 1, "source": "manual", "updated_at": 0})
        d += timedelta(days=1)
    write_roster_days(app, rows)
    return f"{len(rows)} roster days (day/night rotation)"


QIANNIU_SAMPLE = """评价管理导出,{day}
评价时间,买家昵称,订单号,子订单号,评价结果,评价内容,追加评论,宝贝标题,宝贝链接,商家回复
{t1},t**小鹿,="3901888800000001",="3901888800000002",差评,枕头有股怪味，怀疑是假货，要去12315投诉,,记忆棉枕头,https://detail.tmall.com/item.htm?id=612345678901,
{t2},q**阿福,="3901888800000003",,中评,四件套颜色和图片有色差,洗了一次有点起球,纯棉四件套 1.8m,https://detail.tmall.com/item.htm?id=612345678902,亲，已为您登记
{t3},m**开心,="3901888800000004",,好评,很好,,珊瑚绒毯子,https://detail.tmall.com/item.htm?id=612345678903,
"""


def sample_cases(app, sample):
    """Tmall cases on the night shift (1-minute target), a 少发 case worked through the Tmall
    checklist (拆单 waybills, reship by the order clerk, coupon), a 客服介入 dispute, and the 千牛
    review export imported."""
    if sample.store_kind != "tmall":
        return None
    from datetime import timedelta

    from asx.api import act_on_case as act, import_reviews, list_agents, on_duty, open_case

    now = sample.now.replace(second=0, microsecond=0)
    yday = (now - timedelta(days=1)).replace(hour=19, minute=0)
    night = [a for a, s in on_duty(app.store, yday).on.items() if s == "N"]
    clerks = [a["name"] for a in list_agents(app) if a["role"] == "order_clerk"]
    agents = [a["name"] for a in list_agents(app) if a["role"] == "agent"]
    if not agents:
        return "no agents"
    n = 0
    if night:
        who = night[0]
        ok = open_case(app, {"category": "inquiry", "channel": "wangwang", "agent": who,
                             "order": "3901777700000001", "buyer": "tb夜猫子", "summary": "晚上咨询发货时间"},
                       at=yday, by=who)
        act(app, ok, "respond", at=yday + timedelta(seconds=40), by=who, note="亲，今天17:00前付款当天发")
        late = open_case(app, {"category": "inquiry", "channel": "wangwang", "agent": who,
                               "order": "3901777700000002", "buyer": "tb晚风", "summary": "晚班咨询尺码"},
                         at=yday + timedelta(minutes=30), by=who)
        act(app, late, "respond", at=yday + timedelta(minutes=33), by=who, note="亲，1.8m床用200x230")
        n += 2
    agent = agents[0]
    t = (now - timedelta(days=2)).replace(hour=11, minute=0)
    mi = open_case(app, {"category": "missing_item", "channel": "wangwang", "agent": agent,
                         "order": "3901777700000003", "buyer": "tb少了一个枕套", "phone": "13900001111",
                         "summary": "四件套少了一个枕套"}, at=t, by=agent)
    steps = ["apologise", "check_chat_log", "check_order", "check_split_waybills", "check_staff_error"]
    for i, step in enumerate(steps):
        act(app, mi, "check", step=step, at=t + timedelta(minutes=2 + i), by=agent)
    act(app, mi, "respond", at=t + timedelta(minutes=8), by=agent, note="亲，是我们漏发了，今天手写面单补发")
    if clerks:
        act(app, mi, "check", step="reship", at=t + timedelta(minutes=40), by=clerks[0])
    act(app, mi, "check", step="coupon", at=t + timedelta(minutes=45), by=agent)
    act(app, mi, "resolve", resolution="reship", party="warehouse", at=t + timedelta(minutes=50), by=agent,
        note="补发枕套并送店铺优惠券")
    pi = open_case(app, {"category": "quality", "channel": "platform", "agent": agent, "severity": "high",
                         "order": "3901777700000004", "buyer": "tb较真", "summary": "买家申请天猫客服介入：质量问题"},
                   at=t + timedelta(hours=1), by=agent)
    act(app, pi, "check", step="apologise", at=t + timedelta(hours=1, minutes=1), by=agent)
    act(app, pi, "check", step="platform_intervention", at=t + timedelta(hours=1, minutes=20), by=agent)
    n += 2
    path = app.root / "samples" / "qianniu_reviews.csv"
    path.parent.mkdir(exist_ok=True)
    fmt = "%Y-%m-%d %H:%M:%S"
    path.write_bytes(QIANNIU_SAMPLE.format(day=now.date(), t1=(now - timedelta(days=1, hours=5)).strftime(fmt),
                                           t2=(now - timedelta(days=3)).strftime(fmt),
                                           t3=(now - timedelta(days=2)).strftime(fmt)).encode("gbk"))
    s = import_reviews(app, path, at=now - timedelta(hours=1), by=agent)
    return f"{n} cases (night shift, 少发, 客服介入), 千牛 reviews {s.get('added', s)}"
