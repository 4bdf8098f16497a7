"""Write an Alipay merchant account ledger 账务明细 file as the platform does (formats.md): GBK, ``#``
preamble and footer with the totals, IDs ending in a TAB, optionally padded cells, the 16-column
variant, or UTF-8 with BOM. Used by the sample (inbox statement), tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from asx.core.money import yuan

HEADER12 = ["账务流水号", "业务流水号", "商户订单号", "商品名称", "发生时间", "对方账号", "收入金额（+元）",
            "支出金额（-元）", "账户余额（元）", "交易渠道", "业务类型", "备注"]
HEADER16 = HEADER12 + ["业务描述", "业务账单来源", "业务基础订单号", "业务订单号"]


@dataclass
class LedgerLine:
    txn_id: str
    time: datetime
    amount_fen: int               # > 0
    direction: str                # out | in
    biz_id: str = ""
    merchant_order_no: str = ""   # e.g. T200P<taobao order>
    item: str = ""
    counterparty: str = ""
    channel: str = "支付宝"
    biz_type: str = "转账"
    note: str = ""
    order_no: str = ""            # 业务基础订单号 (16 columns)


def _cell(s: str) -> str:
    if any(c in s for c in ',"\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def render(lines: Iterable[LedgerLine], *, account: str, start: datetime, end: datetime, exported: datetime,
           columns: int = 12, pad: bool = False, opening_fen: int = 1_000_000,
           footer: tuple[int, int, int, int] | None = None) -> str:
    """The file's text. ``footer`` overrides (out count, out fen, in count, in fen) to make a bad footer."""
    header = HEADER16 if columns == 16 else HEADER12
    fmt = "%Y年%m月%d日 %H:%M:%S"
    out = ["#支付宝账务明细查询", f"#账号：[{account}]",
           f"#起始日期：[{start.strftime(fmt)}]   终止日期：[{end.strftime(fmt)}]",
           "#-----------------------------------------账务明细列表----------------------------------------",
           ",".join(header)]
    balance = opening_fen
    n_out = f_out = n_in = f_in = 0
    for ln in lines:
        if ln.direction == "out":
            balance -= ln.amount_fen
            n_out, f_out = n_out + 1, f_out + ln.amount_fen
            amt_in, amt_out = "", "-" + yuan(ln.amount_fen)
        else:
            balance += ln.amount_fen
            n_in, f_in = n_in + 1, f_in + ln.amount_fen
            amt_in, amt_out = "+" + yuan(ln.amount_fen), ""
        cells = [ln.txn_id + "\t", (ln.biz_id or ln.txn_id) + "\t", ln.merchant_order_no + "\t", ln.item,
                 ln.time.strftime("%Y-%m-%d %H:%M:%S"), ln.counterparty, amt_in, amt_out, yuan(balance),
                 ln.channel, ln.biz_type, ln.note]
        if columns == 16:
            cells += [ln.biz_type, "淘宝" if ln.order_no else "支付宝", ln.order_no + ("\t" if ln.order_no else ""), ""]
        if pad:
            cells = [c.ljust(12) if i not in (0, 1) else c for i, c in enumerate(cells)]
        out.append(",".join(_cell(c) for c in cells))
    if footer is not None:
        n_out, f_out, n_in, f_in = footer
    out += ["#----------------------------------------账务明细列表结束-------------------------------------",
            f"#支出合计：{n_out}笔，共{yuan(f_out)}元", f"#收入合计：{n_in}笔，共{yuan(f_in)}元",
            f"#导出时间：[{exported.strftime(fmt)}]"]
    return "\r\n".join(out) + "\r\n"


def write(path: str | Path, lines: Iterable[LedgerLine], *, encoding: str = "gbk", **kw) -> Path:
    """Write the file (GBK by default; ``encoding="utf-8-sig"`` for the UTF-8-with-BOM variant)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(lines, **kw).encode(encoding))
    return path
