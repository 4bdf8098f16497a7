"""Alipay statement layouts (formats.md "Alipay …").

* ``alipay-ledger`` — merchant account ledger 账务明细 (12 or 16 columns,
  ``#`` preamble and footer whose totals are checked, R-FIN-3);
* ``alipay-web`` — personal legacy web export 支付宝交易记录明细查询;
* ``alipay-app-2021`` and ``alipay-app-2023`` — app exports 电子客户回单.
"""

from __future__ import annotations

import re
from pathlib import Path

from asx.core.errors import UserError
from asx.money.statements.clean import DEFAULT_TZ, get_tz
from asx.core.money import yuan
from asx.money.statements.base import TableReader, parse_summary_line
from asx.money.statements.model import Direction, Statement, StatementRow, Total
from asx.io.tabular import Row

_NAME_ACCOUNT = re.compile(r"(.+?)\s*[(（]([^()（）]+)[)）]")


class AlipayLedgerReader(TableReader):
    """Alipay merchant account ledger 账务明细 (what a shop's account produces)."""

    name = "alipay-ledger"
    title = "Alipay merchant account ledger 账务明细"
    anchor = "#支付宝账务明细查询"
    columns = {
        "txn_id": ("账务流水号",),
        "biz_id": ("业务流水号",),
        "merchant_order_no": ("商户订单号",),
        "item": ("商品名称",),
        "time": ("发生时间",),
        "counterparty_account": ("对方账号",),
        "counterparty": ("对方名称", "对方户名"),
        "amount_in": ("收入金额(+元)", "收入金额(元)", "收入金额"),
        "amount_out": ("支出金额(-元)", "支出金额(元)", "支出金额"),
        "balance": ("账户余额(元)", "账户余额"),
        "channel": ("交易渠道",),
        "biz_type": ("业务类型",),
        "note": ("备注",),
        # 16-column variant: 业务描述,业务账单来源,业务基础订单号,业务订单号
        "order_no": ("业务基础订单号",),
    }
    required = ("txn_id", "biz_id", "time", "amount_in", "amount_out", "note")

    def is_trailer(self, cells: list[str]) -> bool:
        return bool(cells) and cells[0].lstrip().startswith("#")

    def on_trailer(self, lines: list[Row], stmt: Statement) -> None:
        for lineno, cells in lines:
            text = ",".join(cells).strip()
            if not text:
                continue
            if not text.startswith("#"):
                stmt.problem(lineno, "data row after the footer (#…) lines: not read")
                continue
            found = parse_summary_line(text)
            if found and found[0] in ("out", "in"):
                stmt.declared_totals[found[0]] = found[1]

    def finish(self, stmt: Statement, last_line: int) -> None:
        # The footer totals let us prove that every row was read (R-FIN-3).
        declared = {k: v for k, v in stmt.declared_totals.items() if k in ("out", "in")}
        if not declared:
            stmt.complete = False
            stmt.problem(last_line, "file ends without the footer totals (#支出合计/#收入合计): "
                                    "truncated file? rows after this line may be missing")
            return
        labels = {"out": "支出", "in": "收入"}
        wrong = []
        for key, want in declared.items():
            got = stmt.read_totals.get(key, Total(0, 0))
            if (want.count, want.fen) != (got.count or 0, got.fen or 0):
                wrong.append(f"{labels[key]} declared {want.count} rows {yuan(want.fen) or '?'} yuan, "
                             f"read {got.count or 0} rows {yuan(got.fen or 0)} yuan")
        if wrong:
            rejected = ""
            if stmt.problems:
                rejected = (f"; {len(stmt.problems)} line(s) rejected, first {stmt.problems[0]}")
            raise UserError(f"{stmt.path}: footer totals do not match the rows: "
                            + "; ".join(wrong) + rejected)
        stmt.totals_checked = True

    def read_brief(self, path, *, tz=DEFAULT_TZ) -> Statement:
        """Brief rows, through the fast path (asx/statements/fast.py) unless a subclass changes how
        rows are read or the file is a workbook."""
        path = Path(path)
        if type(self) is AlipayLedgerReader and path.suffix.lower() not in (".xlsx", ".xlsm"):
            from asx.money.statements.fast import ledger_briefs

            return ledger_briefs(self, path, get_tz(tz))
        return super().read_brief(path, tz=tz)

    def refine(self, row: StatementRow, rec: dict[str, str], shown: dict[str, str]) -> StatementRow:
        if not row.counterparty:
            m = _NAME_ACCOUNT.fullmatch(row.counterparty_account)
            if m:
                row.counterparty, row.counterparty_account = m.group(1), m.group(2)
        return row


class AlipayWebReader(TableReader):
    """Alipay personal legacy web export (anchor 支付宝交易记录明细查询)."""

    name = "alipay-web"
    title = "Alipay personal legacy web export"
    anchor = "支付宝交易记录明细查询"
    columns = {
        "txn_id": ("交易号",),
        "merchant_order_no": ("商家订单号",),
        "time": ("交易创建时间",),
        "channel": ("交易来源地",),
        "biz_type": ("类型",),
        "counterparty": ("交易对方",),
        "item": ("商品名称",),
        "amount": ("金额(元)",),
        "direction": ("收/支",),
        "status": ("交易状态",),
        "note": ("备注",),
        "fund_status": ("资金状态",),
    }
    required = ("txn_id", "time", "amount", "direction", "fund_status")
    slash_empty = True

    def is_trailer(self, cells: list[str]) -> bool:
        return bool(cells) and cells[0].strip().startswith("---")

    def direction_of(self, rec: dict[str, str], shown: dict[str, str]) -> Direction:
        # Refund rows leave 收/支 empty; 资金状态 (已收入/已支出) says where the money went.
        if rec["direction"]:
            return super().direction_of(rec, shown)
        fund: dict[str, Direction] = {"已收入": "in", "已支出": "out"}
        return fund.get(rec.get("fund_status", ""), "none")


class AlipayApp2021Reader(TableReader):
    """Alipay app export 2021 (anchor 电子客户回单, header starting 收/支)."""

    name = "alipay-app-2021"
    title = "Alipay app export (2021)"
    anchor = "电子客户回单"
    columns = {
        "direction": ("收/支",),
        "counterparty": ("交易对方",),
        "counterparty_account": ("对方账号",),
        "item": ("商品说明",),
        "channel": ("收/付款方式",),
        "amount": ("金额",),
        "status": ("交易状态",),
        "biz_type": ("交易分类",),
        "txn_id": ("交易订单号",),
        "merchant_order_no": ("商家订单号",),
        "time": ("交易时间",),
    }
    required = tuple(columns)
    forbidden: tuple[str, ...] = ("备注",)
    slash_empty = True

    def is_trailer(self, cells: list[str]) -> bool:
        return bool(cells) and cells[0].strip().startswith("---")


class AlipayApp2023Reader(AlipayApp2021Reader):
    """Alipay app export 2023+ (preamble, anchor 电子客户回单, header starting 交易时间)."""

    name = "alipay-app-2023"
    title = "Alipay app export (2023+)"
    columns = {**AlipayApp2021Reader.columns, "note": ("备注",)}
    required = tuple(columns)
    forbidden = ()

