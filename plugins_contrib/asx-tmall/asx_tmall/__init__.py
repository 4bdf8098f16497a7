"""asx-tmall: the Tmall shop plugin (seed 001). Uses only asx's hooks and the public plugin API
:mod:`asx.api` (versions ``[tool.asx] api`` of its pyproject, checked at import)."""

from __future__ import annotations

from asx import api, hookimpl

__version__ = "0.1.0"

#: the asx API versions this plugin works with (= ``[tool.asx] api`` of pyproject.toml)
ASX_API = ">=1.0,<2"
api.require_api(ASX_API, "asx-tmall")

COMPONENT = "tmall"


@hookimpl
def register_migrations(register):
    from asx_tmall.store import migration_1

    register(COMPONENT, 1, "flags_and_refunds", migration_1())


@hookimpl
def register_settings(register):
    from asx_tmall.reviews import DEFAULT_SEVERE

    register("plugins.tmall.remind_at", "str", "16:00", "Time of the daily unpaid-order payment reminder (seed 001).")
    register("plugins.tmall.night_first_response_minutes", "int", 1,
             "First response on the night shift, service minutes (seed 001: 晚班响应不超过1分钟; R-SLA-1). 0: off.")
    register("plugins.tmall.night_shifts", "list", ["N"],
             "Roster shift ids that are the night shift 晚班 (the house roster's N).")
    register("plugins.tmall.severe_words", "list", DEFAULT_SEVERE,
             "Words that make a Tmall review severe (3): handled first (R-REV-4).")


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
def register_categories(register):
    from asx_tmall.cases import register_checklists

    register_checklists(register)


@hookimpl
def register_case_transitions(register):
    from asx_tmall.cases import register_transitions

    register_transitions(register)


@hookimpl
def register_sla_targets(register, settings):
    from asx_tmall.cases import register_sla

    register_sla(register, settings)


@hookimpl
def register_review_importers(register):
    from asx_tmall.reviews import qianniu_reader

    register(qianniu_reader())


@hookimpl
def register_review_severity_rules(register):
    from asx_tmall.reviews import rule_tmall_words

    register("tmall_words", rule_tmall_words)


@hookimpl
def register_commands(cli):
    from asx_tmall.commands import tmall

    cli.add_command(tmall)


@hookimpl
def register_sample(register):
    from asx_tmall.sample import sample_cases, sample_orders, sample_roster

    register(45, "tmall-orders", sample_orders)
    register(25, "tmall-roster", sample_roster)
    register(47, "tmall-cases", sample_cases)
