"""Built-in plugin: the money ledger and the refund audit (R-FIN-1..4).

Settings of the audit, labels of ledger reasons/channels/directions, the statement readers
(Alipay, WeChat Pay — from :mod:`asx.money.statements`), the audit checks (:mod:`asx.money.audit.checks`)
and two sample steps: ledger entries + sign-offs (50) and an Alipay merchant-ledger statement
with a few of each violation in ``<workspace>/inbox/`` (60).
"""

from __future__ import annotations

from asx import hookimpl

REASONS = [
    ("refund", "refund", "退款"),
    ("compensation", "compensation", "补偿", ("赔偿", "cash_compensation")),
    ("reship_cost", "reship cost", "补发成本"),
    ("reship", "reship", "补发"),          # reasons the cases domain records for its resolutions
    ("exchange", "exchange", "换货"),
    ("repair", "repair", "维修"),
    ("coupon", "coupon value", "优惠券"),
    ("price_diff", "price difference", "退差价", ("差价",)),
    ("shipping", "shipping refund", "运费补偿", ("运费",)),
    ("other", "other", "其他"),
]
CHANNELS = [
    ("alipay", "Alipay", "支付宝"),
    ("wechat", "WeChat Pay", "微信支付"),
    ("bank", "bank transfer", "银行转账"),
    ("platform", "platform", "平台"),
    ("cash", "cash", "现金"),
    ("coupon", "coupon", "优惠券"),
]
DIRECTIONS = [("out", "paid out", "支出"), ("in", "received", "收入")]
SEVERITIES = [("error", "error", "错误"), ("warning", "warning", "警告"), ("info", "info", "提示")]


@hookimpl
def register_settings(register):
    register("audit.signoff_days", "int", 3,
             "Days after which a ledger entry not signed off by finance is a finding (R-FIN-1).")
    register("audit.limits", "dict",
             {"compensation": 200.0, "refund": 5000.0, "reship_cost": 300.0, "coupon": 100.0, "price_diff": 200.0,
              "shipping": 50.0},
             "Policy limit per reason, in yuan: a payout above it needs the supervisor's approval (R-FIN-3).")
    register("audit.match_window_minutes", "int", 120,
             "A payout without order number or transaction id matches a ledger entry of the same amount "
             "within this many minutes.")
    register("audit.duplicate_days", "int", 7,
             "Two payouts to the same recipient with the same amount and note within this many days are a duplicate.")
    register("audit.duty_grace_minutes", "int", 30,
             "A payout this many minutes after the agent's shift ended still counts as on duty (R-ROS-9).")
    register("audit.ignore_biz_types", "list", ["收费", "服务费", "技术服务费", "提现", "充值", "保证金"],
             "Statement business types that are not payouts to buyers (fees, withdrawals).")
    register("audit.reason_words", "dict",
             {"退款": "refund", "退货": "refund", "补偿": "compensation", "赔": "compensation", "中评": "compensation",
              "差评": "compensation", "返现": "compensation", "差价": "price_diff", "运费": "shipping",
              "补发": "reship_cost"},
             "Words of a note's content that tell the reason of a payout with no ledger entry.")
    register("audit.severity", "dict", {},
             "Override the severity of audit rules, e.g. {no-case = \"error\", note-spacing = \"info\"}.")
    register("statements.layouts", "dict", {},
             "Generic CSV statement layouts: {name = {columns = {time = \"记账日期\", amount = \"发生额\", "
             "txn_id = \"流水号\", note = \"摘要\"}}}.")


@hookimpl
def register_labels(register):
    for code, en, zh, *aliases in REASONS:
        register("ledger_reason", code, en, zh, aliases=tuple(aliases[0]) if aliases else ())
    for code, en, zh in CHANNELS:
        register("pay_channel", code, en, zh)
    for code, en, zh in DIRECTIONS:
        register("direction", code, en, zh)
    for code, en, zh in SEVERITIES:
        register("finding_severity", code, en, zh)  # not "severity": that kind is a case's (issue 21)


@hookimpl
def register_statement_readers(register):
    from asx.money.statements import default_readers

    for reader in default_readers():
        register(reader)


@hookimpl
def register_audit_checks(register):
    from asx.money.audit.checks import BUILTIN

    for rule, fn, scope, severity, title, ref in BUILTIN:
        register(rule, fn, scope=scope, severity=severity, title=title, ref=ref)


@hookimpl
def register_nightly_jobs(register):
    from asx.money.audit.engine import nightly_refund_audit

    register(50, "refund-audit", nightly_refund_audit)


@hookimpl
def register_sample(register):
    from asx.money.ledger.sample import sample_ledger, sample_statement

    register(50, "ledger", sample_ledger)
    register(60, "statements", sample_statement)
