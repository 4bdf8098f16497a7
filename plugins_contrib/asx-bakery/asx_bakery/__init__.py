"""asx-bakery: the bakery plugin (seed 004 烘焙客服管理辦法細則). Uses only asx's hooks and the public
plugin API :mod:`asx.api` (versions ``[tool.asx] api`` of its pyproject, checked at import)."""

from __future__ import annotations

from asx import api, hookimpl

__version__ = "0.1.0"

#: the asx API versions this plugin works with (= ``[tool.asx] api`` of pyproject.toml)
ASX_API = ">=1.0,<2"
api.require_api(ASX_API, "asx-bakery")

COMPONENT = "bakery"

PERISHABLE_CHECKLIST = [
    # seed 004 三(三) 客戶投訴流程, for perishable goods 變質/食品安全
    # R-CASE-3 / seed 004 三(三): the apology comes first, required before the complaint is resolved
    {"step": "apologise", "en": "calm the customer and apologise first", "zh": "先安抚客户并致歉", "required": True},
    ("record", "record time, customer, contact, product, batch/production date and the problem",
     "记录投诉时间、客户、联系方式、产品、批次/生产日期及问题"),
    {"step": "photo_evidence", "en": "photos of the product and its label received", "zh": "收到产品及标签照片",
     "required_for": ["cash_compensation", "return_refund", "refund_only", "exchange"]},
    ("keep_sample", "ask the customer to keep the product; hold the batch (留样)", "请客户保留产品；同批次留样封存"),
    ("notify_qc", "pass it to quality control / production to find the cause and who is responsible",
     "反馈质量控制/生产部门调查原因、确定责任"),
    ("measures", "agree the measures with deadline and owner (asx bakery measure add)",
     "制定处理措施、时间节点和责任人"),
    ("tell_customer", "tell the customer the measures and when; adjust until they agree",
     "向客户说明处理措施和预计时间，直至客户认可"),
    ("follow_result", "follow the measures to the end and confirm the customer is satisfied",
     "跟踪处理结果，确认客户满意"),
    ("summary", "write the complaint summary and the prevention measure", "投诉总结及改进措施"),
]


@hookimpl
def register_migrations(register):
    from asx_bakery.store import migration_1

    register(COMPONENT, 1, "orders_events_measures", migration_1())


@hookimpl
def register_purgers(register):
    # R-SEC-4: finished orders' customers become pseudonymous keys under `asx db purge`
    from asx_bakery.orders import purge

    register("bakery_orders", purge)


@hookimpl
def register_settings(register):
    register("plugins.bakery.satisfaction_target", "float", 0.95,
             "Customer satisfaction target: share of follow-up ratings ≥ 4 of 5 (seed 004 [X]%, default 95 %).")
    register("plugins.bakery.confirm_within_minutes", "int", 120,
             "An order is processed on time when confirmed within this many minutes of receipt …")
    register("plugins.bakery.ship_within_hours", "int", 24,
             "… and shipped by 12:00 of the wanted delivery day, or within this many hours when none is given.")
    register("plugins.bakery.class_window_days", "int", 180, "Customer classes look at this many days of orders.")
    register("plugins.bakery.long_term_orders", "int", 5,
             "Orders in the window that make a long-term customer 长期合作客户.")
    register("plugins.bakery.important_amount_yuan", "float", 1000.0,
             "Order value in the window (yuan) that makes an important customer 重要客户.")
    register("plugins.bakery.perishable_solution_minutes", "int", 120,
             "Initial solution of a perishable-goods complaint 变质/食品安全 within, service minutes.")


@hookimpl
def register_labels(register):
    for code, en, zh in [("received", "received", "已接单"), ("checked", "checked", "已审核"),
                         ("confirmed", "confirmed", "已确认"), ("in_production", "in production", "生产中"),
                         ("shipped", "shipped", "已发货"), ("delivered", "delivered", "已送达"),
                         ("completed", "completed", "已完成"), ("followed_up", "followed up", "已回访"),
                         ("cancelled", "cancelled", "已取消")]:
        register("bakery_status", code, en, zh)
    for code, en, zh in [("regular", "regular", "普通客户"), ("important", "important", "重要客户"),
                         ("long_term", "long-term", "长期合作客户")]:
        register("customer_class", code, en, zh)
    for code, en, zh in [("in_transit", "in transit", "运输中"), ("delayed", "delayed", "延误"),
                         ("lost", "lost", "丢失"), ("damaged", "damaged", "损坏"), ("delivered", "delivered", "已送达")]:
        register("bakery_track", code, en, zh)


@hookimpl
def register_categories(register):
    register("perishable", "perishable goods / food safety", "变质/食品安全", checklist=PERISHABLE_CHECKLIST,
             aliases=("變質", "食品安全", "变质", "发霉", "過期", "过期", "food_safety"))


@hookimpl
def register_sla_targets(register, settings):
    # a perishable complaint is a complaint: initial solution within 2 h (R-SLA-2); first response as the core
    register("solution", minutes=settings.get("plugins.bakery.perishable_solution_minutes"), category=["perishable"])


@hookimpl
def register_commands(cli):
    from asx_bakery.commands import bakery

    cli.add_command(bakery)


@hookimpl
def register_kpis(register):
    from asx_bakery import kpi

    kpi.register_all(register)


@hookimpl
def register_sample(register):
    from asx_bakery.sample import sample_bakery

    register(46, "bakery", sample_bakery)
