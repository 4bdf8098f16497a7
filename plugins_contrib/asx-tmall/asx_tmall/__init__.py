"""asx-tmall: the Tmall shop plugin (seed 001). Uses only asx's public hooks."""

from __future__ import annotations

from asx import hookimpl

__version__ = "0.1.0"

COMPONENT = "tmall"

MIGRATION_1 = """
CREATE TABLE tmall_flags (
    id INTEGER PRIMARY KEY,
    order_no TEXT NOT NULL,
    color TEXT NOT NULL CHECK (color IN ('red', 'blue', 'green', 'yellow', 'purple', 'grey')),
    note TEXT,
    agent TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX tmall_flags_order ON tmall_flags (order_no, at);
CREATE TRIGGER tmall_flags_no_update BEFORE UPDATE ON tmall_flags
BEGIN SELECT RAISE(ABORT, 'history is append-only: tmall_flags cannot be changed'); END;
CREATE TRIGGER tmall_flags_no_delete BEFORE DELETE ON tmall_flags
BEGIN SELECT RAISE(ABORT, 'history is append-only: tmall_flags cannot be deleted'); END;

CREATE TABLE tmall_refunds (
    refund_id TEXT PRIMARY KEY,
    order_no TEXT,
    alipay_txn TEXT,
    paid_fen INTEGER,
    refund_fen INTEGER,
    status TEXT,
    goods_status TEXT,
    reason TEXT,
    party TEXT,
    phase TEXT,
    operator TEXT,
    applied_at INTEGER,
    finished_at INTEGER,
    title TEXT
);
CREATE INDEX tmall_refunds_order ON tmall_refunds (order_no);
"""


@hookimpl
def register_migrations(register):
    register(COMPONENT, 1, "flags_and_refunds", MIGRATION_1)


@hookimpl
def register_settings(register):
    register("plugins.tmall.remind_at", "str", "16:00", "Time of the daily unpaid-order payment reminder (seed 001).")


@hookimpl
def register_labels(register):
    for code, en, zh in [("red", "red flag", "红旗"), ("blue", "blue flag", "蓝旗"), ("green", "green flag", "绿旗"),
                         ("yellow", "yellow flag", "黄旗"), ("purple", "purple flag", "紫旗"),
                         ("grey", "grey flag", "灰旗")]:
        register("tmall_flag", code, en, zh)
    for code, en, zh in [("unpaid", "awaiting payment", "等待买家付款"), ("paid", "paid, to ship", "买家已付款,等待卖家发货"),
                         ("shipped", "shipped", "卖家已发货,等待买家确认"), ("success", "completed", "交易成功"),
                         ("closed", "closed", "交易关闭")]:
        register("order_status", code, en, zh)


@hookimpl
def register_commands(cli):
    from asx_tmall.commands import tmall

    cli.add_command(tmall)


@hookimpl
def register_sample(register):
    from asx_tmall.sample import sample_orders

    register(45, "tmall-orders", sample_orders)
