"""Sample data of the money domain (``asx init --sample``): ledger entries for the month's case
resolutions and review compensations, finance sign-offs (step 50), and an Alipay merchant-ledger
statement of the same month in ``<workspace>/inbox/`` with a few of each audit violation (step 60),
so ``asx audit refunds inbox/*.csv`` shows real findings."""

from __future__ import annotations

from datetime import datetime, timedelta

from asx.money.ledger import normalize_order

CONTENT = {
    "refund": ["退货退款", "仅退款", "退款"],
    "compensation": ["删除中评", "删除差评", "破损补偿", "延迟发货补偿", "少发补偿"],
    "reship_cost": ["补发运费"],
    "price_diff": ["退差价"],
    "shipping": ["补偿运费"],
}
ITEMS = ["羊毛围巾 灰色", "电热水壶 1.7L", "保温杯 500ml", "纯棉四件套", "蓝牙耳机", "不锈钢炒锅", "加湿器", "真丝枕套"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
FORMER_AGENT = "阿强"   # left before the sample month: a note signed by them is a finding


def _epoch(dt: datetime) -> int:
    from asx.core.timeutil import to_epoch

    return to_epoch(dt)


PAYOUT_REASONS = ("refund", "compensation", "price_diff", "shipping")


def is_payout(e: dict) -> bool:
    """An entry paid to the buyer through Alipay (or through an unrecorded channel)."""
    return e["direction"] == "out" and e["reason"] in PAYOUT_REASONS and e["channel"] in (None, "alipay")


def _order(rng) -> str:
    return "3961" + "".join(str(rng.randrange(10)) for _ in range(14))


def sample_ledger(app, sample) -> None:
    """Step 50: entries for money resolutions/compensations (if the cases/reviews steps did not create
    them), a few standalone entries, and sign-offs of most entries older than the sign-off limit."""
    from asx.money import ledger
    from asx.store import agents as agents_store
    from asx.store import ledger as ledger_store

    store, rng = app.store, sample.rng
    now = _epoch(sample.now)
    start = _epoch(sample.start)
    team = [a["name"] for a in agents_store.list_agents(store) if a["role"] in ("agent", "specialist")]
    supervisor = next((a["name"] for a in agents_store.list_agents(store, role="supervisor")), None)
    with store.tx():
        if agents_store.get(store, FORMER_AGENT) is None:
            left = (sample.start - timedelta(days=20)).date().isoformat()
            agents_store.add(store, name=FORMER_AGENT, role="agent", at=start - 400 * 86400, by="sample",
                             display_name="马强", joined_on="2023-05-01")
            agents_store.update(store, FORMER_AGENT, {"active": 0, "left_on": left}, at=start - 20 * 86400,
                                by="sample", effective_on=left, note="离职")
        created = ledger.sync_from_cases_and_reviews(store, by="sample", now=now)
        # enough Alipay payouts for a month even without the cases/reviews samples
        have = sum(1 for e in ledger_store.list_entries(store, since=start, until=now) if is_payout(e))
        for i in range(max(0, 30 - have)):
            reason = rng.choice(["refund", "refund", "compensation", "compensation", "compensation", "price_diff",
                                 "shipping"])
            at = start + rng.randrange(0, now - start - 3600)
            fen = {"refund": rng.randrange(3000, 40000), "compensation": rng.choice([500, 1000, 1500, 2000, 3000]),
                   "price_diff": rng.randrange(500, 5000), "shipping": rng.choice([800, 1000, 1200])}[reason]
            agent = rng.choice(team) if team else None
            created.append(ledger_store.add_entry(store, at=at, amount_fen=fen, reason=reason, agent=agent,
                                        order_no=_order(rng), channel="alipay", ext_key=f"sample:{i}",
                                        created_at=at, created_by="sample"))
        # the payment note each entry will carry (R-FIN-2)
        for e in list(ledger_store.list_entries(store, since=start, until=now)):
            if e["note"] is None and is_payout(e) and e["agent"]:
                note = rng.choice(CONTENT.get(e["reason"], ["补偿"])) + "_" + e["agent"]
                store.execute("UPDATE ledger SET note = ? WHERE id = ?", (note, e["id"]))
        # orders whose paid amount is known (normally from the Tmall order report)
        for e in ledger_store.list_entries(store, since=start, until=now, reason="refund"):
            if e["order_no"]:
                ledger_store.add_order(store, normalize_order(e["order_no"]), e["amount_fen"] + rng.choice([0, 0, 1000, 2500]),
                             status="交易关闭", paid_at=e["at"] - 5 * 86400)
        # finance signs off what is older than the limit, except a few
        limit = now - app.config.get("audit.signoff_days") * 86400
        old = [e for e in ledger_store.list_entries(store, unsigned=True, older_than=limit)]
        keep_unsigned = {e["id"] for e in rng.sample(old, min(2, len(old)))}
        for e in old:
            if e["id"] not in keep_unsigned and supervisor:
                ledger_store.sign(store, e["id"], supervisor, min(now, e["at"] + rng.randrange(86400, 3 * 86400)))
    sample.notes["ledger_created"] = len(created)
    sample.notes.setdefault("summary", {})["ledger"] = len(created)


def sample_statement(app, sample) -> None:
    """Step 60: ``inbox/alipay-ledger-YYYYMM.csv`` (GBK) — the month's payouts as Alipay lists them,
    customer payments and a fee, plus a few of each violation the audit reports."""
    from asx.money.audit import alipay_file
    from asx.roster.duty import DutyReader
    from asx.store import agents as agents_store
    from asx.store import ledger as ledger_store
    from asx.core.timeutil import from_epoch

    store, rng, tz = app.store, sample.rng, app.tz
    now, start = _epoch(sample.now), _epoch(sample.start)
    entries = [e for e in ledger_store.list_entries(store, since=start, until=now - 3600) if is_payout(e)]
    if not entries:
        return
    duty = DutyReader(store)
    active = {a["name"] for a in agents_store.list_agents(store)}
    seq = iter(range(1, 10**6))
    day0 = sample.start.strftime("%Y%m%d")

    def txn() -> str:
        return f"{day0}2000400111{next(seq):08d}"

    def buyer() -> str:
        name = rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊洋艳勇军杰娟涛")
        return f"{name}(1{rng.choice('3589')}{rng.randrange(10**8, 10**9)})"

    def on_duty_time(at: int, agent: str | None) -> int:
        """When the agent really paid: within their shift that day (agents often pay first and record
        after), or on their next working day (up to three days later) when the roster has them resting;
        as recorded when they are not on the rota or there is no roster."""
        dt = from_epoch(at, tz)
        for delay in range(4):
            d = dt + timedelta(days=delay)
            day_duty = duty.day(d.date().isoformat())
            segs = day_duty.segments
            if not day_duty.known or not agent or agent not in day_duty.rostered:
                return at + rng.randrange(60, 1800)
            if agent in segs:
                a, b = rng.choice([s for s in segs[agent] if s[0] >= 0] or segs[agent])
                lo = max(a, 0)
                if lo < min(b, 1440) - 1:
                    minute = rng.randrange(lo, min(b, 1440) - 1)
                    paid = _epoch(d.replace(hour=minute // 60, minute=minute % 60, second=rng.randrange(60)))
                    return paid if paid < now - 3600 else at + rng.randrange(60, 600)
        return at + rng.randrange(60, 1800)

    lines: list[alipay_file.LedgerLine] = []
    # customers' payments (income) for realism
    for _ in range(12):
        at = start + rng.randrange(0, now - start)
        lines.append(alipay_file.LedgerLine(txn(), from_epoch(at, tz), rng.randrange(5000, 60000), "in",
                                            merchant_order_no="T200P" + _order(rng), item=rng.choice(ITEMS),
                                            counterparty=buyer(), biz_type="在线支付"))
    rng.shuffle(entries)
    # entries[0] gets no payout row: entry-no-payout
    notes_bad = {                              # entry index -> the note the payer really wrote
        1: "",                                 # note-missing
        2: lambda e: e["note"].replace("_", "-"),          # note-malformed
        3: lambda e: e["note"].replace("_", " _ "),        # note-spacing (spaced)
        4: lambda e: e["note"].replace("_", "＿"),          # note-spacing (full-width)
        5: lambda e: e["note"].split("_")[0] + "_小美",     # agent-unknown
        6: lambda e: e["note"].split("_")[0] + "_" + FORMER_AGENT,   # agent-retired
        7: lambda e: "返现" + f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}" + "_" + (e["agent"] or "萌萌"),
    }
    off_duty_done = False
    for i, e in enumerate(entries[1:], start=1):
        note = e["note"] or ""
        bad = notes_bad.get(i)
        if bad is not None:
            note = bad if isinstance(bad, str) else bad(e)
        at = on_duty_time(e["at"], e["agent"])
        if not off_duty_done and i > 10 and e["agent"] in active:
            dt = from_epoch(e["at"], tz)
            day_duty = duty.day(dt.date().isoformat())
            if day_duty.known and e["agent"] in day_duty.rostered:   # agent-off-duty: paid at 03:10 that night
                at = _epoch(dt.replace(hour=3, minute=10, second=0))
                off_duty_done = True
        order = e["order_no"] or ""
        ln = alipay_file.LedgerLine(txn(), from_epoch(at, tz), e["amount_fen"], "out",
                                    merchant_order_no=("T200P" + order) if order else "",
                                    item=rng.choice(ITEMS) if e["reason"] == "refund" else "",
                                    counterparty=buyer(), biz_type="交易退款" if e["reason"] == "refund" else "转账",
                                    note=note)
        lines.append(ln)
        if i == 9:                             # duplicate-payout: the same compensation paid again next day
            lines.append(alipay_file.LedgerLine(txn(), ln.time + timedelta(days=1, minutes=7), ln.amount_fen, "out",
                                                merchant_order_no=ln.merchant_order_no, counterparty=ln.counterparty,
                                                biz_type=ln.biz_type, note=ln.note))
    # no-ledger-entry + over-limit: a large compensation nobody recorded
    agent = next(iter(sorted(active)), "萌萌")
    at = start + (now - start) // 2
    lines.append(alipay_file.LedgerLine(txn(), from_epoch(on_duty_time(at, agent), tz), 38800, "out",
                                        counterparty=buyer(), note=f"破损补偿_{agent}"))
    # refund-over-paid: a refund above what the order paid
    order = _order(rng)
    with store.tx():
        ledger_store.add_order(store, order, 9900, status="交易成功", paid_at=start)
    at2 = start + (now - start) // 3
    lines.append(alipay_file.LedgerLine(txn(), from_epoch(on_duty_time(at2, agent), tz), 12900, "out",
                                        merchant_order_no="T200P" + order, counterparty=buyer(), biz_type="交易退款",
                                        note=f"退货退款_{agent}"))
    # a fee row (not a payout)
    lines.append(alipay_file.LedgerLine(txn(), from_epoch(now - 7200, tz), 38, "out", biz_type="收费", item="服务费"))
    lines.sort(key=lambda ln: ln.time)
    end = sample.now.replace(hour=0, minute=0, second=0, microsecond=0)
    month = (sample.now - timedelta(days=1)).strftime("%Y%m")
    path = app.root / "inbox" / f"alipay-ledger-{month}.csv"
    alipay_file.write(path, lines, account="20880011223344550156", start=sample.start, end=end,
                      exported=sample.now)
    path.chmod(0o600)  # a statement names buyers and their phones: the owner only (docs/privacy.md, issue 21)
    sample.notes["statement"] = str(path)
    sample.notes.setdefault("summary", {})["statements"] = 1
