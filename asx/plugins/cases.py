"""Built-in plugin: case categories (R-CASE-2/3), lifecycle (R-CASE-6), SLA targets (R-SLA), labels,
settings, the sample cases and the nightly auto-close."""

from __future__ import annotations

from asx import hookimpl

# R-CASE-3: the steps the seeds prescribe are required (a dict with required / required_for /
# required_if_party, asx.cases.model.Step); the others are advice
APOLOGISE = {"step": "apologise", "en": "apologise first", "zh": "先道歉", "required": True}


def _req(step, en, zh, **kw):
    return {"step": step, "en": en, "zh": zh, **({"required": True} if not kw else kw)}


PHOTOS = {"step": "photo_evidence", "en": "photo evidence received", "zh": "收到照片凭证",
          "required_for": ["cash_compensation", "return_refund", "refund_only", "exchange"]}

CATEGORIES = [
    # code, en, zh, checklist, aliases  (R-CASE-2 seed 001 ①–⑥; R-CASE-3 prescribed handling)
    ("not_as_described", "not as described", "与想象不符",
     [APOLOGISE, ("explain_product", "explain the product honestly", "如实说明商品"),
      ("offer_options", "offer exchange or return per policy", "按政策提供换货或退货")], ("与描述不符", "不符")),
    ("service", "service complaint", "服务不满意",
     [APOLOGISE, _req("review_chat_log", "review the chat log", "查看聊天记录"),
      _req("record_fault", "record the service fault", "记录服务过失", required_if_party=["us"]),
      ("no_accusation", "never accuse the buyer", "不指责买家")], ("服务", "服务投诉")),
    ("missing_item", "missing item", "少发货/缺货",
     [APOLOGISE, _req("check_chat_log", "check the chat log", "查聊天记录"),
      _req("check_order", "check the order", "查订单"),
      _req("check_split_waybills", "check split-package waybills", "查分包运单"),
      _req("check_staff_error", "check for staff error", "查是否员工失误"),
      _req("reship", "reship at once (if ours) or after photos", "立即补发（我方原因）或凭照片补发",
           required_for=["reship"]),
      _req("coupon", "send a coupon if the error was ours", "我方失误送优惠券", required_if_party=["us"])], ("少发货", "缺货", "少发", "漏发")),
    ("late_delivery", "late delivery", "到货延迟",
     [APOLOGISE, _req("pull_tracking", "pull the tracking", "查物流"),
      ("chase_courier", "chase the courier", "催快递"),
      _req("tell_buyer_first", "tell the buyer first: never make them chase twice", "主动告知买家，不让买家催第二次")],
     ("延迟", "物流慢")),
    ("transit_damage", "transit damage", "运输破损",
     [APOLOGISE, PHOTOS, ("courier_claim", "file the courier claim", "向快递索赔")], ("破损", "运输损坏")),
    ("quality", "quality problem", "质量问题", [APOLOGISE, PHOTOS, ("record_batch", "record item and batch",
                                                                      "记录商品及批次")], ("质量",)),
    ("inquiry", "inquiry", "咨询", [("answer", "answer the question", "解答问题")], ("询问",)),
    ("other", "other", "其他", [("apologise", "apologise first", "先道歉")], ()),
]

#: seed 001 ①–⑥: after-sales problems a buyer complains about (R-SLA-2); ``inquiry``/``other`` are not
COMPLAINT_CATEGORIES = ("not_as_described", "service", "missing_item", "late_delivery", "transit_damage", "quality")

LABELS = {
    "severity": [("low", "low", "低"), ("normal", "normal", "一般"), ("high", "high", "高"), ("urgent", "urgent", "紧急")],
    "channel": [("wangwang", "Wangwang", "旺旺"), ("chat", "online chat", "在线咨询"), ("phone", "phone", "电话"),
                ("email", "e-mail", "邮件"), ("sms", "SMS", "短信"), ("platform", "platform", "平台")],
    "case_status": [("new", "new", "新建"), ("open", "open", "处理中"), ("waiting_buyer", "waiting for buyer", "等待买家"),
                    ("waiting_courier", "waiting for courier", "等待快递"),
                    ("waiting_warehouse", "waiting for warehouse", "等待仓库"), ("resolved", "resolved", "已解决"),
                    ("closed", "closed", "已关闭"), ("merged", "merged", "已合并")],
    "resolution": [("explained", "explained", "已解释"), ("cash_compensation", "cash compensation", "现金补偿"),
                   ("coupon", "coupon", "优惠券"), ("reship", "reship", "补发"), ("exchange", "exchange", "换货"),
                   ("return_refund", "return and refund", "退货退款"), ("refund_only", "refund only", "仅退款"),
                   ("repair", "repair", "维修"), ("rejected", "rejected", "拒绝")],
    "party": [("us", "us (staff error)", "我方"), ("warehouse", "warehouse", "仓库"), ("courier", "courier", "快递"),
              ("supplier", "supplier", "供应商"), ("buyer", "buyer", "买家"), ("platform", "platform", "平台"),
              ("unknown", "unknown", "未知")],
    "sla_target": [("first_response", "first response", "首次响应"), ("solution", "initial solution", "初步方案"),
                   ("resolution", "resolution", "解决"), ("feedback", "feedback", "解决后反馈")],
    "sla_state": [("pending", "pending", "进行中"), ("met", "met", "达标"), ("breached", "breached", "超时"),
                  ("cancelled", "cancelled", "取消")],
}
ALIASES = {("channel", "wangwang"): ("ww", "阿里旺旺", "千牛"), ("channel", "phone"): ("tel", "call"),
           ("channel", "email"): ("mail",), ("resolution", "cash_compensation"): ("compensation", "cash"),
           ("resolution", "refund_only"): ("refund",), ("party", "us"): ("staff", "员工")}


@hookimpl
def register_settings(register):
    register("cases.autoclose_days", "int", 7, "Resolved cases close by themselves after this many days (R-CASE-6).")
    register("cases.list_limit", "int", 1000, "Rows `asx case list` shows unless --limit is given (0: all).")
    register("sla.first_response_minutes", "int", 3, "First response to an online inquiry, service minutes (R-SLA-1).")
    register("sla.urgent_response_minutes", "int", 60,
             "Respond to a complaint or urgent case within, service minutes, whatever the channel (R-SLA-2).")
    register("sla.offline_reply_working_days", "int", 1,
             "Reply to a non-urgent e-mail/SMS/phone inquiry (not a complaint) within this many working days "
             "(R-SLA-3).")
    register("sla.solution_minutes", "int", 120, "Initial solution for a complaint or urgent case (R-SLA-2).")
    register("sla.resolution_minutes", "int", 1440, "A general problem solved within, minutes on the clock "
             "sla.resolution_clock (R-SLA-3: 24 h).")
    register("sla.resolution_clock", "str", "calendar",
             "Clock of the general-problem target: calendar (the wall clock, as a buyer reads \"24 小时\") or "
             "service (the store's hours) (R-SLA preamble).")
    register("sla.complex_resolution_working_days", "int", 3, "A complex problem solved within (R-SLA-3).")
    register("sla.complex_categories", "list", ["quality", "transit_damage"],
             "Categories that are complex problems (R-SLA-3).")
    register("sla.complaint_categories", "list", list(COMPLAINT_CATEGORIES),
             "Categories whose cases are complaints whatever the channel (R-SLA-2); an urgent case is one too, "
             "and `case add --complaint/--not-complaint` decides a single case.")
    register("sla.feedback_minutes", "int", 60, "Feedback to the buyer after resolving, service minutes (R-SLA-4).")
    register("sla.rules", "list", [],
             "Extra SLA rules, most specific wins: [{target=\"resolution\", category=\"missing_item\", minutes=240}].")


@hookimpl
def register_labels(register, plugins):
    from asx.cases.model import categories

    for code, cat in categories(plugins).items():
        register("category", code, cat.en, cat.zh, aliases=cat.aliases)
    for kind, rows in LABELS.items():
        for code, en, zh in rows:
            register(kind, code, en, zh, aliases=ALIASES.get((kind, code), ()))


@hookimpl(tryfirst=True)
def register_categories(register):
    for code, en, zh, checklist, aliases in CATEGORIES:
        register(code, en, zh, checklist=checklist, aliases=aliases)


@hookimpl(tryfirst=True)
def register_case_transitions(register):
    from asx.cases.model import builtin_transitions

    builtin_transitions(register)


@hookimpl(tryfirst=True)
def register_sla_targets(register, settings):
    """Defaults of R-SLA-1..4 from the ``sla.*`` settings; plugins registered later override."""
    g = settings.get
    online = ["wangwang", "chat", "platform"]
    offline = ["phone", "email", "sms"]
    register("first_response", minutes=g("sla.first_response_minutes"))                       # R-SLA-1
    # R-SLA-3: the 1-working-day reply is only for a non-urgent inquiry by phone, e-mail, SMS
    # (a complaint's rule below is more specific and wins; a store's category rule registered later too)
    register("first_response", working_days=g("sla.offline_reply_working_days"), channel=offline)
    register("first_response", minutes=g("sla.urgent_response_minutes"), channel=offline,
             severity=["high", "urgent"])                                                     # R-SLA-2
    # R-SLA-2: a complaint (asx.cases.sla.is_complaint) is answered within the hour whatever its channel
    # (online chat keeps its 3 minutes, R-SLA-1) and gets an initial solution within 2 h
    register("first_response", minutes=g("sla.urgent_response_minutes"), channel=offline, complaint=True)
    register("first_response", minutes=g("sla.first_response_minutes"), channel=online, severity=["high", "urgent"])
    register("solution", minutes=g("sla.solution_minutes"), complaint=True)                     # R-SLA-2
    register("resolution", minutes=g("sla.resolution_minutes"), clock=g("sla.resolution_clock"))  # R-SLA-3 general
    register("resolution", working_days=g("sla.complex_resolution_working_days"),
             category=g("sla.complex_categories"))                                            # R-SLA-3 complex
    register("feedback", minutes=g("sla.feedback_minutes"))                                    # R-SLA-4


@hookimpl
def register_sample(register):
    from asx.cases.sample import sample_cases

    register(30, "cases", sample_cases)


@hookimpl
def register_nightly_jobs(register):
    from asx.cases.service import autoclose
    from asx.cases.sla import nightly_overdue

    def autoclose_job(ctx):
        """Close, as of the end of the night's day, the cases resolved long enough ago."""
        return autoclose(ctx.app, as_of=ctx.end)

    register(20, "overdue", nightly_overdue)
    register(30, "cases.autoclose", autoclose_job)
