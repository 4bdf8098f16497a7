"""A small shop for audit tests: agents (one retired), a roster for 2026-11-03, two cases, signed
ledger entries, and a writer of Alipay merchant-ledger statements in the original encoding."""

from __future__ import annotations

from asx.testing import ws_store
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Asia/Shanghai")
NOW = "2026-11-10T10:00:00+08:00"


def t(s: str) -> datetime:
    return datetime.fromisoformat(s).replace(tzinfo=TZ)


def ep(s: str) -> int:
    return int(t(s).timestamp())


class Shop:
    def __init__(self, ws):
        from asx.store import open_store

        self.ws = ws
        self.store = ws_store(ws)
        self.n = 0

    rules = staticmethod(lambda result, line=None: rules(result, line))
    ep = staticmethod(lambda s: ep(s))
    t = staticmethod(lambda s: t(s))

    def entry(self, at: str, yuan: float, reason: str = "compensation", agent: str = "萌萌", *, case_id=1,
              review_id=None, order_no=None, txn_id=None, channel="alipay", signed: bool = True, note=None) -> int:
        from asx.store import ledger as ledger_store

        with self.store.tx():
            i = ledger_store.add_entry(self.store, at=ep(at), amount_fen=round(yuan * 100), reason=reason, agent=agent,
                             case_id=case_id, review_id=review_id, order_no=order_no, txn_id=txn_id, channel=channel,
                             note=note)
            if signed:
                ledger_store.sign(self.store, i, "李主管", ep(at) + 3600)
        return i

    def order(self, order_no: str, paid_yuan: float) -> None:
        from asx.store import ledger as ledger_store

        with self.store.tx():
            ledger_store.add_order(self.store, order_no, round(paid_yuan * 100))

    def line(self, at: str, yuan: float, note: str = "删除中评_萌萌", *, order: str = "", txn: str | None = None,
             direction: str = "out", biz_type: str = "转账", party: str = "张三(13800138000)", biz_id: str = ""):
        from asx.money.audit.alipay_file import LedgerLine

        self.n += 1
        return LedgerLine(txn or f"2026110320004001110{self.n:07d}", t(at), round(yuan * 100), direction,
                          biz_id=biz_id, merchant_order_no=("T200P" + order) if order else "", counterparty=party,
                          biz_type=biz_type, note=note, order_no=order)

    def statement(self, lines, name: str = "stmt.csv", *, encoding: str = "gbk", **kw):
        from asx.money.audit import alipay_file

        return alipay_file.write(self.ws / "inbox" / name, lines, encoding=encoding, account="20880011223344550156",
                                 start=t("2026-11-01 00:00:00"), end=t("2026-11-08 00:00:00"),
                                 exported=t("2026-11-08 08:00:00"), **kw)

    def audit(self, lines=None, *, paths=None, since=None, until=None, checks=None, **settings):
        from asx.money.audit import engine

        paths = paths or [self.statement(lines)]
        s = engine.Settings(signoff_days=3, limits_yuan={"compensation": 200.0, "refund": 5000.0},
                            match_window_minutes=120, duplicate_days=7, duty_grace_minutes=30,
                            ignore_biz_types=("收费",), reason_words={"退款": "refund", "中评": "compensation",
                                                                     "补偿": "compensation"})
        for k, v in settings.items():
            setattr(s, k, v)
        return engine.run(self.store, paths, tz=TZ, now=ep("2026-11-10 10:00:00"), settings=s, since=since,
                          until=until, check_list=checks)


def rules(result, line=None) -> set[str]:
    return {f.rule for f in result.findings if line is None or f.line == line}


@pytest.fixture
def shop(workspace, monkeypatch):
    """Workspace + agents 萌萌 (day shift), 小雨 (night shift), 阿强 (retired), roster for 2026-11-03."""
    from asx.store import agents

    monkeypatch.setenv("ASX_NOW", NOW)
    s = Shop(workspace)
    st = s.store
    at = ep("2026-01-01 09:00:00")
    with st.tx():
        agents.add(st, name="萌萌", role="agent", at=at, by="李主管")
        agents.add(st, name="小雨", role="agent", at=at, by="李主管")
        agents.add(st, name="阿强", role="agent", at=at, by="李主管")
        agents.update(st, "阿强", {"active": 0, "left_on": "2026-10-01"}, at=at, by="李主管")
        for agent, shift, segs in (("萌萌", "D", "08:30-17:30"), ("小雨", "N", "10:00-14:00,17:30-23:00"),
                                   ("李主管", None, None)):
            st.insert("roster_days", {"day": "2026-11-03", "agent": agent, "shift": shift,
                                      "mark": "work" if shift else "rest", "segments": segs, "updated_at": at})
        for cid, order in ((1, "1001"), (2, "1002")):
            st.insert("cases", {"id": cid, "channel": "wangwang", "category": "quality", "order_no": order,
                                "opened_at": at, "updated_at": at, "buyer": "张三", "resolution": "refund_only"})
    return s
