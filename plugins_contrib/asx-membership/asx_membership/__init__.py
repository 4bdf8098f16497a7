"""asx-membership: membership after-sales (seed 002). Uses only asx's hooks and the public plugin
API :mod:`asx.api` (versions ``[tool.asx] api`` of its pyproject, checked at import).

Member tiers with their own service levels (through ``case_attributes`` + ``register_sla_targets``),
the service scope as case categories, warranty and out-of-warranty repair quotes, the member's
acceptance before close (``register_case_transitions`` + ``check_case_action``), and the archive.
"""

from __future__ import annotations

from asx import api, hookimpl

__version__ = "0.1.0"

#: the asx API versions this plugin works with (= ``[tool.asx] api`` of pyproject.toml)
ASX_API = ">=1.1,<2"  # cases_of_buyers rows carry of_buyer (1.1)
api.require_api(ASX_API, "asx-membership")

COMPONENT = "membership"

RECORD = ("record_problem", "record time, place, product model and fault", "记录问题发生的时间、地点、产品型号、故障现象")
JUDGE = ("initial_judgement", "first judgement of the cause; tell the member what to provide",
         "初步判断原因，告知会员需提供的资料或操作")
APOLOGISE = ("apologise", "apologise first", "先道歉")

#: seed 002 第四条 service scope (quality and consultation are asx's ``quality`` and ``inquiry``)
CATEGORIES = [
    ("usage", "usage problem", "使用问题", [RECORD, ("guide_usage", "guide the member through the operation",
                                                  "指导会员正确操作使用")], ("产品使用问题", "操作问题")),
    ("return_exchange", "return/exchange", "退换货",
     [APOLOGISE, RECORD, {"step": "photo_evidence", "en": "photo evidence received", "zh": "收到照片凭证",
                          "required_for": ["return_refund", "exchange", "refund_only"]}], ("退换货服务",)),
    ("repair_in_warranty", "repair in warranty", "保修期内维修",
     [RECORD, JUDGE, {"step": "warranty_checked", "en": "warranty period checked", "zh": "核对保修期",
                      "required_for": ["repair"]}], ("保内维修",)),
    ("repair_out_of_warranty", "repair out of warranty", "保修期外维修",
     [RECORD, JUDGE,
      {"step": "quote_given", "en": "repair quote given (asx member quote)", "zh": "已报价",
       "required_for": ["repair"]},
      {"step": "quote_accepted", "en": "member accepted the quote", "zh": "会员确认报价", "required_for": ["repair"]}],
     ("保外维修",)),
    ("member_complaint", "member complaint", "会员投诉",
     [APOLOGISE, RECORD, ("find_cause", "find the cause and the responsible department", "查明原因及责任部门")],
     ("投诉",)),
]


@hookimpl
def register_migrations(register):
    from asx_membership.store import migration_1

    register(COMPONENT, 1, "members", migration_1())


@hookimpl
def register_personal_data(register):
    # R-SEC-1/5: a member's name is read masked by a person's own PostgreSQL login. The buyer id stays
    # readable: it is the link to asx's cases (asx.api.cases_of_buyers), which a masked id would break.
    register("members", "name", "name")


@hookimpl
def register_settings(register):
    from asx_membership.members import DEFAULT_TIERS

    register("plugins.membership.tiers", "dict", DEFAULT_TIERS,
             "Member tiers and their targets (seed 002): {gold = {reply_minutes = 30, analysis_minutes = 60, "
             "start_minutes = 120, general_minutes = 720, complex_working_days = 2, feedback_minutes = 30}}; "
             "keys left out take the seed values 60/120/180/1440 min, 3 working days, 60 min.")
    register("plugins.membership.complex_categories", "list",
             ["quality", "transit_damage", "repair_in_warranty", "repair_out_of_warranty", "member_complaint"],
             "Categories that are complex problems for members: solved within the tier's working days.")
    register("plugins.membership.warranty_months", "int", 12, "Warranty of a member product unless given (months).")


@hookimpl
def register_labels(register):
    from asx_membership.members import TIER_LABELS

    for code, (en, zh) in TIER_LABELS.items():
        register("member_tier", code, en, zh)
    register("sla_target", "start", "solution started", "开始实施方案")


@hookimpl
def register_categories(register):
    for code, en, zh, checklist, aliases in CATEGORIES:
        register(code, en, zh, checklist=checklist, aliases=aliases)


@hookimpl
def register_case_transitions(register):
    for s in ("new", "open", "waiting_buyer", "waiting_courier", "waiting_warehouse"):
        register(s, "=", "start", "agent")       # solution being carried out (seed 002: within 3 h)
    register("resolved", "=", "accept", "agent")  # 验收反馈: the member accepts


@hookimpl
def register_sla_targets(register, settings):
    from asx_membership.members import register_targets

    register_targets(register, settings)


@hookimpl
def case_attributes(app, case):
    from asx_membership.members import attributes

    return attributes(app.store, case)


@hookimpl
def check_case_action(app, case, action, who):
    from asx_membership.members import guard_close

    guard_close(app, case, action)


@hookimpl
def register_commands(cli):
    from asx_membership.commands import member

    cli.add_command(member)


@hookimpl
def register_sample(register):
    from asx_membership.sample import sample_members

    register(46, "membership", sample_members)
