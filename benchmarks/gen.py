#!/usr/bin/env python3
"""The one data generator of asx benchmarks and stress tests (issue 9 §1).

A realistic store of any size from a seed: agents (with a supervisor), a roster, cases in every
state with their SLA rows and history, neutral/negative reviews in every ladder state, ledger
entries (payouts with ``<content>_<agent>`` notes, R-FIN-2), an Alipay statement of those payouts
with seeded violations, and daily records. Written with ``executemany`` straight into a workspace
database (schema made by the real migrations), so 1,000,000 cases take well under a minute.

    from gen import build_store
    info = build_store(Path("shop"), cases=100_000, seed=1)

    python benchmarks/gen.py DIR --cases 1000000 --seed 1

The file writers the import benchmarks feed to the real importers live here too
(``write_cases_csv``, ``write_alipay_statement``), as do the row builders (``review_rows``), so
the generation logic exists once.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TZ = ZoneInfo("Asia/Shanghai")
NOW = "2026-11-20T10:00:00+08:00"
SUPERVISOR = "李主管"
NAMED_AGENTS = ["萌萌", "小雨", "阿杰", "晓琳", "大伟", "思思", "小七"]
CATEGORIES = ["not_as_described", "service", "missing_item", "late_delivery", "transit_damage", "quality",
              "inquiry", "other"]
CSV_CATEGORIES = ["quality", "质量问题", "missing_item", "少发货/缺货", "late_delivery", "transit_damage", "inquiry",
                  "咨询", "not_as_described", "service", "other"]
PARTIES = ["us", "warehouse", "courier", "supplier", "buyer", "platform", "unknown"]
SEVERITIES = ["low", "normal", "normal", "normal", "high", "urgent"]
CHANNELS = ["wangwang", "wangwang", "wangwang", "phone", "email", "platform"]
RESOLUTIONS = ["explained", "cash_compensation", "coupon", "reship", "exchange", "return_refund", "refund_only"]
MONEY = {"cash_compensation", "coupon", "return_refund", "refund_only"}
# every case state, with its share of the generated cases
STATES = [("new", 0.04), ("open", 0.08), ("waiting_buyer", 0.03), ("waiting_courier", 0.02),
          ("waiting_warehouse", 0.01), ("resolved", 0.12), ("closed", 0.68), ("merged", 0.02)]
SUMMARIES = ["收到的商品有问题，请处理", "快递一直没有更新", "少发了一件", "包装破损，里面的杯子碎了", "颜色和图片不一样",
             "客服态度不好", "尺码偏小想换货", "什么时候发货"]
REVIEW_TEXTS = ["质量一般，有点味道", "物流太慢了", "和描述不符", "客服回复慢", "包装很差，有破损"]
PAYOUT_CONTENT = {"compensation": "补偿运费", "refund": "退差价", "review": "删除中评", "coupon": "优惠补偿"}
# seeded violations of the refund audit (R-FIN-3), each a share of the statement's payouts
VIOLATIONS = {"bad_note": 0.01, "unknown_agent": 0.005, "duplicate": 0.005, "no_ledger": 0.005, "over_policy": 0.005}


def bench(name: str, value: float, unit: str, target: float | str = "-", baseline: float | str = "-") -> None:
    """Print a benchmark figure as the machine-readable line ``benchmarks/run_all.py`` collects:
    ``BENCH name=<id> value=<number> unit=<ms|s|rows/s|MB> target=<number|-> baseline=<number|->``."""
    def f(v):
        return v if isinstance(v, str) else f"{v:.6g}"

    print(f"BENCH name={name} value={f(value)} unit={unit} target={f(target)} baseline={f(baseline)}", flush=True)


def agent_names(n: int) -> list[str]:
    """The named agents of the sample first, then 客服NN."""
    return NAMED_AGENTS[:n] + [f"客服{i:02d}" for i in range(len(NAMED_AGENTS), n)]


def _epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def _iso_local(t: int) -> str:
    return datetime.fromtimestamp(t, TZ).strftime("%Y-%m-%d %H:%M:%S")


def phone(i: int) -> str:
    return f"1{3 + i % 7}{(i * 7919) % 10**9:09d}"


def buyer(i: int) -> str:
    return f"买家{i % 50000}"


# --- files for the real importers --------------------------------------------------------------

CASES_HEADER = ["order", "buyer", "phone", "category", "severity", "channel", "summary", "agent", "opened_at"]


def case_csv_rows(n: int, *, seed: int = 1, now: str = NOW, days: int = 90, agents: list[str] | None = None,
                  first: int = 0):
    """Rows (header first) of an `asx case import` CSV: n cases opened over the ``days`` before ``now``."""
    rng = random.Random(seed)
    agents = agents or NAMED_AGENTS
    end = _epoch(now)
    base = end - days * 86400
    yield CASES_HEADER
    stamps = sorted(base + rng.randrange(days * 86400) for _ in range(n))
    for k, t in enumerate(stamps):
        i = first + k
        yield [f"{3 * 10**18 + i * 7919}", buyer(i), phone(i), CSV_CATEGORIES[i % len(CSV_CATEGORIES)],
               SEVERITIES[i % 6], CHANNELS[i % 6], SUMMARIES[i % len(SUMMARIES)], agents[i % len(agents)],
               _iso_local(t)]


def write_cases_csv(path: Path, n: int, **kw) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(case_csv_rows(n, **kw))
    return path


REVIEWS_HEADER = ["tid", "oid", "nick", "result", "created", "item_title", "content"]


def write_reviews_csv(path: Path, n: int, *, seed: int = 1, now: str = NOW, first: int = 0) -> Path:
    """A TradeRate-style CSV for `asx review import`."""
    rng = random.Random(seed)
    end = _epoch(now)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(REVIEWS_HEADER)
        for k in range(n):
            i = first + k
            w.writerow([str(4_000_000_000_000_000 + i), "", buyer(i), "neutral" if i % 3 == 0 else "bad",
                        _iso_local(end - 3600 - rng.randrange(30 * 86400)), f"商品{i % 300}",
                        REVIEW_TEXTS[i % len(REVIEW_TEXTS)]])
    return path


TMALL_ORDERS_HEADER = ("订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,总金额,买家实际支付金额,订单状态,买家留言,"
                       "收货人姓名,收货地址 ,运送方式,联系电话 ,联系手机,订单创建时间,订单付款时间 ,宝贝标题 ,宝贝种类 ,"
                       "物流单号 ,物流公司,订单备注,宝贝总数量,店铺Id,店铺名称,订单关闭原因,退款金额,确认收货时间")
TMALL_STATUSES = ["交易成功", "交易成功", "卖家已发货，等待买家确认", "买家已付款，等待卖家发货", "等待买家付款", "交易关闭"]


def write_tmall_orders(path: Path, n: int, *, seed: int = 1, now: str = NOW, first: int = 0,
                       store_name: str = "示例天猫旗舰店") -> Path:
    """A Tmall order report (GBK, the shop back-end's 27 columns) for `asx tmall import-orders`."""
    rng = random.Random(seed)
    end = _epoch(now)
    with open(path, "w", encoding="gbk", newline="") as f:
        f.write(TMALL_ORDERS_HEADER + "\r\n")
        for k in range(n):
            i = first + k
            status = TMALL_STATUSES[rng.randrange(len(TMALL_STATUSES))]
            created = end - rng.randrange(60, 30 * 86400)
            paid = "" if status == "等待买家付款" else f"{rng.randrange(100, 99999) / 100:.2f}"
            paid_at = "" if not paid else _iso_local(created + rng.randrange(10, 600))
            f.write(f'="{3_901_234_567_000_000_000 + i}",tb_{buyer(i)},{i}@163.com,{paid}元,0.00元,{paid}元,{paid}元,'
                    f"{status},,张三{i % 100},浙江省杭州市西湖区文三路{i % 500}号 ,快递, ,'{phone(i)},"
                    f"{_iso_local(created)},{paid_at},纯棉四件套 ,1 ,YT{i:010d} ,圆通,,1,1001,{store_name},,无退款申请,\r\n")
    return path


ALIPAY_HEADER = ("账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,"
                 "账户余额（元）,交易渠道,业务类型,备注,业务描述,业务账单来源,业务基础订单号,业务订单号")


def write_alipay_statement(path: Path, rows: int | list[dict], *, seed: int = 20261101, month: str = "2026-11",
                           agents: list[str] | None = None) -> dict:
    """A GBK Alipay merchant ledger (16 columns, header/footer lines) as the shop downloads it.

    ``rows`` is a count (random income and payouts, 30 % payouts) or a list of payouts
    ``{"txn", "at", "fen", "note", "order"}`` (from ``build_store``). Returns the totals."""
    rnd = random.Random(seed)
    agents = agents or ["萌萌", "小美", "阿杰"]
    y, m = (int(x) for x in month.split("-"))
    out_n = in_n = out_fen = in_fen = 0
    balance = 10_000_000
    if isinstance(rows, int):
        items = []
        for i in range(rows):
            fen = rnd.randint(1, 99_999)
            payout = rnd.random() < 0.3
            sec = i * 12
            when = f"{y}-{m:02d}-{1 + sec // 86400 % 28:02d} {sec // 3600 % 24:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"
            note = rnd.choice([f"删除中评_{agents[0]}", f"补偿运费 _ {agents[1 % len(agents)]}",
                               f"退差价_{agents[2 % len(agents)]}"]) if payout else ""
            items.append({"txn": f"2026110120004001{i:010d}", "at": when, "fen": -fen if payout else fen,
                          "note": note, "order": str(3961024556789012 + i), "i": i})
    else:
        items = [{**p, "fen": -p["fen"], "at": _iso_local(p["at"]), "i": k} for k, p in enumerate(rows)]
    with open(path, "w", encoding="gbk", errors="replace", newline="") as f:
        f.write(f"#支付宝账务明细查询\r\n#账号：[20880011223344550156]\r\n"
                f"#起始日期：[{y}年{m:02d}月01日 00:00:00]   终止日期：[{y + m // 12}年{m % 12 + 1:02d}月01日 00:00:00]\r\n"
                "#-----------------------------------------账务明细列表----------------------------------------\r\n")
        f.write(ALIPAY_HEADER + "\r\n")
        for it in items:
            fen = it["fen"]
            amount = f"{abs(fen) // 100}.{abs(fen) % 100:02d}"
            if fen < 0:
                out_n += 1
                out_fen += -fen
                balance += fen
                cells = ["", f"-{amount}", "转账", it["note"]]
            else:
                in_n += 1
                in_fen += fen
                balance += fen
                cells = [f"+{amount}", "", "在线支付", ""]
            i = it["i"]
            f.write(",".join([
                f"{it['txn']}\t", f"2026110122001401{i:012d}\t", f"T200P{it['order']}\t",
                "羊毛围巾 灰色          ", it["at"], "bu***@163.com", cells[0], cells[1],
                f"{balance // 100}.{balance % 100:02d}", "支付宝", cells[2], cells[3],
                "淘宝交易", "淘宝", f"{it['order']}\t", f"P{i:08d}\t",
            ]) + "\r\n")
        f.write("#----------------------------------------账务明细列表结束-------------------------------------\r\n")
        f.write(f"#支出合计：{out_n}笔，共{out_fen // 100}.{out_fen % 100:02d}元\r\n")
        f.write(f"#收入合计：{in_n}笔，共{in_fen // 100}.{in_fen % 100:02d}元\r\n")
        f.write(f"#导出时间：[{y + m // 12}年{m % 12 + 1:02d}月01日 08:00:00]\r\n")
    return {"payouts": out_n, "paid_fen": out_fen, "income": in_n, "income_fen": in_fen}


# --- rows for the database ---------------------------------------------------------------------

REVIEW_COLS = ("tid", "oid", "created_at", "buyer", "phone", "item", "content", "result", "severity",
               "severity_rule", "progress", "promised_until", "owner", "added_at", "updated_at", "version",
               "round_at", "first_msg_at", "wangwang_at", "sms_at", "phone_at", "phone_attempts", "last_contact_at",
               "last_contact_via", "contact_count", "resolved_at", "next_step", "due_at")


def review_rows(n: int, *, now: int, seed: int = 1, agents: list[str] | None = None, policy=None,
                span_days: int = 365):
    """Reviews in every ladder state (R-REV-2..6); next_step/due_at planned by the real ladder."""
    from asx.reviews import ladder

    pol = policy or ladder.Policy()
    agents = agents or NAMED_AGENTS
    rng = random.Random(seed)
    for i in range(n):
        created = now - rng.randint(600, 86400 * span_days)
        r = {"tid": str(4_000_000_000_000_000 + i), "oid": "", "created_at": created, "buyer": buyer(i),
             "phone": f"138{i % 10**8:08d}", "item": f"商品{i % 300}", "content": REVIEW_TEXTS[i % len(REVIEW_TEXTS)],
             "result": "negative" if i % 3 else "neutral", "severity": rng.choice((1, 1, 2, 2, 2, 3)),
             "severity_rule": "bench", "progress": "open", "promised_until": None,
             "owner": rng.choice(agents + [None]), "added_at": created + 3600, "updated_at": created + 3600,
             "version": 1, "round_at": created, "first_msg_at": None, "wangwang_at": None, "sms_at": None,
             "phone_at": None, "phone_attempts": 0, "last_contact_at": None, "last_contact_via": None,
             "contact_count": 0, "resolved_at": None}
        state = rng.random()
        t = created + 7200
        if state < 0.55:  # closed long ago
            r.update(progress=rng.choice(("revised", "revised", "refused")), resolved_at=min(t + 86400, now),
                     wangwang_at=t, sms_at=t + 14400, first_msg_at=t, contact_count=2, last_contact_at=t + 14400,
                     last_contact_via="sms")
        elif state < 0.65:
            r.update(wangwang_at=min(t, now - 60), first_msg_at=min(t, now - 60), contact_count=1,
                     last_contact_via="wangwang", last_contact_at=min(t, now - 60))
        elif state < 0.8:
            w = min(t, now - 3600)
            r.update(wangwang_at=w, first_msg_at=w, sms_at=w + 60, contact_count=2, last_contact_via="sms",
                     last_contact_at=w + 60)
        elif state < 0.88:
            r.update(progress="promised", promised_until=created + rng.randint(86400, 86400 * 400))
        elif state < 0.92:
            r.update(progress="awaiting_compensation", round_at=t)
        r["next_step"], r["due_at"] = ladder.plan(r, pol)
        yield tuple(r[c] for c in REVIEW_COLS)


CASE_COLS = ("id", "store", "channel", "order_no", "buyer", "buyer_contact", "category", "severity", "summary",
             "status", "agent", "opened_at", "first_response_at", "resolved_at", "closed_at", "paused_since",
             "paused_seconds", "resolution", "party", "amount_fen", "csat", "reopen_count", "response_count",
             "merged_into", "ext_key", "next_due_at", "next_due_target", "updated_at", "updated_by",
             "sla_outcome", "sla_due_last")
EVENT_COLS = ("case_id", "at", "by", "action", "from_status", "to_status", "note")
SLA_COLS = ("case_id", "target", "due_at", "met_at", "state", "service_minutes", "calendar_minutes")


def _pick_state(r: float) -> str:
    acc = 0.0
    for s, p in STATES:
        acc += p
        if r < acc:
            return s
    return "closed"


def build_store(ws: Path, *, cases: int = 10_000, seed: int = 1, agents: int = 12, now: str = NOW,
                start: str | None = None, reviews: int | None = None, ledger: int | None = None,
                daily: bool = True, events: bool = True, statement: bool = True, batch: int = 50_000,
                quiet: bool = True) -> dict:
    """Create (or fill) the workspace ``ws`` with a generated store; returns counts and paths.

    Cases are opened between ``start`` (default: 1 January of ``now``'s year) and ``now``; the
    ones opened long enough ago are resolved/closed. ``reviews`` defaults to cases // 50,
    ``ledger`` (payouts) to cases // 20; the Alipay statement of the last month's payouts
    (with seeded violations, ``VIOLATIONS``) goes to ``ws/inbox/``."""
    from asx.core.app import App
    from asx.store import open_store
    from asx.store.cases import sla_summary
    from asx.core.workspace import init

    t0 = time.perf_counter()
    ws = Path(ws)
    if not (ws / "asx.toml").exists():
        init(ws, me=SUPERVISOR)
    app = App(ws, environ={})
    st = open_store(app.db_path, create=True)
    st.execute("PRAGMA synchronous = OFF")  # a generator: durability of a half-built store does not matter
    st.execute("PRAGMA cache_size = -131072")
    rng = random.Random(seed)
    names = agent_names(agents)
    end = _epoch(now)
    t_start = _epoch(start) if start else int(datetime(datetime.fromtimestamp(end, TZ).year, 1, 1,
                                                        tzinfo=TZ).timestamp())
    store_name = app.config.get("store.name")
    reviews = cases // 50 if reviews is None else reviews
    ledger = cases // 20 if ledger is None else ledger
    first_day = datetime.fromtimestamp(t_start, TZ).date()
    last_day = datetime.fromtimestamp(end, TZ).date()
    ndays = (last_day - first_day).days + 1
    with st.tx():
        have = {r["name"] for r in st.q("SELECT name FROM agents")}
        st.executemany("INSERT INTO agents (name, role, store, active, created_at, joined_on) "
                       "VALUES (?, ?, ?, 1, ?, '2025-01-01')",
                       [(a, role, store_name, t_start - 86400 * 400)
                        for a, role in [(SUPERVISOR, "supervisor")] + [(a, "agent") for a in names]
                        if a not in have])
        # a simple roster: agents alternate day (D) and night (N) weeks, one rest day a week (R-ROS-1/3)
        rows = []
        for d in range(ndays):
            day = first_day + timedelta(days=d)
            week = day.isocalendar().week
            for k, a in enumerate(names):
                rest = (k + day.weekday()) % 7 == 6
                shift = "D" if (k + week) % 2 == 0 else "N"
                seg = "08:30-17:30" if shift == "D" else "10:00-14:00,17:30-23:00"
                rows.append((day.isoformat(), a, None if rest else shift, "rest" if rest else "work",
                             None if rest else seg, 1, end))
        st.executemany("INSERT OR IGNORE INTO roster_days (day, agent, shift, mark, segments, published, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    first_id = (st.scalar("SELECT max(id) FROM cases") or 0) + 1
    rr = rng.random  # (randrange is 4× slower; the generator's hot loop uses random() directly)
    opened = sorted(t_start + int(rr() * (end - 600 - t_start)) for _ in range(cases))
    counts = {s: 0 for s, _ in STATES}
    n_events = 0
    money_cases: list[tuple[int, int, str, int, str]] = []
    for b in range(0, cases, batch):
        crow, erow, srow = [], [], []
        for k in range(b, min(cases, b + batch)):
            cid = first_id + k
            o = opened[k]
            age = end - o
            # old cases are mostly done; recent ones spread over every state
            state = _pick_state(rr()) if age < 14 * 86400 else (
                "closed" if rr() < 0.93 else _pick_state(rr()))
            if state == "merged" and cid == first_id:
                state = "closed"
            counts[state] += 1
            agent = names[int(rr() * len(names))]
            cat = CATEGORIES[int(rr() * len(CATEGORIES))]
            sev = SEVERITIES[int(rr() * 6)]
            fr = None if state == "new" else min(o + 20 + int(rr() * 1780), end - 1)
            resolved = closed = None
            resolution = party = amount = csat = None
            paused_since = None
            paused = 0
            if state in ("resolved", "closed"):
                resolved = min(o + 600 + int(rr() * (3 * 86400 - 600)), end - 1)
                resolved = max(resolved, fr + 1)
                resolution = RESOLUTIONS[int(rr() * len(RESOLUTIONS))]
                party = PARTIES[int(rr() * len(PARTIES))]
                amount = 500 + int(rr() * 19500) if resolution in MONEY else None
                csat = 1 + int(rr() * 5) if rr() < 0.6 else None
                paused = int(rr() * 3600) if rr() < 0.2 else 0
                if state == "closed":
                    closed = min(resolved + 7 * 86400, end - 1) if end - resolved > 7 * 86400 else None
                    if closed is None:
                        state_c = "resolved"
                        counts["closed"] -= 1
                        counts["resolved"] += 1
                        state = state_c
            elif state.startswith("waiting_"):
                paused_since = min(fr + 600, end - 1)
            reopen = 1 if resolved and rr() < 0.05 else 0
            merged = first_id + int(rr() * k) if state == "merged" and k > 0 else None
            last = closed or resolved or paused_since or fr or o
            due = None if state in ("resolved", "closed", "merged") or paused_since else (
                (o + 180) if fr is None else o + 86400)
            target = None if due is None else ("first_response" if fr is None else "resolution")
            crow.append((cid, store_name, CHANNELS[int(rr() * 6)], f"{3 * 10**18 + cid * 7919}", buyer(cid),
                         phone(cid), cat, sev, SUMMARIES[cid % len(SUMMARIES)], state, agent, o, fr, resolved,
                         closed, paused_since, paused, resolution, party, amount, csat, reopen,
                         (1 if fr else 0) + (1 if resolved else 0), merged, f"gen|{seed}|{cid}", due, target,
                         last, agent))
            if fr is not None:
                srow.append((cid, "first_response", o + 180, fr, "met" if fr - o < 180 else "breached",
                             (fr - o) // 60, (fr - o) // 60))
            srow.append((cid, "resolution", o + 86400, resolved,
                         ("met" if resolved - o < 86400 else "breached") if resolved else "pending",
                         ((resolved - o) // 60) // 2 if resolved else None, (resolved - o) // 60 if resolved else None))
            # the case's stored SLA summary, in step with its case_sla rows (migration 0056)
            crow[-1] += sla_summary((r[1], r[2], r[4]) for r in srow[-2 if fr is not None else -1:])
            if events:
                erow.append((cid, o, agent, "open", None, "new", None))
                if fr is not None:
                    erow.append((cid, fr, agent, "respond", "new", "open", None))
                if paused_since is not None:
                    erow.append((cid, paused_since, agent, "wait", "open", state, None))
                if resolved is not None:
                    erow.append((cid, resolved, agent, "resolve", "open", "resolved", resolution))
                if closed is not None:
                    erow.append((cid, closed, "system", "close", "resolved", "closed", None))
                if merged is not None:
                    erow.append((cid, last, agent, "merge", "open", "merged", f"into {merged}"))
            if amount is not None:
                money_cases.append((cid, resolved, agent, amount, resolution))
        with st.tx():
            st.executemany(f"INSERT INTO cases ({', '.join(CASE_COLS)}) VALUES ({', '.join('?' * len(CASE_COLS))})",
                           crow)
            st.executemany(f"INSERT INTO case_sla ({', '.join(SLA_COLS)}) VALUES ({', '.join('?' * len(SLA_COLS))})",
                           srow)
            if erow:
                st.executemany(f"INSERT INTO case_events ({', '.join(EVENT_COLS)}) "
                               f"VALUES ({', '.join('?' * len(EVENT_COLS))})", erow)
        n_events += len(erow)
        if not quiet:
            print(f"  {min(cases, b + batch):,} cases …", file=sys.stderr, flush=True)
    # reviews
    from asx.reviews import ladder

    pol = ladder.Policy.from_config(app.config)
    with st.tx():
        st.executemany(f"INSERT OR IGNORE INTO reviews ({', '.join(REVIEW_COLS)}) "
                       f"VALUES ({', '.join('?' * len(REVIEW_COLS))})",
                       review_rows(reviews, now=end, seed=seed + 1, agents=names, policy=pol,
                                   span_days=max(1, (end - t_start) // 86400)))
    # ledger: one payout per money case (up to ``ledger``), each with its payment note (R-FIN-2)
    rng2 = random.Random(seed + 2)
    led, payouts = [], []
    month_start = int(datetime(last_day.year, last_day.month, 1, tzinfo=TZ).timestamp())
    prev_month = month_start - 86400 * 40
    for cid, at, agent, fen, res in money_cases[-ledger:] if ledger else []:
        reason = "refund" if res in ("return_refund", "refund_only") else "compensation"
        note = f"{PAYOUT_CONTENT[reason]}_{agent}"
        txn = f"2026{cid:020d}"
        led.append((at, fen, reason, agent, cid, f"{3 * 10**18 + cid * 7919}", "alipay", txn, note,
                    f"gen|{seed}|L{cid}", at, agent))
        if at >= prev_month:
            payouts.append({"txn": txn, "at": at, "fen": fen, "note": note, "order": f"{3 * 10**18 + cid * 7919}"})
    with st.tx():
        st.executemany("INSERT OR IGNORE INTO ledger (at, amount_fen, reason, agent, case_id, order_no, channel, "
                       "txn_id, note, ext_key, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", led)
        st.executemany("INSERT OR IGNORE INTO ledger_signoffs (entry_id, by, at) "
                       "SELECT id, ?, at + 86400 FROM ledger WHERE at + 86400 < ? AND ext_key LIKE ?",
                       [(SUPERVISOR, end, f"gen|{seed}|L%")])
    # daily records (R-KPI-1)
    n_daily = 0
    if daily:
        drows = []
        for d in range(ndays):
            day = (first_day + timedelta(days=d)).isoformat()
            for a in names:
                served = rng2.randrange(20, 60)
                drows.append((day, a, served, rng2.randrange(0, 15), rng2.randrange(0, 900000),
                              end if day == last_day.isoformat() else t_start + d * 86400 + 64800, a, "import"))
        with st.tx():
            st.executemany("INSERT OR IGNORE INTO daily_records (day, agent, served, ordered, order_fen, "
                           "submitted_at, by, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", drows)
        n_daily = len(drows)
    # the statement of the last month and a half's payouts, with seeded violations (R-FIN-3)
    stmt_path = None
    seeded = {k: 0 for k in VIOLATIONS}
    if statement and payouts:
        rows = []
        for p in payouts:
            r = rng2.random()
            acc = 0.0
            kind = None
            for k, share in VIOLATIONS.items():
                acc += share
                if r < acc:
                    kind = k
                    break
            p = dict(p)
            if kind == "bad_note":
                p["note"] = "退款"
            elif kind == "unknown_agent":
                p["note"] = p["note"].rsplit("_", 1)[0] + "_路人甲"
            elif kind == "no_ledger":
                p["txn"] = "9" + p["txn"][1:]
            elif kind == "over_policy":
                p["fen"] = p["fen"] * 50
            if kind:
                seeded[kind] += 1
            rows.append(p)
            if kind == "duplicate":
                rows.append(dict(p))
        (ws / "inbox").mkdir(exist_ok=True)
        stmt_path = ws / "inbox" / f"alipay-{last_day:%Y%m}.csv"
        write_alipay_statement(stmt_path, sorted(rows, key=lambda p: p["at"]),
                               month=f"{last_day.year}-{last_day.month:02d}")
    st.execute("ANALYZE")
    st.close()
    app.close()
    info = {"cases": cases, "states": counts, "events": n_events, "sla": None, "reviews": reviews,
            "ledger": len(led), "daily_records": n_daily, "statement": str(stmt_path) if stmt_path else None,
            "violations": seeded, "agents": names, "seconds": round(time.perf_counter() - t0, 2),
            "db": str(ws / "asx.db")}
    return info


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path, help="Workspace folder (created if missing).")
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--agents", type=int, default=12)
    ap.add_argument("--now", default=NOW, help="The store's 'now' (ISO 8601).")
    ap.add_argument("--start", help="First case opened at (ISO 8601) [default: 1 January of --now].")
    ap.add_argument("--reviews", type=int)
    ap.add_argument("--ledger", type=int)
    ap.add_argument("--no-events", action="store_true", help="Leave out the case history (faster).")
    args = ap.parse_args(argv)
    info = build_store(args.dir, cases=args.cases, seed=args.seed, agents=args.agents, now=args.now,
                       start=args.start, reviews=args.reviews, ledger=args.ledger, events=not args.no_events,
                       quiet=False)
    size = Path(info["db"]).stat().st_size / 1e6
    print(json.dumps({k: v for k, v in info.items() if k != "agents"}, ensure_ascii=False))
    bench("gen_cases", info["cases"] / info["seconds"], "rows/s")
    print(f"generated {args.cases:,} cases in {info['seconds']:.1f} s; db {size:.0f} MB")


if __name__ == "__main__":
    main()
