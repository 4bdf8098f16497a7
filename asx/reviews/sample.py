"""Sample month of reviews for ``asx init --sample`` (step 40): ~80 neutral/negative reviews at
every step of the ladder (R-REV-2..6), with compensations in the ledger (R-REV-7, R-FIN-2).
Deterministic from ``sample.rng``; runs through the real service functions."""

from __future__ import annotations

from datetime import datetime, timedelta
from asx.core.timeutil import to_epoch

ITEMS = [("纯棉四件套 1.8m床", "612345678901", 29900), ("乳胶枕 泰国进口", "612345678902", 15900),
         ("蚕丝被 200x230", "612345678903", 89900), ("珊瑚绒毛毯", "612345678904", 6900),
         ("记忆棉床垫 5cm", "612345678905", 45900), ("儿童卡通睡袋", "612345678906", 12900),
         ("羽绒枕 一对装", "612345678907", 19900), ("夏凉席 冰丝三件套", "612345678908", 16800)]

TEXTS_NEUTRAL = ["颜色和图片有点差别，一般吧", "物流太慢了，等了一个星期", "东西还行，就是有点味道",
                 "尺寸偏小，凑合用", "包装简陋，客服回复慢", "洗了一次有点起球，质量一般", "和描述的不太一样"]
TEXTS_NEGATIVE = ["质量太差了，洗一次就破了", "发错颜色，找客服也不理", "收到有破损，申请退款被拒",
                  "怀疑是假货，跟专柜的完全不一样", "味道很大，孩子用了过敏，要投诉", "少发了一个枕套，客服态度差",
                  "做工粗糙，线头很多，不推荐", "用了两天就塌了，骗子店铺"]
NICKS = ["tb_小猫爱吃鱼", "快乐的豆豆88", "lily2019", "晴天娃娃", "风中的麦田", "tb839201", "阿白不白",
         "张小姐的店", "momo妈妈", "追风少年7", "一只柚子", "jackwang", "夏天的风", "王二小", "糖糖不吃糖"]

# stage -> weight by age bucket (young: < 1 day, mid: 1-5 days, old: > 5 days)
STAGES = {
    "young": [("new", 4), ("wangwang", 4), ("sms", 3), ("answered", 1)],
    "mid": [("sms", 2), ("phone", 3), ("answered", 1), ("promised", 3), ("awaiting", 2), ("revised", 3),
            ("refused", 1)],
    "old": [("revised", 10), ("refused", 3), ("promise_passed", 3), ("compensated_revised", 3),
            ("phone", 2), ("awaiting", 1), ("compensated", 1)],
}


def sample_reviews(app, sample) -> None:
    from asx.reviews import ladder, service
    from asx.core.timeutil import to_epoch

    rng = sample.rng
    pol = service.policy(app)
    agents = [n for n in (sample.team or []) if n in ("萌萌", "小雨", "阿杰", "晓琳", "大伟", "思思", "小七")] or \
        [app.acting_name or "sample"]
    now = sample.now
    limit = now - timedelta(minutes=5)
    span = (limit - timedelta(hours=2) - sample.start).total_seconds()
    n_reviews = 80
    stats: dict[str, int] = {}

    def call_time(t: datetime) -> datetime:
        return ladder.next_window_start(t, pol.call_windows) + timedelta(minutes=rng.randint(0, 40))

    with app.store.tx():
        for i in range(n_reviews):
            created = sample.start + timedelta(seconds=int(span * (i + rng.random()) / n_reviews))
            negative = rng.random() < 0.55
            item, iid, price = rng.choice(ITEMS)
            content = rng.choice(TEXTS_NEGATIVE if negative else TEXTS_NEUTRAL)
            tid = str(4200000000000000000 + rng.randint(10**12, 10**13))
            data = {"tid": tid, "oid": str(int(tid) + 1), "created_at": to_epoch(created),
                    "result": "negative" if negative else "neutral", "buyer": rng.choice(NICKS) + str(i % 7),
                    "phone": f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}",
                    "item": item, "item_id": iid, "item_price_fen": price, "content": content}
            agent = rng.choice(agents)
            age = (now - created).total_seconds() / 86400
            bucket = "young" if age < 1 else ("mid" if age < 5 else "old")
            stage = _pick(rng, STAGES[bucket])
            t = min(created + timedelta(minutes=rng.randint(20, 300)), limit)
            rid = service.add(app, data, at=t, by=agent)
            done = _play(app, service, rid, stage, t, agent, limit, call_time, rng)
            stats[done] = stats.get(done, 0) + 1
    sample.notes.setdefault("summary", {})["reviews"] = n_reviews
    sample.notes["reviews"] = stats


def _pick(rng, weighted):
    total = sum(w for _, w in weighted)
    x = rng.uniform(0, total)
    for name, w in weighted:
        x -= w
        if x <= 0:
            return name
    return weighted[-1][0]


def _play(app, service, rid, stage, t, agent, limit, call_time, rng) -> str:
    """Play the contact history up to ``stage``; stops early when the clock reaches now."""
    steps: list[tuple] = []
    if stage == "new":
        return "new"
    ww = t + timedelta(minutes=rng.randint(5, 90))
    steps.append(("contact", ww, "wangwang", "no_answer"))
    sms = ww + timedelta(hours=4, minutes=rng.randint(0, 180))
    if stage in ("sms", "phone", "promised", "promise_passed", "refused", "awaiting", "compensated",
                 "compensated_revised", "revised"):
        steps.append(("contact", sms, "sms", "no_answer"))
    call = call_time(ww + timedelta(hours=48))
    if stage == "answered":
        steps = [("contact", ww, "wangwang", "answered")]
    elif stage == "phone":
        steps.append(("contact", call, "phone", "no_answer"))
    elif stage in ("promised", "promise_passed"):
        days = 1 if stage == "promise_passed" else rng.randint(2, 4)
        steps.append(("promise_call", call, days))
    elif stage == "refused":
        steps.append(("contact", call, "phone", "refused"))
    elif stage in ("awaiting", "compensated", "compensated_revised"):
        steps.append(("contact", call, "phone", "answered"))
        steps.append(("resolve", call + timedelta(minutes=5), "awaiting_compensation"))
        if stage != "awaiting":
            steps.append(("compensate", call + timedelta(minutes=rng.randint(20, 120)),
                          rng.choice([500, 800, 1000, 1500, 2000])))
        if stage == "compensated_revised":
            steps.append(("resolve", call + timedelta(hours=rng.randint(3, 30)), "revised"))
    elif stage == "revised":
        if rng.random() < 0.5:
            steps.append(("resolve", sms + timedelta(hours=rng.randint(2, 20)), "revised"))
        else:
            steps.append(("contact", call, "phone", "promised_then"))
    reached = "wangwang"
    for step in steps:
        when = step[1]
        if when > limit:
            break
        if step[0] == "contact" and step[3] == "promised_then":
            service.contact(app, rid, via="phone", result="answered", at=when, by=agent)
            later = when + timedelta(hours=rng.randint(4, 30))
            if later > limit:
                break
            service.resolve(app, rid, "revised", at=later, by=agent)
            reached = "revised"
        elif step[0] == "contact":
            service.contact(app, rid, via=step[2], result=step[3], at=when, by=agent)
            reached = step[2] if step[3] == "no_answer" else step[3]
        elif step[0] == "promise_call":
            until = service._end_of_day(app, to_epoch(when), step[2] - 1)
            service.contact(app, rid, via="phone", result="promised", at=when, by=agent, promised_until=until)
            reached = "promised"
        elif step[0] == "resolve":
            service.resolve(app, rid, step[2], at=when, by=agent)
            reached = step[2]
        elif step[0] == "compensate":
            service.compensate(app, rid, amount_fen=step[2], at=when, by=agent)
            reached = "compensated"
    return reached
